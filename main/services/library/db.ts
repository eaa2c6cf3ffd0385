import Database from 'better-sqlite3';
import { ApiError } from '../../../shared/api/errors';
import { migrate } from './migrations/index';

/** Marks library.sqlite as ours so that opening some other SQLite file is refused clearly ("VC2L"). */
export const APPLICATION_ID = 0x5643324c;

export type LibraryDatabase = Database.Database & { readonly __brand: 'LibraryDatabase' };

export interface OpenOptions {
  create: boolean;
}

/** Opens (or creates) a library database: WAL, foreign keys, NORMAL sync (see STYLE: committed data survives kill -9). */
export function openLibraryDatabase(file: string, options: OpenOptions): { db: LibraryDatabase; schemaVersion: number } {
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: !options.create });
  } catch (error) {
    throw new ApiError('IO_ERROR', `cannot open ${file}: ${(error as Error).message}`);
  }
  try {
    const appId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    if (appId !== APPLICATION_ID && !(appId === 0 && version === 0)) {
      throw new ApiError(
        'NOT_A_LIBRARY',
        `${file} is an SQLite file but not a VC2 Media Manager library. Choose the library's folder, or create a new library elsewhere.`,
      );
    }
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    if (appId === 0) db.pragma(`application_id = ${APPLICATION_ID}`);
    const schemaVersion = migrate(db, file);
    return { db: db as LibraryDatabase, schemaVersion };
  } catch (error) {
    db.close();
    if (error instanceof ApiError) throw error;
    throw new ApiError('IO_ERROR', `cannot use ${file}: ${(error as Error).message}`);
  }
}
