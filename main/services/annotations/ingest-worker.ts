import { parentPort, workerData } from 'node:worker_threads';
import { subsetById } from '../../../shared/catalog/index';
import { openLibraryDatabase } from '../library/db';
import { type IngestTask, ingestFile } from './ingest-file';

// Annotation files are parsed and inserted here, one after another, so a long ingest never stalls the engine's
// other calls. One worker serves a whole job: starting one per file would cost more than small files take.
export interface IngestWorkerData {
  databasePath: string;
}

export type WorkerTask = Omit<IngestTask, 'subset'> & { subsetId: string };

export type IngestWorkerRequest = { type: 'ingest'; task: WorkerTask } | { type: 'close' };

export type IngestWorkerMessage =
  | { type: 'progress'; bytes: number; totalBytes: number; records: number }
  | { type: 'done'; result: Awaited<ReturnType<typeof ingestFile>> }
  | { type: 'error'; message: string; name: string };

const port = parentPort;
if (!port) throw new Error('ingest-worker must run in a worker thread');
const { databasePath } = workerData as IngestWorkerData;
const post = (message: IngestWorkerMessage) => port.postMessage(message);
const { db } = openLibraryDatabase(databasePath, { create: false });

async function ingest(task: WorkerTask): Promise<void> {
  const subset = subsetById(task.subsetId);
  if (!subset) throw new Error(`unknown subset ${task.subsetId}`);
  let last = 0;
  const result = await ingestFile(db, { ...task, subset }, (p) => {
    const now = Date.now();
    if (now - last < 100) return;
    last = now;
    post({ type: 'progress', ...p });
  });
  post({ type: 'done', result });
}

port.on('message', (message: IngestWorkerRequest) => {
  if (message.type === 'close') {
    db.close();
    port.close();
    return;
  }
  ingest(message.task).catch((error: unknown) => post({ type: 'error', message: (error as Error).message, name: (error as Error).name }));
});
