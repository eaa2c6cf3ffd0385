import { join } from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import type { Subset } from '../../../shared/catalog/schema';
import { TaskWorker } from '../../lib/worker-tasks';
import type { IngestTasks } from './ingest-worker';
import { BATCHES_AHEAD, type RecordSource } from './parse-records';

/**
 * The job's side of a parse worker: one file at a time, its batches handed out as they are asked for (the worker
 * stays at most BATCHES_AHEAD batches ahead). A cancel stops the file where it is; the half-written version is then
 * marked failed by the ingest and collected, and the same worker parses the next file.
 */
export class IngestWorker {
  private readonly worker: TaskWorker<IngestTasks>;

  constructor(bundleDir: string) {
    this.worker = new TaskWorker<IngestTasks>(join(bundleDir, 'ingest-worker.js'));
  }

  /** A ParseFile (ingest-file.ts) that parses in this worker; `signal` stops it. */
  parser(signal: AbortSignal) {
    return (file: string, subset: Subset, totalBytes: number): RecordSource => this.parse(file, subset, totalBytes, signal);
  }

  private async *parse(file: string, subset: Subset, totalBytes: number, signal: AbortSignal): RecordSource {
    try {
      return yield* this.worker.stream('parse', { file, subsetId: subset.id, totalBytes }, { signal, window: BATCHES_AHEAD });
    } catch (error) {
      if (signal.aborted || error instanceof ApiError) throw error;
      // The reader's own errors name the file and the byte offset; a crash of the thread is an I/O failure.
      throw new ApiError((error as Error).name === 'AnnotationFormatError' ? 'BAD_ANNOTATION_FILE' : 'IO_ERROR', (error as Error).message);
    }
  }

  /** Batches the worker has sent that the writer has not taken yet (at most BATCHES_AHEAD). */
  get bufferedBatches(): number {
    return this.worker.waitingEvents;
  }

  /** False once the thread has stopped (crashed): use a new worker. */
  get usable(): boolean {
    return this.worker.usable;
  }

  /** Lets the worker stop cleanly; a worker that does not stop in time is terminated. */
  close(): Promise<void> {
    return this.worker.close();
  }
}
