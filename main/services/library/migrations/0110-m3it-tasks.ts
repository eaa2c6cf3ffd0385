import type { Database } from 'better-sqlite3';

/**
 * M3IT decoding (#13): per task, the JSONL its images came from and what the decode and the check of the index
 * rule found. `report` is the JSON of the findings (non-JPEG images, bad records, the check with its examples),
 * kept whole so the UI and `vc2m get m3it` show the same thing after a restart; the counts beside it are what lists
 * and sorts need. A task decoded again replaces its row.
 */
export default function up(db: Database): void {
  db.exec(`
    CREATE TABLE m3it_tasks (
      task        TEXT PRIMARY KEY,
      repo_path   TEXT,
      sha256      TEXT,
      records     INTEGER NOT NULL DEFAULT 0,
      written     INTEGER NOT NULL DEFAULT 0,
      unchanged   INTEGER NOT NULL DEFAULT 0,
      not_jpeg    INTEGER NOT NULL DEFAULT 0,
      problems    INTEGER NOT NULL DEFAULT 0,
      verdict     TEXT NOT NULL CHECK (verdict IN ('ok', 'mismatch', 'unchecked')),
      report      TEXT NOT NULL,
      decoded_at  INTEGER NOT NULL
    ) STRICT;
  `);
}
