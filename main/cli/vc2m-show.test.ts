import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runVc2m as vc2m } from '../../tests/fixtures/run-vc2m';
import { tempDir } from '../../tests/fixtures/temp-dir';

// vc2m show: one record as stored, the file its ref resolves to, and its media's status, for scripts.
const records = [
  { video: '000001_000050/1066682446.mp4', QA: [{ i: 'Describe the video.', q: '', a: 'A red kite over a hill, "slowly".' }] },
  { video: '000001_000050/31353427.mp4', QA: [{ i: '', q: 'What colour is the car?', a: 'Blue.' }] },
];

async function setup() {
  const annotations = tempDir();
  mkdirSync(join(annotations, 'video/caption/webvid'), { recursive: true });
  writeFileSync(join(annotations, 'video/caption/webvid/train.json'), JSON.stringify(records, null, 1));
  const library = join(tempDir(), 'lib');
  const env = { VC2M_CONFIG_DIR: tempDir(), VC2M_LIBRARY: library };
  expect((await vc2m(['init', library], env)).code).toBe(0);
  expect((await vc2m(['annotations', 'import', annotations], env)).code).toBe(0);
  const clip = join(library, 'media', 'webvid', records[0]?.video as string);
  mkdirSync(dirname(clip), { recursive: true });
  writeFileSync(clip, 'not really an mp4');
  return { env, clip };
}

describe('vc2m show', () => {
  it('prints the record as stored, where its media is and the rule that found it; the status follows the last verify', async () => {
    const { env, clip } = await setup();
    const before = await vc2m(['show', 'caption_webvid', '0', '--json'], env);
    expect(before.code).toBe(1);
    expect(JSON.parse(before.stdout)).toEqual({
      schema: 'vc2m.show/1',
      subset: 'caption_webvid',
      index: 0,
      source: 'webvid',
      ref: records[0]?.video,
      start: null,
      end: null,
      status: 'unchecked',
      path: clip,
      rule: 'join',
      verified: null,
      record: records[0],
    });
    expect((await vc2m(['verify', '--source', 'webvid'], env)).code).toBe(1);
    const ok = await vc2m(['show', 'caption_webvid', '0', '--json'], env);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ status: 'ok', verified: { status: 'ok', level: 'quick' } });
    const missing = await vc2m(['show', 'caption_webvid', '1'], env);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('caption_webvid #1  webvid: 000001_000050/31353427.mp4');
    expect(missing.stdout).toMatch(/media {4}missing/);
    expect(missing.stdout).toContain('path     not found under the source’s root');
    expect(missing.stdout).toContain('"q": "What colour is the car?"');
  });

  it('an index past the end or an unknown subset says what there is (exit 2)', async () => {
    const { env } = await setup();
    const past = await vc2m(['show', 'caption_webvid', '9'], env);
    expect(past).toMatchObject({ code: 2, stderr: expect.stringContaining('caption_webvid has records 0 to 1; there is no record 9') });
    expect((await vc2m(['show', 'vqa_ego_qa', '0'], env)).stderr).toContain('vqa_ego_qa has no records in this library');
    expect((await vc2m(['show', 'caption_webvid'], env)).stderr).toContain('usage: vc2m show <subset> <index>');
  });
});
