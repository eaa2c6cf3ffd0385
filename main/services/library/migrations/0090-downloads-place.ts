import type { Database } from 'better-sqlite3';

/**
 * Where a ledger row's file goes (#11, the per-file routes): `downloads` — an archive under the library's
 * downloads/<source> folder, extracted later — or `root` — a clip fetched on its own (WebVid's one URL per clip),
 * which is the media itself and goes straight to its place under the source's root. Every row so far is an archive.
 */
export default function up(db: Database): void {
  db.exec(`
    ALTER TABLE downloads ADD COLUMN place TEXT NOT NULL DEFAULT 'downloads' CHECK (place IN ('downloads', 'root'));
  `);
}
