import type { Database } from 'better-sqlite3';

/**
 * Full-text search over the conversations (#12). An FTS5 index with no copy of the text (content=''): the
 * conversations stay in the library's copies of the annotation files, and the index alone is a fraction of their
 * size. contentless_delete lets the records of a replaced version be taken out by rowid (= records.id) when they
 * are collected. unicode61 with remove_diacritics 2 folds case and accents ("café" finds "Cafe"). `subset` and
 * `source` hold one token each (their catalog positions, s12 / c3) so a search filtered by them stays inside the
 * index. `search_files` lists the versions whose records are in the index: a build indexes the others, so it
 * resumes where it stopped and runs again after each ingest for the new versions only.
 *
 * FTS5's own merges are turned off (automerge 0; crisismerge far above what a build reaches): left on, an insert that
 * sets one off merges large segments in one go and held the engine's thread for 300 ms and more. The build merges
 * instead in bounded steps of its own between its batches (search-index.ts), each a few tens of milliseconds.
 */
export default function up(db: Database): void {
  db.exec(`
    CREATE VIRTUAL TABLE record_search USING fts5(
      body, subset, source,
      content = '', contentless_delete = 1,
      tokenize = 'unicode61 remove_diacritics 2'
    );
    INSERT INTO record_search (record_search, rank) VALUES ('automerge', 0);
    INSERT INTO record_search (record_search, rank) VALUES ('crisismerge', 2000);
    CREATE TABLE search_files (
      file_id    INTEGER PRIMARY KEY,
      -- Records of the version indexed so far, by index (a build stopped part-way carries on from here).
      next_idx   INTEGER NOT NULL DEFAULT 0,
      complete   INTEGER NOT NULL DEFAULT 0 CHECK (complete IN (0, 1)),
      updated_at INTEGER NOT NULL
    ) STRICT;
  `);
}
