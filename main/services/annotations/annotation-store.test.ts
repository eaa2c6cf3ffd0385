import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { LibraryService } from '../library/library-service';
import { AnnotationStore, type FileMeta } from './annotation-store';

const library = new LibraryService();
afterEach(() => library.close());

const meta = (sha256: string, jobId: number | null): FileMeta => ({
  subsetId: 'caption_webvid',
  repoPath: 'video/caption/webvid/train.json',
  sha256,
  size: 1,
  origin: 'folder',
  originDetail: null,
  revision: null,
  hubOid: null,
  jobId,
});
const counts = { records: 1, flagged: 0, mediaRefs: 0 };

describe('AnnotationStore beside other jobs (#9)', () => {
  it("a job's clean-up marks only its own unfinished versions interrupted", async () => {
    await library.create(join(tempDir(), 'lib'));
    const store = new AnnotationStore(library.database());
    const mine = store.begin(meta('aa', 1));
    const theirs = store.begin(meta('bb', 2));
    expect(store.abandonUnfinished(1)).toBe(1);
    // The other job's version is still its own to finish.
    store.promote(theirs, 'caption_webvid', counts);
    expect(store.current('caption_webvid')).toMatchObject({ id: theirs, sha256: 'bb' });
    expect(() => store.promote(mine, 'caption_webvid', counts)).toThrow(/interrupted/);
  });

  it('a version interrupted before its promote never retires the current one', async () => {
    await library.create(join(tempDir(), 'lib'));
    const store = new AnnotationStore(library.database());
    const first = store.begin(meta('aa', 1));
    store.promote(first, 'caption_webvid', counts);
    const second = store.begin(meta('bb', 2));
    store.abandonUnfinished();
    expect(() => store.promote(second, 'caption_webvid', counts)).toThrow(/current one is kept/);
    expect(store.current('caption_webvid')).toMatchObject({ id: first, sha256: 'aa', records: 1 });
  });
});
