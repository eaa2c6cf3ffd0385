import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

// Copies the library's WAL back into library.sqlite on its own thread and connection (wal-checkpointer.ts). A
// PASSIVE checkpoint never waits for a lock and never blocks the writer, so this thread only ever uses the core
// the engine's thread is not using.

export interface CheckpointWorkerData {
  databasePath: string;
  intervalMs: number;
}

const port = parentPort;
if (!port) throw new Error('checkpoint-worker must run in a worker thread');
const { databasePath, intervalMs } = workerData as CheckpointWorkerData;
const db = new Database(databasePath, { fileMustExist: true });

const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    // A checkpoint that could not run is retried at the next tick; the engine's own checkpoints are the backstop.
    port.postMessage({ type: 'warning', message: (error as Error).message });
  }
}, intervalMs);

port.on('message', (message: { type: 'close' }) => {
  if (message.type !== 'close') return;
  clearInterval(timer);
  db.close();
  port.close();
});
