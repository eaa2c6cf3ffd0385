import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolutionFor } from '../../../shared/catalog/resolution';
import { type MissingRef, proposeMatches } from './match-refs';
import { TreeIndex, youtubeIdOf } from './tree-index';

const tree = (...paths: string[]) => {
  const index = new TreeIndex();
  for (const p of paths) index.add(p, p.split('/').at(-1) as string);
  return index;
};

const missing = (sourceId: string, ref: string, fields: Partial<MissingRef> = {}): MissingRef => ({
  mediaId: 1,
  sourceId,
  ref,
  relative: ref,
  target: join('/lib/media', sourceId, ref),
  resolution: resolutionFor(sourceId),
  nameIsUnique: true,
  ...fields,
});

describe('matching missing refs to found files', () => {
  it('knows the YouTube ids the sources name their files by', () => {
    expect(youtubeIdOf('v_abcdefghijk.mp4')).toBe('abcdefghijk');
    expect(youtubeIdOf('Bw6m04_IxTI_000010_000020.mp4')).toBe('Bw6m04_IxTI');
    expect(youtubeIdOf('Bw6m04_IxTI.webm')).toBe('Bw6m04_IxTI');
    expect(youtubeIdOf('not-an-id.mp4')).toBeNull();
  });

  it('takes the strongest rule with a match; a name shared by other refs is no match; the library itself is not offered', () => {
    const index = tree('/share/x/train2014/a.jpg', '/share/other/a.jpg', '/share/b.jpg', '/lib/media/coco/c.jpg', '/share/c2/c.jpg');
    const found = proposeMatches(
      index,
      [missing('coco', 'train2014/a.jpg'), missing('coco', 'b.jpg'), missing('coco', 'c.jpg'), missing('egoqa', 'u/b.jpg', { nameIsUnique: false })],
      ['/lib/media/coco'],
    );
    expect(found.map((p) => [p.ref, p.rule, p.candidates])).toEqual([
      ['train2014/a.jpg', 'path', ['/share/x/train2014/a.jpg']],
      ['b.jpg', 'name', ['/share/b.jpg']],
      ['c.jpg', 'name', ['/share/c2/c.jpg']],
    ]);
  });

  it("accepts another container only where the source's rules do, placed under the found file's extension", () => {
    const index = tree('/share/v_abcdefghijk.mkv', '/share/video_00001.mkv');
    const found = proposeMatches(index, [missing('activitynet', 'v_abcdefghijk.mp4'), missing('clevrer', 'video_00001.mp4')]);
    expect(found).toEqual([expect.objectContaining({ ref: 'v_abcdefghijk.mp4', rule: 'stem', target: '/lib/media/activitynet/v_abcdefghijk.mkv' })]);
  });

  it('lists every file of an ambiguous match; a Kinetics file of another span is another clip', () => {
    const index = tree('/a/k400/Bw6m04_IxTI.mp4', '/b/Bw6m04_IxTI.webm', '/c/Bw6m04_IxTI_000000_000010.mp4');
    const [p] = proposeMatches(index, [missing('kinetics', 'Bw6m04_IxTI_000010_000020.mp4')]);
    expect(p).toMatchObject({ rule: 'youtube-id', candidates: ['/a/k400/Bw6m04_IxTI.mp4', '/b/Bw6m04_IxTI.webm'], sure: false });
    const [same] = proposeMatches(tree('/c/Bw6m04_IxTI_000010_000020.mkv'), [missing('kinetics', 'Bw6m04_IxTI_000010_000020.mp4')]);
    expect(same).toMatchObject({ rule: 'stem', sure: true });
  });
});
