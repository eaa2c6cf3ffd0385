import { join } from 'node:path';
import { TaskWorker } from '../../lib/worker-tasks';
import type { ExtractResult } from '../extract/extract-zip';
import type { JobContext } from '../jobs/job-runner';
import type { MediaTasks } from './media-tasks';

/** A media worker for one job: transfers and extractions run on it, never on the thread that answers the UI. */
export async function withMediaWorker<R>(bundleDir: string, work: (worker: TaskWorker<MediaTasks>) => Promise<R>): Promise<R> {
  const worker = new TaskWorker<MediaTasks>(join(bundleDir, 'media-worker.js'));
  try {
    return await work(worker);
  } finally {
    await worker.close();
  }
}

/** One archive (or its byte-split parts) into `dest`, on the worker, with the job's progress under `label`. */
export function extractOnWorker(
  worker: TaskWorker<MediaTasks>,
  format: 'zip' | 'tar' | 'tar.gz',
  archive: string | string[],
  dest: string,
  label: string,
  context: JobContext,
): Promise<ExtractResult> {
  context.report({ done: 0, total: null, message: `extracting ${label}` });
  return worker.run(
    'extract',
    { format, archive, dest },
    {
      signal: context.signal,
      onEvent: (p) => context.report({ done: p.bytes, total: p.totalBytes, message: `extracting ${label}: ${p.entries} of ${p.totalEntries} files` }),
    },
  );
}
