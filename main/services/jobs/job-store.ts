import type { Database, Statement } from 'better-sqlite3';
import { z } from 'zod';
import { type JobKind, JobKindSchema, type JobSnapshot, type JobState, JobStateSchema } from '../../../shared/api/models';

const JobRowSchema = z.object({
  id: z.number(),
  kind: JobKindSchema,
  state: JobStateSchema,
  done: z.number(),
  total: z.number().nullable(),
  message: z.string().nullable(),
  error_code: z.string().nullable(),
  attempts: z.number(),
  created_at: z.number(),
  updated_at: z.number(),
});

const COLUMNS = 'id, kind, state, done, total, message, error_code, attempts, created_at, updated_at';

function toSnapshot(row: unknown): JobSnapshot {
  const r = JobRowSchema.parse(row);
  return {
    id: r.id,
    kind: r.kind,
    state: r.state,
    done: r.done,
    total: r.total,
    message: r.message,
    errorCode: r.error_code,
    attempts: r.attempts,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

/** The jobs table: prepared once per open library. */
export class JobStore {
  private readonly stmtInsert: Statement;
  private readonly stmtGet: Statement;
  private readonly stmtList: Statement;
  private readonly stmtParams: Statement;
  private readonly stmtRunnable: Statement;
  private readonly stmtNextRetry: Statement;
  private readonly stmtRunning: Statement;
  private readonly stmtProgress: Statement;
  private readonly stmtSettle: Statement;
  private readonly stmtRequeue: Statement;

  constructor(db: Database) {
    this.stmtInsert = db.prepare(`INSERT INTO jobs (kind, params_json, state, created_at, updated_at) VALUES (?, ?, 'queued', ?, ?) RETURNING ${COLUMNS}`);
    this.stmtGet = db.prepare(`SELECT ${COLUMNS} FROM jobs WHERE id = ?`);
    this.stmtList = db.prepare(`SELECT ${COLUMNS} FROM jobs ORDER BY id DESC LIMIT 500`);
    this.stmtParams = db.prepare('SELECT params_json FROM jobs WHERE id = ?').pluck();
    this.stmtRunnable = db.prepare(`SELECT ${COLUMNS} FROM jobs WHERE state = 'queued' AND (retry_after IS NULL OR retry_after <= ?) ORDER BY id LIMIT ?`);
    // A finished job did all of its work, whatever its last throttled progress said (#9: "done 45 / total 60").
    this.stmtNextRetry = db.prepare(`SELECT min(retry_after) FROM jobs WHERE state = 'queued' AND retry_after IS NOT NULL`).pluck();
    this.stmtRunning = db.prepare(
      `UPDATE jobs SET state = 'running', attempts = attempts + 1, retry_after = NULL, error_code = NULL, updated_at = ? WHERE id = ? RETURNING ${COLUMNS}`,
    );
    this.stmtProgress = db.prepare('UPDATE jobs SET done = ?, total = ?, message = ?, updated_at = ? WHERE id = ? AND state = ?');
    this.stmtSettle = db.prepare(
      `UPDATE jobs SET state = ?, message = coalesce(?, message), error_code = ?, retry_after = ?, updated_at = ?,
         total = coalesce(?, total), done = CASE WHEN ? AND coalesce(?, total) IS NOT NULL THEN coalesce(?, total) ELSE done END
       WHERE id = ? RETURNING ${COLUMNS}`,
    );
    this.stmtRequeue = db.prepare(`UPDATE jobs SET state = 'queued', updated_at = ? WHERE state = 'running'`);
  }

  insert(kind: JobKind, params: unknown): JobSnapshot {
    const now = Date.now();
    return toSnapshot(this.stmtInsert.get(kind, JSON.stringify(params ?? {}), now, now));
  }

  get(id: number): JobSnapshot | null {
    const row = this.stmtGet.get(id);
    return row ? toSnapshot(row) : null;
  }

  list(): JobSnapshot[] {
    return this.stmtList.all().map(toSnapshot);
  }

  params(id: number): unknown {
    return JSON.parse((this.stmtParams.get(id) as string | undefined) ?? '{}');
  }

  /** Queued jobs due now, oldest first (a bounded look-ahead: the runner may skip some whose group is busy). */
  nextRunnable(now: number, exclude: readonly number[], lookAhead = 50): JobSnapshot[] {
    return this.stmtRunnable
      .all(now, lookAhead + exclude.length)
      .map(toSnapshot)
      .filter((j) => !exclude.includes(j.id));
  }

  nextRetryAt(): number | null {
    return (this.stmtNextRetry.get() as number | null) ?? null;
  }

  markRunning(id: number): JobSnapshot {
    return toSnapshot(this.stmtRunning.get(Date.now(), id));
  }

  saveProgress(s: JobSnapshot): void {
    this.stmtProgress.run(s.done, s.total, s.message, Date.parse(s.updatedAt), s.id, 'running');
  }

  /** `total` is the job's last reported total (its throttled progress may not have been saved yet). */
  settle(id: number, state: JobState, fields: { message?: string; errorCode?: string; retryAfter?: number; total?: number | null }): JobSnapshot {
    const total = fields.total ?? null;
    const finished = state === 'finished' ? 1 : 0;
    return toSnapshot(
      this.stmtSettle.get(state, fields.message ?? null, fields.errorCode ?? null, fields.retryAfter ?? null, Date.now(), total, finished, total, total, id),
    );
  }

  /** After a crash or quit, jobs that were running go back to the queue. */
  requeueInterrupted(): number {
    return this.stmtRequeue.run(Date.now()).changes;
  }
}
