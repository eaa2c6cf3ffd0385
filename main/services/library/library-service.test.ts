import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { apiErrorOf } from '../../../tests/fixtures/api-error';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { LibraryService } from './library-service';
import { LATEST_SCHEMA_VERSION } from './migrations/index';

describe('LibraryService', () => {
  it('creates a library folder with library.sqlite in WAL mode and media/', async () => {
    const root = join(tempDir(), 'My Library');
    const library = new LibraryService();
    const info = await library.create(root);
    expect(info).toMatchObject({
      path: root,
      name: 'My Library',
      databasePath: join(root, 'library.sqlite'),
      mediaPath: join(root, 'media'),
      schemaVersion: LATEST_SCHEMA_VERSION,
    });
    expect(existsSync(join(root, 'media'))).toBe(true);
    expect(library.database().pragma('journal_mode', { simple: true })).toBe('wal');
    await library.close();
  });

  it('reopens a library with its name and creation time, after the service is gone', async () => {
    const root = join(tempDir(), 'lib');
    const first = new LibraryService();
    const created = await first.create(root);
    await first.close();
    const second = new LibraryService();
    const reopened = await second.open(root);
    expect(reopened).toEqual(created);
    await second.close();
  });

  it('refuses to create over an existing library, and says to open it', async () => {
    const root = join(tempDir(), 'lib');
    const library = new LibraryService();
    await library.create(root);
    const error = await apiErrorOf(new LibraryService().create(root));
    expect(error.code).toBe('LIBRARY_EXISTS');
    expect(error.message).toContain(root);
    expect(error.message).toMatch(/Open it instead/);
    await library.close();
  });

  it('explains a folder that is not a library and one that does not exist', async () => {
    const dir = tempDir();
    const notLibrary = await apiErrorOf(new LibraryService().open(dir));
    expect(notLibrary.code).toBe('NOT_A_LIBRARY');
    expect(notLibrary.message).toContain('library.sqlite');
    const missing = await apiErrorOf(new LibraryService().open(join(dir, 'nope')));
    expect(missing.code).toBe('NOT_FOUND');
  });

  it('refuses an SQLite file from another program without touching it', async () => {
    const dir = tempDir();
    const foreign = new Database(join(dir, 'library.sqlite'));
    foreign.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    foreign.pragma('user_version = 3');
    foreign.close();
    const error = await apiErrorOf(new LibraryService().open(dir));
    expect(error.code).toBe('NOT_A_LIBRARY');
    const again = new Database(join(dir, 'library.sqlite'));
    expect(again.pragma('user_version', { simple: true })).toBe(3);
    again.close();
  });

  it('refuses a library written by a newer app, naming the file and the fix', async () => {
    const root = join(tempDir(), 'lib');
    const library = new LibraryService();
    await library.create(root);
    library.database().pragma('user_version = 990');
    await library.close();
    const error = await apiErrorOf(new LibraryService().open(root));
    expect(error.code).toBe('LIBRARY_TOO_NEW');
    expect(error.message).toContain(join(root, 'library.sqlite'));
    expect(error.message).toMatch(/Update the app/);
  });

  it('rejects a file where a folder is expected', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), 'x');
    expect((await apiErrorOf(new LibraryService().create(join(dir, 'file')))).code).toBe('IO_ERROR');
  });

  it('keeps the disk usage it measured', async () => {
    const root = join(tempDir(), 'lib');
    mkdirSync(root);
    const library = new LibraryService();
    await library.create(root);
    expect(library.usage().measuredAt).toBeNull();
    library.saveUsage({ measuredAt: '2026-01-01T00:00:00.000Z', bytes: 5, files: 1, folders: [{ name: 'media', bytes: 5, files: 1 }] });
    await library.close();
    const again = new LibraryService();
    await again.open(root);
    expect(again.usage().bytes).toBe(5);
    await again.close();
  });

  it('tells the user to open a library when none is open', () => {
    expect(() => new LibraryService().database()).toThrow(/no library is open/);
  });
});
