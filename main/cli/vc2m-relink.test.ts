import { lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runVc2m as vc2m } from '../../tests/fixtures/run-vc2m';
import { tempDir } from '../../tests/fixtures/temp-dir';

// vc2m relink over a user's tree where the media sit under other names and layouts: moved (the ref's path deeper
// in another tree), renamed by extension (ActivityNet .mkv) or around a YouTube id (Kinetics), found by a unique
// name (CLEVRER), duplicated (two copies of one clip: shown, never picked), and names no ref owns alone (EgoQA's
// split_0.mp4: not matched by name).
const uid1 = 'd250521e-5197-44aa-8baa-2f42b24444d2';
const uid2 = '0a1b2c3d-0000-4000-8000-000000000001';
const qa = [{ i: '', q: 'What?', a: 'A clip.' }];

function write(path: string, text: string) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

async function setup() {
  const annotations = tempDir();
  write(
    join(annotations, 'video/vqa/ego_qa/train.json'),
    JSON.stringify([`${uid1}/split_0.mp4`, `${uid1}/split_1.mp4`, `${uid2}/split_0.mp4`].map((video) => ({ video, QA: qa }))),
  );
  write(join(annotations, 'video/reasoning/clevrer_qa/train.json'), JSON.stringify([{ video: 'video_00042.mp4', QA: qa }]));
  write(join(annotations, 'video/conversation/videochatgpt/train.json'), JSON.stringify([{ video: 'v_abcdefghijk.mp4', QA: qa }]));
  write(join(annotations, 'video/classification/k710/train.json'), JSON.stringify([{ video: 'Bw6m04_IxTI_000010_000020.mp4', QA: qa }]));
  // M3IT: every task has a train/0.jpg, so a 0.jpg found in another task's folder is no match for this one.
  write(join(annotations, 'image/vqa/vqav2/train.json'), JSON.stringify([{ image: 'train/0.jpg', QA: qa }]));
  write(join(annotations, 'image/caption/textcaps/train.json'), JSON.stringify([{ image: 'train/0.jpg', QA: qa }]));
  const share = tempDir();
  write(join(share, 'old-layout', 'egoqa', uid1, 'split_0.mp4'), 'clip uid1 0');
  write(join(share, 'copy-a', uid1, 'split_1.mp4'), 'clip uid1 1');
  write(join(share, 'copy-b', uid1, 'split_1.mp4'), 'clip uid1 1');
  write(join(share, 'elsewhere', 'split_0.mp4'), 'which clip is this?');
  write(join(share, 'clevrer', 'bucket', 'video_00042.mp4'), 'clevrer');
  write(join(share, 'anet', 'v_abcdefghijk.mkv'), 'anet mkv');
  write(join(share, 'k400', 'Bw6m04_IxTI.mp4'), 'kinetics renamed');
  write(join(share, 'some-task', 'train', '0.jpg'), 'an M3IT image of some task');
  const library = join(tempDir(), 'lib');
  const env = { VC2M_CONFIG_DIR: tempDir(), VC2M_LIBRARY: library };
  expect((await vc2m(['init', library], env)).code).toBe(0);
  expect((await vc2m(['annotations', 'import', annotations], env)).code).toBe(0);
  return { share, library, env };
}

interface Row {
  accepted: boolean;
  sourceId: string;
  ref: string;
  rule: string;
  candidates: string[];
  ambiguous: boolean;
  chosen: string | null;
  state: string;
  how: string | null;
  target: string;
}

