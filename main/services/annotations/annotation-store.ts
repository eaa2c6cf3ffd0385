import type { Database, Statement } from 'better-sqlite3';
import { catalog } from '../../../shared/catalog/index';
import type { RecordBatch } from './parse-records';

export type AnnotationOrigin = 'hub' | 'folder' | 'hf-cache';

export interface FileMeta {
  subsetId: string;
  repoPath: string;
  sha256: string;
  size: number;
  origin: AnnotationOrigin;
  originDetail: string | null;
  revision: string | null;
  /** git blob id on the Hub, so small (non-LFS) files can be recognised as unchanged without downloading them. */
  hubOid: string | null;
  /** The job writing this version (null outside a job, e.g. in tests). */
  jobId?: number | null;
}

export interface CurrentFile {
  id: number;
  sha256: string;
  records: number;
  flagged: number;
  mediaRefs: number;
  origin: AnnotationOrigin;
  revision: string | null;
  hubOid: string | null;
  finishedAt: number;
}

export interface SubsetCounts {
  subsetId: string;
  origin: AnnotationOrigin;
  records: number;
  flagged: number;
  mediaRefs: number;
  sha256: string;
  revision: string | null;
  ingestedAt: number;
}

/** Rows per INSERT statement: one call per row would spend more time crossing into SQLite than inserting. */
const ROWS_PER_INSERT = 100;
const RECORD_COLUMNS = '(file_id, idx, ref, raw_ref, start_s, end_s, flag, rec_offset, rec_length)';
const RECORD_VALUES = '(?, ?, ?, ?, ?, ?, ?, ?, ?)';

/** Each media folder (source, subdir) with the subsets whose refs point into it. */
function folderSubsets(): Array<{ source: string; subdir: string; subsets: string[] }> {
  const folders = new Map<string, { source: string; subdir: string; subsets: string[] }>();
  for (const subset of catalog.subsets) {
    if (!subset.source) continue;
    const key = `${subset.source}\0${subset.subdir}`;
    const folder = folders.get(key) ?? { source: subset.source, subdir: subset.subdir, subsets: [] };
    folder.subsets.push(subset.id);
    folders.set(key, folder);
  }
  return [...folders.values()];
}

/** The annotation tables of one library connection (the engine's: it is the one writer of an import). */
export class AnnotationStore {
  private readonly stmtBegin: Statement;
  private readonly stmtCurrent: Statement;
  private readonly stmtAddRecord: Statement;
  private readonly stmtAddRecords: Statement;
  private readonly stmtAddRef: Statement;
  private readonly stmtAddRefs: Statement;
  private readonly stmtRetire: Statement;
  private readonly stmtPromote: Statement;
  private readonly stmtFail: Statement;
  private readonly stmtGarbageFiles: Statement;
  private readonly stmtDeleteRecords: Statement;
  private readonly stmtDeleteSearch: Statement;
  private readonly stmtIndexed: Statement;
  private readonly stmtDeleteSearchFile: Statement;
  private readonly stmtDeleteFile: Statement;
  private readonly stmtDeleteFileMedia: Statement;
  private readonly stmtDeleteFileMediaMark: Statement;
  private readonly stmtDeleteFileMediaSlice: Statement;
  private readonly stmtStatus: Statement;
  private readonly stmtAbandon: Statement;
  private readonly stmtAbandonOwn: Statement;
  private readonly stmtFailures: Statement;
  private readonly stmtLiveShas: Statement;

