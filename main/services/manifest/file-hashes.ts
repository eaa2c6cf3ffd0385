import { stat } from 'node:fs/promises';
import { mapLimit } from '../../lib/map-limit';
import type { TaskWorker } from '../../lib/worker-tasks';
import type { MediaTasks } from '../downloads/media-tasks';
import type { JobContext } from '../jobs/job-runner';
import type { LibraryDatabase } from '../library/db';

/** Files read at once per worker: one waits on the disk while the other is hashed. */
const PER_WORKER = 2;

export interface HashOutcome {
  hashed: number;
  /** Unchanged since their last hash (same path, size and mtime): not read. */
  cached: number;
  bytesHashed: number;
  failures: Array<{ path: string; reason: string }>;
  /** sha256 by path, for every file asked about that has one. */
  sha256: Map<string, string>;
}

/**
 * The sha256 of each file, incrementally: a file whose path, size and mtime match its cached hash is not read; the
 * others are hashed on the workers (every core), and the cache updated as results come.
 */
export async function hashFiles(
  db: LibraryDatabase,
  workers: ReadonlyArray<TaskWorker<MediaTasks>>,
  paths: readonly string[],
  context: JobContext,
): Promise<HashOutcome> {
  const cachedRow = db.prepare('SELECT size, mtime_ms AS mtimeMs, sha256 FROM file_hashes WHERE path = ?');
  const save = db.prepare('INSERT OR REPLACE INTO file_hashes (path, size, mtime_ms, sha256, hashed_at) VALUES (?, ?, ?, ?, ?)');
  const out: HashOutcome = { hashed: 0, cached: 0, bytesHashed: 0, failures: [], sha256: new Map() };
  const todo: Array<{ path: string; size: number }> = [];
  let looked = 0;
  await mapLimit(paths, 32, async (path) => {
    const info = await stat(path).catch(() => null);
    looked++;
    if (looked % 5000 === 0) context.report({ done: looked, total: paths.length, message: `looking at ${looked.toLocaleString('en-US')} files for changes` });
    if (!info?.isFile()) {
      out.failures.push({ path, reason: 'not there any more' });
      return;
    }
    const cached = cachedRow.get(path) as { size: number; mtimeMs: number; sha256: string } | undefined;
    if (cached && cached.size === info.size && cached.mtimeMs === info.mtimeMs) {
      out.cached++;
      out.sha256.set(path, cached.sha256);
    } else todo.push({ path, size: info.size });
  });
  const total = todo.reduce((n, f) => n + f.size, 0);
  let next = 0;
  const lane = async (worker: TaskWorker<MediaTasks>) => {
    for (let i = next++; i < todo.length; i = next++) {
      const { path } = todo[i] as { path: string };
      try {
        const result = await worker.run('sha256', { path }, { signal: context.signal });
        save.run(path, result.size, result.mtimeMs, result.sha256, Date.now());
        out.sha256.set(path, result.sha256);
        out.hashed++;
        out.bytesHashed += result.size;
        context.report({
          done: out.bytesHashed,
          total,
          message: `hashing: ${out.hashed.toLocaleString('en-US')} of ${todo.length.toLocaleString('en-US')} files`,
        });
      } catch (error) {
        context.signal.throwIfAborted();
        out.failures.push({ path, reason: (error as Error).message });
      }
    }
  };
  await Promise.all(workers.flatMap((w) => Array.from({ length: PER_WORKER }, () => lane(w))));
  return out;
}
