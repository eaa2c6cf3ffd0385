import { ApiError } from '../../../shared/api/errors';
import type { TaskWorker } from '../../lib/worker-tasks';
import type { JobContext } from '../jobs/job-runner';
import type { DownloadLedger, DownloadRow } from './download-ledger';
import type { MediaTasks } from './media-tasks';

/** Transfers to one host at once: more than this rarely speeds a plain file host up and often trips its limits. */
export const PER_HOST = 4;

/** A job's progress over all its transfers (archives, then clips), reported at most once a second per file. */
export class TransferProgress {
  private bytesDone = 0;
  private readonly inFlight = new Map<number, number>();
  private readonly started = Date.now();

  constructor(
    private readonly context: JobContext,
    public totalBytes: number,
    public totalFiles: number,
    public finished: number,
  ) {}

  set(id: number, bytes: number): void {
    this.inFlight.set(id, bytes);
  }

  /** A file is finished: all of it counts, however few progress events it sent. */
  finish(id: number, bytes: number): void {
    this.inFlight.delete(id);
    this.bytesDone += bytes;
    this.finished++;
  }

  drop(id: number): void {
    this.bytesDone += this.inFlight.get(id) ?? 0;
    this.inFlight.delete(id);
  }

  report(): void {
    let bytes = this.bytesDone;
    for (const b of this.inFlight.values()) bytes += b;
    const seconds = (Date.now() - this.started) / 1000;
    const rate = seconds > 1 ? ` at ${(bytes / seconds / 1e6).toFixed(1)} MB/s` : '';
    this.context.report({ done: bytes, total: this.totalBytes || null, message: `${this.finished} of ${this.totalFiles} files${rate}` });
  }
}

export interface TransferPlan {
  worker: TaskWorker<MediaTasks>;
  ledger: DownloadLedger;
  rows: readonly DownloadRow[];
  context: JobContext;
  /** Transfers at once in all (the downloadConcurrency setting). */
  limit: number;
  progress: TransferProgress;
  /** Where the row's file goes, and the URL it is fetched from (the mirror applied). */
  targetOf(row: DownloadRow): string;
  urlOf(row: DownloadRow): string;
  headersFor(url: string): Record<string, string>;
  /** Read per file, so a limit changed in Settings applies from the next file on. */
  bandwidth(): Promise<number | null>;
}

export interface TransferOutcome {
  failures: string[];
  /** The disk filled up: every transfer stopped, partial files kept, rows paused. */
  diskFull: ApiError | null;
}

/**
 * Runs the rows' transfers on the media worker: `limit` at once, at most PER_HOST per host, hosts taken in turn
 * (a queue per host, so that half a million clips cost nothing to schedule). A full disk stops them all.
 */
export async function transferAll(plan: TransferPlan): Promise<TransferOutcome> {
  const { ledger, context, progress } = plan;
  const queues = new Map<string, { rows: DownloadRow[]; next: number; running: number }>();
  const failures: string[] = [];
  for (const row of plan.rows) {
    if (!URL.canParse(row.url)) {
      // One bad address (a hand-made table) fails its own row, never the job.
      ledger.fail(row.id, `"${row.url}" is not a URL that can be fetched`, null);
      failures.push(`${row.target}: not a valid URL`);
      continue;
    }
    const host = new URL(row.url).host;
    const queue = queues.get(host) ?? { rows: [], next: 0, running: 0 };
    queue.rows.push(row);
    queues.set(host, queue);
  }
  const hosts = [...queues.values()];
  let turn = 0;
  const next = (): { row: DownloadRow; queue: (typeof hosts)[number] } | undefined => {
    for (let i = 0; i < hosts.length; i++) {
      const queue = hosts[(turn + i) % hosts.length] as (typeof hosts)[number];
      if (queue.running < PER_HOST && queue.next < queue.rows.length) {
        turn = (turn + i + 1) % hosts.length;
        return { row: queue.rows[queue.next++] as DownloadRow, queue };
      }
    }
    return undefined;
  };
  let diskFull: ApiError | null = null;
  const controller = new AbortController();
  const signal = AbortSignal.any([context.signal, controller.signal]);
  // Connections, not files, are what the limits count: fewer files than the limit allows are split into byte ranges
  // (a large one; a small one stays on one), so one 30 GB part uses the connections four files would.
  const lanes = Math.min(plan.limit, Math.max(1, plan.rows.length));
  const perFile = Math.max(1, Math.floor(plan.limit / lanes));
  // Per host too: files in flight to one host times their connections stay within PER_HOST.
  const connectionsTo = (queue: (typeof hosts)[number]) => Math.max(1, Math.min(perFile, Math.floor(PER_HOST / Math.min(PER_HOST, queue.rows.length))));

  const lane = async (): Promise<void> => {
    for (let taken = next(); taken && !signal.aborted; taken = next()) {
      const { row, queue } = taken;
      if (!ledger.start(row.id, context.jobId)) continue;
      queue.running++;
      let lastSaved = 0;
      try {
        const url = plan.urlOf(row);
        const input = {
          url,
          headers: plan.headersFor(url),
          target: plan.targetOf(row),
          expectedSize: row.sizeIsExact ? row.expectedSize : null,
          expectedSha256: row.expectedSha256,
          knownSize: row.total,
          connections: connectionsTo(queue),
          bytesPerSecond: await plan.bandwidth(),
        };
        const result = await plan.worker.run('fetch', input, {
          signal,
          onEvent: ({ bytes, total }) => {
            progress.set(row.id, bytes);
            const now = Date.now();
            if (now - lastSaved > 1000) {
              lastSaved = now;
              ledger.progress(row.id, bytes, total);
              progress.report();
            }
          },
        });
        ledger.done(row.id, result);
        progress.finish(row.id, result.bytes);
        progress.report();
      } catch (error) {
        progress.drop(row.id);
        if (error instanceof ApiError && error.code === 'DISK_FULL') {
          diskFull = error;
          ledger.pause(row.id, error.message);
          controller.abort(error);
        } else if (signal.aborted) {
          ledger.pause(row.id, 'paused');
        } else {
          const status = (error as { status?: number }).status ?? null;
          ledger.fail(row.id, (error as Error).message, status);
          failures.push(`${row.target}: ${(error as Error).message}`);
        }
      } finally {
        queue.running--;
      }
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return { failures, diskFull };
}
