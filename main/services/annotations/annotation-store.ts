import type { Database, Statement } from 'better-sqlite3';
import type { RecordFields } from './record-fields';

export type IngestRow = RecordFields & { json: string };

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

/** The annotation tables of one library connection; each ingest worker has its own. */
export class AnnotationStore {
  private readonly stmtBegin: Statement;
  private readonly stmtCurrent: Statement;
  private readonly stmtFindRef: Statement;
  private readonly stmtAddRef: Statement;
  private readonly stmtAddRecord: Statement;
  private readonly stmtRetire: Statement;
  private readonly stmtPromote: Statement;
  private readonly stmtFail: Statement;
  private readonly stmtDistinctRefs: Statement;
  private readonly stmtGarbageFiles: Statement;
  private readonly stmtDeleteRecords: Statement;
  private readonly stmtDeleteFile: Statement;
  private readonly stmtOrphanRefs: Statement;
  private readonly stmtStatus: Statement;
  private readonly stmtAbandon: Statement;
  private readonly stmtFailures: Statement;

  constructor(private readonly db: Database) {
    this.stmtBegin = db.prepare(
      `INSERT INTO annotation_files (subset_id, repo_path, sha256, size, origin, origin_detail, revision, hub_oid, state, started_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'ingesting', ?) RETURNING id`,
    );
    this.stmtCurrent = db.prepare(
      `SELECT id, sha256, records, flagged, media_refs AS mediaRefs, origin, revision, hub_oid AS hubOid, finished_at AS finishedAt
       FROM annotation_files WHERE subset_id = ? AND state = 'current'`,
    );
    this.stmtFindRef = db.prepare('SELECT id FROM media_refs WHERE source_id = ? AND ref = ?').pluck();
    this.stmtAddRef = db.prepare('INSERT INTO media_refs (source_id, ref) VALUES (?, ?) RETURNING id').pluck();
    this.stmtAddRecord = db.prepare('INSERT INTO records (file_id, idx, media_id, raw_ref, start_s, end_s, flag, record_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.stmtRetire = db.prepare(`UPDATE annotation_files SET state = 'replaced' WHERE subset_id = ? AND state = 'current'`);
    this.stmtPromote = db.prepare(
      `UPDATE annotation_files SET state = 'current', records = ?, flagged = ?, media_refs = ?, finished_at = ? WHERE id = ? AND state = 'ingesting'`,
    );
    this.stmtFail = db.prepare(`UPDATE annotation_files SET state = 'failed', error = ?, finished_at = ? WHERE id = ? AND state = 'ingesting'`);
    this.stmtDistinctRefs = db.prepare('SELECT count(DISTINCT media_id) FROM records WHERE file_id = ?').pluck();
    this.stmtGarbageFiles = db
      .prepare(`SELECT id FROM annotation_files f WHERE state IN ('replaced', 'failed') AND EXISTS (SELECT 1 FROM records r WHERE r.file_id = f.id)`)
      .pluck();
    this.stmtDeleteRecords = db.prepare('DELETE FROM records WHERE id IN (SELECT id FROM records WHERE file_id = ? LIMIT ?)');
    // Failed versions stay listed (their error is shown); replaced ones are history nobody needs.
    this.stmtDeleteFile = db.prepare(`DELETE FROM annotation_files WHERE id = ? AND state = 'replaced'`);
    this.stmtOrphanRefs = db.prepare(
      `DELETE FROM media_refs WHERE id IN (
         SELECT m.id FROM media_refs m WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.media_id = m.id) LIMIT ?)`,
    );
    this.stmtStatus = db.prepare(
      `SELECT subset_id AS subsetId, origin, records, flagged, media_refs AS mediaRefs, sha256, revision, finished_at AS ingestedAt
       FROM annotation_files WHERE state = 'current'`,
    );
    this.stmtFailures = db.prepare(
      `SELECT f.subset_id AS subsetId, f.error FROM annotation_files f
       WHERE f.state = 'failed' AND f.id > coalesce((SELECT c.id FROM annotation_files c WHERE c.subset_id = f.subset_id AND c.state = 'current'), 0)
       ORDER BY f.id`,
    );
    this.stmtAbandon = db.prepare(`UPDATE annotation_files SET state = 'failed', error = 'interrupted', finished_at = ? WHERE state = 'ingesting'`);
  }

  current(subsetId: string): CurrentFile | null {
    return (this.stmtCurrent.get(subsetId) as CurrentFile | undefined) ?? null;
  }

  begin(meta: FileMeta): number {
    return this.stmtBegin
      .pluck()
      .get(meta.subsetId, meta.repoPath, meta.sha256, meta.size, meta.origin, meta.originDetail, meta.revision, meta.hubOid, Date.now()) as number;
  }

  /** One transaction per batch keeps each write lock short; the rows stay invisible until `promote`. */
  insertBatch(fileId: number, sourceId: string | null, firstIndex: number, rows: readonly IngestRow[]): void {
    this.db.transaction(() => {
      let idx = firstIndex;
      for (const row of rows) {
        let mediaId: number | null = null;
        if (row.ref !== null && sourceId !== null) {
          mediaId = (this.stmtFindRef.get(sourceId, row.ref) as number | undefined) ?? (this.stmtAddRef.get(sourceId, row.ref) as number);
        }
        this.stmtAddRecord.run(fileId, idx++, mediaId, row.ref === null ? row.rawRef : null, row.start, row.end, row.flag, row.json);
      }
    })();
  }

  /** Makes the new file the subset's records in one short transaction; the old version becomes garbage. */
  promote(fileId: number, subsetId: string, counts: { records: number; flagged: number }): void {
    const mediaRefs = this.stmtDistinctRefs.get(fileId) as number;
    this.db.transaction(() => {
      this.stmtRetire.run(subsetId);
      this.stmtPromote.run(counts.records, counts.flagged, mediaRefs, Date.now(), fileId);
    })();
  }

  fail(fileId: number, error: string): void {
    this.stmtFail.run(error, Date.now(), fileId);
  }

  /** Ingests left unfinished by a crash or a cancel never became current; mark them for collection. */
  abandonUnfinished(): number {
    return this.stmtAbandon.run(Date.now()).changes;
  }

  /** Deletes records of replaced and failed versions, and refs no record uses, in small batches. */
  collectGarbage(batch = 20_000): { records: number; refs: number } {
    let records = 0;
    let refs = 0;
    for (const fileId of this.stmtGarbageFiles.all() as number[]) {
      for (;;) {
        const removed = this.stmtDeleteRecords.run(fileId, batch).changes;
        records += removed;
        if (removed < batch) break;
      }
      this.stmtDeleteFile.run(fileId);
    }
    if (records > 0) {
      for (;;) {
        const removed = this.stmtOrphanRefs.run(batch).changes;
        refs += removed;
        if (removed < batch) break;
      }
    }
    return { records, refs };
  }

  status(): SubsetCounts[] {
    return this.stmtStatus.all() as SubsetCounts[];
  }

  /** The latest failed import per subset, when it is newer than the subset's current version. */
  failures(): Map<string, string> {
    return new Map((this.stmtFailures.all() as Array<{ subsetId: string; error: string | null }>).map((f) => [f.subsetId, f.error ?? 'failed']));
  }
}
