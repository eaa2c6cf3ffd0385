import type { Statement } from 'better-sqlite3';
import type { LibraryDatabase } from '../library/db';

export type MediaStatus = 'ok' | 'not-found' | 'internal-storage-ref' | 'unsafe-ref' | 'corrupt';

export interface StatusRow {
  mediaId: number;
  status: MediaStatus;
  detail: string | null;
  path: string | null;
  rule: string | null;
  level: 'quick' | 'container' | 'decode';
  size: number | null;
  mtimeMs: number | null;
  format?: string | null;
  durationS?: number | null;
  width?: number | null;
  height?: number | null;
}

/** Where a group of refs resolves: a source's root plus the subdir its subsets use (M3IT tasks, UVO splits). */
export interface MediaFolder {
  sourceId: string;
  subdir: string;
  /** Only the refs this subset uses, when verifying one subset. */
  subsetId: string | null;
}

export interface PageCursor {
  id: number;
  ref: string;
}

export type PreviousCheck = Pick<StatusRow, 'status' | 'path' | 'level' | 'size' | 'mtimeMs'>;

export interface RefRow {
  id: number;
  ref: string;
  /** What the last check found, if this media was checked before. */
  previous: PreviousCheck | null;
}

const PREVIOUS = 's.status AS status, s.path AS path, s.level AS level, s.size AS size, s.mtime_ms AS mtimeMs';
type PageRow = { id: number; ref: string } & { [K in keyof PreviousCheck]: PreviousCheck[K] | null };

const COLUMNS = 'media_id, status, detail, path, rule, level, size, mtime_ms, format, duration_s, width, height, checked_at';
const UPSERT = `ON CONFLICT (media_id) DO UPDATE SET status = excluded.status, detail = excluded.detail, path = excluded.path, rule = excluded.rule,
  level = excluded.level, size = excluded.size, mtime_ms = excluded.mtime_ms, format = excluded.format, duration_s = excluded.duration_s,
  width = excluded.width, height = excluded.height, checked_at = excluded.checked_at`;
/** Rows per INSERT: one statement per hundred rows costs far less than a hundred (full-scale quick verify: 12 s, against 18 s a row at a time). */
const CHUNK = 100;

/** media_status and the media_refs pages the verify job walks through. */
export class VerifyStore {
  private readonly stmtPage: Statement;
  private readonly stmtPageForSubset: Statement;
  private readonly stmtCount: Statement;
  private readonly stmtCountForSubset: Statement;
  private readonly stmtPut: Statement;
  private readonly stmtPutChunk: Statement;

  constructor(private readonly db: LibraryDatabase) {
    this.stmtPage = db.prepare(
      `SELECT m.id, m.ref, ${PREVIOUS} FROM media_refs m LEFT JOIN media_status s ON s.media_id = m.id
       WHERE m.source_id = ? AND m.subdir = ? AND m.ref > ? ORDER BY m.ref LIMIT ?`,
    );
    this.stmtPageForSubset = db.prepare(
      `SELECT m.id, m.ref, ${PREVIOUS} FROM file_media fm JOIN annotation_files f ON f.id = fm.file_id AND f.state = 'current' AND f.subset_id = ?
       JOIN media_refs m ON m.id = fm.media_id LEFT JOIN media_status s ON s.media_id = m.id WHERE fm.media_id > ? ORDER BY fm.media_id LIMIT ?`,
    );
    this.stmtCount = db.prepare('SELECT count(*) FROM media_refs WHERE source_id = ? AND subdir = ?').pluck();
    this.stmtCountForSubset = db.prepare(`SELECT media_refs FROM annotation_files WHERE subset_id = ? AND state = 'current'`).pluck();
    const values = (n: number) => Array.from({ length: n }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
    this.stmtPut = db.prepare(`INSERT INTO media_status (${COLUMNS}) VALUES ${values(1)} ${UPSERT}`);
    this.stmtPutChunk = db.prepare(`INSERT INTO media_status (${COLUMNS}) VALUES ${values(CHUNK)} ${UPSERT}`);
  }

  count(folder: MediaFolder): number {
    return ((folder.subsetId ? this.stmtCountForSubset.get(folder.subsetId) : this.stmtCount.get(folder.sourceId, folder.subdir)) as number | undefined) ?? 0;
  }

  /**
   * The next page of a folder's refs after `cursor` (null for the first). A whole folder is walked in ref order on
   * its unique index (refs in one directory come together, which the directory listing likes); one subset's refs
   * by media id through file_media.
   */
  page(folder: MediaFolder, cursor: PageCursor | null, limit: number): { rows: RefRow[]; cursor: PageCursor } {
    const rows = (
      folder.subsetId
        ? this.stmtPageForSubset.all(folder.subsetId, cursor?.id ?? 0, limit)
        : this.stmtPage.all(folder.sourceId, folder.subdir, cursor?.ref ?? '', limit)
    ) as PageRow[];
    const last = rows.at(-1);
    return { rows: this.toRefRows(rows), cursor: last ? { id: last.id, ref: last.ref } : (cursor ?? { id: 0, ref: '' }) };
  }

  private toRefRows(rows: PageRow[]): RefRow[] {
    return rows.map(({ id, ref, status, path, level, size, mtimeMs }) => ({
      id,
      ref,
      previous: status === null || level === null ? null : { status, path, level, size, mtimeMs },
    }));
  }

  save(rows: readonly StatusRow[]): void {
    const now = Date.now();
    const params = (r: StatusRow) => [
      r.mediaId,
      r.status,
      r.detail,
      r.path,
      r.rule,
      r.level,
      r.size,
      r.mtimeMs,
      r.format ?? null,
      r.durationS ?? null,
      r.width ?? null,
      r.height ?? null,
      now,
    ];
    this.db.transaction(() => {
      let i = 0;
      for (; i + CHUNK <= rows.length; i += CHUNK) this.stmtPutChunk.run(rows.slice(i, i + CHUNK).flatMap(params));
      for (; i < rows.length; i++) this.stmtPut.run(params(rows[i] as StatusRow));
    })();
  }
}
