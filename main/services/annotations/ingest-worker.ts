import { parentPort, workerData } from 'node:worker_threads';
import { subsetById } from '../../../shared/catalog/index';
import { openLibraryDatabase } from '../library/db';
import { type IngestTask, ingestFile } from './ingest-file';

// One annotation file per worker: parsing and inserting hundreds of MB must not stall the engine's other calls.
export interface IngestWorkerData {
  databasePath: string;
  task: Omit<IngestTask, 'subset'> & { subsetId: string };
}

export type IngestWorkerMessage =
  | { type: 'progress'; bytes: number; totalBytes: number; records: number }
  | { type: 'done'; result: Awaited<ReturnType<typeof ingestFile>> }
  | { type: 'error'; message: string; name: string };

const port = parentPort;
if (!port) throw new Error('ingest-worker must run in a worker thread');
const { databasePath, task } = workerData as IngestWorkerData;
const post = (message: IngestWorkerMessage) => port.postMessage(message);

async function run(): Promise<void> {
  const subset = subsetById(task.subsetId);
  if (!subset) throw new Error(`unknown subset ${task.subsetId}`);
  const { db } = openLibraryDatabase(databasePath, { create: false });
  try {
    let last = 0;
    const result = await ingestFile(db, { ...task, subset }, (p) => {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      post({ type: 'progress', ...p });
    });
    post({ type: 'done', result });
  } finally {
    db.close();
  }
}

run().catch((error: unknown) => post({ type: 'error', message: (error as Error).message, name: (error as Error).name }));
