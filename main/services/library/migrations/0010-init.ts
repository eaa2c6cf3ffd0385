import type { Database } from 'better-sqlite3';

/** The library's identity and the persistent job queue every long operation runs through. */
export default function up(db: Database): void {
  db.exec(`
    CREATE TABLE library_meta (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE jobs (
      id          INTEGER PRIMARY KEY,
      kind        TEXT    NOT NULL,
      params_json TEXT    NOT NULL DEFAULT '{}',
      state       TEXT    NOT NULL CHECK (state IN ('queued', 'running', 'finished', 'failed', 'cancelled')),
      attempts    INTEGER NOT NULL DEFAULT 0,
      retry_after INTEGER,
      done        REAL    NOT NULL DEFAULT 0,
      total       REAL,
      message     TEXT,
      error_code  TEXT,
      result_json TEXT,
      created_at  INTEGER NOT NULL,
      updated_at  INTEGER NOT NULL
    ) STRICT;

    CREATE INDEX jobs_by_state ON jobs (state, id);
  `);
}
