import type { VerifyLevel } from '../../../shared/api/models';
import type { LibraryDatabase } from '../library/db';
import type { ManifestRow } from './manifest-format';

const RANK: Record<VerifyLevel, number> = { quick: 1, container: 2, decode: 3 };
const PAGE = 5000;

/** A library ref as the manifest sees it, with the file its last verify found (for hashing). */
export interface LibraryRef extends ManifestRow {
  mediaId: number;
  path: string | null;
  /** The file's mtime at its last check (a cached hash counts only for the same size and mtime). */
  mtimeMs: number | null;
}

interface Raw {
  mediaId: number;
  source: string;
  subdir: string;
  ref: string;
  subsets: string;
  status: string | null;
  level: VerifyLevel | null;
  size: number | null;
  durationS: number | null;
  path: string | null;
  mtimeMs: number | null;
}

/** What the manifest says of a ref, from its last verify: at the manifest's level or deeper, else unchecked. */
function statusOf(raw: Raw, level: VerifyLevel): ManifestRow['status'] {
  if (raw.status === null || raw.level === null) return 'unchecked';
  if (raw.status === 'not-found' || raw.status === 'internal-storage-ref') return 'missing';
  if (raw.status === 'unsafe-ref') return 'unsafe-ref';
  if (raw.status === 'corrupt') return 'corrupt';
  return RANK[raw.level] >= RANK[level] ? 'ok' : 'unchecked';
}

/**
 * Every media ref the current annotation versions use, with the subsets that use it and its last verify, paged by
 * media id (a library has millions): read through file_media, built by verify for each version. The engine's other
 * callers get their turn between pages.
 */
export async function* libraryRefs(db: LibraryDatabase, level: VerifyLevel): AsyncGenerator<LibraryRef> {
  const page = db.prepare(
    `SELECT m.id AS mediaId, m.source_id AS source, m.subdir AS subdir, m.ref AS ref,
       (SELECT group_concat(subset_id, ';') FROM (SELECT DISTINCT f.subset_id FROM file_media fm JOIN annotation_files f ON f.id = fm.file_id AND f.state = 'current'
          WHERE fm.media_id = m.id ORDER BY f.subset_id)) AS subsets,
       s.status AS status, s.level AS level, s.size AS size, s.duration_s AS durationS, s.path AS path, s.mtime_ms AS mtimeMs
     FROM media_refs m LEFT JOIN media_status s ON s.media_id = m.id
     WHERE m.id > ? AND EXISTS (SELECT 1 FROM file_media fm JOIN annotation_files f ON f.id = fm.file_id AND f.state = 'current' WHERE fm.media_id = m.id)
     ORDER BY m.id LIMIT ${PAGE}`,
  );
  for (let after = 0; ; ) {
    const rows = page.all(after) as Raw[];
    if (rows.length === 0) return;
    for (const raw of rows) {
      const status = statusOf(raw, level);
      yield {
        mediaId: raw.mediaId,
        source: raw.source,
        subdir: raw.subdir,
        ref: raw.ref,
        subsets: raw.subsets ? raw.subsets.split(';') : [],
        status,
        size: status === 'ok' || status === 'corrupt' ? raw.size : null,
        durationS: status === 'ok' ? raw.durationS : null,
        sha256: null,
        path: status === 'ok' ? raw.path : null,
        mtimeMs: status === 'ok' ? raw.mtimeMs : null,
      };
    }
    after = (rows.at(-1) as Raw).mediaId;
    await new Promise((r) => setImmediate(r));
  }
}
