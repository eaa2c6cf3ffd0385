import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../tests/fixtures/temp-dir';
import { detectFileSystem } from '../services/library/file-system';
import { LibraryService } from '../services/library/library-service';

// A library really on a FUSE mount (bindfs over a temp folder): the file system the cluster's sshfs, s3fs and
// gcsfuse homes are, and the one a test machine can mount. `scripts/bootstrap.sh test` installs bindfs.

const made: string[] = [];
let mount: string | null = null;
let skipReason: string | null = null;

function vc2m(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [resolve('dist/main/vc2m.js'), ...args], {
    env: { PATH: process.env.PATH, HOME: env.HOME ?? tempDir(), ...env },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function unmount(path: string): void {
  for (const [command, ...args] of [
    ['fusermount', '-u', path],
    ['fusermount3', '-u', path],
    ['umount', path],
  ]) {
    if (spawnSync(command as string, args).status === 0) return;
  }
}

beforeAll(() => {
  if (spawnSync('bindfs', ['--version']).error) {
    skipReason = 'bindfs is not installed (scripts/bootstrap.sh test installs it): no FUSE mount to put a library on';
    return;
  }
  // Not tempDir(): its clean-up runs after each test, and the mount must outlive them all.
  const source = join(dirname(tempDir()), `vc2-fuse-src-${process.pid}`);
  const target = join(dirname(source), `vc2-fuse-mnt-${process.pid}`);
  mkdirSync(source, { recursive: true });
  mkdirSync(target, { recursive: true });
  made.push(source, target);
  const mounted = spawnSync('bindfs', [source, target], { encoding: 'utf8' });
  if (mounted.status !== 0) {
    skipReason = `bindfs could not mount here (${mounted.stderr.trim() || `exit ${mounted.status}`}): this machine has no usable FUSE`;
    return;
  }
  mount = target;
});

afterAll(() => {
  if (mount) unmount(mount);
  for (const dir of made) spawnSync('rm', ['-rf', dir]);
});

const rec = (video: string) => ({ video, QA: [{ i: 'Describe the video.', q: '', a: 'Something happens.' }] });

describe('a library on a FUSE mount', () => {
  it('is detected as FUSE, made with the rollback journal, and imports through worker threads while vc2m holds it', (context) => {
    if (!mount) return context.skip(skipReason ?? 'no mount');
    expect(detectFileSystem(mount)).toEqual({ shared: true, name: 'FUSE' });
    const env = { VC2M_CONFIG_DIR: tempDir() };
    const library = join(mount, 'lib-import');
    expect(vc2m(['init', library], env)).toMatchObject({ code: 0 });
    const tree = tempDir();
    mkdirSync(join(tree, 'video/caption/webvid'), { recursive: true });
    writeFileSync(join(tree, 'video/caption/webvid/train.json'), JSON.stringify([rec('000001_000050/1.mp4'), rec('000001_000050/2.mp4')]));
    // The ingest runs in a worker thread with its own connection, while the CLI's engine holds the owner note.
    const imported = vc2m(['annotations', 'import', tree, '--library', library], env);
    expect(imported).toMatchObject({ code: 0 });
    expect(imported.stdout).toContain('1 ingested');
    // Closed cleanly: no owner note, no journal, and never a -wal or -shm.
    expect(readdirSync(library).filter((name) => name.startsWith('library.'))).toEqual(['library.sqlite']);
    const db = new Database(join(library, 'library.sqlite'), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
    db.close();
  });

  it('a second process is told who holds the library, and may open it once the holder has closed it', async (context) => {
    if (!mount) return context.skip(skipReason ?? 'no mount');
    const env = { VC2M_CONFIG_DIR: tempDir() };
    const library = join(mount, 'lib-held');
    const holder = new LibraryService({}, { program: 'the test holder' });
    await holder.create(library);
    try {
      const refused = vc2m(['status', '--library', library], env);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain(`${library} is in use by the test holder (pid ${process.pid} on host ${hostname()}) since `);
      expect(refused.stderr).toContain('On this FUSE file system only one program at a time may have a library open.');
    } finally {
      await holder.close();
    }
    expect(existsSync(join(library, 'library.owner'))).toBe(false);
    expect(vc2m(['status', '--library', library], env)).toMatchObject({ code: 0 });
  });
});
