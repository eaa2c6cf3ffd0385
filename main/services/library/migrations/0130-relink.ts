import type { Database } from 'better-sqlite3';

/**
 * Relink (#13 item 3): the files a scan of the user's folders proposes for still-missing refs, kept in the library
 * so that the proposals survive a restart, are reviewed (accepted, skipped, an ambiguity settled) and applied as a
 * job of their own. Ids are never reused (AUTOINCREMENT): a screen holding an old id cannot act on a new proposal. `candidates` is the JSON list of every file the rule found; `chosen` the one to use (set for an
 * unambiguous match, by the user for an ambiguous one). A new scan replaces the proposals not applied yet.
 */
export default function up(db: Database): void {
  db.exec(`
    CREATE TABLE relink_proposals (
      id         INTEGER PRIMARY KEY AUTOINCREMENT,
      media_id   INTEGER NOT NULL UNIQUE,
      source_id  TEXT    NOT NULL,
      ref        TEXT    NOT NULL,
      target     TEXT    NOT NULL,
      rule       TEXT    NOT NULL CHECK (rule IN ('path', 'name', 'stem', 'youtube-id')),
      candidates TEXT    NOT NULL,
      ambiguous  INTEGER NOT NULL CHECK (ambiguous IN (0, 1)),
      chosen     TEXT,
      accepted   INTEGER NOT NULL CHECK (accepted IN (0, 1)),
      state      TEXT    NOT NULL CHECK (state IN ('proposed', 'applied', 'failed')),
      how        TEXT,
      error      TEXT,
      updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX relink_by_state ON relink_proposals (state, id);
  `);
}
