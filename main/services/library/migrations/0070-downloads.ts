import type { Database } from 'better-sqlite3';

/**
 * The download ledger (#11): one row per file a route fetches, so that a quit, a crash or a reboot loses nothing
 * and exactly the failed set can be retried. `target` is relative to the library's downloads/<source> folder;
 * `url` is the route's own (a mirror is applied when fetching, so changing it never orphans a row).
 */
export default function up(db: Database): void {
  db.exec(`
    CREATE TABLE downloads (
      id              INTEGER PRIMARY KEY,
      source_id       TEXT    NOT NULL,
      url             TEXT    NOT NULL,
      target          TEXT    NOT NULL,
      state           TEXT    NOT NULL CHECK (state IN ('queued', 'downloading', 'verifying', 'done', 'failed', 'paused')),
      expected_size   INTEGER,
      size_is_exact   INTEGER NOT NULL DEFAULT 0,
      expected_sha256 TEXT,
      bytes           INTEGER NOT NULL DEFAULT 0,
      total           INTEGER,
      attempts        INTEGER NOT NULL DEFAULT 0,
      last_status     INTEGER,
      error           TEXT,
      sha256          TEXT,
      etag            TEXT,
      job_id          INTEGER,
      -- When the file (all parts of it) was extracted into the source's folder; the archive may be deleted after.
      extracted_at    INTEGER,
      updated_at      INTEGER NOT NULL,
      UNIQUE (source_id, target)
    ) STRICT;
    CREATE INDEX downloads_by_state ON downloads (state, source_id);
  `);
}
