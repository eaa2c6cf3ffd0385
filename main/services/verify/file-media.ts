import { setImmediate as nextTurn } from 'node:timers/promises';
import { catalog } from '../../../shared/catalog/index';
import type { LibraryDatabase } from '../library/db';

const BATCH = 50_000;
let builders = 0;

/**
 * The work of building file_media for every current annotation file that lacks it (each distinct media of the
 * file with its record count), one short write transaction per step. Done once per file version.
 */
function* buildSteps(db: LibraryDatabase): Generator<void> {
  const pending = db
    .prepare(
      `SELECT f.id, f.subset_id AS subsetId FROM annotation_files f WHERE f.state = 'current' AND NOT EXISTS (SELECT 1 FROM file_media_built b WHERE b.file_id = f.id)`,
    )
    .all() as Array<{ id: number; subsetId: string }>;
  const subsets = new Map(catalog.subsets.map((s) => [s.id, s]));
  // A table of its own per builder: two builders on one connection (a report and a verify) must not share one.
  const table = `file_refs_${++builders}`;
  const temp = `temp.${table}`;
  for (const file of pending) {
    const subset = subsets.get(file.subsetId);
    if (subset?.source) {
      db.exec(`DROP TABLE IF EXISTS ${temp}`);
      // Grouped in a temp table (a read of main), then joined to media_refs in sorted batches.
      db.prepare(
        `CREATE TEMP TABLE ${table} AS SELECT ref, count(*) AS n FROM main.records WHERE file_id = ? AND ref IS NOT NULL GROUP BY ref ORDER BY ref`,
      ).run(file.id);
      yield;
      const count = db.prepare(`SELECT count(*) FROM ${temp}`).pluck().get() as number;
      const insert = db.prepare(
        `INSERT OR REPLACE INTO main.file_media (file_id, media_id, records)
         SELECT ?, m.id, t.n FROM ${temp} t JOIN main.media_refs m ON m.source_id = ? AND m.subdir = ? AND m.ref = t.ref
         WHERE t.rowid > ? AND t.rowid <= ?`,
      );
      for (let from = 0; from < count; from += BATCH) {
        insert.run(file.id, subset.source, subset.subdir, from, from + BATCH);
        yield;
      }
      db.exec(`DROP TABLE ${temp}`);
    }
    db.prepare('INSERT OR IGNORE INTO file_media_built (file_id) VALUES (?)').run(file.id);
  }
}

/** Builds what is missing of file_media at once; later calls cost one query. For callers that cannot wait (the CLI). */
export function ensureFileMedia(db: LibraryDatabase): void {
  for (const _ of buildSteps(db));
}

const building = new WeakMap<LibraryDatabase, Promise<void>>();

/**
 * The same, handing the engine's thread back between steps: after a big import the first report or verify builds
 * file_media for seconds, and the UI's other calls are answered meanwhile. One build at a time per library.
 */
export function buildFileMedia(db: LibraryDatabase): Promise<void> {
  const running = building.get(db);
  if (running) return running;
  const build = (async () => {
    for (const _ of buildSteps(db)) await nextTurn();
  })().finally(() => building.delete(db));
  building.set(db, build);
  return build;
}