  constructor(private readonly db: Database) {
    this.stmtBegin = db
      .prepare(
        `INSERT INTO annotation_files (subset_id, repo_path, sha256, size, origin, origin_detail, revision, hub_oid, job_id, state, started_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'ingesting', ?) RETURNING id`,
      )
      .pluck();
    this.stmtCurrent = db.prepare(
      `SELECT id, sha256, records, flagged, media_refs AS mediaRefs, origin, revision, hub_oid AS hubOid, finished_at AS finishedAt
       FROM annotation_files WHERE subset_id = ? AND state = 'current'`,
    );
    this.stmtAddRecord = db.prepare(`INSERT INTO records ${RECORD_COLUMNS} VALUES ${RECORD_VALUES}`);
    this.stmtAddRecords = db.prepare(`INSERT INTO records ${RECORD_COLUMNS} VALUES ${Array(ROWS_PER_INSERT).fill(RECORD_VALUES).join(', ')}`);
    this.stmtAddRef = db.prepare('INSERT OR IGNORE INTO media_refs (source_id, subdir, ref) VALUES (?, ?, ?)');
    this.stmtAddRefs = db.prepare(`INSERT OR IGNORE INTO media_refs (source_id, subdir, ref) VALUES ${Array(ROWS_PER_INSERT).fill('(?, ?, ?)').join(', ')}`);
    this.stmtRetire = db.prepare(`UPDATE annotation_files SET state = 'replaced' WHERE subset_id = ? AND state = 'current'`);
    this.stmtPromote = db.prepare(
      `UPDATE annotation_files SET state = 'current', records = ?, flagged = ?, media_refs = ?, finished_at = ? WHERE id = ? AND state = 'ingesting'`,
    );
    this.stmtFail = db.prepare(`UPDATE annotation_files SET state = 'failed', error = ?, finished_at = ? WHERE id = ? AND state = 'ingesting'`);
    this.stmtGarbageFiles = db
      .prepare(`SELECT id FROM annotation_files f WHERE state IN ('replaced', 'failed') AND EXISTS (SELECT 1 FROM records r WHERE r.file_id = f.id)`)
      .pluck();
    this.stmtDeleteRecords = db.prepare('DELETE FROM records WHERE id IN (SELECT id FROM records WHERE file_id = ? ORDER BY idx LIMIT ?)');
    // The same slice's rows of the full-text index (rowid = records.id), before the ids can be given out again.
    this.stmtDeleteSearch = db.prepare('DELETE FROM record_search WHERE rowid IN (SELECT id FROM records WHERE file_id = ? ORDER BY idx LIMIT ?)');
    this.stmtIndexed = db.prepare('SELECT 1 FROM search_files WHERE file_id = ?').pluck();
    this.stmtDeleteSearchFile = db.prepare('DELETE FROM search_files WHERE file_id = ?');
    // Failed versions stay listed (their error is shown); replaced ones are history nobody needs.
    this.stmtDeleteFile = db.prepare(`DELETE FROM annotation_files WHERE id = ? AND state = 'replaced'`);
    this.stmtDeleteFileMedia = db.prepare('DELETE FROM file_media WHERE file_id = ?');
    this.stmtDeleteFileMediaMark = db.prepare('DELETE FROM file_media_built WHERE file_id = ?');
    this.stmtDeleteFileMediaSlice = db.prepare(
      'DELETE FROM file_media WHERE file_id = ? AND media_id IN (SELECT media_id FROM file_media WHERE file_id = ? LIMIT ?)',
    );
    this.stmtStatus = db.prepare(
      `SELECT subset_id AS subsetId, origin, records, flagged, media_refs AS mediaRefs, sha256, revision, finished_at AS ingestedAt
       FROM annotation_files WHERE state = 'current'`,
    );
    this.stmtAbandon = db.prepare(`UPDATE annotation_files SET state = 'failed', error = 'interrupted', finished_at = ? WHERE state = 'ingesting'`);
    this.stmtAbandonOwn = db.prepare(
      `UPDATE annotation_files SET state = 'failed', error = 'interrupted', finished_at = ? WHERE state = 'ingesting' AND job_id = ?`,
    );
    this.stmtFailures = db.prepare(
      `SELECT f.subset_id AS subsetId, f.error FROM annotation_files f
       WHERE f.state = 'failed' AND f.id > coalesce((SELECT c.id FROM annotation_files c WHERE c.subset_id = f.subset_id AND c.state = 'current'), 0)
       ORDER BY f.id`,
    );
    this.stmtLiveShas = db.prepare(`SELECT DISTINCT sha256 FROM annotation_files WHERE state IN ('current', 'ingesting')`).pluck();
  }

  current(subsetId: string): CurrentFile | null {
    return (this.stmtCurrent.get(subsetId) as CurrentFile | undefined) ?? null;
  }

  begin(meta: FileMeta): number {
    return this.stmtBegin.get(
      meta.subsetId,
      meta.repoPath,
      meta.sha256,
      meta.size,
      meta.origin,
      meta.originDetail,
      meta.revision,
      meta.hubOid,
      meta.jobId ?? null,
      Date.now(),
    ) as number;
  }

