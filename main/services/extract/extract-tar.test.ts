import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { extractTar } from './extract-tar';

// Archives made by Python's tarfile (GNU/PAX tar, gzip), including the hostile ones.
function makeTar(entries: Array<{ name: string; data?: string; symlink?: string; hardlink?: string }>, gz = true): string {
  const out = join(tempDir(), gz ? 'archive.tar.gz' : 'archive.tar');
  const script = `
import io, json, sys, tarfile
entries = json.loads(sys.argv[2])
with tarfile.open(sys.argv[1], 'w:gz' if sys.argv[3] == '1' else 'w') as t:
    for e in entries:
        info = tarfile.TarInfo(e['name'])
        if 'symlink' in e:
            info.type = tarfile.SYMTYPE; info.linkname = e['symlink']; t.addfile(info)
        elif 'hardlink' in e:
            info.type = tarfile.LNKTYPE; info.linkname = e['hardlink']; t.addfile(info)
        else:
            data = e.get('data', '').encode(); info.size = len(data); t.addfile(info, io.BytesIO(data))
`;
  execFileSync('python3', ['-c', script, out, JSON.stringify(entries), gz ? '1' : '0']);
  return out;
}

const listAll = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();

describe('extractTar', () => {
  it('extracts a tar.gz into place without leaving its staging folder, skipping macOS junk; a second run rewrites nothing', async () => {
    const archive = makeTar([
      { name: 'k400/train/abseiling/Bw6m04_IxTI_000010_000020.mp4', data: 'clip a' },
      { name: 'k400/train/abseiling/zzzzzzzzzzz_000000_000010.mp4', data: 'clip b' },
      { name: 'k400/train/._abseiling', data: 'junk' },
      { name: '__MACOSX/x', data: 'junk' },
    ]);
    const dest = tempDir();
    const result = await extractTar(archive, dest);
    expect(result).toMatchObject({ written: 2, kept: 0 });
    expect(listAll(dest)).toEqual(['k400/train/abseiling/Bw6m04_IxTI_000010_000020.mp4', 'k400/train/abseiling/zzzzzzzzzzz_000000_000010.mp4']);
    expect(readFileSync(join(dest, 'k400/train/abseiling/Bw6m04_IxTI_000010_000020.mp4'), 'utf8')).toBe('clip a');
    expect(await extractTar(archive, dest)).toMatchObject({ written: 0, kept: 2 });
  });

  it('reads a tar.gz split in bytes (as ssv2 ships) as one stream, without a joined copy', async () => {
    const whole = readFileSync(
      makeTar(Array.from({ length: 30 }, (_, i) => ({ name: `20bn-something-something-v2/${i}.webm`, data: `video ${i} `.repeat(300) }))),
    );
    const parts = tempDir();
    const names: string[] = [];
    for (let i = 0, at = 0; at < whole.length; i++, at += 4000) {
      const name = join(parts, `20bn-something-something-v2-${String(i).padStart(2, '0')}`);
      writeFileSync(name, whole.subarray(at, at + 4000));
      names.push(name);
    }
    const dest = tempDir();
    expect((await extractTar(names, dest)).written).toBe(30);
    expect(readFileSync(join(dest, '20bn-something-something-v2/17.webm'), 'utf8')).toBe('video 17 '.repeat(300));
    expect(readdirSync(parts)).toHaveLength(names.length);
  });

  for (const [what, entries, named] of [
    [
      'a path with ..',
      [
        { name: 'ok/1.mp4', data: 'x' },
        { name: '../evil.txt', data: 'pwned' },
      ],
      /the entry \.\.\/evil\.txt would land outside/,
    ],
    ['an absolute path', [{ name: '/tmp/evil.txt', data: 'pwned' }], /the entry \/tmp\/evil\.txt would land outside/],
    ['a symlink out of the folder', [{ name: 'ok/etc', symlink: '/etc' }], /ok\/etc is a link to \/etc, outside/],
    ['a hard link out of the folder', [{ name: 'ok/passwd', hardlink: '../../etc/passwd' }], /ok\/passwd is a link to \.\.\/\.\.\/etc\/passwd, outside/],
    [
      'a file written through a link',
      [
        { name: 'ok/up', symlink: '.' },
        { name: 'ok/up/x.txt', data: 'x' },
      ],
      /ok\/up\/x\.txt would be written through a link/,
    ],
  ] as const) {
    it(`refuses an archive holding ${what} whole, naming the entry, before writing anything`, async () => {
      const archive = makeTar(entries as unknown as Array<{ name: string; data?: string; symlink?: string; hardlink?: string }>);
      const outer = tempDir();
      const dest = join(outer, 'media');
      mkdirSync(dest);
      const error = await extractTar(archive, dest).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'BAD_ARCHIVE' });
      expect((error as Error).message).toMatch(named);
      expect((error as Error).message).toMatch(/nothing was extracted/);
      expect(listAll(outer)).toEqual([]);
    });
  }

  it('a truncated archive fails with its name and leaves nothing behind', async () => {
    const archive = makeTar([{ name: 'a/1.mp4', data: 'x'.repeat(100_000) }], false);
    const bytes = readFileSync(archive);
    writeFileSync(archive, bytes.subarray(0, 20_000));
    const dest = tempDir();
    const error = await extractTar(archive, dest).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_ARCHIVE' });
    expect(listAll(dest)).toEqual([]);
  });
});
