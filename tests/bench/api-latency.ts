import { join } from 'node:path';
import { EngineClient } from '../../main/engine/client';
import { FileSecretStore } from '../../main/services/settings/file-secret-store';

/**
 * How long the UI waits for an answer while a job runs: the real engine in its worker thread, as the desktop app
 * and the web host run it, asked for the job's state every 50 ms (what the Dashboard does, and more). `start`
 * makes the library current and starts the job; its id is returned.
 */
export async function apiWhileJobRuns(
  bundleMainDir: string,
  configDir: string,
  label: string,
  start: (engine: EngineClient) => Promise<number>,
): Promise<void> {
  const engine = await EngineClient.start({
    workerPath: join(bundleMainDir, 'engine-worker.js'),
    configDir,
    host: 'cli',
    version: 'bench',
    secrets: new FileSecretStore(configDir),
  });
  try {
    const id = await start(engine);
    const waits: number[] = [];
    for (;;) {
      const asked = performance.now();
      const job = await engine.call('jobs.get', { id });
      waits.push(performance.now() - asked);
      if (!job.ok || !['queued', 'running'].includes((job.value as { state: string }).state)) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    waits.sort((a, b) => a - b);
    const at = (q: number) => (waits[Math.min(waits.length - 1, Math.floor(q * waits.length))] ?? 0).toFixed(1);
    console.log(`API while ${label}: ${waits.length} calls, median ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`);
  } finally {
    await engine.close();
  }
}
