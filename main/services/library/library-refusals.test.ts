import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { apiErrorOf } from '../../../tests/fixtures/api-error';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { LibraryService } from './library-service';

/** Everything that would show the file was touched: its bytes, its size, its mtime, and what lies beside it. */
function fingerprint(dir: string) {
  const file = join(dir, 'library.sqlite');
  const info = statSync(file);
  return {
    sha256: createHash('sha256').update(readFileSync(file)).digest('hex'),
    size: info.size,
    mtimeMs: info.mtimeMs,
    entries: readdirSync(dir).sort(),
  };
}

/** A library folder whose library.sqlite is made by `make`, with its mtime in the past so any write would show. */
async function folderWith(make: (file: string) => void | Promise<void>): Promise<string> {
  const dir = tempDir();
  const file = join(dir, 'library.sqlite');
  await make(file);
  const past = new Date('2020-01-01T00:00:00Z');
  utimesSync(file, past, past);
  return dir;
}

describe('opening a file that is not ours changes nothing in it', () => {
  const cases: Array<{ name: string; make: (file: string) => void | Promise<void>; message: RegExp; code: string }> = [
    {
      name: 'an SQLite database of another program with user_version 0 and tables',
      make: (file) => {
        const db = new Database(file);
        db.exec('CREATE TABLE foo (x); CREATE TABLE bar (y); INSERT INTO foo VALUES (1)');
        db.close();
      },
      message: /an SQLite database of another program with tables foo, bar/,
      code: 'NOT_A_LIBRARY',
    },
    {
      name: 'another program’s database in WAL mode',
      make: (file) => {
        const db = new Database(file);
        db.pragma('journal_mode = WAL');
        db.pragma('application_id = 1196444487');
        db.exec('CREATE TABLE gpkg_contents (x)');
        db.close();
      },
      message: /application id 0x47504b47 "GPKG".*with tables gpkg_contents/,
      code: 'NOT_A_LIBRARY',
    },
    {
      name: 'a file of random bytes',
      make: (file) => writeFileSync(file, randomBytes(8192)),
      message: /is not an SQLite file/,
      code: 'NOT_A_LIBRARY',
    },
    {
      name: 'a zero-byte file',
      make: (file) => writeFileSync(file, ''),
      message: /is empty \(0 bytes\)/,
      code: 'NOT_A_LIBRARY',
    },
    {
      name: 'a library of a newer app version',
      make: async (file) => {
        const service = new LibraryService();
        await service.create(dirname(file));
        service.database().pragma('user_version = 990');
        await service.close();
      },
      message: /newer VC2 Media Manager .*Update the app/,
      code: 'LIBRARY_TOO_NEW',
    },
  ];

  for (const c of cases) {
    it(`refuses ${c.name}, saying what it is, without a byte changing`, async () => {
      const dir = await folderWith(c.make);
      const before = fingerprint(dir);
      const error = await apiErrorOf(new LibraryService().open(dir));
      expect(error.code).toBe(c.code);
      expect(error.message).toMatch(c.message);
      expect(error.message).toContain(join(dir, 'library.sqlite'));
      // No -wal, -shm or -journal left behind, and no media/ made for a library that was refused.
      expect(fingerprint(dir)).toEqual(before);
    });
  }

  it('creates into an empty SQLite file (no schema, user_version 0, application_id 0)', async () => {
    const dir = await folderWith((file) => {
      const db = new Database(file);
      db.pragma('page_size = 8192');
      db.exec('VACUUM');
      db.close();
    });
    const library = new LibraryService();
    const info = await library.open(dir);
    expect(info.schemaVersion).toBeGreaterThan(0);
    await library.close();
  });
});

describe('a library the user may not write', () => {
  // Root writes through any file mode, so as root the test drops to nobody for the open (seteuid is reversible).
  const asUser = async <T>(dir: string, work: () => Promise<T>): Promise<T> => {
    if (process.getuid?.() !== 0) return work();
    if (!process.seteuid) throw new Error('running as root in a worker thread: seteuid is unavailable, so a read-only file cannot be shown');
    chmodSync(join(dir, '..'), 0o755);
    for (const entry of [dir, ...readdirSync(dir).map((e) => join(dir, e))]) chownSync(entry, 65534, 65534);
    process.seteuid(65534);
    try {
      return await work();
    } finally {
      process.seteuid(0);
    }
  };

  async function library(): Promise<string> {
    const root = join(tempDir(), 'lib');
    const service = new LibraryService();
    await service.create(root);
    await service.close();
    return root;
  }

  it('a read-only library.sqlite (mode 0444) is refused as READ_ONLY, naming the file and the fix, and stays as it was', async () => {
    const root = await library();
    chmodSync(join(root, 'library.sqlite'), 0o444);
    const before = fingerprint(root);
    const error = await asUser(root, () => apiErrorOf(new LibraryService().open(root)));
    expect(error.code).toBe('READ_ONLY');
    expect(error.message).toContain(join(root, 'library.sqlite'));
    expect(error.message).toMatch(/is read-only: give your user write permission on it \(chmod u\+w .*\) or copy the library to a writable disk/);
    expect(fingerprint(root)).toEqual(before);
  });

  it('a read-only library folder is refused as READ_ONLY, naming the folder, and nothing in it changes', async () => {
    const root = await library();
    const before = fingerprint(root);
    const error = await asUser(root, async () => {
      chmodSync(root, 0o555);
      try {
        return await apiErrorOf(new LibraryService().open(root));
      } finally {
        chmodSync(root, 0o755);
      }
    });
    expect(error.code).toBe('READ_ONLY');
    expect(error.message).toMatch(new RegExp(`^${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is read-only`));
    expect(error.message).toMatch(/chmod u\+w/);
    expect(fingerprint(root)).toEqual(before);
  });
});

describe('a file where the media folder belongs', () => {
  it('library.open says which path is in the way, and does not open the library', async () => {
    const root = join(tempDir(), 'lib');
    const service = new LibraryService();
    await service.create(root);
    await service.close();
    rmSync(join(root, 'media'), { recursive: true });
    writeFileSync(join(root, 'media'), 'not a folder');
    const error = await apiErrorOf(new LibraryService().open(root));
    expect(error.code).toBe('IO_ERROR');
    expect(error.message).toContain(join(root, 'media'));
    expect(error.message).toMatch(/is a file, but the library keeps its media files in a folder of that name/);
  });

  it('library.create says the same, and makes no library.sqlite', async () => {
    const root = tempDir();
    writeFileSync(join(root, 'media'), 'not a folder');
    const error = await apiErrorOf(new LibraryService().create(root));
    expect(error.code).toBe('IO_ERROR');
    expect(error.message).toContain(join(root, 'media'));
    expect(existsSync(join(root, 'library.sqlite'))).toBe(false);
  });
});
