import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spannedZip } from '../../../tests/fixtures/spanned-zip';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { zipOf } from '../../../tests/fixtures/zip-of';
import { extractZip } from './extract-zip';

// Archives made by Python's zipfile (Info-ZIP compatible, Zip64 when forced), including the hostile ones.
function makeZip(entries: Array<{ name: string; data?: string; link?: string }>, options: { zip64?: boolean } = {}): string {
  const out = join(tempDir(), 'archive.zip');
  const script = `
import json, sys, zipfile, stat
entries = json.loads(sys.argv[2])
with zipfile.ZipFile(sys.argv[1], 'w', compression=zipfile.ZIP_DEFLATED) as z:
    for e in entries:
        info = zipfile.ZipInfo(e['name'])
        info.compress_type = zipfile.ZIP_DEFLATED
        if 'link' in e:
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            z.writestr(info, e['link'])
        elif ${options.zip64 ? 'True' : 'False'}:
            with z.open(info, 'w', force_zip64=True) as f:
                f.write(e.get('data', '').encode())
        else:
            z.writestr(info, e.get('data', ''))
`;
  execFileSync('python3', ['-c', script, out, JSON.stringify(entries)]);
  return out;
}

const listAll = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();

describe('extractZip', () => {
  it('extracts every file into place, skips macOS junk, and leaves no temporary file', async () => {
    const zip = makeZip([
      { name: 'egoqa/videos/abc/split_0.mp4', data: 'clip zero' },
      { name: 'egoqa/videos/abc/split_1.mp4', data: 'clip one' },
      { name: '__MACOSX/egoqa/._split_0.mp4', data: 'resource fork' },
      { name: 'egoqa/.DS_Store', data: 'x' },
      { name: 'egoqa/videos/._split_1.mp4', data: 'y' },
    ]);
    const dest = tempDir();
    const result = await extractZip(zip, dest);
    expect(result).toMatchObject({ written: 2, kept: 0, junk: 3 });
    expect(listAll(dest)).toEqual(['egoqa/videos/abc/split_0.mp4', 'egoqa/videos/abc/split_1.mp4']);
    expect(readFileSync(join(dest, 'egoqa/videos/abc/split_1.mp4'), 'utf8')).toBe('clip one');
  });

  it('extracts stored entries (no compression, as most video zips are) and deflated ones alike, byte for byte', async () => {
    const zip = join(tempDir(), 'stored.zip');
    const stored = zipOf(
      [
        { name: 'a/one.mp4', size: 700_000 },
        { name: 'a/two.mp4', size: 3 },
      ],
      zip,
    );
    const dest = tempDir();
    expect(await extractZip(zip, dest)).toMatchObject({ written: 2, bytes: 700_003 });
    expect(listAll(dest)).toEqual(['a/one.mp4', 'a/two.mp4']);
    // The stored bytes sit in the archive as they are: the extracted file is that run of the archive.
    const one = readFileSync(join(dest, 'a/one.mp4'));
    expect(stored.includes(one.subarray(0, 64))).toBe(true);
    expect(one.length).toBe(700_000);
  });

  it('reads Zip64 archives, and a second extraction rewrites nothing already there', async () => {
    const zip = makeZip(
      [
        { name: 'a/1.mp4', data: 'one' },
        { name: 'a/2.mp4', data: 'two' },
      ],
      { zip64: true },
    );
    const dest = tempDir();
    expect(await extractZip(zip, dest)).toMatchObject({ written: 2 });
    expect(await extractZip(zip, dest)).toMatchObject({ written: 0, kept: 2 });
  });

  it('reads byte-split parts as one archive, in order, without writing the joined copy', async () => {
    const whole = readFileSync(
      makeZip(Array.from({ length: 20 }, (_, i) => ({ name: `youcook/training/101/v${i}/split_0.mp4`, data: `clip ${i} `.repeat(500) }))),
    );
    const parts = tempDir();
    const cut = [Math.floor(whole.length / 3), Math.floor((2 * whole.length) / 3)];
    writeFileSync(join(parts, 'youcook_split_videos.zip.partaa'), whole.subarray(0, cut[0]));
    writeFileSync(join(parts, 'youcook_split_videos.zip.partab'), whole.subarray(cut[0], cut[1]));
    writeFileSync(join(parts, 'youcook_split_videos.zip.partac'), whole.subarray(cut[1]));
    const dest = tempDir();
    const result = await extractZip(
      ['partaa', 'partab', 'partac'].map((p) => join(parts, `youcook_split_videos.zip.${p}`)),
      dest,
    );
    expect(result.written).toBe(20);
    expect(readFileSync(join(dest, 'youcook/training/101/v7/split_0.mp4'), 'utf8')).toBe('clip 7 '.repeat(500));
    expect(readdirSync(parts).sort()).toEqual(['youcook_split_videos.zip.partaa', 'youcook_split_videos.zip.partab', 'youcook_split_videos.zip.partac']);
  });

  for (const [what, entries, named] of [
    [
      'a path with ..',
      [
        { name: 'ok/1.mp4', data: 'fine' },
        { name: 'ok/../../evil.txt', data: 'pwned' },
      ],
      /evil\.txt/,
    ],
    [
      'an absolute path',
      [
        { name: 'ok/1.mp4', data: 'fine' },
        { name: '/tmp/evil.txt', data: 'pwned' },
      ],
      /absolute path: \/tmp\/evil\.txt/,
    ],
    [
      'a link out of the folder',
      [
        { name: 'ok/1.mp4', data: 'fine' },
        { name: 'ok/etc', link: '/etc' },
      ],
      /ok\/etc is a link to \/etc, outside the folder/,
    ],
    [
      'a file written through a link',
      [
        { name: 'ok/1.mp4', data: 'fine' },
        { name: 'ok/up', link: '..' },
        { name: 'ok/up/x.txt', data: 'x' },
      ],
      /ok\/up\/x\.txt would be written through the link ok\/up|ok\/up is a link/,
    ],
  ] as const) {
    it(`refuses an archive holding ${what} whole, naming the entry, before writing anything`, async () => {
      const zip = makeZip(entries as unknown as Array<{ name: string; data?: string; link?: string }>);
      const outer = tempDir();
      const dest = join(outer, 'media');
      mkdirSync(dest);
      const error = await extractZip(zip, dest).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'BAD_ARCHIVE' });
      expect((error as Error).message).toMatch(named);
      expect((error as Error).message).toMatch(/nothing was extracted/);
      expect(listAll(outer)).toEqual([]);
    });
  }

  it('a damaged entry fails the extraction with its name and leaves no half-written file', async () => {
    const zip = makeZip([{ name: 'a/1.mp4', data: 'x'.repeat(50_000) }]);
    const bytes = readFileSync(zip);
    // Flip bytes in the middle of the compressed data (past the 30-byte local header and the name).
    for (let i = 60; i < 70; i++) bytes[i] = (bytes[i] as number) ^ 0xff;
    writeFileSync(zip, bytes);
    const dest = tempDir();
    const error = await extractZip(zip, dest).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_ARCHIVE' });
    expect((error as Error).message).toMatch(/^a\/1\.mp4: the entry could not be read/);
    expect(existsSync(join(dest, 'a/1.mp4'))).toBe(false);
    expect(listAll(dest)).toEqual([]);
  });

  it("reads Info-ZIP's spanned parts as one archive (every entry's CRC checked), and names a missing part", async () => {
    const dir = tempDir();
    const parts = spannedZip(dir, 'tgif', ['gifs/tumblr_a_400.gif=90000', 'gifs/tumblr_b_400.gif=130000', 'gifs/tumblr_c_400.gif=70000'], 100_000);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    const dest = join(dir, 'out');
    const result = await extractZip(
      parts.map((p) => join(dir, p)),
      dest,
    );
    expect(result).toMatchObject({ written: 3, bytes: 290_000 });
    expect(statSync(join(dest, 'gifs', 'tumblr_b_400.gif')).size).toBe(130_000);
    const withoutMiddle = [parts[0], ...parts.slice(2)].map((p) => join(dir, p as string));
    const error = await extractZip(withoutMiddle, join(dir, 'out2')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_ARCHIVE', message: expect.stringMatching(/a part is missing; nothing was extracted/) });
  });
});
