import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STARTUP_FAILED_PREFIX, WINDOW_READY_LINE } from './lib/desktop-start';
import { displayMissing, findElectronBinary } from './lib/electron-binary';
import { explainStartFailure } from './lib/native-module-error';
import { serveMain } from './web-host/cli';
import { WebHostError } from './web-host/server';

// `npm start`: the desktop window when Electron can run here, otherwise the same app served to a browser.
const appDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const found = findElectronBinary();
const reason = 'reason' in found ? found.reason : displayMissing();

let servedInstead = false;
function serveInstead(why: string): void {
  if (servedInstead) return;
  servedInstead = true;
  console.log(`Electron not started: ${why}; serving the same app in your browser instead.`);
  serveMain(args).catch((error: unknown) => {
    console.error(`vc2 web host: ${error instanceof WebHostError ? error.message : String(error)}`);
    process.exit(2);
  });
}

/**
 * Starts the desktop shell and watches its output until the window is ready. Its engine runs on this very Node
 * (VC2M_ENGINE_NODE), which is the one `npm ci` built better-sqlite3 for. An Electron that exits before its window
 * is ready — the engine could not start, system libraries are missing, the display refused it — is not the end:
 * the same app is served to a browser, with the reason in one line.
 */
function startDesktop(binary: string): void {
  const child = spawn(binary, [appDir, ...args], {
    stdio: ['inherit', 'pipe', 'pipe'],
    env: { ...process.env, VC2M_ENGINE_NODE: process.execPath },
  });
  let ready = false;
  let failure: string | null = null;
  let early = ''; // what it wrote before the window was ready: shown once it is, or explained if it never is
  const watch = (stream: NodeJS.ReadableStream | null, out: NodeJS.WriteStream) => {
    let partial = '';
    const line = (text: string) => {
      if (text === WINDOW_READY_LINE) {
        ready = true;
        if (early) process.stderr.write(early);
        early = '';
        return;
      }
      if (text.startsWith(STARTUP_FAILED_PREFIX)) failure = text.slice(STARTUP_FAILED_PREFIX.length);
      if (ready) out.write(`${text}\n`);
      else early = `${early}${text}\n`.slice(-8000);
    };
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const text of lines) line(text);
    });
    stream?.on('end', () => {
      if (partial) line(partial);
      partial = '';
    });
  };
  watch(child.stdout, process.stdout);
  watch(child.stderr, process.stderr);
  child.on('error', (error) => {
    if (!ready) serveInstead(`${binary} could not be run (${error.message})`);
  });
  // 'close', not 'exit': by then both output streams have been read to their end, the refusal line included.
  child.on('close', (code, signal) => {
    if (ready) process.exit(code ?? 0);
    const how = signal ? `was stopped by ${signal}` : `exited with code ${code}`;
    const detail = explainStartFailure(early);
    serveInstead(failure ?? `Electron ${how} before its window opened${detail ? ` (${detail})` : ''}`);
  });
}

if ('binary' in found && reason === null) startDesktop(found.binary);
else serveInstead(reason ?? 'Electron is not available');
