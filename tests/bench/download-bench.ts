import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './bench-fixture';

// `npm run bench -- download [small|large|kill|split]`: the app's download engine (vc2m get, end to end: ledger, partial
// files, sha256 of every byte, fsync and rename) against Debian's aria2c on the same loopback server, with the same
// number of connections (4: the app's default), both checking sha256. Then a SIGKILL at 50 % and a rerun, counting
// the bytes each fetched again. `extract` (extract-bench.ts) compares extraction with unzip and bsdtar.
const here = dirname(fileURLToPath(import.meta.url));
const CONNECTIONS = 4;
const MiB = 1024 * 1024;
// The Kinetics route: its published list of archives, read through the mirror, as in a real get.
const LIST = 'kinetics/400/train/k400_train_path.txt';
const OTHER_LISTS = ['kinetics/600/train/k600_train_path.txt', 'kinetics/700_2020/train/k700_2020_train_path.txt'];
const ORIGIN = 'https://s3.amazonaws.com';

interface FileSet {
  name: string;
  base: string;
  files: Array<{ name: string; size: number; sha256: string }>;
  bytes: number;
}

/** Files of random bytes (each distinct), their sha256 known up front, published as the Kinetics list names them. */
function makeSet(serveRoot: string, name: string, count: number, size: number): FileSet {
  const base = join(serveRoot, name);
  const folder = join(base, 'kinetics/400/train');
  mkdirSync(folder, { recursive: true });
  for (const list of OTHER_LISTS) {
    mkdirSync(dirname(join(base, list)), { recursive: true });
    writeFileSync(join(base, list), '');
  }
  const chunk = Buffer.alloc(Math.min(size, 8 * MiB));
  const files: FileSet['files'] = [];
  for (let i = 0; i < count; i++) {
    const file = `part_${String(i).padStart(5, '0')}.tar.gz`;
    const hash = createHash('sha256');
    const fd = openSync(join(folder, file), 'w');
    for (let written = 0; written < size; written += chunk.length) {
      randomFillSync(chunk);
      const piece = chunk.subarray(0, Math.min(chunk.length, size - written));
      writeSync(fd, piece);
      hash.update(piece);
    }
    closeSync(fd);
    files.push({ name: file, size, sha256: hash.digest('hex') });
  }
  writeFileSync(join(base, LIST), `${files.map((f) => `${ORIGIN}/kinetics/400/train/${f.name}`).join('\n')}\n`);
  return { name, base, files, bytes: count * size };
}

async function startServer(root: string): Promise<{ port: number; sent: () => Promise<number>; stop: () => void }> {
  const child = spawn(process.execPath, [join(here, 'bench-file-server.js'), root], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => child.stdout?.once('data', (d) => resolve(Number(String(d).trim()))));
  return {
    port,
    sent: async () => ((await (await fetch(`http://127.0.0.1:${port}/__stats`)).json()) as { bytes: number }).bytes,
    stop: () => child.kill(),
  };
}

const vc2mPath = join(here, '..', 'main', 'vc2m.js');

/** A library whose Kinetics mirror is the set on the bench server. */
async function appLibrary(work: string, port: number, set: FileSet) {
  const config = join(work, `config-${set.name}`);
  mkdirSync(config, { recursive: true });
  writeFileSync(join(config, 'settings.json'), JSON.stringify({ version: 1, downloadConcurrency: CONNECTIONS }));
  const library = join(work, `lib-${set.name}`);
  const env = { ...process.env, VC2M_CONFIG_DIR: config, VC2M_LIBRARY: library };
  await run(process.execPath, [vc2mPath, 'init', library], env);
  await run(process.execPath, [vc2mPath, 'sources', 'set-mirror', 'kinetics', `http://127.0.0.1:${port}/${set.name}`], env);
  return { env, library, args: [vc2mPath, 'get', 'kinetics', '--only', 'part_*', '--download-only'] };
}

function aria2Input(port: number, set: FileSet, out: string): string {
  const input = join(out, '..', `aria2-${set.name}.txt`);
  writeFileSync(
    input,
    set.files
      .map((f) => `http://127.0.0.1:${port}/${set.name}/kinetics/400/train/${f.name}\n  dir=${out}\n  out=${f.name}\n  checksum=sha-256=${f.sha256}\n`)
      .join(''),
  );
  return input;
}

/** One file on every connection, or (`split`) one file over all of them, as aria2's -x/-s do. */
const aria2Args = (input: string, split = false) => [
  '-i',
  input,
  split ? '-j1' : `-j${CONNECTIONS}`,
  split ? `-x${CONNECTIONS}` : '-x1',
  split ? `-s${CONNECTIONS}` : '-s1',
  '--continue=true',
  '--file-allocation=none',
  '--auto-file-renaming=false',
  '--allow-overwrite=false',
  '--check-integrity=true',
  '--console-log-level=error',
  '--summary-interval=0',
  '--download-result=hide',
  '--max-tries=5',
];

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

