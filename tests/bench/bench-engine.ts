import { join } from 'node:path';
import { EngineClient } from '../../main/engine/client';
import { FileSecretStore } from '../../main/services/settings/file-secret-store';
import { startWebHost, type WebHost } from '../../main/web-host/server';

/** Debian's Chromium as the tests run it (no sandbox in a container, nothing fetched from the network). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A call on the benchmark's engine; a refusal throws with its message. */
export async function call<T>(engine: EngineClient, method: string, args: unknown = {}): Promise<T> {
  const result = await engine.call(method, args);
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value as T;
}

/** Waits for a job to finish (`onTick` between polls), throwing when it fails or is cancelled. */
export async function waitForJob(engine: EngineClient, id: number, onTick?: () => Promise<void>): Promise<void> {
  for (;;) {
    const job = await call<{ state: string; message: string | null }>(engine, 'jobs.get', { id });
    if (job.state === 'failed' || job.state === 'cancelled') throw new Error(`job ${id} ${job.state}: ${job.message}`);
    if (job.state === 'finished') return;
    if (onTick) await onTick();
    else await new Promise((r) => setTimeout(r, 100));
  }
}

/** The built engine (from `bundleMainDir`) and the web host serving the built renderer beside it, on a free port. */
export async function startBenchHost(bundleMainDir: string, configDir: string): Promise<{ engine: EngineClient; web: WebHost }> {
  const engine = await EngineClient.start({
    workerPath: join(bundleMainDir, 'engine-worker.js'),
    configDir,
    host: 'web',
    version: 'bench',
    secrets: new FileSecretStore(configDir),
  });
  const web = await startWebHost({ engine, rendererDir: join(bundleMainDir, '..', 'renderer'), port: 0 });
  return { engine, web };
}
