import { describe, expect, it } from 'vitest';
import { isUnsafeRef, recordFields } from './record-fields';

const video = { mediaKey: 'video' as const };

describe('recordFields', () => {
  it('keeps the ref, the clip bounds in seconds and the QA list', () => {
    const qa = [{ i: 'Describe.', q: '', a: 'A dog.' }];
    expect(recordFields({ video: 'k400/Bw6m04_IxTI.mp4', QA: qa, start: 1.5, end: '3.0' }, video)).toEqual({
      ref: 'k400/Bw6m04_IxTI.mp4',
      rawRef: null,
      start: 1.5,
      end: 3,
      flag: null,
    });
  });

  it('flags records without a usable ref instead of failing', () => {
    const qa = [{ q: '', a: 'x' }];
    expect(recordFields({ QA: qa }, video).flag).toBe('no-media-key');
    expect(recordFields({ video: '', QA: qa }, video)).toMatchObject({ flag: 'empty-ref', ref: null });
    expect(recordFields({ video: 'None', QA: qa }, video)).toMatchObject({ flag: 'empty-ref', rawRef: 'None' });
    expect(recordFields({ video: null, QA: qa }, video)).toMatchObject({ flag: 'empty-ref', rawRef: 'null' });
    expect(recordFields({ video: 42, QA: qa }, video)).toMatchObject({ flag: 'bad-ref-type', rawRef: '42' });
    expect(recordFields({ video: '../../etc/passwd', QA: qa }, video)).toMatchObject({ flag: 'unsafe-ref', ref: '../../etc/passwd' });
    expect(recordFields('just a string', video)).toMatchObject({ flag: 'not-an-object' });
    expect(recordFields({ video: 'a.mp4' }, video)).toMatchObject({ flag: 'no-qa', ref: 'a.mp4' });
  });

  it('needs no media for text subsets', () => {
    expect(recordFields({ QA: [{ q: 'hi', a: 'hello' }] }, { mediaKey: null })).toMatchObject({ ref: null, flag: null });
  });

  it('knows which refs would leave the source root', () => {
    for (const bad of ['../x.mp4', 'a/../../x', '/abs/x.mp4', '\\\\server\\x', 'C:\\x.mp4', 'a\0b']) expect(isUnsafeRef(bad), bad).toBe(true);
    for (const ok of ['x.mp4', 'a/b..c.mp4', 'p2:s3://k600/train_videos/a/b.mp4', 'v_OiL6Aj0gC14-Scene-006']) expect(isUnsafeRef(ok), ok).toBe(false);
  });
});
