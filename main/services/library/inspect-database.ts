import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { ApiError } from '../../../shared/api/errors';
import { LATEST_SCHEMA_VERSION } from './migrations/index';

/** Marks library.sqlite as ours so that opening some other SQLite file is refused clearly ("VC2L"). */
export const APPLICATION_ID = 0x5643324c;

/** What an existing file may be opened as: ours, or an SQLite database with nothing in it yet. */
export interface Inspection {
  kind: 'ours' | 'empty';
  /** The file's header says WAL: a network-FS open must leave WAL before touching its shared memory. */
  wal: boolean;
}

const HEADER = Buffer.from('SQLite format 3\0', 'latin1');
/** Enough of a WAL-mode file to read its schema from memory; past this, a foreign file is described without tables. */
const SCHEMA_READ_LIMIT = 16 * 1024 * 1024;

/**
 * Decides, without changing a byte, whether a file may be opened for writing. The 100-byte header carries the
 * application id and user_version (sqlite.org/fileformat.html), which settles most files without SQLite; only a
 * file that could be an empty new database has its schema read, in a way that leaves nothing behind.
 */
export function inspectDatabaseFile(file: string): Inspection {
  let info: ReturnType<typeof statSync>;
  try {
    info = statSync(file);
  } catch (error) {
    throw new ApiError('IO_ERROR', `cannot read ${file}: ${(error as Error).message}`);
  }
  if (!info.isFile()) {
    throw new ApiError('NOT_A_LIBRARY', `${file} is not a file, so it is not a VC2 Media Manager library. Move it away, or choose another folder.`);
  }
  const size = info.size;
  if (size === 0) {
    throw new ApiError(
      'NOT_A_LIBRARY',
      `${file} is empty (0 bytes), so it is not a VC2 Media Manager library; it was not changed. If your library was here, restore ${file} from a backup; otherwise move the file away and create a new library.`,
    );
  }
  const header = readHead(file, 100);
  if (header.length < 100 || !header.subarray(0, HEADER.length).equals(HEADER)) {
    throw new ApiError(
      'NOT_A_LIBRARY',
      `${file} is not an SQLite file (its ${size.toLocaleString('en-US')} bytes do not start with the SQLite header), so it is not a VC2 Media Manager library; it was not changed. Choose the library's folder, or move the file away and create a new library.`,
    );
  }
  const userVersion = header.readInt32BE(60);
  const applicationId = header.readInt32BE(68);
  const wal = header[18] === 2 || header[19] === 2;
  if (applicationId === APPLICATION_ID) {
    // Checked here as well as in migrate(): refusing before the writable open leaves no -wal or -shm behind.
    if (userVersion > LATEST_SCHEMA_VERSION) {
      throw new ApiError(
        'LIBRARY_TOO_NEW',
        `${file} was written by a newer VC2 Media Manager (schema ${userVersion}, this app knows up to ${LATEST_SCHEMA_VERSION}). Update the app to open this library; the file was not changed.`,
      );
    }
    return { kind: 'ours', wal };
  }
  const schema = readSchema(file, wal, size);
  if (applicationId === 0 && userVersion === 0 && schema.objects === 0) return { kind: 'empty', wal };
  throw new ApiError(
    'NOT_A_LIBRARY',
    `${file} is ${describeForeign(applicationId, userVersion, schema)}, not a VC2 Media Manager library; it was not changed. Choose the library's folder, or create a new library elsewhere.`,
  );
}

interface Schema {
  objects: number;
  tables: string[];
  /** Why the tables could not be listed, when they could not. */
  unreadable?: string;
}

function readHead(file: string, length: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const read = readSync(fd, buffer, 0, length, 0);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/**
 * A read-only connection changes nothing in a rollback-journal file (it takes a shared lock, no more). In WAL mode
 * it would create -wal and -shm files it cannot remove again, so a WAL file is read from a copy in memory, with
 * its header set back to rollback mode. Only when a -wal file already exists (its changes may not be in the main
 * file yet, as after a crash) is the file itself opened read-only, so the schema is read with those changes.
 */
function readSchema(file: string, wal: boolean, size: number): Schema {
  let db: Database.Database | null = null;
  try {
    if (wal && !existsSync(`${file}-wal`)) {
      const image = readHead(file, Math.min(size, SCHEMA_READ_LIMIT));
      image[18] = 1;
      image[19] = 1;
      db = new Database(image);
    } else {
      db = new Database(file, { readonly: true, fileMustExist: true });
    }
    const rows = db.prepare('SELECT type, name FROM sqlite_master ORDER BY rowid').all() as Array<{ type: string; name: string }>;
    return { objects: rows.length, tables: rows.filter((r) => r.type === 'table' && !r.name.startsWith('sqlite_')).map((r) => r.name) };
  } catch (error) {
    // Unreadable is not empty: such a file is refused, with the reason in the message.
    return { objects: -1, tables: [], unreadable: (error as Error).message };
  } finally {
    db?.close();
  }
}

function describeForeign(applicationId: number, userVersion: number, schema: Schema): string {
  const facts: string[] = [];
  if (applicationId !== 0) facts.push(`application id ${describeApplicationId(applicationId)}`);
  if (userVersion !== 0) facts.push(`user_version ${userVersion}`);
  const marks = facts.length > 0 ? ` (${facts.join(', ')})` : '';
  if (schema.unreadable) return `an SQLite database of another program${marks} whose tables cannot be read (${schema.unreadable})`;
  if (schema.tables.length === 0) return `an SQLite database of another program${marks} with no tables`;
  const shown = schema.tables.slice(0, 5).join(', ');
  const more = schema.tables.length > 5 ? ` and ${schema.tables.length - 5} more` : '';
  return `an SQLite database of another program${marks} with tables ${shown}${more}`;
}

/** Many programs pick four letters (GeoPackage is "GPKG"), which say more than the number. */
function describeApplicationId(id: number): string {
  const hex = `0x${(id >>> 0).toString(16).padStart(8, '0')}`;
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(id);
  const text = bytes.toString('latin1');
  return /^[\x20-\x7e]{4}$/.test(text) ? `${hex} "${text}"` : hex;
}
