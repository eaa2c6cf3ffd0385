import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the engine runs. better-sqlite3 is a native module built once, by `npm ci`, for the Node that ran it
 * (Node ≥ 22.12). The CLI, the web host and the tests run on that Node, so the engine is a worker thread of their
 * process. Electron embeds a Node of its own with another ABI (NODE_MODULE_VERSION) that cannot load that build, so
 * the desktop shell runs the engine as a child process on the Node the build was made for: one build serves every
 * runtime, and `npm run dist` never rebuilds node_modules in place (which broke `npm test` and `vc2m` after it).
 */
export type EngineRuntime =
  | { kind: 'thread' }
  | { kind: 'process'; node: string /** How it was found, for the start-up log and error messages. */; from: string }
  | { kind: 'unavailable'; reason: string };

/** Written by scripts/bootstrap.sh after `npm ci`: the absolute path of the Node that built node_modules. */
export const ENGINE_NODE_RECORD = join('node_modules', '.vc2-engine-node');
/** Inside installers (electron-builder extraResources, staged by scripts/stage-engine-node.mjs). */
export const PACKAGED_NODE_DIR = 'engine-node';

export interface RuntimeProbe {
  /** process.versions.electron: undefined in plain Node. */
  electron: string | undefined;
  /** app.isPackaged in Electron. */
  packaged: boolean;
  /** process.resourcesPath in a packaged app. */
  resourcesPath: string | undefined;
  /** The app's folder (the checkout in development). */
  appDir: string;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  exists?: (path: string) => boolean;
  read?: (path: string) => string | null;
}

const readText = (path: string) => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
};

export function chooseEngineRuntime(probe: RuntimeProbe): EngineRuntime {
  if (!probe.electron) return { kind: 'thread' };
  const exists = probe.exists ?? existsSync;
  const read = probe.read ?? readText;
  // In an installed app the environment is not trusted to pick a binary to run as the app's child (its fuses turn
  // off ELECTRON_RUN_AS_NODE and NODE_OPTIONS for the same reason): only the installer's Node is used.
  const override = probe.packaged ? undefined : probe.env.VC2M_ENGINE_NODE;
  if (override) {
    return exists(override)
      ? { kind: 'process', node: override, from: 'VC2M_ENGINE_NODE' }
      : { kind: 'unavailable', reason: `VC2M_ENGINE_NODE names ${override}, which does not exist` };
  }
  if (probe.packaged) {
    const node = join(probe.resourcesPath ?? '', PACKAGED_NODE_DIR, probe.platform === 'win32' ? 'node.exe' : 'node');
    return exists(node)
      ? { kind: 'process', node, from: 'the installer' }
      : { kind: 'unavailable', reason: `this installation has no Node for its engine (${node} is missing); reinstall the app` };
  }
  const record = join(probe.appDir, ENGINE_NODE_RECORD);
  const recorded = read(record);
  if (!recorded) {
    return { kind: 'unavailable', reason: `no Node is recorded for the engine (${record} is missing); run npm start, which installs one` };
  }
  return exists(recorded)
    ? { kind: 'process', node: recorded, from: record }
    : { kind: 'unavailable', reason: `the Node that built node_modules (${recorded}, from ${record}) is gone; run npm start again to reinstall` };
}
