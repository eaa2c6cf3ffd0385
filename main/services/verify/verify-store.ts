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

export interface RefRow {
  id: number;
  ref: string;
}

/** media_status and the media_refs pages the verify job walks through. */
export class VerifyStore {
  private readonly stmtPage: Statement;
  private readonly stmtPageForSubset: Statement;
  private readonly stmtCount: Statement;
  private readonly stmtCountForSubset: Statement;
  private readonly stmtGet: Statement;
  private readonly stmtPut: Statement;

  constructor(private readonly db: LibraryDatabase) {
    this.stmtPage = db.prepare('SELECT id, ref FROM media_refs WHERE source_id = ? AND subdir = ? AND id > ? ORDER BY id LIMIT ?');
    this.stmtPageForSubset = db.prepare(
      `SELECT m.id, m.ref FROM file_media fm JOIN annotation_files f ON f.id = fm.file_id AND f.state = 'current' AND f.subset_id = ?
       JOIN media_refs m ON m.id = fm.media_id WHERE fm.media_id > ? ORDER BY fm.media_id LIMIT ?`,
    );
    this.stmtCount = db.prepare('SELECT count(*) FROM media_refs WHERE source_id = ? AND subdir = ?').pluck();
    this.stmtCountForSubset = db.prepare(`SELECT media_refs FROM annotation_files WHERE subset_id = ? AND state = 'current'`).pluck();
    this.stmtGet = db.prepare('SELECT status, path, level, size, mtime_ms AS mtimeMs FROM media_status WHERE media_id = ?');
    this.stmtPut = db.prepare(
      `INSERT INTO media_status (media_id, status, detail, path, rule, level, size, mtime_ms, format, duration_s, width, height, checked_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (media_id) DO UPDATE SET status = excluded.status, detail = excluded.detail, path = excluded.path, rule = excluded.rule,
         level = excluded.level, size = excluded.size, mtime_ms = excluded.mtime_ms, format = excluded.format, duration_s = excluded.duration_s,
         width = excluded.width, height = excluded.height, checked_at = excluded.checked_at`,
    );
  }

  count(folder: MediaFolder): number {
    return ((folder.subsetId ? this.stmtCountForSubset.get(folder.subsetId) : this.stmtCount.get(folder.sourceId, folder.subdir)) as number | undefined) ?? 0;
  }

  page(folder: MediaFolder, afterId: number, limit: number): RefRow[] {
    return (
      folder.subsetId ? this.stmtPageForSubset.all(folder.subsetId, afterId, limit) : this.stmtPage.all(folder.sourceId, folder.subdir, afterId, limit)
    ) as RefRow[];
  }

  previous(mediaId: number): Pick<StatusRow, 'status' | 'path' | 'level' | 'size' | 'mtimeMs'> | null {
    return (this.stmtGet.get(mediaId) as Pick<StatusRow, 'status' | 'path' | 'level' | 'size' | 'mtimeMs'> | undefined) ?? null;
  }

  save(rows: readonly StatusRow[]): void {
    const now = Date.now();
    this.db.transaction(() => {
      for (const r of rows) {
        this.stmtPut.run(
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
        );
      }
    })();
  }
}