  /** One transaction per batch; the rows stay invisible until `promote`. */
  insertBatch(fileId: number, batch: RecordBatch): void {
    const n = batch.ref.length;
    const time = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? null : v);
    const put = (params: unknown[], k: number) => {
      const ref = batch.ref[k] ?? null;
      params.push(
        fileId,
        batch.firstIndex + k,
        ref,
        ref === null ? (batch.rawRef[k] ?? null) : null,
        time(batch.start[k]),
        time(batch.end[k]),
        batch.flag[k] ?? null,
        batch.offset[k],
        batch.length[k],
      );
    };
    this.db.transaction(() => {
      let i = 0;
      for (; i + ROWS_PER_INSERT <= n; i += ROWS_PER_INSERT) {
        const params: unknown[] = [];
        for (let k = i; k < i + ROWS_PER_INSERT; k++) put(params, k);
        this.stmtAddRecords.run(params);
      }
      for (; i < n; i++) {
        const params: unknown[] = [];
        put(params, i);
        this.stmtAddRecord.run(params);
      }
    })();
  }

  /**
   * Adds refs[from, to) of a file's distinct refs to media_refs, in one transaction. The caller collected them
   * while parsing, sorted (reading a file's records back from SQLite and sorting them there cost as much as
   * inserting them), so the unique index is written in order; it calls this in slices to keep each write short.
   */
  addRefs(sourceId: string, subdir: string, refs: readonly string[], from: number, to: number): void {
    const end = Math.min(to, refs.length);
    this.db.transaction(() => {
      let i = from;
      for (; i + ROWS_PER_INSERT <= end; i += ROWS_PER_INSERT) {
        const params: unknown[] = [];
        for (let k = i; k < i + ROWS_PER_INSERT; k++) params.push(sourceId, subdir, refs[k]);
        this.stmtAddRefs.run(params);
      }
      for (; i < end; i++) this.stmtAddRef.run(sourceId, subdir, refs[i]);
    })();
  }

  /**
   * Makes the new file the subset's records in one short transaction; the old version becomes garbage. A version
   * that is no longer being ingested (marked interrupted meanwhile) is refused, and the current one stays.
   */
  promote(fileId: number, subsetId: string, counts: { records: number; flagged: number; mediaRefs: number }): void {
    this.db.transaction(() => {
      this.stmtRetire.run(subsetId);
      if (this.stmtPromote.run(counts.records, counts.flagged, counts.mediaRefs, Date.now(), fileId).changes !== 1) {
        throw new Error(`the new version of ${subsetId} was interrupted before it could become current; the current one is kept`);
      }
    })();
  }

  fail(fileId: number, error: string): void {
    this.stmtFail.run(error, Date.now(), fileId);
  }

  /**
   * Ingests left unfinished by a crash or a cancel never became current; mark them for collection. With a job id,
   * only that job's (its own clean-up while other jobs may be writing); without, all (on open, before jobs run).
   */
  abandonUnfinished(jobId?: number): number {
    return jobId === undefined ? this.stmtAbandon.run(Date.now()).changes : this.stmtAbandonOwn.run(Date.now(), jobId).changes;
  }

  /** sha256 of every file version the library still needs a copy of. */
  liveShas(): Set<string> {
    return new Set(this.stmtLiveShas.all() as string[]);
  }

  /** Up to `batch` records of a version, with their rows of the full-text index when it holds them; how many went. */
  private deleteRecordSlice(fileId: number, batch: number): number {
    return this.db.transaction(() => {
      if (this.stmtIndexed.get(fileId)) this.stmtDeleteSearch.run(fileId, batch);
      return this.stmtDeleteRecords.run(fileId, batch).changes;
    })();
  }

  /** Deletes records of replaced and failed versions in small batches, then refs no current record uses. */
  collectGarbage(batch = 20_000): { records: number; refs: number } {
    let records = 0;
    for (const fileId of this.stmtGarbageFiles.all() as number[]) {
      for (;;) {
        const removed = this.deleteRecordSlice(fileId, batch);
        records += removed;
        if (removed < batch) break;
      }
      this.stmtDeleteSearchFile.run(fileId);
      this.stmtDeleteFileMedia.run(fileId);
      this.stmtDeleteFileMediaMark.run(fileId);
      this.stmtDeleteFile.run(fileId);
    }
    return { records, refs: records > 0 ? this.collectOrphanRefs() : 0 };
  }

  /**
   * collectGarbage for a running job, in slices with `pause()` between them, so the engine's thread answers calls
   * meanwhile: records of replaced and failed versions go in batches. Refs are left to collectOrphanRefsInSlices,
   * which may only run when no ingest is writing (a job's end: ingests form one exclusive group).
   */
  async deleteGarbageRecordsInSlices(pause: () => Promise<void>, batch = 5_000): Promise<number> {
    let records = 0;
    for (const fileId of this.stmtGarbageFiles.all() as number[]) {
      for (;;) {
        const removed = this.deleteRecordSlice(fileId, batch);
        records += removed;
        await pause();
        if (removed < batch) break;
      }
      this.stmtDeleteSearchFile.run(fileId);
      for (;;) {
        const removed = this.stmtDeleteFileMediaSlice.run(fileId, fileId, batch).changes;
        await pause();
        if (removed < batch) break;
      }
      this.stmtDeleteFileMediaMark.run(fileId);
      this.stmtDeleteFile.run(fileId);
    }
    return records;
  }

  /**
   * Removes refs no current or ingesting record uses, folder by folder, in slices: the refs still in use are read
   * by key a page at a time, then the folder's refs are walked by id and the unused ones deleted in batches. The
   * single NOT IN statement collectGarbage uses held the engine's thread for seconds on a large folder.
   */
  async collectOrphanRefsInSlices(pause: () => Promise<void>, onlySubsets?: ReadonlySet<string>, page = 20_000): Promise<number> {
    let removed = 0;
    const liveFiles = this.db.prepare(
      `SELECT id FROM annotation_files WHERE state IN ('current', 'ingesting') AND subset_id IN (SELECT value FROM json_each(?))`,
    );
    const refsPage = this.db.prepare('SELECT idx, ref FROM records WHERE file_id = ? AND idx > ? ORDER BY idx LIMIT ?');
    const folderPage = this.db.prepare('SELECT id, ref FROM media_refs WHERE source_id = ? AND subdir = ? AND id > ? ORDER BY id LIMIT ?');
    const remove = this.db.prepare('DELETE FROM media_refs WHERE id IN (SELECT value FROM json_each(?))');
    for (const { source, subdir, subsets } of folderSubsets()) {
      if (onlySubsets && !subsets.some((id) => onlySubsets.has(id))) continue;
      const live = new Set<string>();
      for (const fileId of liveFiles.pluck().all(JSON.stringify(subsets)) as number[]) {
        for (let after = -1; ; ) {
          const rows = refsPage.all(fileId, after, page) as Array<{ idx: number; ref: string | null }>;
          for (const row of rows) if (row.ref !== null) live.add(row.ref);
          await pause();
          if (rows.length < page) break;
          after = (rows.at(-1) as { idx: number }).idx;
        }
      }
      for (let after = 0; ; ) {
        const rows = folderPage.all(source, subdir, after, page) as Array<{ id: number; ref: string }>;
        const unused = rows.filter((r) => !live.has(r.ref)).map((r) => r.id);
        if (unused.length > 0) removed += remove.run(JSON.stringify(unused)).changes;
        await pause();
        if (rows.length < page) break;
        after = (rows.at(-1) as { id: number }).id;
      }
    }
    return removed;
  }

  private collectOrphanRefs(): number {
    let removed = 0;
    for (const { source, subdir, subsets } of folderSubsets()) {
      const marks = subsets.map(() => '?').join(', ');
      removed += this.db
        .prepare(
          `DELETE FROM media_refs WHERE source_id = ? AND subdir = ? AND ref NOT IN (
             SELECT r.ref FROM records r JOIN annotation_files f ON f.id = r.file_id
             WHERE f.state IN ('current', 'ingesting') AND f.subset_id IN (${marks}) AND r.ref IS NOT NULL)`,
        )
        .run(source, subdir, ...subsets).changes;
    }
    return removed;
  }

  status(): SubsetCounts[] {
    return this.stmtStatus.all() as SubsetCounts[];
  }

  /** The latest failed import per subset, when it is newer than the subset's current version. */
  failures(): Map<string, string> {
    return new Map((this.stmtFailures.all() as Array<{ subsetId: string; error: string | null }>).map((f) => [f.subsetId, f.error ?? 'failed']));
  }
}
