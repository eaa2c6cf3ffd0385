import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../tests/fixtures/fixture-random';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { AnnotationFormatError, MAX_DEPTH, MAX_RECORD_BYTES, readJsonArray } from './json-array-reader';
import { recordFields, recordKeys } from './record-fields';

async function readAll(text: string | Buffer, chunkBytes?: number, maxRecordBytes?: number) {
  const file = join(tempDir(), 'train.json');
  writeFileSync(file, text);
  const out: Array<{ value: unknown; index: number; offset: number; length: number }> = [];
  const options = { ...(chunkBytes ? { chunkBytes } : {}), ...(maxRecordBytes ? { maxRecordBytes } : {}) };
  for await (const element of readJsonArray(file, options)) out.push(element);
  return { file, out };
}

async function errorOf(text: string | Buffer, chunkBytes?: number, maxRecordBytes?: number): Promise<AnnotationFormatError> {
  try {
    await readAll(text, chunkBytes, maxRecordBytes);
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

  it('reads one large record in time linear in its size, not quadratic (issue 9)', async () => {
    // 24 MB in 16 KB chunks: re-joining the record with every chunk copied ~18 GB and took many seconds.
    const big = 'x'.repeat(24 * 1024 * 1024);
    const started = performance.now();
    const { out } = await readAll(`[{"video":"a.mp4","QA":[{"a":"${big}"}]}, {"video":"b.mp4","QA":[]}]`, 16 * 1024);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(out.map((e) => e.index)).toEqual([0, 1]);
    expect(out[0]?.length).toBe(big.length + '{"video":"a.mp4","QA":[{"a":""}]}'.length);
  });

  it('refuses a record over the size limit, naming the file, the byte it starts at and the limit (issue 9)', async () => {
    expect(MAX_RECORD_BYTES).toBe(64 * 1024 * 1024);
    const head = '[{"video":"a.mp4","QA":[]},\n ';
    const record = (n: number) => `{"video":"b.mp4","QA":[{"a":"${'y'.repeat(n)}"}]}`;
    const fits = record(1000 - record(0).length);
    expect((await readAll(`${head}${fits}]`, 64, 1000)).out.at(-1)?.length).toBe(1000);
    for (const chunk of [64, 1 << 20]) {
      const error = await errorOf(`${head}${record(5000)}, {"video":"c.mp4","QA":[]}]`, chunk, 1000);
      expect(error.offset).toBe(head.length);
      expect(error.message).toContain('train.json');
      expect(error.message).toContain(`at byte ${head.length}`);
      expect(error.message).toContain('1000 bytes');
    }
  });

  it('refuses nesting deeper than the limit with the file and the byte offset, not a stack overflow (issue 10)', async () => {
    const depth = 200_000;
    const error = await errorOf(`[{"video":"a.mp4","QA":[]},${'['.repeat(depth)}${']'.repeat(depth)}]`, 4096);
    // The record starts at byte 27; the bracket that opens level MAX_DEPTH + 1 is the one refused.
    expect(error.offset).toBe(27 + MAX_DEPTH);
    expect(error.message).toContain('train.json');
    expect(error.message).toContain(String(MAX_DEPTH));
    const nested = `{"video":${'['.repeat(MAX_DEPTH - 1)}${']'.repeat(MAX_DEPTH - 1)},"QA":[]}`;
    expect((await readAll(`[${nested}]`, 100)).out).toHaveLength(1);
  });

  it('names the offset of the byte that is not UTF-8, not the start of its record (issue 10)', async () => {
    const good = '[{"video":"a.mp4","QA":[]},\n{"video":"b';
    for (const bad of [[0xff], [0x80], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xe2, 0x82]]) {
      const bytes = Buffer.concat([Buffer.from(good), Buffer.from('\u00e9\u00e9 caf\u00e9'), Buffer.from(bad), Buffer.from('.mp4","QA":[]}]')]);
      for (const chunk of [3, 1 << 20]) {
        const error = await errorOf(bytes, chunk);
        expect(error.offset, `${bad} in chunks of ${chunk}`).toBe(Buffer.byteLength(`${good}\u00e9\u00e9 caf\u00e9`));
        expect(error.message).toMatch(/UTF-8/);
      }
    }
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

/** What the ingest keeps of each record (its fields and place), or the error, read with or without picking keys. */
async function kept(file: string, pick: boolean, chunkBytes: number) {
  const video = { mediaKey: 'video' as const };
  const out: unknown[] = [];
  try {
    for await (const e of readJsonArray(file, pick ? { chunkBytes, pick: recordKeys(video) } : { chunkBytes })) {
      out.push([e.index, e.offset, e.length, recordFields(e.value, video)]);
    }
  } catch (error) {
    return { error: (error as Error).message };
  }
  return { out };
}

describe('readJsonArray with picked keys (issue 11)', () => {
  // Records shaped to trip a hand-written JSON checker: escapes, escaped and repeated keys, numbers, nesting, odd values.
  const odd = [
    '{"video": "a/1.mp4", "QA": [{"i": "x", "q": "\\"q\\" \\\\ \\/ \\b\\f\\n\\r\\t \\u00e9\\uD83C\\udfac", "a": "caf\u00e9 \u4e2d"}]}',
    '{"vid\\u0065o": "a/2.mp4", "QA": [], "start": -1.5e+2, "end": 0.25E-1}',
    '{"video": "a/3.mp4", "video": "a/4.mp4", "QA": [[], {}, [[1, 2], {"a": [true, false, null]}]], "start": "3", "end": 0}',
    '{"video": ["x", {"y": 1}], "QA": {"a": 1}, "start": 1E400}',
    '{"video": null, "QA": [1]} ',
    '{ "QA" : [ "x" ] , "video" : 42 , "extra": {"video": "inner.mp4"} }',
    '"just a string"',
    '[1, 2]',
    '-0',
  ];
  const text = `[\n${odd.join(',\n')}\n]`;

  it('keeps exactly what a full JSON.parse of each record keeps', async () => {
    const file = join(tempDir(), 'odd.json');
    writeFileSync(file, text);
    for (const chunk of [7, 64, 1 << 20]) {
      const full = await kept(file, false, chunk);
      expect(full.out).toHaveLength(odd.length);
      expect(await kept(file, true, chunk)).toEqual(full);
    }
  });

  it('accepts and refuses exactly what JSON.parse does, record by record, at the same byte', async () => {
    const refused = [
      ...['01', '-01', '1.', '.5', '+1', '1e', '1e+', '-', '--1', '0x10', '1.5.2', 'Infinity', 'NaN', '1 2'],
      ...['tru', 'nul', 'True', 'fals', 'nulll', 'truex'],
      ...['"a\tb"', '"a\u0001b"', '"\\x"', '"\\u12G4"', '"\\u123"', '"\\u123"}', "'a'"],
      ...['[1}', '{"a": 1]', '[1,]', '{"a": 1,}', '{"a" 1}', '{"a": 1 "b": 2}', '{a: 1}', '{1: 2}', '[,1]', '{,}', '[1 2]'],
      ...['\u00a0[]', '\v[]', '\f[]', '\ufeff[]'],
    ];
    const accepted = [
      ...['[1e5, -0.0, 0, 1E-7, 12.5e+3, true, false, null, "", {}, []]', '{"": 1, "a": {"b": [{}]}}', '"\\ud800"', '[-0]', '" \u00e9 \u2028 "'],
    ];
    const file = join(tempDir(), 'cases.json');
    for (const value of [...refused, ...accepted]) {
      writeFileSync(file, `[{"video": "a.mp4", "QA": []}, {"QA": [], "x": ${value}, "video": "b.mp4"}, {"video": "c.mp4", "QA": [1]}]`);
      const full = await kept(file, false, 1 << 20);
      expect(full.error === undefined, value).toBe(accepted.includes(value));
      expect(await kept(file, true, 1 << 20), value).toEqual(full);
    }
  });

  it('accepts and refuses exactly what JSON.parse does, at the same byte, on randomly damaged records', async () => {
    const rng = new Rng(20261202);
    const bytes = Buffer.from(text);
    const alphabet = Buffer.from('"\\\\{}[],: 0123456789.eE+-tfnulrsa\t\n\u0001');
    // Damage lands near the bytes a checker has rules for half of the time: digits, brackets, quotes, backslashes.
    const ruled = [...bytes.keys()].filter((k) => /[0-9{}[\]"\\.,:]/.test(String.fromCharCode(bytes[k] as number)));
    const file = join(tempDir(), 'damaged.json');
    let refused = 0;
    for (let round = 0; round < 600; round++) {
      let damaged = Buffer.from(bytes);
      for (let n = rng.between(1, 3); n > 0; n--) {
        const at = Math.min(damaged.length - 1, rng.chance(0.5) ? (rng.pick(ruled) as number) + rng.int(2) : rng.int(damaged.length));
        const byte = rng.chance(0.1) ? Buffer.from([0xc3 + rng.int(0x3d)]) : Buffer.from([alphabet[rng.int(alphabet.length)] as number]);
        const kind = rng.int(3);
        damaged = Buffer.concat([damaged.subarray(0, at), kind === 2 ? Buffer.alloc(0) : byte, damaged.subarray(kind === 0 ? at : at + 1)]);
      }
      writeFileSync(file, damaged);
      const chunk = rng.pick([16, 1 << 20]);
      const full = await kept(file, false, chunk);
      if (full.error) refused++;
      expect(await kept(file, true, chunk), damaged.toString('latin1')).toEqual(full);
    }
    // Most damage is refused; enough of it is not for both paths to be compared.
    expect(refused).toBeGreaterThan(300);
    expect(refused).toBeLessThan(600);
  });
});
