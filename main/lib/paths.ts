import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export const APP_DIR_NAME = 'vc2-media-manager';

/** Expands a leading `~` and normalises; callers have already checked the path is absolute or `~`-relative. */
export function expandUserPath(path: string): string {
  const trimmed = path.trim();
  if (trimmed === '~') return homedir();
  if (trimmed.startsWith('~/') || trimmed.startsWith('~\\')) return resolve(homedir(), trimmed.slice(2));
  if (!isAbsolute(trimmed)) throw new Error(`not an absolute path: ${trimmed}`);
  return resolve(trimmed);
}

/** Where settings, the recent-libraries list and the saved token live; `VC2M_CONFIG_DIR` overrides it (tests, portable setups). */
export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.VC2M_CONFIG_DIR) return resolve(env.VC2M_CONFIG_DIR);
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_DIR_NAME);
  if (process.platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_DIR_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_DIR_NAME);
}

export function defaultLibraryPath(): string {
  return join(homedir(), 'VideoChat2-IT');
}
