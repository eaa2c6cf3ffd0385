import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { readEgoqaSpec, readYoucook2Spec } from './clip-spec';

const youcook = {
  database: {
    GLd3aX16zBg: {
      subset: 'training',
      recipe_type: '101',
      duration: 241.62,
      annotations: [
        { id: 0, segment: [90, 102], sentence: 'spread margarine on two slices of white bread' },
        { id: 1, segment: [114, 127], sentence: 'place a slice of cheese on the bread' },
      ],
    },
    xHr8X2Wpmno: {
      subset: 'validation',
      recipe_type: 113,
      annotations: [
        { id: 0, segment: [3, 10.5] },
        { id: 2, segment: [12, 20] },
      ],
    },
    testvideo01: { subset: 'testing', recipe_type: '101' },
  },
};

describe('clip plans from the published specs', () => {
  it("YouCook2: split_<k> is annotation k's segment, under <subset>/<recipe>/<ytid>; an id that disagrees with k is named, not cut", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'youcookii_annotations_trainval.json'), JSON.stringify(youcook));
    const read = await readYoucook2Spec(join(dir, 'youcookii_annotations_trainval.json'));
    expect(read.clips).toEqual([
      { ref: 'training/101/GLd3aX16zBg/split_0.mp4', video: 'GLd3aX16zBg', layout: 'raw_videos/training/101/GLd3aX16zBg', start: 90, end: 102 },
      { ref: 'training/101/GLd3aX16zBg/split_1.mp4', video: 'GLd3aX16zBg', layout: 'raw_videos/training/101/GLd3aX16zBg', start: 114, end: 127 },
      { ref: 'validation/113/xHr8X2Wpmno/split_0.mp4', video: 'xHr8X2Wpmno', layout: 'raw_videos/validation/113/xHr8X2Wpmno', start: 3, end: 10.5 },
    ]);
    expect(read.problems).toEqual(['xHr8X2Wpmno annotation 1: its id is 2, not 1; split_1 would not be the clip the refs mean']);
  });

  it('YouCook2: read from the tar.gz as published', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'youcookii_annotations'));
    writeFileSync(join(dir, 'youcookii_annotations', 'youcookii_annotations_trainval.json'), JSON.stringify(youcook));
    writeFileSync(join(dir, 'youcookii_annotations', 'README'), 'readme');
    execFileSync('tar', ['-czf', join(dir, 'youcookii_annotations_trainval.tar.gz'), '-C', dir, 'youcookii_annotations']);
    const read = await readYoucook2Spec(join(dir, 'youcookii_annotations_trainval.tar.gz'));
    expect(read.clips).toHaveLength(3);
    writeFileSync(join(dir, 'other.json'), '{"videos": []}');
    await expect(readYoucook2Spec(join(dir, 'other.json'))).rejects.toThrow(/no "database" object, so not YouCook2's annotation file/);
  });

  it('EgoQA: k is the order of appearance per uid (a bad row still takes its k), from JSON or CSV, end or duration', async () => {
    const dir = tempDir();
    const uid = 'd250521e-5197-44aa-8baa-2f42b24444d2';
    writeFileSync(
      join(dir, 'clips.json'),
      JSON.stringify([
        { video_uid: uid, start: 55.83, duration: 4.45 },
        { video_uid: 'other-uid', start: 1, end: 3 },
        { video_uid: uid, start: 10, end: 5 },
        { video_uid: uid, start: 12, end: 20 },
      ]),
    );
    const json = await readEgoqaSpec(join(dir, 'clips.json'));
    expect(json.clips.map((c) => [c.ref, c.start, Number(c.end.toFixed(2))])).toEqual([
      [`${uid}/split_0.mp4`, 55.83, 60.28],
      ['other-uid/split_0.mp4', 1, 3],
      [`${uid}/split_2.mp4`, 12, 20],
    ]);
    expect(json.problems).toEqual([expect.stringMatching(/clips\.json \[2\]: start 10 and end\/duration 5 are not a span/)]);
    writeFileSync(join(dir, 'clips.csv'), `uid,k,start,end\n${uid},3,1.5,2.5\n`);
    expect((await readEgoqaSpec(join(dir, 'clips.csv'))).clips).toEqual([{ ref: `${uid}/split_3.mp4`, video: uid, layout: null, start: 1.5, end: 2.5 }]);
    writeFileSync(join(dir, 'bad.csv'), 'name,when\nx,1\n');
    await expect(readEgoqaSpec(join(dir, 'bad.csv'))).rejects.toThrow(
      /bad\.csv, line 1: a clip list needs columns video_uid \(or uid\), start and end \(or duration\); it has name, when/,
    );
  });

  it('a spec is a file from elsewhere: names that would lead a clip out of the source folder are named, not cut', async () => {
    const dir = tempDir();
    const segment = { id: 0, segment: [1, 2] };
    writeFileSync(
      join(dir, 'yc.json'),
      JSON.stringify({
        database: {
          '..': { subset: 'training', recipe_type: '101', annotations: [segment] },
          GLd3aX16zBg: { subset: 'training', recipe_type: '../../etc', annotations: [segment] },
          xHr8X2Wpmno: { subset: 'training', recipe_type: 101, annotations: [segment] },
        },
      }),
    );
    const youcook = await readYoucook2Spec(join(dir, 'yc.json'));
    expect(youcook.clips.map((c) => c.ref)).toEqual(['training/101/xHr8X2Wpmno/split_0.mp4']);
    expect(youcook.problems).toEqual([
      '"..": its id or recipe_type cannot be a folder name; skipped',
      '"GLd3aX16zBg": its id or recipe_type cannot be a folder name; skipped',
    ]);
    writeFileSync(join(dir, 'ego.csv'), ['uid,start,end', '..,1,2', 'a\\b,1,2', 'ok-uid,1,2', ''].join('\n'));
    const ego = await readEgoqaSpec(join(dir, 'ego.csv'));
    expect(ego.clips.map((c) => c.ref)).toEqual(['ok-uid/split_0.mp4']);
    expect(ego.problems).toEqual([
      `${join(dir, 'ego.csv')}, line 2: video uid ".." cannot be a folder name`,
      `${join(dir, 'ego.csv')}, line 3: video uid "a\\\\b" cannot be a folder name`,
    ]);
  });
});
