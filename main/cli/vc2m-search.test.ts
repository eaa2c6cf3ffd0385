import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runVc2m as vc2m } from '../../tests/fixtures/run-vc2m';
import { tempDir } from '../../tests/fixtures/temp-dir';

// vc2m search: the viewer's full-text search for scripts, with the same syntax as the search box.
const records = Array.from({ length: 30 }, (_, i) => ({
  video: `000001_000050/${100 + i}.mp4`,
  QA: [{ i: 'Describe the video.', q: '', a: i % 10 === 3 ? `A red kite over the hill (take ${i}).` : `A grey street, take ${i}.` }],
}));

async function setup() {
  const annotations = tempDir();
  mkdirSync(join(annotations, 'video/caption/webvid'), { recursive: true });
  writeFileSync(join(annotations, 'video/caption/webvid/train.json'), JSON.stringify(records));
  const library = join(tempDir(), 'lib');
  const env = { VC2M_CONFIG_DIR: tempDir(), VC2M_LIBRARY: library };
  expect((await vc2m(['init', library], env)).code).toBe(0);
  expect((await vc2m(['annotations', 'import', annotations], env)).code).toBe(0);
  const clip = join(library, 'media', 'webvid', '000001_000050/113.mp4');
  mkdirSync(dirname(clip), { recursive: true });
  writeFileSync(clip, 'x');
  return env;
}

describe('vc2m search', () => {
  it('builds the index the first time, counts every match beyond the page, and marks the matches', async () => {
    const env = await setup();
    const result = await vc2m(['search', '"red kite"', '--limit', '2', '--json'], env);
    expect(result.code).toBe(0);
    const answer = JSON.parse(result.stdout);
    expect(answer).toMatchObject({ schema: 'vc2m.search/1', total: 3, indexed: 30, records: 30 });
    expect(answer.hits).toEqual([
      {
        subset: 'caption_webvid',
        index: 3,
        ref: '000001_000050/103.mp4',
        status: 'unchecked',
        snippet: 'Describe the video. A **red kite** over the hill (take 3).',
      },
      {
        subset: 'caption_webvid',
        index: 13,
        ref: '000001_000050/113.mp4',
        status: 'unchecked',
        snippet: 'Describe the video. A **red kite** over the hill (take 13).',
      },
    ]);
    expect((await vc2m(['verify', '--source', 'webvid'], env)).code).toBe(1);
    const ok = JSON.parse((await vc2m(['search', 'KITE', '--status', 'ok', '--json'], env)).stdout);
    expect(ok.total).toBe(1);
    expect(ok.hits[0]).toMatchObject({ index: 13, status: 'ok' });
    const missing = await vc2m(['search', 'tak*', 'street', '--status', 'missing'], env);
    expect(missing.stdout).toContain('27 records match');
    expect(missing.stdout).toMatch(/caption_webvid #0 {2}missing {2}000001_000050\/100\.mp4\n {4}Describe the video\. A grey \*\*street\*\*, \*\*take\*\* 0\./);
  });

  it('refuses a bad status or limit with the usage, and an unknown subset by the contract', async () => {
    const env = await setup();
    const bad = await vc2m(['search', 'kite', '--status', 'lost'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--status is one of ok, missing, corrupt, unchecked');
    expect((await vc2m(['search', 'kite', '--limit', '0'], env)).stderr).toContain('--limit takes a whole number from 1 to 200');
    const nothing = await vc2m(['search', '?? --'], env);
    expect(nothing.stdout).toContain('0 records match');
    expect(nothing.stderr).toContain('the query has no word to search for');
    const subset = await vc2m(['search', 'kite', '--subset', 'Not-An-Id'], env);
    expect(subset.code).toBe(2);
    expect(subset.stderr).toMatch(/subsetId/);
  });
});
