import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { apiErrorOf } from '../../../tests/fixtures/api-error';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { type LibraryDatabase, openLibraryDatabase } from './db';
import type { FileSystemKind } from './file-system';
import { LibraryService } from './library-service';
import { OWNER_FILE } from './owner-note';

const NFS: FileSystemKind = { shared: true, name: 'NFS' };
const onNfs = () => new LibraryService({}, { detectFileSystem: () => NFS, program: 'vc2m' });

const children: Array<{ kill: () => void }> = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill();
});

function note(root: string, fields: Record<string, unknown>): void {
  writeFileSync(join(root, OWNER_FILE), JSON.stringify({ program: 'the VC2 Media Manager app', startedAt: '2026-01-02T03:04:05.000Z', token: 'x', ...fields }));
}

async function localLibrary(): Promise<string> {
  const root = join(tempDir(), 'lib');
  const service = new LibraryService();
  await service.create(root);
  await service.close();
  return root;
}

describe('a library on a network file system (detection faked)', () => {
  it('uses the rollback journal with FULL sync, leaves no -wal or -shm, and holds an owner note until closed', async () => {
    const root = join(tempDir(), 'lib');
    const library = onNfs();
    await library.create(root);
    const db = library.database();
    expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.prepare("INSERT INTO library_meta (key, value) VALUES ('probe', '1')").run();
    expect(readdirSync(root).sort()).toEqual(['library.owner', 'library.sqlite', 'media']);
    const owner = JSON.parse(readFileSync(join(root, OWNER_FILE), 'utf8'));
    expect(owner).toMatchObject({ pid: process.pid, host: hostname(), program: 'vc2m' });
    expect(Date.parse(owner.startedAt)).not.toBeNaN();
    await library.close();
    expect(existsSync(join(root, OWNER_FILE))).toBe(false);
  });

  it('a second opener of the same process is refused, and one exit listener per open library is all that is left', async () => {
    const root = join(tempDir(), 'lib');
    const listeners = process.listenerCount('exit');
    const first = onNfs();
    await first.create(root);
    const error = await apiErrorOf(onNfs().open(root));
    expect(error.code).toBe('LIBRARY_IN_USE');
    expect(error.message).toMatch(new RegExp(`is in use by vc2m \\(pid ${process.pid} on host .+, this same process\\) since .+; close it there first`));
    expect(process.listenerCount('exit')).toBe(listeners + 1);
    await first.close();
    expect(process.listenerCount('exit')).toBe(listeners);
    const second = onNfs();
    await second.open(root);
    await second.close();
  });

  it('another live process on this host holds it: refused with its program, pid, host and start time', async () => {
    const root = await localLibrary();
    const other = spawn('sleep', ['30']);
    children.push({ kill: () => other.kill() });
    note(root, { pid: other.pid, host: hostname() });
    const error = await apiErrorOf(onNfs().open(root));
    expect(error.code).toBe('LIBRARY_IN_USE');
    expect(error.message).toBe(
      `${root} is in use by the VC2 Media Manager app (pid ${other.pid} on host ${hostname()}) since 2026-01-02T03:04:05.000Z; close it there first. ` +
        `On this NFS file system only one program at a time may have a library open. If that program is no longer running, delete ${join(root, OWNER_FILE)} and try again.`,
    );
    // The refused opener touched neither the note nor the journal mode.
    expect(JSON.parse(readFileSync(join(root, OWNER_FILE), 'utf8')).pid).toBe(other.pid);
    expect(existsSync(join(root, 'library.sqlite-wal'))).toBe(false);
  });

  it('a note of another host is honoured (its process cannot be checked from here)', async () => {
    const root = await localLibrary();
    note(root, { pid: 1234, host: 'node17.cluster' });
    const error = await apiErrorOf(onNfs().open(root));
    expect(error.code).toBe('LIBRARY_IN_USE');
    expect(error.message).toMatch(/in use by the VC2 Media Manager app \(pid 1234 on host node17\.cluster\)/);
    // Also from a local disk: only a program reaching this folder over the network would have written it.
    const fromLocal = await apiErrorOf(new LibraryService().open(root));
    expect(fromLocal.code).toBe('LIBRARY_IN_USE');
    expect(fromLocal.message).toMatch(/It was opened over a network file system/);
  });

  it('a note whose process has gone from this host is stale and replaced', async () => {
    const root = await localLibrary();
    const gone = spawnSync('true').pid;
    note(root, { pid: gone, host: hostname() });
    const library = onNfs();
    await library.open(root);
    expect(JSON.parse(readFileSync(join(root, OWNER_FILE), 'utf8')).pid).toBe(process.pid);
    await library.close();
    expect(readdirSync(root).sort()).toEqual(['library.sqlite', 'media']);
  });

  it('an unreadable note is refused with the way out', async () => {
    const root = await localLibrary();
    writeFileSync(join(root, OWNER_FILE), '');
    const error = await apiErrorOf(onNfs().open(root));
    expect(error.code).toBe('LIBRARY_IN_USE');
    expect(error.message).toMatch(/cannot be read.*delete .*library\.owner and try again/);
  });

  it("the holder's other connections (as its ingest workers open them) still work; another process's do not", async () => {
    const root = join(tempDir(), 'lib');
    const library = onNfs();
    const info = await library.create(root);
    const worker = openLibraryDatabase(info.databasePath, { create: false, fileSystem: NFS });
    expect(worker.lease).toBeNull();
    expect(worker.db.pragma('journal_mode', { simple: true })).toBe('delete');
    worker.db.prepare("INSERT INTO library_meta (key, value) VALUES ('from-worker', '1')").run();
    expect(library.database().prepare("SELECT value FROM library_meta WHERE key = 'from-worker'").pluck().get()).toBe('1');
    worker.db.close();
    await library.close();

    const other = spawn('sleep', ['30']);
    children.push({ kill: () => other.kill() });
    note(root, { pid: other.pid, host: hostname() });
    const error = await apiErrorOf(Promise.resolve().then(() => openLibraryDatabase(info.databasePath, { create: false, fileSystem: NFS })));
    expect(error.code).toBe('LIBRARY_IN_USE');
  });

  it('a WAL library moved onto the network share leaves WAL cleanly, keeps its data, and goes back to WAL on a local disk', async () => {
    const root = join(tempDir(), 'lib');
    const local = new LibraryService();
    const created = await local.create(root);
    local.database().prepare("INSERT INTO library_meta (key, value) VALUES ('kept', 'yes')").run();
    await local.close();
    expect(readFileSync(created.databasePath).subarray(18, 20)).toEqual(Buffer.from([2, 2]));

    const shared = onNfs();
    expect(await shared.open(root)).toEqual(created);
    const db: LibraryDatabase = shared.database();
    expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(db.prepare("SELECT value FROM library_meta WHERE key = 'kept'").pluck().get()).toBe('yes');
    expect(readdirSync(root).sort()).toEqual(['library.owner', 'library.sqlite', 'media']);
    await shared.close();
    expect(readFileSync(created.databasePath).subarray(18, 20)).toEqual(Buffer.from([1, 1]));

    const back = new LibraryService();
    await back.open(root);
    expect(back.database().pragma('journal_mode', { simple: true })).toBe('wal');
    await back.close();
  });

  it('a refused file on the share gets no owner note either', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'library.sqlite'), 'hello');
    expect((await apiErrorOf(onNfs().open(dir))).code).toBe('NOT_A_LIBRARY');
    expect(readdirSync(dir)).toEqual(['library.sqlite']);
  });
});
