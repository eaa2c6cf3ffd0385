import type { Database } from 'better-sqlite3';

/**
 * Verification (#4): what each distinct media ref resolved to and what the check found, kept per file with its
 * size and mtime so a re-verify looks only at what changed; and a per-root file index for the sources whose
 * refs do not name the file's folder (CLEVRER buckets, Kinetics), refreshed by directory mtime.
 */
export default function up(db: Database): void {
  db.exec(`
    CREATE TABLE media_status (
      media_id   INTEGER PRIMARY KEY REFERENCES media_refs (id) ON DELETE CASCADE,
      status     TEXT    NOT NULL CHECK (status IN ('ok', 'not-found', 'internal-storage-ref', 'unsafe-ref', 'corrupt')),
      detail     TEXT,
      path       TEXT,
      rule       TEXT,
      level      TEXT    NOT NULL CHECK (level IN ('quick', 'container', 'decode')),
      size       INTEGER,
      mtime_ms   REAL,
      -- What the container level learned, for the viewer.
      format     TEXT,
      duration_s REAL,
      width      INTEGER,
      height     INTEGER,
      checked_at INTEGER NOT NULL
    ) STRICT;

    -- Which media each annotation file version uses and by how many of its records: built once per version
    -- (file_media_built) so reports and the missing list are integer joins, not a text lookup per record.
    CREATE TABLE file_media (
      file_id  INTEGER NOT NULL,
      media_id INTEGER NOT NULL,
      records  INTEGER NOT NULL,
      PRIMARY KEY (file_id, media_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX file_media_by_media ON file_media (media_id);
    CREATE TABLE file_media_built (file_id INTEGER PRIMARY KEY) STRICT;

    CREATE TABLE index_dirs (
      root     TEXT NOT NULL,
      rel_dir  TEXT NOT NULL,
      parent   TEXT,
      mtime_ms REAL NOT NULL,
      PRIMARY KEY (root, rel_dir)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX index_dirs_by_parent ON index_dirs (root, parent);

    CREATE TABLE index_files (
      root     TEXT NOT NULL,
      rel_path TEXT NOT NULL,
      rel_dir  TEXT NOT NULL,
      basename TEXT NOT NULL,
      PRIMARY KEY (root, rel_path)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX index_files_by_basename ON index_files (root, basename);
    CREATE INDEX index_files_by_dir ON index_files (root, rel_dir);
  `);
}
