import type { Database } from 'better-sqlite3';

/**
 * Each version being ingested names the job writing it (#9). A job's clean-up at its end marks as interrupted only
 * its own unfinished versions: before, an ingest ending beside another one failed the other's in-flight versions,
 * and the other's promote then retired the current version with nothing to put in its place.
 */
export default function up(db: Database): void {
  db.exec('ALTER TABLE annotation_files ADD COLUMN job_id INTEGER');
}
