import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ApiError } from '../../../shared/api/errors';
import type { IngestResult } from './ingest-file';
import type { IngestWorkerData, IngestWorkerMessage } from './ingest-worker';

export interface IngestRun {
  bundleDir: string;
  data: IngestWorkerData;
  signal: AbortSignal;
  onProgress: (p: { bytes: number; totalBytes: number; records: number }) => void;
}

/** Runs one file's ingest in its own thread; cancelling terminates it, and the half-written version is collected later. */
export function runIngestWorker(run: IngestRun): Promise<IngestResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(join(run.bundleDir, 'ingest-worker.js'), { workerData: run.data });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      run.signal.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      void worker.terminate();
      finish(() => reject(run.signal.reason ?? new Error('cancelled')));
    };
    run.signal.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: IngestWorkerMessage) => {
      if (message.type === 'progress') run.onProgress(message);
      else if (message.type === 'done') finish(() => resolve(message.result));
      else finish(() => reject(new ApiError(message.name === 'AnnotationFormatError' ? 'BAD_ANNOTATION_FILE' : 'IO_ERROR', message.message)));
    });
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) => finish(() => reject(new Error(`the ingest worker stopped unexpectedly (exit code ${code})`))));
  });
}
