import type { Statement } from 'better-sqlite3';
import type { LibraryDatabase } from '../library/db';

export type DownloadState = 'queued' | 'downloading' | 'verifying' | 'done' | 'failed' | 'paused';
/** `downloads`: an archive under <library>/downloads/<source>; `root`: a clip placed under the source's root (0090). */
export type DownloadPlace = 'downloads' | 'root';

export interface DownloadRow {
  id: number;
  sourceId: string;
  url: string;
  /** Relative to <library>/downloads/<source>, or to the source's root for a clip (`place`). */
  target: string;
  place: DownloadPlace;
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
  /** Default `downloads`. */
  place?: DownloadPlace;
}

/** Per source, what the ledger holds, counted in SQL (a per-clip route has hundreds of thousands of rows). */
export interface LedgerSummary {
  sourceId: string;
  total: number;
  done: number;
  failed: number;
  bytesOnDisk: number;
  /** Rows whose size no server or research figure gives yet. */
  unsized: number;
  bytesExpected: number;
  /** Archives downloaded and not extracted yet. */
  doneNotExtracted: number;
  /** Rows with bytes on disk or done. */
  started: number;
  firstError: string | null;
}

const COLUMNS = `id, source_id, url, target, place, state, expected_size, size_is_exact, expected_sha256, bytes, total, attempts, last_status,
  error, sha256, extracted_at, updated_at`;

type RawRow = [
  number,
  string,
  string,
  string,
  DownloadPlace,
  DownloadState,
  number | null,
  number,
  string | null,
  number,
  number | null,
  number,
  number | null,
  string | null,
  string | null,
  number | null,
  number,
];

