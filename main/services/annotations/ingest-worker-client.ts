import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ApiError } from '../../../shared/api/errors';
import type { IngestProgress, IngestResult } from './ingest-file';
import type { IngestWorkerData, IngestWorkerMessage, IngestWorkerRequest, WorkerTask } from './ingest-worker';

/**
 * The job's side of the ingest worker: one file at a time. Cancelling terminates the thread; the half-written
 * version it leaves is never current and is collected afterwards.
 */
export class IngestWorker {
  private readonly worker: Worker;
  private exited: Error | null = null;

  constructor(bundleDir: string, data: IngestWorkerData) {
    this.worker = new Worker(join(bundleDir, 'ingest-worker.js'), { workerData: data });
    this.worker.on('exit', (code) => {
      this.exited = new Error(`the ingest worker stopped (exit code ${code})`);
    });
    this.worker.on('error', (error) => {
      this.exited = error;
    });
  }

  ingest(task: WorkerTask, signal: AbortSignal, onProgress: (p: IngestProgress) => void): Promise<IngestResult> {
    return new Promise((resolve, reject) => {
      if (this.exited) return reject(this.exited);
      const cleanup = () => {
        this.worker.off('message', onMessage);
        this.worker.off('exit', onExit);
        signal.removeEventListener('abort', onAbort);
      };
      const onMessage = (message: IngestWorkerMessage) => {
        if (message.type === 'progress') return onProgress(message);
        cleanup();
        if (message.type === 'done') resolve(message.result);
        else reject(new ApiError(message.name === 'AnnotationFormatError' ? 'BAD_ANNOTATION_FILE' : 'IO_ERROR', message.message));
      };
      const onExit = () => {
        cleanup();
        reject(this.exited ?? new Error('the ingest worker stopped unexpectedly'));
      };
      const onAbort = () => {
        cleanup();
        void this.worker.terminate();
        reject(signal.reason ?? new Error('cancelled'));
      };
      this.worker.on('message', onMessage);
      this.worker.once('exit', onExit);
      signal.addEventListener('abort', onAbort, { once: true });
      this.worker.postMessage({ type: 'ingest', task } satisfies IngestWorkerRequest);
    });
  }

  /** Lets the worker close its database cleanly; a worker that does not stop in time is terminated. */
  async close(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage({ type: 'close' } satisfies IngestWorkerRequest);
    const timer = setTimeout(() => void this.worker.terminate(), 5000);
    await exited;
    clearTimeout(timer);
  }
}
