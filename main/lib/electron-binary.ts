import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The Electron executable if it is installed, else why not. Reads the package's path.txt directly:
 * `require('electron')` would start a download when the binary is missing, which hangs or fails offline.
 */
export function findElectronBinary(env: NodeJS.ProcessEnv = process.env): { binary: string } | { reason: string } {
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed' };
  }
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const binary = join(env.ELECTRON_OVERRIDE_DIST_PATH, relative ?? 'electron');
    return existsSync(binary) ? { binary } : { reason: `no Electron binary at ${binary} (ELECTRON_OVERRIDE_DIST_PATH)` };
  }
  const binary = relative ? join(packageDir, 'dist', relative) : null;
  if (!binary || !existsSync(binary)) return { reason: 'the Electron binary is not installed (it was not downloaded on this machine)' };
  return { binary };
}

/** Electron needs a display on Linux; a server reached over SSH has none. */
export function displayMissing(env: NodeJS.ProcessEnv = process.env): string | null {
  if (process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)';
  return null;
}