// Read as arrays and built as one object shape: a per-clip route's half a million rows read ten times faster than
// as better-sqlite3's named objects.
const toRow = (r: unknown): DownloadRow => {
  const [
    id,
    sourceId,
    url,
    target,
    place,
    state,
    expectedSize,
    sizeIsExact,
    expectedSha256,
    bytes,
    total,
    attempts,
    lastStatus,
    error,
    sha256,
    extractedAt,
    updatedAt,
  ] = r as RawRow;
  return {
    id,
    sourceId,
    url,
    target,
    place,
    state,
    expectedSize,
    sizeIsExact: sizeIsExact !== 0,
    expectedSha256,
    bytes,
    total,
    attempts,
    lastStatus,
    error,
    sha256,
    extractedAt,
    updatedAt,
  };
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
  private readonly stmtUnmatched: Statement;
  private readonly stmtNote: Statement;
  private readonly stmtRequeueTargets: Statement;
  private readonly stmtPresent: Statement;
  private readonly stmtSummaries: Statement;
  private readonly db: LibraryDatabase;

  constructor(db: LibraryDatabase) {
    this.db = db;
    // A route whose facts changed (a new expected size or checksum) puts the file back in the queue; the same
    // facts keep the row's state and history.
    this.stmtUpsert = db.prepare(
      `INSERT INTO downloads (source_id, url, target, place, state, expected_size, size_is_exact, expected_sha256, updated_at)
       VALUES (@sourceId, @url, @target, @place, 'queued', @expectedSize, @sizeIsExact, @expectedSha256, @now)
       ON CONFLICT (source_id, target) DO UPDATE SET
         url = excluded.url, place = excluded.place, expected_size = excluded.expected_size, size_is_exact = excluded.size_is_exact,
         state = CASE WHEN downloads.expected_sha256 IS NOT excluded.expected_sha256 OR downloads.url IS NOT excluded.url THEN 'queued' ELSE downloads.state END,
         expected_sha256 = excluded.expected_sha256`,
    );
    this.stmtForSources = db.prepare(`SELECT ${COLUMNS} FROM downloads WHERE source_id IN (SELECT value FROM json_each(?)) ORDER BY id`).raw();
    this.stmtAll = db.prepare(`SELECT ${COLUMNS} FROM downloads ORDER BY source_id, id`).raw();
    this.stmtFailed = db.prepare(`SELECT ${COLUMNS} FROM downloads WHERE state = 'failed' ORDER BY source_id, id`).raw();
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
    this.stmtExtracted = db.prepare('UPDATE downloads SET extracted_at = ?, error = NULL, updated_at = ? WHERE id = ?');
    this.stmtRequeueTargets = db.prepare(
      `UPDATE downloads SET state = 'queued', bytes = 0, updated_at = ? WHERE source_id = ? AND state = 'done' AND target IN (SELECT value FROM json_each(?))`,
    );
    this.stmtNote = db.prepare('UPDATE downloads SET error = ?, updated_at = ? WHERE id = ?');
    // A clip no table row gives a URL for: a failed row saying so (url ''), so the ledger and --failed show it; a
    // row that had a URL from an earlier table keeps it.
    this.stmtUnmatched = db.prepare(
      `INSERT INTO downloads (source_id, url, target, place, state, error, updated_at) VALUES (?, '', ?, ?, 'failed', ?, ?)
       ON CONFLICT (source_id, target) DO UPDATE SET error = excluded.error, updated_at = excluded.updated_at WHERE downloads.url = ''`,
    );
    this.stmtPresent = db.prepare(`UPDATE downloads SET state = 'done', bytes = ?, total = ?, error = NULL, updated_at = ? WHERE id = ?`);
    this.stmtSummaries = db.prepare(
      `SELECT source_id AS sourceId, count(*) AS total, sum(state = 'done') AS done, sum(state = 'failed') AS failed, sum(bytes) AS bytesOnDisk,
         sum(coalesce(total, CASE WHEN size_is_exact THEN expected_size END) IS NULL) AS unsized,
         sum(coalesce(total, expected_size, 0)) AS bytesExpected,
         sum(state = 'done' AND place = 'downloads' AND extracted_at IS NULL) AS doneNotExtracted,
         sum(bytes > 0 OR state = 'done') AS started,
         (SELECT error FROM downloads f WHERE f.source_id = downloads.source_id AND f.state = 'failed' ORDER BY f.id LIMIT 1) AS firstError
       FROM downloads GROUP BY source_id`,
    );
    this.stmtRequeueInterrupted = db.prepare(
      `UPDATE downloads SET state = 'queued', updated_at = ? WHERE state IN ('downloading', 'verifying')
       AND (job_id IS NULL OR job_id NOT IN (SELECT id FROM jobs WHERE state = 'running'))`,
    );
  }

  /** In one transaction: a per-clip route plans hundreds of thousands of rows. */
  plan(files: readonly PlannedFile[]): void {
    const now = Date.now();
    this.db.transaction(() => {
      for (const f of files) this.stmtUpsert.run({ ...f, place: f.place ?? 'downloads', sizeIsExact: f.sizeIsExact ? 1 : 0, now });
    })();
  }

  /** Files no table or listing gives a URL for (clips, an M3IT task's JSONL): failed, with the reason. */
  planUnmatched(sourceId: string, targets: readonly string[], reason: string, place: DownloadPlace = 'root'): void {
    const now = Date.now();
    this.db.transaction(() => {
      for (const target of targets) this.stmtUnmatched.run(sourceId, target, place, reason, now);
    })();
  }

  /** Files already in place (a clip the user had): done without a transfer. */
  markPresent(entries: ReadonlyArray<{ id: number; bytes: number }>): void {
    const now = Date.now();
    this.db.transaction(() => {
      for (const { id, bytes } of entries) this.stmtPresent.run(bytes, bytes, now, id);
    })();
  }

  summaries(): LedgerSummary[] {
    return this.stmtSummaries.all() as LedgerSummary[];
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

  /** Files recorded as done that are no longer on disk (deleted since): back to the queue. */
  requeueTargets(sourceId: string, targets: readonly string[]): number {
    return this.stmtRequeueTargets.run(Date.now(), sourceId, JSON.stringify(targets)).changes;
  }

  /** Why a downloaded archive is not extracted yet (a full disk), its state left as it is. */
  note(ids: readonly number[], reason: string): void {
    const now = Date.now();
    for (const id of ids) this.stmtNote.run(reason, now, id);
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
