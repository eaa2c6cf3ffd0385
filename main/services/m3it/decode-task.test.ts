import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { decodeM3itTask, existingImages } from './decode-task';
import { lineRanges, readJsonlLines } from './jsonl-lines';

// M3IT's JSONL made here: real JPEG and PNG bytes from ffmpeg, a line of megabytes, and the damage real downloads
// show (a line that is not JSON, bad base64, a last line cut short).

function image(dir: string, name: string, size: string): Buffer {
  const path = join(dir, name);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=${size}`, '-frames:v', '1', path]);
  return readFileSync(path);
}

const line = (b64: string, i: number) =>
  JSON.stringify({ instruction: `Answer question ${i}.`, inputs: `What is shown in image ${i}?`, outputs: `A test card ${i}.`, image_base64_str: [b64] });

describe('M3IT decoding', () => {
  it('writes record i as train/<i>.jpg byte for byte, says which are not JPEG, and a rerun writes nothing', async () => {
    const work = tempDir();
    const jpeg = image(work, 'a.jpg', '64x48');
    const png = image(work, 'b.png', '32x32');
    const big = Buffer.concat([jpeg, Buffer.alloc(6 * 1024 * 1024, 7)]);
    const file = join(work, 'train.jsonl');
    writeFileSync(file, `${[line(jpeg.toString('base64'), 0), line(png.toString('base64'), 1), '', line(big.toString('base64'), 2)].join('\r\n')}\n`);
    const out = join(work, 'out');
    const first = await decodeM3itTask({ file, outDir: out, keep: new Set([1]) });
    expect(first).toMatchObject({ records: 3, written: 3, unchanged: 0, notJpeg: [{ index: 1, format: 'png' }], problems: [] });
    expect(first.kept.get(1)).toEqual({ instruction: 'Answer question 1.', inputs: 'What is shown in image 1?', outputs: 'A test card 1.' });
    expect(readFileSync(join(out, 'train', '0.jpg')).equals(jpeg)).toBe(true);
    expect(readFileSync(join(out, 'train', '1.jpg')).equals(png)).toBe(true);
    expect(readFileSync(join(out, 'train', '2.jpg')).equals(big)).toBe(true);
    expect(readdirSync(join(out, 'train')).sort()).toEqual(['0.jpg', '1.jpg', '2.jpg']);
    const again = await decodeM3itTask({ file, outDir: out, existing: await existingImages(join(out, 'train')) });
    expect(again).toMatchObject({ records: 3, written: 0, unchanged: 3 });
  });

  it('names the line and byte of each bad record and still decodes the others', async () => {
    const work = tempDir();
    const jpeg = image(work, 'a.jpg', '16x16');
    const good = line(jpeg.toString('base64'), 0);
    const lines = [good, '{"instruction": "x", "image_base64_str": ["@@not base64@@"]}', 'not json at all', good, good.slice(0, 40)];
    const file = join(work, 'train.jsonl');
    writeFileSync(file, lines.join('\n'));
    const out = join(work, 'out');
    const summary = await decodeM3itTask({ file, outDir: out });
    const offsets = lines.map((_, i) => lines.slice(0, i).join('\n').length + (i > 0 ? 1 : 0));
    expect(summary.records).toBe(5);
    expect(summary.written).toBe(2);
    expect(summary.problems).toEqual([
      { index: 1, offset: offsets[1], reason: 'image_base64_str[0] is not valid base64' },
      { index: 2, offset: offsets[2], reason: expect.stringMatching(/^invalid JSON/) },
      { index: 4, offset: offsets[4], reason: 'the last line is cut short (the download ended early?)' },
    ]);
    expect(existsSync(join(out, 'train', '3.jpg'))).toBe(true);
    expect(existsSync(join(out, 'train', '1.jpg'))).toBe(false);
  });

  it('reads lines longer than its chunks whole, and their offsets exactly', async () => {
    const work = tempDir();
    const file = join(work, 'x.jsonl');
    writeFileSync(file, `${'a'.repeat(10)}\n${'b'.repeat(5000)}\n\n${'c'.repeat(3)}`);
    const lines = [];
    for await (const l of readJsonlLines(file, { chunkBytes: 64 }))
      lines.push({ index: l.index, offset: l.offset, length: l.bytes.length, terminated: l.terminated });
    expect(lines).toEqual([
      { index: 0, offset: 0, length: 10, terminated: true },
      { index: 1, offset: 11, length: 5000, terminated: true },
      { index: 2, offset: 5013, length: 3, terminated: false },
    ]);
  });

  it('cuts a file into ranges at lines whose first indices match a whole read, blank lines and CRLF included', async () => {
    const work = tempDir();
    const file = join(work, 'x.jsonl');
    const lines = ['{"a":1}', '', '  ', `{"b":"${'x'.repeat(3000)}"}`, '{"c":3}\r', '\r', '{"d":4}', '{"e":5}'];
    writeFileSync(file, lines.join('\n'));
    const whole = [];
    for await (const l of readJsonlLines(file)) whole.push([l.index, l.offset, l.bytes.toString()]);
    for (const parts of [1, 2, 3, 7, 40]) {
      const ranges = await lineRanges(file, parts, 16);
      expect(ranges[0]?.start).toBe(0);
      expect(ranges.at(-1)?.end).toBe(readFileSync(file).length);
      const pieces = [];
      for (const range of ranges) for await (const l of readJsonlLines(file, { range, chunkBytes: 16 })) pieces.push([l.index, l.offset, l.bytes.toString()]);
      expect(pieces).toEqual(whole);
    }
    expect(whole.map((w) => w[0])).toEqual([0, 1, 2, 3, 4]);
  });

  it('decodes a task over ranges to exactly what one pass writes', async () => {
    const work = tempDir();
    const jpeg = image(work, 'a.jpg', '24x24');
    const file = join(work, 'train.jsonl');
    writeFileSync(file, `${Array.from({ length: 9 }, (_, i) => line(Buffer.concat([jpeg, Buffer.from([i])]).toString('base64'), i)).join('\n\n')}\n`);
    const out = join(work, 'out');
    const ranges = await lineRanges(file, 3);
    expect(ranges.length).toBe(3);
    const parts = await Promise.all(ranges.map((range) => decodeM3itTask({ file, outDir: out, range, keep: new Set([0, 8]) })));
    expect(parts.reduce((n, p) => n + p.records, 0)).toBe(9);
    for (let i = 0; i < 9; i++) expect(readFileSync(join(out, 'train', `${i}.jpg`)).at(-1)).toBe(i);
    expect(parts.flatMap((p) => [...p.kept.keys()]).sort()).toEqual([0, 8]);
    expect(readdirSync(join(out, 'train')).filter((n) => n.endsWith('.partial'))).toEqual([]);
  });
});
