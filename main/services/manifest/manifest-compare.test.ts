import { describe, expect, it } from 'vitest';
import { compareManifests } from './manifest-compare';
import type { ManifestRow } from './manifest-format';

const row = (ref: string, fields: Partial<ManifestRow> = {}): ManifestRow => ({
  source: 'coco',
  subdir: '',
  ref,
  subsets: ['caption_coco'],
  status: 'ok',
  size: 10,
  durationS: null,
  sha256: null,
  ...fields,
});

async function* rows(list: ManifestRow[]): AsyncGenerator<ManifestRow> {
  yield* list;
}

describe('comparing two manifests', () => {
  it('sorts each ref of each subset into they-have, only-here, differ or same; a ref of one side only counts too', async () => {
    const ours = [
      row('a.jpg'),
      row('b.jpg', { status: 'missing', size: null }),
      row('c.jpg', { size: 11 }),
      row('d.jpg', { sha256: 'a'.repeat(64) }),
      row('e.jpg'),
      row('only-ours.jpg', { subsets: ['caption_coco', 'caption_llava'] }),
    ];
    const theirs = [
      row('a.jpg'),
      row('b.jpg'),
      row('c.jpg'),
      row('d.jpg', { sha256: 'b'.repeat(64) }),
      row('e.jpg', { status: 'corrupt' }),
      row('only-theirs.jpg'),
    ];
    const result = await compareManifests(ours, rows(theirs));
    expect(result.hashesCompared).toBe(true);
    const coco = result.subsets.find((s) => s.subset === 'caption_coco');
    expect(coco).toEqual({
      subset: 'caption_coco',
      theyHave: {
        count: 2,
        examples: [
          { ref: 'b.jpg', here: 'missing' },
          { ref: 'only-theirs.jpg', here: 'not in its annotations' },
        ],
      },
      onlyHere: {
        count: 2,
        examples: [
          { ref: 'e.jpg', there: 'corrupt' },
          { ref: 'only-ours.jpg', there: 'not in its annotations' },
        ],
      },
      differ: {
        count: 2,
        examples: [
          { ref: 'c.jpg', what: 'size', here: '11', there: '10' },
          { ref: 'd.jpg', what: 'sha256', here: 'a'.repeat(64), there: 'b'.repeat(64) },
        ],
      },
      same: 1,
      sizeOnly: 1,
    });
    expect(result.subsets.find((s) => s.subset === 'caption_llava')?.onlyHere.count).toBe(1);
  });
});
