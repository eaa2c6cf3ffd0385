import { parentPort } from 'node:worker_threads';
import { subsetById } from '../../../shared/catalog/index';
import { BATCHES_AHEAD, type ParseSummary, parseRecords, type RecordBatch } from './parse-records';

// A parse worker: reads one annotation file after another and sends its records to the engine in batches. It
// never opens the library: the engine's connection is the only writer (see ingest-file.ts). One worker serves a
// whole job, since starting one per file would cost more than small files take.

export interface ParseTask {
  file: string;
  subsetId: string;
  totalBytes: number;
}

export type IngestWorkerRequest = { type: 'parse'; task: ParseTask } | { type: 'more' } | { type: 'close' };

export type IngestWorkerMessage =
  | { type: 'batch'; batch: RecordBatch }
  | { type: 'done'; summary: ParseSummary }
  | { type: 'error'; message: string; name: string };

const port = parentPort;
if (!port) throw new Error('ingest-worker must run in a worker thread');
const post = (message: IngestWorkerMessage) => port.postMessage(message);

let unacknowledged = 0;
let resume: (() => void) | null = null;

async function parse(task: ParseTask): Promise<void> {
  const subset = subsetById(task.subsetId);
  if (!subset) throw new Error(`unknown subset ${task.subsetId}`);
  unacknowledged = 0;
  const source = parseRecords(task.file, subset, task.totalBytes);
  for (let step = await source.next(); ; step = await source.next()) {
    if (step.done) return post({ type: 'done', summary: step.value });
    const batch = step.value;
    // The number columns are fresh buffers (slices): moved, not copied.
    port?.postMessage({ type: 'batch', batch } satisfies IngestWorkerMessage, [batch.start.buffer, batch.end.buffer, batch.offset.buffer, batch.length.buffer]);
    unacknowledged++;
    if (unacknowledged >= BATCHES_AHEAD) await new Promise<void>((resolve) => (resume = resolve));
  }
}

port.on('message', (message: IngestWorkerRequest) => {
  switch (message.type) {
    case 'parse':
      parse(message.task).catch((error: unknown) => post({ type: 'error', message: (error as Error).message, name: (error as Error).name }));
      return;
    case 'more': {
      unacknowledged--;
      const wake = resume;
      if (wake && unacknowledged < BATCHES_AHEAD) {
        resume = null;
        wake();
      }
      return;
    }
    case 'close':
      port.close();
      return;
  }
});
