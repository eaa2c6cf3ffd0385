import type { Database } from 'better-sqlite3';

/**
 * Clip cutting (#14): per source, the clips its spec names, each with its source video, span, why it cannot be cut
 * (if so) and what the cut did — kept in the library so a plan is shown before anything runs and a cut that stops
 * (a kill, a cancel) carries on from the clips not done. A new plan of a source replaces its rows.
 */
export default function up(db: Database): void {
  db.exec(`
    CREATE TABLE clip_plan (
      source_id    TEXT NOT NULL,
      ref          TEXT NOT NULL,
      video        TEXT NOT NULL,
      source_path  TEXT,
      start_s      REAL NOT NULL,
      end_s        REAL NOT NULL,
      video_s      REAL,
      reason       TEXT,
      state        TEXT NOT NULL CHECK (state IN ('planned', 'cut', 'kept', 'failed', 'unusable')),
      start_offset REAL,
      clip_s       REAL,
      error        TEXT,
      updated_at   INTEGER NOT NULL,
      PRIMARY KEY (source_id, ref)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE clip_plan_meta (
      source_id  TEXT PRIMARY KEY,
      spec       TEXT NOT NULL,
      from_dir   TEXT NOT NULL,
      problems   TEXT NOT NULL,
      planned_at INTEGER NOT NULL
    ) STRICT;
  `);
}
