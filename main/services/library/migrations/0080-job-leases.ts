import type { Database } from 'better-sqlite3';

/**
 * Jobs that any process can see, pause and take over (#11): a `paused` state; the process running a job (`owner`,
 * "host:pid:nonce") and its last sign of life (`heartbeat_at`), so that a second process on the same library (the
 * app and `vc2m`, or later the shards of a cluster job on shared storage) never re-runs a job another one holds, and
 * a crashed one's jobs go back to the queue; and `control`, a pause or cancel asked for by another process, which
 * the owner reads on its next heartbeat. The state CHECK cannot be altered in place, so the table is rebuilt with
 * its rows and ids.
 */
export default function up(db: Database): void {
  db.exec(`
    CREATE TABLE jobs_new (
      id           INTEGER PRIMARY KEY,
      kind         TEXT    NOT NULL,
      params_json  TEXT    NOT NULL DEFAULT '{}',
      state        TEXT    NOT NULL CHECK (state IN ('queued', 'running', 'paused', 'finished', 'failed', 'cancelled')),
      attempts     INTEGER NOT NULL DEFAULT 0,
      retry_after  INTEGER,
      done         REAL    NOT NULL DEFAULT 0,
      total        REAL,
      message      TEXT,
      error_code   TEXT,
      result_json  TEXT,
      created_at   INTEGER NOT NULL,
      updated_at   INTEGER NOT NULL,
      owner        TEXT,
      heartbeat_at INTEGER,
      control      TEXT CHECK (control IS NULL OR control IN ('pause', 'cancel'))
    ) STRICT;
    INSERT INTO jobs_new (id, kind, params_json, state, attempts, retry_after, done, total, message, error_code, result_json, created_at, updated_at)
      SELECT id, kind, params_json, state, attempts, retry_after, done, total, message, error_code, result_json, created_at, updated_at FROM jobs;
    DROP TABLE jobs;
    ALTER TABLE jobs_new RENAME TO jobs;
    CREATE INDEX jobs_by_state ON jobs (state, id);
  `);
}
