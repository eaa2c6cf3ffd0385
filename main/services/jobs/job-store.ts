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
  private readonly stmtProgress: Statement;
  private readonly stmtSettle: Statement;
  private readonly stmtClaim: Statement;
  private readonly stmtHeartbeat: Statement;
  private readonly stmtControls: Statement;
  private readonly stmtRequestControl: Statement;
  private readonly stmtRunningLeases: Statement;
  private readonly stmtReleaseOne: Statement;
  private readonly stmtReleaseAll: Statement;
  private readonly stmtOwner: Statement;

  constructor(db: Database) {
    this.stmtInsert = db.prepare(`INSERT INTO jobs (kind, params_json, state, created_at, updated_at) VALUES (?, ?, 'queued', ?, ?) RETURNING ${COLUMNS}`);
    this.stmtGet = db.prepare(`SELECT ${COLUMNS} FROM jobs WHERE id = ?`);
    this.stmtList = db.prepare(`SELECT ${COLUMNS} FROM jobs ORDER BY id DESC LIMIT 500`);
    this.stmtParams = db.prepare('SELECT params_json FROM jobs WHERE id = ?').pluck();
    this.stmtRunnable = db.prepare(`SELECT ${COLUMNS} FROM jobs WHERE state = 'queued' AND (retry_after IS NULL OR retry_after <= ?) ORDER BY id LIMIT ?`);
    // A finished job did all of its work, whatever its last throttled progress said (#9: "done 45 / total 60").
    this.stmtNextRetry = db.prepare(`SELECT min(retry_after) FROM jobs WHERE state = 'queued' AND retry_after IS NOT NULL`).pluck();
    // Taking a job is one statement that only succeeds while it is still queued: of two processes, one gets it.
    this.stmtClaim = db.prepare(
      `UPDATE jobs SET state = 'running', attempts = attempts + 1, retry_after = NULL, error_code = NULL, control = NULL,
         owner = ?, heartbeat_at = ?, updated_at = ? WHERE id = ? AND state = 'queued' RETURNING ${COLUMNS}`,
    );
    this.stmtHeartbeat = db.prepare(`UPDATE jobs SET heartbeat_at = ? WHERE owner = ? AND state = 'running'`);
    this.stmtControls = db.prepare(`SELECT id, control FROM jobs WHERE owner = ? AND state = 'running' AND control IS NOT NULL`);
    this.stmtRequestControl = db.prepare(`UPDATE jobs SET control = ?, updated_at = ? WHERE id = ? AND state = 'running'`);
    this.stmtRunningLeases = db.prepare(`SELECT id, owner, heartbeat_at AS heartbeatAt, control FROM jobs WHERE state = 'running'`);
    // Back to the queue (or to what another process asked for while it ran), for whoever takes it next.
    const release = `SET state = CASE control WHEN 'pause' THEN 'paused' WHEN 'cancel' THEN 'cancelled' ELSE 'queued' END,
         message = CASE control WHEN 'pause' THEN 'paused' WHEN 'cancel' THEN 'cancelled' ELSE message END,
         owner = NULL, heartbeat_at = NULL, control = NULL, updated_at = ?`;
    this.stmtReleaseOne = db.prepare(`UPDATE jobs ${release} WHERE id = ? AND state = 'running' AND owner IS ?`);
    this.stmtReleaseAll = db.prepare(`UPDATE jobs ${release} WHERE owner = ? AND state = 'running'`);
    this.stmtOwner = db.prepare(`SELECT owner FROM jobs WHERE id = ? AND state = 'running'`).pluck();
    this.stmtProgress = db.prepare('UPDATE jobs SET done = ?, total = ?, message = ?, updated_at = ? WHERE id = ? AND state = ?');
    this.stmtSettle = db.prepare(
      `UPDATE jobs SET state = ?, message = coalesce(?, message), error_code = ?, retry_after = ?, updated_at = ?,
         total = coalesce(?, total), done = CASE WHEN ? AND coalesce(?, total) IS NOT NULL THEN coalesce(?, total) ELSE done END
       , owner = CASE WHEN ? = 'running' THEN owner END, heartbeat_at = CASE WHEN ? = 'running' THEN heartbeat_at END, control = NULL
       WHERE id = ? RETURNING ${COLUMNS}`,
    );
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

  /** Takes a queued job for `owner`; null when another process took it first. */
  claim(id: number, owner: string): JobSnapshot | null {
    const now = Date.now();
    const row = this.stmtClaim.get(owner, now, now, id);
    return row ? toSnapshot(row) : null;
  }

  /** The owner's sign of life, and what other processes asked of its jobs since the last one. */
  heartbeat(owner: string): Array<{ id: number; control: 'pause' | 'cancel' }> {
    this.stmtHeartbeat.run(Date.now(), owner);
    return this.stmtControls.all(owner) as Array<{ id: number; control: 'pause' | 'cancel' }>;
  }

  /** Asks the process running a job to pause or cancel it; false when the job is not running. */
  requestControl(id: number, control: 'pause' | 'cancel'): boolean {
    return this.stmtRequestControl.run(control, Date.now(), id).changes > 0;
  }

  /** The process running a job, or null when none is. */
  ownerOf(id: number): string | null {
    return (this.stmtOwner.get(id) as string | null | undefined) ?? null;
  }

  /**
   * Jobs whose process is gone go back to the queue (or become what was asked of them): no owner (a library from
   * before leases), an owner judged dead, or no heartbeat since `staleBefore`.
   */
  releaseAbandoned(staleBefore: number, isDead: (owner: string) => boolean): number {
    let released = 0;
    const now = Date.now();
    for (const lease of this.stmtRunningLeases.all() as Array<{ id: number; owner: string | null; heartbeatAt: number | null }>) {
      if (lease.owner !== null && (lease.heartbeatAt ?? 0) >= staleBefore && !isDead(lease.owner)) continue;
      released += this.stmtReleaseOne.run(now, lease.id, lease.owner).changes;
    }
    return released;
  }

  /** One job of `owner` back to the queue, as when its library is closed mid-run. */
  release(id: number, owner: string): void {
    this.stmtReleaseOne.run(Date.now(), id, owner);
  }

  /** Every job of `owner` back to the queue. */
  releaseAll(owner: string): number {
    return this.stmtReleaseAll.run(Date.now(), owner).changes;
  }

  saveProgress(s: JobSnapshot): void {
    this.stmtProgress.run(s.done, s.total, s.message, Date.parse(s.updatedAt), s.id, 'running');
  }

  /** `total` is the job's last reported total (its throttled progress may not have been saved yet). */
  settle(id: number, state: JobState, fields: { message?: string; errorCode?: string; retryAfter?: number; total?: number | null }): JobSnapshot {
    const total = fields.total ?? null;
    const finished = state === 'finished' ? 1 : 0;
    return toSnapshot(
      this.stmtSettle.get(
        state,
        fields.message ?? null,
        fields.errorCode ?? null,
        fields.retryAfter ?? null,
        Date.now(),
        total,
        finished,
        total,
        total,
        state,
        state,
        id,
      ),
    );
  }
}
