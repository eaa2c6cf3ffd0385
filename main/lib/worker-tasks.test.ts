import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api/errors';
import { type FileHost, startFileHost } from '../../tests/fixtures/file-host';
import { tempDir } from '../../tests/fixtures/temp-dir';
import { partialPathOf } from '../services/downloads/fetch-file';
import type { MediaTasks } from '../services/downloads/media-tasks';
import { TaskWorker } from './worker-tasks';

// The typed worker protocol, through the bundled media worker as the engine runs it (`npm test` builds first).
const workerFile = resolve('dist/main/media-worker.js');
let host: FileHost | null = null;
let worker: TaskWorker<MediaTasks> | null = null;
afterEach(async () => {
  await worker?.close();
  await host?.close();
  worker = null;
  host = null;
});

async function serve(bytes: number) {
  const root = tempDir();
  mkdirSync(join(root, 'f'), { recursive: true });
  const content = Buffer.alloc(bytes, 7);
  writeFileSync(join(root, 'f', 'a.bin'), content);
  host = await startFileHost(root);
  worker = new TaskWorker<MediaTasks>(workerFile);
  return { host, worker, content, target: join(tempDir(), 'a.bin') };
}

describe('TaskWorker', () => {
  it('runs a task on its thread with progress events on the way and the typed result at the end', async () => {
    const { host, worker, content, target } = await serve(3_000_000);
    host.faults.push({ kind: 'slow', path: 'f/a.bin', bytesPerTick: 256 * 1024, tickMs: 20, times: 1 });
    const events: number[] = [];
    const result = await worker.run(
      'fetch',
      { url: host.url('f/a.bin'), target, expectedSize: null, expectedSha256: null, bytesPerSecond: null },
      { onEvent: (e) => events.push(e.bytes) },
    );
    expect(result).toMatchObject({ bytes: content.length, status: 200 });
    expect(readFileSync(target).equals(content)).toBe(true);
    // Throttled in the worker (one every 100 ms at most), and in order.
    expect(events.length).toBeGreaterThan(1);
    expect(events.length).toBeLessThan(40);
    expect([...events].sort((a, b) => a - b)).toEqual(events);
  });

  it('an ApiError thrown on the worker arrives as one, with its code and HTTP status', async () => {
    const { host, worker, target } = await serve(10);
    const error = await worker
      .run('fetch', { url: host.url('f/none.bin'), target, expectedSize: null, expectedSha256: null, bytesPerSecond: null })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'DOWNLOAD_REFUSED', status: 404, message: expect.stringContaining('not on the server (404)') });
    expect(worker.usable).toBe(true);
  });

  it("a cancel stops the task where it is: the caller's reason is thrown once the worker has let go, the partial is kept", async () => {
    const { host, worker, content, target } = await serve(2_000_000);
    host.faults.push({ kind: 'slow', path: 'f/a.bin', bytesPerTick: 32 * 1024, tickMs: 20, times: 1 });
    const controller = new AbortController();
    const running = worker.run(
      'fetch',
      { url: host.url('f/a.bin'), target, expectedSize: null, expectedSha256: null, bytesPerSecond: null },
      {
        signal: controller.signal,
        onEvent: (e) => {
          if (e.bytes > 200_000) controller.abort(new Error('paused by the user'));
        },
      },
    );
    await expect(running).rejects.toThrow('paused by the user');
    const kept = statSync(partialPathOf(target)).size;
    expect(kept).toBeGreaterThan(200_000);
    expect(kept).toBeLessThan(content.length);
    // The same worker serves the next task.
    expect((await worker.run('fetch', { url: host.url('f/a.bin'), target, expectedSize: null, expectedSha256: null, bytesPerSecond: null })).bytes).toBe(
      content.length,
    );
  });

  it('a worker that dies fails its pending tasks with the reason and says it is no longer usable', async () => {
    const { host, worker, target } = await serve(2_000_000);
    host.faults.push({ kind: 'slow', path: 'f/a.bin', bytesPerTick: 16 * 1024, tickMs: 20, times: 1 });
    const running = worker.run('fetch', { url: host.url('f/a.bin'), target, expectedSize: null, expectedSha256: null, bytesPerSecond: null });
    await new Promise((r) => setTimeout(r, 100));
    worker.terminate();
    await expect(running).rejects.toThrow(/stopped/);
    expect(worker.usable).toBe(false);
  });
});
