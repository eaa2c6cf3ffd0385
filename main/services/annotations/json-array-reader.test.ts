import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { AnnotationFormatError, readJsonArray } from './json-array-reader';

async function readAll(text: string | Buffer, chunkBytes?: number) {
  const file = join(tempDir(), 'train.json');
  writeFileSync(file, text);
  const out: Array<{ value: unknown; index: number; offset: number }> = [];
  for await (const element of readJsonArray(file, chunkBytes ? { chunkBytes } : {})) out.push(element);
  return { file, out };
}

async function errorOf(text: string, chunkBytes?: number): Promise<AnnotationFormatError> {
  try {
    await readAll(text, chunkBytes);
  } catch (error) {
    expect(error).toBeInstanceOf(AnnotationFormatError);
    return error as AnnotationFormatError;
  }
  throw new Error('expected an AnnotationFormatError');
}

const records = [
  { video: '000001_000050/1066682446.mp4', QA: [{ i: 'Describe.', q: '', a: 'A "quoted" answer with \\ backslash and \u00e9 \u4e2d\u6587 ✓' }] },
  { video: 'tumblr_abc.gif', QA: [{ i: '', q: 'What {is} [this]?', a: 'esc \\" still in string' }], start: 1.5, end: 3.25 },
  { image: 'train2014/COCO_train2014_000000021248.jpg', QA: [] },
];

describe('readJsonArray', () => {
  it('yields every record with its index and byte offset, whatever the chunk size', async () => {
    const text = `  \n[\n${records.map((r) => JSON.stringify(r, null, 1)).join(' ,\n')}\n]\n`;
    for (const chunk of [1, 2, 3, 7, 64, 1 << 20]) {
      const { out } = await readAll(text, chunk);
      expect(out.map((e) => e.value)).toEqual(records);
      expect(out.map((e) => e.index)).toEqual([0, 1, 2]);
      const bytes = Buffer.from(text);
      for (const e of out) expect(String.fromCharCode(bytes[e.offset] as number)).toBe('{');
    }
  });

  it('reads an empty array, a byte order mark, and scalar elements', async () => {
    expect((await readAll('[]')).out).toEqual([]);
    expect((await readAll(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('[{"a":1}]')]))).out.map((e) => e.value)).toEqual([{ a: 1 }]);
    expect((await readAll('[1, "x", null,true]', 2)).out.map((e) => e.value)).toEqual([1, 'x', null, true]);
  });

  it('names the file and the byte offset of a syntax error inside a record', async () => {
    const good = '[{"video":"a.mp4","QA":[]},\n';
    const error = await errorOf(`${good}{"video":"b.mp4","QA":[} ]`, 5);
    expect(error.message).toContain('train.json');
    expect(error.offset).toBe(good.length + '{"video":"b.mp4","QA":['.length);
    expect(error.message).toMatch(/invalid JSON at byte \d+/);
  });

  it('rejects what is not an array, missing commas, trailing commas and truncated files', async () => {
    expect((await errorOf('{"video":"a"}')).offset).toBe(0);
    expect((await errorOf('[{"a":1} {"a":2}]')).offset).toBe(9);
    expect((await errorOf('[{"a":1},]')).offset).toBe(9);
    expect((await errorOf('[{"a":1},{"a":"unterminated')).message).toMatch(/truncated/);
    expect((await errorOf('')).message).toMatch(/empty/);
    expect((await errorOf('[{"a":1}] x')).message).toMatch(/after the end/);
  });

  it('keeps memory to about one record however large the file is', async () => {
    const record = JSON.stringify({ video: 'x/y.mp4', QA: [{ i: 'i'.repeat(100), q: 'q'.repeat(100), a: 'a'.repeat(300) }] });
    const count = 60_000;
    const file = join(tempDir(), 'big.json');
    writeFileSync(file, `[${Array.from({ length: count }, () => record).join(',')}]`);
    const before = process.memoryUsage().arrayBuffers;
    let seen = 0;
    let peak = 0;
    for await (const _ of readJsonArray(file, { chunkBytes: 64 * 1024 })) {
      seen++;
      if (seen % 5000 === 0) peak = Math.max(peak, process.memoryUsage().arrayBuffers - before);
    }
    expect(seen).toBe(count);
    // The file is ~33 MB; the reader holds a chunk and a record, never the file.
    expect(peak).toBeLessThan(8 * 1024 * 1024);
  });
});
