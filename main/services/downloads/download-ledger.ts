import type { Statement } from 'better-sqlite3';
import type { LibraryDatabase } from '../library/db';

export type DownloadState = 'queued' | 'downloading' | 'verifying' | 'done' | 'failed' | 'paused';

export interface DownloadRow {
  id: number;
  sourceId: string;
  url: string;
  /** Relative to <library>/downloads/<source>. */
  target: string;
  state: DownloadState;
  expectedSize: number | null;
  sizeIsExact: boolean;
  expectedSha256: string | null;
  bytes: number;
  total: number | null;
  attempts: number;
  lastStatus: number | null;
  error: string | null;
  sha256: string | null;
  /** When the file was extracted into the source's folder (null: not yet, or not an archive). */
  extractedAt: number | null;
  updatedAt: number;
}

export interface PlannedFile {
  sourceId: string;
  url: string;
  target: string;
  expectedSize: number | null;
  sizeIsExact: boolean;
  expectedSha256: string | null;
}

const COLUMNS = `id, source_id AS sourceId, url, target, state, expected_size AS expectedSize, size_is_exact AS sizeIsExact,
  expected_sha256 AS expectedSha256, bytes, total, attempts, last_status AS lastStatus, error, sha256, extracted_at AS extractedAt, updated_at AS updatedAt`;

const toRow = (r: unknown): DownloadRow => {
  const row = r as DownloadRow & { sizeIsExact: number | boolean };
  return { ...row, sizeIsExact: Boolean(row.sizeIsExact) };
};

/** The per-file ledger of media downloads (migration 0070): what each file's state is, and why it failed. */
export class DownloadLedger {
  private readonly stmtUpsert: Statement;
  private readonly stmtForSources: Statement;
  private readonly stmtAll: Statement;
  private readonly stmtFailed: Statement;
  private readonly stmtStart: Statement;
  private readonly stmtProgress: Statement;
  private readonly stmtDone: Statement;
  private readonly stmtFail: Statement;
  private readonly stmtPause: Statement;
  private readonly stmtRequeueInterrupted: Statement;
  private readonly stmtExtracted: Statement;

  constructor(db: LibraryDatabase) {
    // A route whose facts changed (a new expected size or checksum) puts the file back in the queue; the same
    // facts keep the row's state and history.
    this.stmtUpsert = db.prepare(
      `INSERT INTO downloads (source_id, url, target, state, expected_size, size_is_exact, expected_sha256, updated_at)
       VALUES (@sourceId, @url, @target, 'queued', @expectedSize, @sizeIsExact, @expectedSha256, @now)
       ON CONFLICT (source_id, target) DO UPDATE SET
         url = excluded.url, expected_size = excluded.expected_size, size_is_exact = excluded.size_is_exact,
         state = CASE WHEN downloads.expected_sha256 IS NOT excluded.expected_sha256 OR downloads.url IS NOT excluded.url THEN 'queued' ELSE downloads.state END,
         expected_sha256 = excluded.expected_sha256`,
    );
    this.stmtForSources = db.prepare(`SELECT ${COLUMNS} FROM downloads WHERE source_id IN (SELECT value FROM json_each(?)) ORDER BY id`);
    this.stmtAll = db.prepare(`SELECT ${COLUMNS} FROM downloads ORDER BY source_id, id`);
    this.stmtFailed = db.prepare(`SELECT ${COLUMNS} FROM downloads WHERE state = 'failed' ORDER BY source_id, id`);
    // Only a file no live job is on: two processes on one library never write one partial file.
    this.stmtStart = db.prepare(
      `UPDATE downloads SET state = 'downloading', attempts = attempts + 1, job_id = ?, error = NULL, updated_at = ?
       WHERE id = ? AND state NOT IN ('downloading', 'verifying')`,
    );
    this.stmtProgress = db.prepare('UPDATE downloads SET bytes = ?, total = ?, updated_at = ? WHERE id = ?');
    this.stmtDone = db.prepare(
      `UPDATE downloads SET state = 'done', bytes = ?, total = ?, sha256 = ?, etag = ?, last_status = ?, error = NULL, updated_at = ? WHERE id = ?`,
    );
    this.stmtFail = db.prepare(`UPDATE downloads SET state = 'failed', error = ?, last_status = ?, updated_at = ? WHERE id = ?`);
    this.stmtPause = db.prepare(`UPDATE downloads SET state = 'paused', error = ?, updated_at = ? WHERE id = ?`);
    this.stmtExtracted = db.prepare('UPDATE downloads SET extracted_at = ?, updated_at = ? WHERE id = ?');
    this.stmtRequeueInterrupted = db.prepare(
      `UPDATE downloads SET state = 'queued', updated_at = ? WHERE state IN ('downloading', 'verifying')
       AND (job_id IS NULL OR job_id NOT IN (SELECT id FROM jobs WHERE state = 'running'))`,
    );
  }

  plan(files: readonly PlannedFile[]): void {
    const now = Date.now();
    for (const f of files) this.stmtUpsert.run({ ...f, sizeIsExact: f.sizeIsExact ? 1 : 0, now });
  }

  forSources(sourceIds: readonly string[]): DownloadRow[] {
    return this.stmtForSources.all(JSON.stringify(sourceIds)).map(toRow);
  }

  all(): DownloadRow[] {
    return this.stmtAll.all().map(toRow);
  }

  failed(): DownloadRow[] {
    return this.stmtFailed.all().map(toRow);
  }

  /** Takes the file for a job; false when another running job has it. */
  start(id: number, jobId: number | null): boolean {
    return this.stmtStart.run(jobId, Date.now(), id).changes > 0;
  }

  progress(id: number, bytes: number, total: number | null): void {
    this.stmtProgress.run(bytes, total, Date.now(), id);
  }

  done(id: number, r: { bytes: number; sha256: string; etag: string | null; status: number }): void {
    this.stmtDone.run(r.bytes, r.bytes, r.sha256, r.etag, r.status, Date.now(), id);
  }

  fail(id: number, error: string, status: number | null): void {
    this.stmtFail.run(error, status, Date.now(), id);
  }

  pause(id: number, reason: string): void {
    this.stmtPause.run(reason, Date.now(), id);
  }

  markExtracted(ids: readonly number[]): void {
    const now = Date.now();
    for (const id of ids) this.stmtExtracted.run(now, now, id);
  }

  /** Rows a crash left mid-transfer (their job no longer running) go back to the queue; their partial files are resumed. */
  requeueInterrupted(): number {
    return this.stmtRequeueInterrupted.run(Date.now()).changes;
  }
}
