import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import type { LibraryInfo, LibraryUsage } from '../../../shared/api/models';
import { resolveUserPath } from '../../lib/user-path';
import { type LibraryDatabase, openLibraryDatabase, readOnly } from './db';
import { detectFileSystem, type FileSystemDetector } from './file-system';
import { LibraryMeta } from './library-meta';
import { defaultProgram, type OwnerLease } from './owner-note';
import { WalCheckpointer } from './wal-checkpointer';

export const DATABASE_FILE = 'library.sqlite';
export const MEDIA_FOLDER = 'media';

export interface LibraryHooks {
  /** Called after a library is opened (services attach to its database) and before one is closed. */
  opened?: (db: LibraryDatabase, info: LibraryInfo) => void;
  closing?: () => Promise<void>;
  changed?: (current: LibraryInfo | null) => void;
}

export interface LibraryServiceOptions {
  /** Judges the library folder's file system; tests inject a network one. */
  detectFileSystem?: FileSystemDetector;
  /** How a refused second program is told who holds a library on a network file system, e.g. "vc2m". */
  program?: string;
  /**
   * The folder of the bundled workers: when given, a library in WAL mode gets its checkpoints on a thread of their
   * own (wal-checkpointer.ts). Tests that run from source leave it out and checkpoint on the connection.
   */
  bundleDir?: string;
}

interface OpenLibrary {
  info: LibraryInfo;
  db: LibraryDatabase;
  meta: LibraryMeta;
  lease: OwnerLease | null;
  checkpointer: WalCheckpointer | null;
}

/** The library folder: library.sqlite (the state) plus media/ (the files); one open at a time. */
export class LibraryService {
  private open_: OpenLibrary | null = null;

  private readonly detectFileSystem: FileSystemDetector;
  private readonly program: string;
  private readonly bundleDir: string | null;

  constructor(
    private readonly hooks: LibraryHooks = {},
    options: LibraryServiceOptions = {},
  ) {
    this.detectFileSystem = options.detectFileSystem ?? detectFileSystem;
    this.program = options.program ?? defaultProgram();
    this.bundleDir = options.bundleDir ?? null;
  }

  current(): LibraryInfo | null {
    return this.open_?.info ?? null;
  }

  /** The open library's database; LIBRARY_NOT_OPEN tells the user what to do when none is open. */
  database(): LibraryDatabase {
    return this.require().db;
  }

  async create(rawPath: string): Promise<LibraryInfo> {
    const path = resolveUserPath(rawPath, 'the library folder').path;
    const dbFile = join(path, DATABASE_FILE);
    if (existsSync(dbFile)) {
      throw new ApiError('LIBRARY_EXISTS', `${path} already holds a library (${DATABASE_FILE}). Open it instead, or choose an empty folder.`);
    }
    if (existsSync(path) && !statSync(path).isDirectory()) {
      throw new ApiError('IO_ERROR', `${path} is a file, not a folder. Choose a folder for the library.`);
    }
    assertMediaNotAFile(path, 'create');
    try {
      mkdirSync(join(path, MEDIA_FOLDER), { recursive: true });
    } catch (error) {
      throw folderError(path, error);
    }
    return this.openDatabase(path, true);
  }

  async open(rawPath: string): Promise<LibraryInfo> {
    const path = resolveUserPath(rawPath, 'the library folder').path;
    const dbFile = join(path, DATABASE_FILE);
    if (!existsSync(path)) throw new ApiError('NOT_FOUND', `${path} does not exist. Check the path, or create a new library there.`);
    if (!existsSync(dbFile)) {
      throw new ApiError(
        'NOT_A_LIBRARY',
        `${path} is not a library: it has no ${DATABASE_FILE}. Create a library there, or choose the folder that holds ${DATABASE_FILE}.`,
      );
    }
    if (this.open_?.info.path === path) return this.open_.info;
    assertMediaNotAFile(path, 'open');
    return this.openDatabase(path, false);
  }

  async close(): Promise<void> {
    const current = this.open_;
    if (!current) return;
    await this.hooks.closing?.();
    this.open_ = null;
    await current.checkpointer?.stop();
    current.db.close();
    current.lease?.release();
    this.hooks.changed?.(null);
  }

  usage(): LibraryUsage {
    return this.require().meta.usage();
  }

  saveUsage(usage: LibraryUsage): void {
    this.require().meta.saveUsage(usage);
  }

  /** Opens library.sqlite, then sets up what the folder needs; on any failure nothing stays open or held. */
  private async openDatabase(path: string, create: boolean): Promise<LibraryInfo> {
    const dbFile = join(path, DATABASE_FILE);
    const fileSystem = this.detectFileSystem(path);
    const { db, schemaVersion, lease } = openLibraryDatabase(dbFile, { create, fileSystem, owner: { program: this.program } });
    let meta: LibraryMeta;
    try {
      meta = new LibraryMeta(db);
      if (create || !meta.isInitialised()) meta.initialise(basename(path) || path);
      if (!create) mkdirSync(join(path, MEDIA_FOLDER), { recursive: true });
    } catch (error) {
      db.close();
      lease?.release();
      throw error instanceof ApiError ? error : folderError(path, error);
    }
    await this.close();
    const info: LibraryInfo = {
      path,
      name: meta.name(),
      databasePath: dbFile,
      mediaPath: join(path, MEDIA_FOLDER),
      createdAt: meta.createdAt(),
      schemaVersion,
    };
    const wal = db.pragma('journal_mode', { simple: true }) === 'wal';
    const checkpointer = wal && this.bundleDir ? WalCheckpointer.start(this.bundleDir, db) : null;
    this.open_ = { info, db, meta, lease, checkpointer };
    this.hooks.opened?.(db, info);
    this.hooks.changed?.(info);
    return info;
  }

  private require(): OpenLibrary {
    if (!this.open_) throw new ApiError('LIBRARY_NOT_OPEN', 'no library is open: create one or open an existing library first');
    return this.open_;
  }
}

/** Checked before the database is opened: a file where media/ belongs would otherwise fail only after the open. */
function assertMediaNotAFile(path: string, verb: 'create' | 'open'): void {
  const media = join(path, MEDIA_FOLDER);
  if (existsSync(media) && !statSync(media).isDirectory()) {
    throw new ApiError(
      'IO_ERROR',
      `${media} is a file, but the library keeps its media files in a folder of that name: rename or move that file, then ${verb} the library again.`,
    );
  }
}

function folderError(path: string, error: unknown): ApiError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return readOnly(join(path, DATABASE_FILE), 'folder', code === 'EROFS');
  return new ApiError('IO_ERROR', `cannot create the library folder ${path}: ${(error as Error).message}`);
}
