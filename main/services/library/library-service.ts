import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import type { LibraryInfo, LibraryUsage } from '../../../shared/api/models';
import { expandUserPath } from '../../lib/paths';
import { type LibraryDatabase, openLibraryDatabase } from './db';
import { LibraryMeta } from './library-meta';

export const DATABASE_FILE = 'library.sqlite';
export const MEDIA_FOLDER = 'media';

export interface LibraryHooks {
  /** Called after a library is opened (services attach to its database) and before one is closed. */
  opened?: (db: LibraryDatabase, info: LibraryInfo) => void;
  closing?: () => Promise<void>;
  changed?: (current: LibraryInfo | null) => void;
}

interface OpenLibrary {
  info: LibraryInfo;
  db: LibraryDatabase;
  meta: LibraryMeta;
}

/** The library folder: library.sqlite (the state) plus media/ (the files); one open at a time. */
export class LibraryService {
  private open_: OpenLibrary | null = null;

  constructor(private readonly hooks: LibraryHooks = {}) {}

  current(): LibraryInfo | null {
    return this.open_?.info ?? null;
  }

  /** The open library's database; LIBRARY_NOT_OPEN tells the user what to do when none is open. */
  database(): LibraryDatabase {
    return this.require().db;
  }

  async create(rawPath: string): Promise<LibraryInfo> {
    const path = expandUserPath(rawPath);
    const dbFile = join(path, DATABASE_FILE);
    if (existsSync(dbFile)) {
      throw new ApiError('LIBRARY_EXISTS', `${path} already holds a library (${DATABASE_FILE}). Open it instead, or choose an empty folder.`);
    }
    if (existsSync(path) && !statSync(path).isDirectory()) {
      throw new ApiError('IO_ERROR', `${path} is a file, not a folder. Choose a folder for the library.`);
    }
    try {
      mkdirSync(join(path, MEDIA_FOLDER), { recursive: true });
    } catch (error) {
      throw new ApiError('IO_ERROR', `cannot create the library folder ${path}: ${(error as Error).message}`);
    }
    const { db, schemaVersion } = openLibraryDatabase(dbFile, { create: true });
    const meta = new LibraryMeta(db);
    meta.initialise(basename(path) || path);
    return this.adopt(path, db, meta, schemaVersion);
  }

  async open(rawPath: string): Promise<LibraryInfo> {
    const path = expandUserPath(rawPath);
    const dbFile = join(path, DATABASE_FILE);
    if (!existsSync(path)) throw new ApiError('NOT_FOUND', `${path} does not exist. Check the path, or create a new library there.`);
    if (!existsSync(dbFile)) {
      throw new ApiError(
        'NOT_A_LIBRARY',
        `${path} is not a library: it has no ${DATABASE_FILE}. Create a library there, or choose the folder that holds ${DATABASE_FILE}.`,
      );
    }
    if (this.open_?.info.path === path) return this.open_.info;
    const { db, schemaVersion } = openLibraryDatabase(dbFile, { create: false });
    const meta = new LibraryMeta(db);
    if (!meta.isInitialised()) meta.initialise(basename(path) || path);
    mkdirSync(join(path, MEDIA_FOLDER), { recursive: true });
    return this.adopt(path, db, meta, schemaVersion);
  }

  async close(): Promise<void> {
    const current = this.open_;
    if (!current) return;
    await this.hooks.closing?.();
    this.open_ = null;
    current.db.close();
    this.hooks.changed?.(null);
  }

  usage(): LibraryUsage {
    return this.require().meta.usage();
  }

  saveUsage(usage: LibraryUsage): void {
    this.require().meta.saveUsage(usage);
  }

  private async adopt(path: string, db: LibraryDatabase, meta: LibraryMeta, schemaVersion: number): Promise<LibraryInfo> {
    await this.close();
    const info: LibraryInfo = {
      path,
      name: meta.name(),
      databasePath: join(path, DATABASE_FILE),
      mediaPath: join(path, MEDIA_FOLDER),
      createdAt: meta.createdAt(),
      schemaVersion,
    };
    this.open_ = { info, db, meta };
    this.hooks.opened?.(db, info);
    this.hooks.changed?.(info);
    return info;
  }

  private require(): OpenLibrary {
    if (!this.open_) throw new ApiError('LIBRARY_NOT_OPEN', 'no library is open: create one or open an existing library first');
    return this.open_;
  }
}