describe('vc2m relink', () => {
  it('shows each match with how it was made, an ambiguity with both files, and --apply links the rest where verify finds them', async () => {
    const { share, library, env } = await setup();
    const scan = await vc2m(['relink', share, '--json'], env);
    expect(scan.code).toBe(1);
    const result = JSON.parse(scan.stdout) as { schema: string; scan: string; rows: Row[]; counts: Record<string, unknown> };
    expect(result.schema).toBe('vc2m.relink/1');
    expect(result.scan).toMatch(
      /^8 missing refs, 8 files indexed in \d+ folders: 5 matched \(2 by path, 1 by name, 1 by stem, 1 by YouTube id\), 1 ambiguous, 3 not found$/,
    );
    const by = (ref: string) => result.rows.find((r) => r.ref === ref);
    expect(by(`${uid1}/split_0.mp4`)).toMatchObject({ rule: 'path', chosen: join(share, 'old-layout', 'egoqa', uid1, 'split_0.mp4'), ambiguous: false });
    expect(by(`${uid1}/split_1.mp4`)).toMatchObject({
      rule: 'path',
      ambiguous: true,
      chosen: null,
      candidates: expect.arrayContaining([join(share, 'copy-a', uid1, 'split_1.mp4'), join(share, 'copy-b', uid1, 'split_1.mp4')]),
    });
    // A split_0.mp4 elsewhere is not taken for uid2's clip: the name is not that ref's alone.
    expect(by(`${uid2}/split_0.mp4`)).toBeUndefined();
    expect(by('train/0.jpg')).toBeUndefined();
    expect(by('video_00042.mp4')).toMatchObject({ rule: 'name', target: join(library, 'media', 'clevrer', 'video_00042.mp4') });
    expect(by('v_abcdefghijk.mp4')).toMatchObject({ rule: 'stem', target: join(library, 'media', 'activitynet', 'v_abcdefghijk.mkv') });
    // A span-less Kinetics file is likely the whole video: proposed, but not accepted without a look.
    expect(by('Bw6m04_IxTI_000010_000020.mp4')).toMatchObject({
      rule: 'youtube-id',
      target: join(library, 'media', 'kinetics', 'Bw6m04_IxTI_000010_000020.mp4'),
      accepted: false,
    });

    const table = await vc2m(['relink', share], env);
    expect(table.stdout).toMatch(/AMBIGUOUS, 2 files: /);
    expect(table.stdout).toContain('1 refs have more than one file: choose in the app');

    const applied = await vc2m(['relink', share, '--apply'], env);
    expect(applied.stdout).toMatch(/3 files placed \(3 by hard link\); verified/);
    const linked = join(library, 'media', 'egoqa', uid1, 'split_0.mp4');
    expect(statSync(linked).ino).toBe(statSync(join(share, 'old-layout', 'egoqa', uid1, 'split_0.mp4')).ino);
    expect(readFileSync(join(library, 'media', 'activitynet', 'v_abcdefghijk.mkv'), 'utf8')).toBe('anet mkv');
    const report = JSON.parse((await vc2m(['verify', '--json'], env)).stdout) as { subsets: Array<Record<string, unknown>> };
    const subset = (id: string) => report.subsets.find((s) => s.id === id);
    expect(subset('vqa_ego_qa')).toMatchObject({ media: 3, present: 1, missing: 2 });
    expect(subset('reasoning_clevrer_qa')).toMatchObject({ present: 1, missing: 0 });
    expect(subset('conversation_videochatgpt')).toMatchObject({ present: 1, missing: 0 });
    expect(subset('classification_k710')).toMatchObject({ present: 0, missing: 1 });
  });

  it('--mode copy copies, --source limits the scan, and --failed says when nothing failed', async () => {
    const { share, library, env } = await setup();
    const copied = await vc2m(['relink', join(share, 'clevrer'), '--source', 'clevrer', '--apply', '--mode', 'copy'], env);
    expect(copied.stdout).toMatch(/1 files placed \(1 by copy\)/);
    const target = join(library, 'media', 'clevrer', 'video_00042.mp4');
    expect(lstatSync(target).isFile()).toBe(true);
    expect(statSync(target).ino).not.toBe(statSync(join(share, 'clevrer', 'bucket', 'video_00042.mp4')).ino);
    expect(() => readlinkSync(target)).toThrow();
    expect((await vc2m(['relink', '--failed'], env)).stdout).toContain('no relink failed');
  });
});