const mbps = (bytes: number, seconds: number) => `${(bytes / seconds / 1e6).toFixed(0)} MB/s`;

/** Every file of the set is where the client put it, whole. */
function checkComplete(folder: string, set: FileSet): void {
  for (const f of set.files) {
    const size = statSync(join(folder, f.name)).size;
    if (size !== f.size) throw new Error(`${f.name}: ${size} bytes, expected ${f.size}`);
  }
}

async function throughput(work: string, server: Awaited<ReturnType<typeof startServer>>, set: FileSet, split = false): Promise<void> {
  const app = await appLibrary(work, server.port, set);
  const appSeconds = await timed(() => run(process.execPath, app.args, app.env));
  checkComplete(join(app.library, 'downloads', 'kinetics', 'k400', 'train'), set);
  rmSync(app.library, { recursive: true, force: true });
  const out = join(work, `aria2-${set.name}`);
  mkdirSync(out, { recursive: true });
  const ariaSeconds = await timed(() => run('aria2c', aria2Args(aria2Input(server.port, set, out), split), process.env));
  checkComplete(out, set);
  rmSync(out, { recursive: true, force: true });
  const label = `${set.files.length} x ${set.files[0] ? set.files[0].size / MiB : 0} MiB`;
  console.log('');
  console.log(
    `${label}, ${CONNECTIONS} connections${split ? ' on the one file (aria2c -x4 -s4; vc2m splits it into byte ranges)' : ''}, sha256 checked by both`,
  );
  console.log(`  aria2c            ${ariaSeconds.toFixed(2)} s  ${mbps(set.bytes, ariaSeconds)}`);
  console.log(`  vc2m get          ${appSeconds.toFixed(2)} s  ${mbps(set.bytes, appSeconds)}`);
  console.log(`  throughput ratio  ${(ariaSeconds / appSeconds).toFixed(2)}x aria2c's   (target >= 1.0x)`);
}

/**
 * Starts `command`, SIGKILLs it once the server has sent half the set (a split file is sparse on disk: its size says
 * nothing of how much arrived), and waits for it to be gone.
 */
async function killAtHalf(command: string, args: string[], env: NodeJS.ProcessEnv, sent: () => Promise<number>, set: FileSet): Promise<void> {
  const start = await sent();
  const child: ChildProcess = spawn(command, args, { env, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  while ((await sent()) - start < set.bytes / 2) {
    if (child.exitCode !== null) throw new Error(`${command} ended before half of the set was there`);
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGKILL');
  await exited;
}

async function killAndResume(work: string, server: Awaited<ReturnType<typeof startServer>>, set: FileSet, split = false): Promise<void> {
  const app = await appLibrary(work, server.port, set);
  const appFolder = join(app.library, 'downloads', 'kinetics', 'k400', 'train');
  let before = await server.sent();
  await killAtHalf(process.execPath, app.args, app.env, server.sent, set);
  await run(process.execPath, app.args, app.env);
  checkComplete(appFolder, set);
  const appAgain = (await server.sent()) - before - set.bytes;
  rmSync(app.library, { recursive: true, force: true });
  const out = join(work, `aria2-kill-${set.name}`);
  mkdirSync(out, { recursive: true });
  const input = aria2Input(server.port, set, out);
  before = await server.sent();
  await killAtHalf('aria2c', aria2Args(input, split), process.env, server.sent, set);
  await run('aria2c', aria2Args(input, split), process.env);
  checkComplete(out, set);
  const ariaAgain = (await server.sent()) - before - set.bytes;
  rmSync(out, { recursive: true, force: true });
  console.log('');
  console.log(`SIGKILL at 50 % of ${set.files.length} x ${(set.files[0]?.size ?? 0) / MiB} MiB, then the same command again`);
  console.log(`  aria2c    fetched again ${(ariaAgain / MiB).toFixed(1)} MiB`);
  console.log(`  vc2m get  fetched again ${(appAgain / MiB).toFixed(1)} MiB   (target: at most one range per file)`);
}

export async function downloadBench(only: string | undefined): Promise<void> {
  execFileSync('aria2c', ['--version'], { stdio: 'ignore' });
  const work = mkdtempSync(join(tmpdir(), 'vc2-bench-download-'));
  const serveRoot = join(work, 'served');
  const server = await startServer(serveRoot);
  try {
    if (only === undefined || only === 'small') await throughput(work, server, makeSet(serveRoot, 'small', 2000, MiB));
    if (only === undefined || only === 'large' || only === 'kill') {
      const large = makeSet(serveRoot, 'large', 4, 1024 * MiB);
      if (only !== 'kill') await throughput(work, server, large);
      if (only !== 'large') await killAndResume(work, server, large);
    }
    if (only === undefined || only === 'split') {
      const one = makeSet(serveRoot, 'split', 1, 2048 * MiB);
      await throughput(work, server, one, true);
      await killAndResume(work, server, one, true);
    }
  } finally {
    server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
