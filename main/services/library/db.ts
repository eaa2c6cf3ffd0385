import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { ApiError } from '../../../shared/api/errors';
import { detectFileSystem, type FileSystemKind } from './file-system';
import { APPLICATION_ID, type Inspection, inspectDatabaseFile } from './inspect-database';
import { migrate } from './migrations/index';
import { acquireOwnerNote, assertNotHeldElsewhere, type OwnerLease } from './owner-note';

export { APPLICATION_ID };

export type LibraryDatabase = Database.Database & { readonly __brand: 'LibraryDatabase' };

export interface OpenOptions {
  create: boolean;
  /** The folder's file system, when the caller has judged it already (tests inject a network one); else detected. */
  fileSystem?: FileSystemKind;
  /**
   * Set by the one opener that holds the library for its process (LibraryService): on a network file system it
   * takes the owner note. Other connections of that process (ingest workers) leave this out and only check the note.
   */
  owner?: { program: string };
}

export interface OpenedDatabase {
  db: LibraryDatabase;
  schemaVersion: number;
  /** The owner note taken for `owner`, to release after closing; null on a local disk. */
  lease: OwnerLease | null;
}

/**
 * Opens (or creates) a library database. Nothing is written to a file that is neither ours nor an empty database,
 * nor to one this user may not write: those are refused first, from what can be read without changing a byte.
 *
 * Local disk: WAL with NORMAL sync (see STYLE: committed data survives kill -9), any number of processes at once.
 *
 * Network file system (NFS, SMB, Lustre, GPFS, FUSE…): WAL's shared-memory index cannot work there, so the library
 * uses the rollback journal (journal_mode=DELETE) with FULL sync (NORMAL is only crash-safe with WAL; a cluster
 * node going down is no rarer than a laptop losing power). SQLite's own file locks over the network are only as good
 * as the server's lock daemon, so one process at a time is enforced by an owner note instead (owner-note.ts).
 * locking_mode=EXCLUSIVE would enforce it too, but per connection, and this process opens several connections to
 * the library (ingest workers in threads); within one process SQLite coordinates its connections itself, so
 * normal locking plus a per-process note keeps the workers working while a second process is refused by name.
 */
export function openLibraryDatabase(file: string, options: OpenOptions): OpenedDatabase {
  const dir = dirname(file);
  const exists = existsSync(file);
  if (!exists && !options.create) throw new ApiError('NOT_FOUND', `cannot open ${file}: it does not exist.`);
  const inspection: Inspection = exists ? inspectDatabaseFile(file) : { kind: 'empty', wal: false };
  assertWritable(file, exists);
  const fileSystem = options.fileSystem ?? detectFileSystem(dir);
  const lease = options.owner && fileSystem.shared ? acquireOwnerNote(dir, options.owner.program, fileSystem) : null;
  let db: Database.Database;
  try {
    if (!lease) assertNotHeldElsewhere(dir, fileSystem);
    db = new Database(file, { fileMustExist: exists });
  } catch (error) {
    lease?.release();
    throw explain(file, error, 'open');
  }
  try {
    const schemaVersion = configure(db, file, inspection, fileSystem);
    return { db: db as LibraryDatabase, schemaVersion, lease };
  } catch (error) {
    db.close();
    // A library this call created and could not finish is removed, so a retry does not find a half-made file.
    if (!exists) for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    lease?.release();
    throw explain(file, error, 'use');
  }
}

function configure(db: Database.Database, file: string, inspection: Inspection, fileSystem: FileSystemKind): number {
  if (fileSystem.shared && inspection.wal) leaveWal(db, file);
  db.pragma(`synchronous = ${fileSystem.shared ? 'FULL' : 'NORMAL'}`);
  db.pragma('foreign_keys = ON');
  // 32 MB of page cache instead of 2: an import's writes land on the right edges of the records table, its index and
  // media_refs' unique index, which then stay in memory between batches.
  db.pragma('cache_size = -32768');
  // Another program on the same library (vc2m beside the app) can hold the write lock for a while; within this
  // process the engine's connection is the only writer of bulk data.
  db.pragma('busy_timeout = 30000');
  let schemaVersion: number;
  if (inspection.kind === 'empty') {
    // Stamped in the same transaction as the schema, in rollback mode: a failed migration leaves the file as empty
    // as it was, and the id is in the main file's header from the first commit (inspection reads it from there).
    schemaVersion = db.transaction(() => {
      db.pragma(`application_id = ${APPLICATION_ID}`);
      return migrate(db, file);
    })();
  } else {
    schemaVersion = migrate(db, file);
  }
  const wanted = fileSystem.shared ? 'delete' : 'wal';
  const mode = db.pragma(`journal_mode = ${wanted}`, { simple: true });
  // The default checkpoint every 1,000 pages (4 MB) copies the records table's right edge back into the main file
  // many times over during an import, an fsync each time; at 16,000 pages (64 MB of WAL at most, before it is
  // copied) a 0.7 GB import took a quarter less time. Readers pay nothing measurable for the longer WAL.
  if (mode === 'wal') db.pragma('wal_autocheckpoint = 16000');
  if (fileSystem.shared && mode !== 'delete') {
    throw new ApiError('IO_ERROR', `cannot use ${file}: it must leave WAL mode on this ${fileSystem.name} file system, and SQLite kept it in ${mode} mode.`);
  }
  return schemaVersion;
}

