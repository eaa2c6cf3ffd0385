import type { Database } from 'better-sqlite3';

/**
 * Annotation records (#3). Each ingest of a file is one `annotation_files` row; its records point at it, and a
 * subset's records are those of its one 'current' file. A new version is written beside the old one in short
 * batches and made current in one tiny transaction, so readers and other writers never wait on a long ingest
 * and a failed ingest leaves the previous version in place. Distinct refs are added to media_refs in sorted
 * batches after the records, which is far cheaper than a unique-index lookup per record (see the README bench).
 */
export default function up(db: Database): void {
  db.exec(`
    CREATE TABLE annotation_files (
      id           INTEGER PRIMARY KEY,
      subset_id    TEXT    NOT NULL,
      repo_path    TEXT    NOT NULL,
      sha256       TEXT    NOT NULL,
      size         INTEGER NOT NULL,
      origin       TEXT    NOT NULL CHECK (origin IN ('hub', 'folder', 'hf-cache')),
      origin_detail TEXT,
      revision     TEXT,
      hub_oid      TEXT,
      state        TEXT    NOT NULL CHECK (state IN ('ingesting', 'current', 'replaced', 'failed')),
      records      INTEGER NOT NULL DEFAULT 0,
      flagged      INTEGER NOT NULL DEFAULT 0,
      media_refs   INTEGER NOT NULL DEFAULT 0,
      error        TEXT,
      started_at   INTEGER NOT NULL,
      finished_at  INTEGER
    ) STRICT;
    CREATE UNIQUE INDEX annotation_files_one_current ON annotation_files (subset_id) WHERE state = 'current';
    CREATE INDEX annotation_files_by_state ON annotation_files (state);

    -- One row per distinct file a ref names: (source, subdir, ref). The subdir matters for M3IT, whose tasks
    -- each have their own folder and reuse the same ref strings (train/0.jpg in every task).
    CREATE TABLE media_refs (
      id        INTEGER PRIMARY KEY,
      source_id TEXT NOT NULL,
      subdir    TEXT NOT NULL DEFAULT '',
      ref       TEXT NOT NULL,
      UNIQUE (source_id, subdir, ref)
    ) STRICT;

    -- One row per record. The record's text stays in the library's copy of its file
    -- (annotations/.objects/<sha256>.json), addressed by byte offset and length: the viewer reads it from there and
    -- the export copies it unchanged. Refs are kept as text; media_refs holds each distinct (source, ref) once.
    CREATE TABLE records (
      id         INTEGER PRIMARY KEY,
      file_id    INTEGER NOT NULL REFERENCES annotation_files (id),
      idx        INTEGER NOT NULL,
      ref        TEXT,
      raw_ref    TEXT,
      start_s    REAL,
      end_s      REAL,
      flag       TEXT CHECK (flag IN ('no-media-key', 'empty-ref', 'bad-ref-type', 'unsafe-ref', 'not-an-object', 'no-qa')),
      rec_offset INTEGER NOT NULL,
      rec_length INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX records_by_file ON records (file_id, idx);

    -- Where each source's media live when the user chose a folder; otherwise <library>/media/<source id>.
    CREATE TABLE source_roots (
      source_id TEXT PRIMARY KEY,
      path      TEXT NOT NULL
    ) STRICT;
  `);
}
