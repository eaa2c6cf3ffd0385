import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import type { CheckpointWorkerData } from './checkpoint-worker';

/**
 * WAL pages written by an import reach library.sqlite through checkpoints. Run by the committing connection (SQLite's
 * automatic checkpoint), each one copied up to 64 MB on the engine's thread: API calls waited up to 350 ms behind it
 * during an import. This runs them on a thread of their own; the engine's connection keeps an automatic checkpoint
 * only as a backstop, at a size this thread keeps the WAL well below.
 */
export class WalCheckpointer {
  private exited = false;

  private constructor(private readonly worker: Worker) {
    worker.once('exit', () => {
      this.exited = true;
    });
  }

  /** Pages in the WAL past which the engine's connection checkpoints by itself (400 MB). */
  static readonly BACKSTOP_PAGES = 100_000;

  static start(bundleDir: string, db: Database, intervalMs = 250): WalCheckpointer {
    const worker = new Worker(join(bundleDir, 'checkpoint-worker.js'), {
      workerData: { databasePath: db.name, intervalMs } satisfies CheckpointWorkerData,
    });
    worker.on('message', (message: { type: string; message?: string }) => {
      if (message.type === 'warning') console.warn(`[library] background checkpoint: ${message.message}`);
    });
    // Without this thread the backstop still bounds the WAL: nothing is lost, only latency.
    worker.on('error', (error) => console.warn(`[library] background checkpoints stopped: ${error.message}`));
    db.pragma(`wal_autocheckpoint = ${WalCheckpointer.BACKSTOP_PAGES}`);
    return new WalCheckpointer(worker);
  }

  async stop(): Promise<void> {
    // A worker that already died (its bundle missing, the database unreadable) fires no second exit.
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage({ type: 'close' });
    const timer = setTimeout(() => void this.worker.terminate(), 5000);
    await exited;
    clearTimeout(timer);
  }
}
