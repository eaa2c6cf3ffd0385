import type { Database } from 'better-sqlite3';

/**
 * The file index now lists file links too (a link inside a CLEVRER bucket or a Kinetics class folder is found,
 * and refused when it leads out of the root). Folders are re-listed only when their mtime changes, so indexes
 * built before would never pick the links up: forget when each folder was listed, and every root is walked once.
 */
export default function up(db: Database): void {
  db.exec('DELETE FROM index_files; DELETE FROM index_dirs;');
}
