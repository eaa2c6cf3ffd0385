import type { Database } from 'better-sqlite3';

/**
 * sha256 of media files for the manifest (#13 item 4), kept by path with the size and mtime the hash was taken at:
 * a file whose path, size and mtime are unchanged is not read again, so a second manifest of an unchanged copy
 * costs a stat per file.
 */
export default function up(db: Database): void {
  db.exec(`
    CREATE TABLE file_hashes (
      path      TEXT    PRIMARY KEY,
      size      INTEGER NOT NULL,
      mtime_ms  REAL    NOT NULL,
      sha256    TEXT    NOT NULL CHECK (length(sha256) = 64),
      hashed_at INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;
  `);
}