/**
 * Switches a WAL file to the rollback journal without ever using its -shm file: in EXCLUSIVE locking mode SQLite
 * keeps the WAL index in heap memory when that mode is set before the first access (sqlite.org/wal.html, "Use of
 * WAL without shared-memory"). The change needs the only connection, which the owner note has made sure of; the
 * locks are dropped by the first access after going back to NORMAL.
 */
function leaveWal(db: Database.Database, file: string): void {
  db.pragma('locking_mode = EXCLUSIVE');
  const mode = db.pragma('journal_mode = DELETE', { simple: true });
  db.pragma('locking_mode = NORMAL');
  db.prepare('SELECT count(*) FROM sqlite_master').get();
  if (mode !== 'delete') throw new ApiError('IO_ERROR', `cannot use ${file}: SQLite could not switch it out of WAL mode (it stayed ${mode}).`);
}

/**
 * Checked before any writable open: SQLite would quietly open a write-protected file read-only and fail at the
 * first write. Opening for writing (and closing again) writes nothing, and unlike access(2) it answers for the
 * effective user, ACLs and NFS root squashing. The folder needs writing too (SQLite's journal lives beside the
 * file): a probe file made and removed there is the only honest test, and it succeeds only where we write anyway.
 */
function assertWritable(file: string, exists: boolean): void {
  const dir = dirname(file);
  const probe = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.probe`);
  const checks: Array<[string, 'file' | 'folder', () => number]> = [[dir, 'folder', () => openSync(probe, 'wx')]];
  if (exists) checks.unshift([file, 'file', () => openSync(file, 'r+')]);
  for (const [target, what, open] of checks) {
    try {
      closeSync(open());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw readOnly(file, what, code === 'EROFS');
      throw new ApiError('IO_ERROR', `cannot use ${target}: ${(error as Error).message}`);
    }
  }
  rmSync(probe, { force: true });
}

/** READ_ONLY naming what cannot be written and the two ways out; also used for the media folder. */
export function readOnly(file: string, what: 'file' | 'folder', fileSystem = false): ApiError {
  const dir = dirname(file);
  const grant = (path: string) =>
    process.platform === 'win32' ? `clear the read-only attribute of ${path}` : `give your user write permission on it (chmod u+w "${path}")`;
  const message = fileSystem
    ? `${file} is on a read-only file system: copy the library to a writable disk and open it there. Nothing was changed.`
    : what === 'file'
      ? `${file} is read-only: ${grant(file)} or copy the library to a writable disk. Nothing in it was changed.`
      : `${dir} is read-only, and the library must write beside ${basename(file)} (its journal): ${grant(dir)} or copy the library to a writable disk. Nothing in it was changed.`;
  return new ApiError('READ_ONLY', message);
}

/** SQLite's own codes, in words that say what to do; anything unforeseen stays an IO_ERROR naming the file. */
function explain(file: string, error: unknown, verb: 'open' | 'use'): ApiError {
  if (error instanceof ApiError) return error;
  const code = String((error as { code?: unknown }).code ?? '');
  const message = (error as Error).message;
  // The writability check above cannot see everything (NFS root_squash, an ACL): SQLite then reports it here.
  if (code.startsWith('SQLITE_READONLY')) return readOnly(file, 'file');
  if (code.startsWith('SQLITE_BUSY')) {
    return new ApiError('LIBRARY_IN_USE', `${file} is in use by another program (SQLite: ${message}); close the library there first, then try again.`);
  }
  if (code.startsWith('SQLITE_FULL')) return new ApiError('IO_ERROR', `cannot ${verb} ${file}: the disk is full. Free some space, then try again.`);
  return new ApiError('IO_ERROR', `cannot ${verb} ${file}: ${message}`);
}
