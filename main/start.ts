import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { displayMissing, findElectronBinary } from './lib/electron-binary';
import { serveMain } from './web-host/cli';
import { WebHostError } from './web-host/server';

// `npm start`: the desktop window when Electron can run here, otherwise the same app served to a browser.
const appDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const found = findElectronBinary();
const reason = 'reason' in found ? found.reason : displayMissing();

if ('binary' in found && reason === null) {
  const child = spawn(found.binary, [appDir, ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(`Electron not started: ${reason}; serving the same app in your browser instead.`);
  serveMain(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`vc2 web host: ${error instanceof WebHostError ? error.message : String(error)}`);
    process.exit(2);
  });
}
