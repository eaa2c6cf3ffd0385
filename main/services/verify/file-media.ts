import { catalog } from '../../../shared/catalog/index';
import type { LibraryDatabase } from '../library/db';

const BATCH = 50_000;

/**
 * Builds file_media for every current annotation file that lacks it: each distinct media of the file with its
 * record count. Done once per file version, in batches of short write transactions; later calls cost one query.
 */
export function ensureFileMedia(db: LibraryDatabase): void {
  const pending = db
    .prepare(
      `SELECT f.id, f.subset_id AS subsetId FROM annotation_files f WHERE f.state = 'current' AND NOT EXISTS (SELECT 1 FROM file_media_built b WHERE b.file_id = f.id)`,
    )
    .all() as Array<{ id: number; subsetId: string }>;
  const subsets = new Map(catalog.subsets.map((s) => [s.id, s]));
  for (const file of pending) {
    const subset = subsets.get(file.subsetId);
    if (subset?.source) {
      db.exec('DROP TABLE IF EXISTS temp.file_refs');
      // Grouped in a temp table (a read of main), then joined to media_refs in sorted batches.
      db.prepare(
        'CREATE TEMP TABLE file_refs AS SELECT ref, count(*) AS n FROM main.records WHERE file_id = ? AND ref IS NOT NULL GROUP BY ref ORDER BY ref',
      ).run(file.id);
      const count = db.prepare('SELECT count(*) FROM temp.file_refs').pluck().get() as number;
      const insert = db.prepare(
        `INSERT OR REPLACE INTO main.file_media (file_id, media_id, records)
         SELECT ?, m.id, t.n FROM temp.file_refs t JOIN main.media_refs m ON m.source_id = ? AND m.subdir = ? AND m.ref = t.ref
         WHERE t.rowid > ? AND t.rowid <= ?`,
      );
      for (let from = 0; from < count; from += BATCH) insert.run(file.id, subset.source, subset.subdir, from, from + BATCH);
      db.exec('DROP TABLE temp.file_refs');
    }
    db.prepare('INSERT OR IGNORE INTO file_media_built (file_id) VALUES (?)').run(file.id);
  }
}
