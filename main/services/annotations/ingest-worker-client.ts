import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ApiError } from '../../../shared/api/errors';
import type { Subset } from '../../../shared/catalog/schema';
import type { IngestWorkerMessage, IngestWorkerRequest } from './ingest-worker';
import type { ParseSummary, RecordBatch, RecordSource } from './parse-records';

/**
 * The job's side of a parse worker: one file at a time, its batches handed out as they are asked for (the worker
 * stays at most BATCHES_AHEAD batches ahead). Cancelling terminates the thread; the half-written version is then
 * marked failed by the ingest and collected.
 */
export class IngestWorker {
  private readonly worker: Worker;
  private exited: Error | null = null;
  private queue: readonly IngestWorkerMessage[] = [];

  constructor(bundleDir: string) {
    this.worker = new Worker(join(bundleDir, 'ingest-worker.js'));
    this.worker.on('exit', (code) => {
      // An 'error' event came first when the thread threw: that says why; the exit code does not.
      this.exited ??= new Error(`the ingest worker stopped (exit code ${code})`);
    });
    this.worker.on('error', (error) => {
      this.exited ??= error;
    });
  }

  /** A ParseFile (ingest-file.ts) that parses in this worker; `signal` stops it. */
  parser(signal: AbortSignal) {
    return (file: string, subset: Subset, totalBytes: number): RecordSource => this.parse(file, subset, totalBytes, signal);
  }

  private async *parse(file: string, subset: Subset, totalBytes: number, signal: AbortSignal): RecordSource {
    if (this.exited) throw this.exited;
    signal.throwIfAborted();
    const queue: IngestWorkerMessage[] = [];
    this.queue = queue;
    let failure: unknown = null;
    let wake: (() => void) | null = null;
    const notify = () => {
      const w = wake;
      wake = null;
      w?.();
    };
    const onMessage = (message: IngestWorkerMessage) => {
      queue.push(message);
      notify();
    };
    const onExit = () => {
      failure ??= this.exited ?? new Error('the ingest worker stopped unexpectedly');
      notify();
    };
    const onAbort = () => {
      failure ??= signal.reason ?? new Error('cancelled');
      this.stop();
      notify();
    };
    this.worker.on('message', onMessage);
    this.worker.once('exit', onExit);
    signal.addEventListener('abort', onAbort, { once: true });
    let finished = false;
    try {
      this.send({ type: 'parse', task: { file, subsetId: subset.id, totalBytes } });
      for (;;) {
        // A cancel wins over batches already here: none of them is written, and a queued 'done' is not a success.
        if (failure) throw failure;
        const message = queue.shift();
        if (!message) {
          await new Promise<void>((resolve) => (wake = resolve));
          continue;
        }
        if (message.type === 'batch') {
          yield message.batch as RecordBatch;
          this.send({ type: 'more' });
        } else if (message.type === 'done') {
          finished = true;
          return message.summary as ParseSummary;
        } else {
          finished = true;
          throw new ApiError(message.name === 'AnnotationFormatError' ? 'BAD_ANNOTATION_FILE' : 'IO_ERROR', message.message);
        }
      }
    } finally {
      // Left part-way (the writer failed, or a cancel): the thread is mid-file, so it goes; the lane starts another.
      if (!finished) this.stop();
      this.worker.off('message', onMessage);
      this.worker.off('exit', onExit);
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Batches the worker has sent that the writer has not taken yet (at most BATCHES_AHEAD). */
  get bufferedBatches(): number {
    return this.queue.filter((m) => m.type === 'batch').length;
  }

  /** False once the thread has stopped (cancelled, crashed, or left mid-file): use a new worker. */
  get usable(): boolean {
    return this.exited === null;
  }

  private stop(): void {
    this.exited ??= new Error('the ingest worker was stopped');
    void this.worker.terminate();
  }

  private send(message: IngestWorkerRequest): void {
    if (!this.exited) this.worker.postMessage(message);
  }

  /** Lets the worker stop cleanly; a worker that does not stop in time is terminated. */
  async close(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.send({ type: 'close' });
    const timer = setTimeout(() => void this.worker.terminate(), 5000);
    await exited;
    clearTimeout(timer);
  }
}
