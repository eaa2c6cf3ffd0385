import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { planClips, readClipTables } from './clip-table';

// WebVid's metadata as TempoFunk/webvid-10M publishes it: a header, then one row per clip; `name` is free text.
const HEADER = 'videoid,contentUrl,duration,page_dir,name';
const COLUMNS = { url: 'contentUrl', file: '{page_dir}/{videoid}.mp4' };
const url = (id: string) => `https://ak.picdn.net/shutterstock/videos/${id}/preview/stock-footage-${id}.mp4`;

describe('readClipTables', () => {
  it('maps the clips the annotations name to their URLs, through quoted names with commas and line breaks, from plain and gzipped tables', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'part-0.csv'),
      [
        HEADER,
        `1066682446,${url('1066682446')},PT00H00M14S,000001_000050,"Aerial, city ""at night"""`,
        `31353427,${url('31353427')},PT00H00M29S,000001_000050,"two
lines"`,
        `99,${url('99')},PT00H00M05S,000051_000100,not needed`,
      ].join('\n'),
    );
    mkdirSync(join(dir, 'val'));
    writeFileSync(join(dir, 'val', 'part-1.csv.gz'), gzipSync(`${HEADER}\n7,${url('7')},PT1S,000101_000150,gz\n`));
    const needed = new Set(['000001_000050/1066682446.mp4', '000001_000050/31353427.mp4', '000101_000150/7.mp4', '000999_001000/5.mp4']);
    const result = await readClipTables([dir], COLUMNS, needed);
    expect(result).toMatchObject({ tables: 2, rows: 4, unusable: { count: 0 } });
    expect(new Map(result.matched.map((m) => [m.file, m.url]))).toEqual(
      new Map([
        ['000001_000050/1066682446.mp4', url('1066682446')],
        ['000001_000050/31353427.mp4', url('31353427')],
        ['000101_000150/7.mp4', url('7')],
      ]),
    );
  });

  it('a table without the columns is refused, naming the file and what it has; a row without a usable URL is reported with its line', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'wrong.csv'), 'id,url\n1,http://x/1.mp4\n');
    await expect(readClipTables([join(dir, 'wrong.csv')], COLUMNS, new Set())).rejects.toThrow(
      /wrong\.csv: its header lacks "contentUrl", "page_dir", "videoid" \(it has id, url\)/,
    );
    writeFileSync(join(dir, 'bad.csv'), `${HEADER}\n1,ftp://x/1.mp4,PT1S,000001_000050,a\n2,,PT1S,000001_000050,b\n`);
    const result = await readClipTables([join(dir, 'bad.csv')], COLUMNS, new Set(['000001_000050/1.mp4', '000001_000050/2.mp4']));
    expect(result.matched).toEqual([]);
    expect(result.unusable.count).toBe(2);
    expect(result.unusable.examples[0]).toMatch(/bad\.csv:2: 000001_000050\/1\.mp4 has the URL "ftp:\/\/x\/1\.mp4"/);
    expect(result.unusable.examples[1]).toMatch(/bad\.csv:3: 000001_000050\/2\.mp4 has no URL/);
    await expect(readClipTables([join(dir, 'nope.csv')], COLUMNS, new Set())).rejects.toThrow(/nope\.csv: no such metadata table/);
  });

  it('a row whose columns would put a clip outside the root is never used', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 't.csv'), `${HEADER}\n1,${url('1')},PT1S,..,evil\n`);
    expect((await readClipTables([join(dir, 't.csv')], COLUMNS, new Set(['../1.mp4']))).matched).toEqual([]);
  });

  it('planClips leaves out what is already under the root and lists what no row names', async () => {
    const dir = tempDir();
    const root = tempDir();
    writeFileSync(join(dir, 't.csv'), `${HEADER}\n1,${url('1')},PT1S,a,x\n2,${url('2')},PT1S,a,y\n`);
    mkdirSync(join(root, 'a'));
    writeFileSync(join(root, 'a', '2.mp4'), 'already here');
    const plan = await planClips([join(dir, 't.csv')], COLUMNS, ['a/1.mp4', 'a/2.mp4', 'a/3.mp4'], root);
    expect(plan.matched).toEqual([{ file: 'a/1.mp4', url: url('1') }]);
    expect(plan.present).toEqual([{ file: 'a/2.mp4', bytes: 12 }]);
    expect(plan.unmatched).toEqual(['a/3.mp4']);
  });
});

describe('readClipTables on a damaged table', () => {
  it('a truncated .csv.gz is refused naming the file, not left hanging', async () => {
    const dir = tempDir();
    const whole = gzipSync(`${HEADER}\n${Array.from({ length: 2000 }, (_, i) => `${i},${url(String(i))},PT1S,a,x`).join('\n')}\n`);
    writeFileSync(join(dir, 'cut.csv.gz'), whole.subarray(0, Math.floor(whole.length / 2)));
    await expect(readClipTables([join(dir, 'cut.csv.gz')], COLUMNS, new Set(['a/1.mp4']))).rejects.toThrow(/cut\.csv\.gz.*not a readable CSV table/);
  });

  it('a URL that only looks like one (a space in the host, a port out of range) is unusable, not fetched', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 't.csv'), `${HEADER}\n1,https://exa mple.com/1.mp4,PT1S,a,x\n2,https://h:99999/2.mp4,PT1S,a,y\n`);
    const result = await readClipTables([join(dir, 't.csv')], COLUMNS, new Set(['a/1.mp4', 'a/2.mp4']));
    expect(result).toMatchObject({ matched: [], unusable: { count: 2 } });
  });
});
