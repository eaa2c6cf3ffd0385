import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { LibraryService } from '../library/library-service';
import { AnnotationStore, type FileMeta } from './annotation-store';
import type { RecordBatch } from './parse-records';

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

describe('AnnotationStore garbage collection in slices', () => {
  const batch = (refs: Array<string | null>): RecordBatch => ({
    firstIndex: 0,
    ref: refs,
    rawRef: refs.map(() => null),
    flag: refs.map(() => null),
    start: new Float64Array(refs.length).fill(Number.NaN),
    end: new Float64Array(refs.length).fill(Number.NaN),
    offset: Float64Array.from(refs, (_, i) => i * 10),
    length: new Float64Array(refs.length).fill(10),
    bytesRead: 0,
    totalBytes: 0,
  });
  const put = (store: AnnotationStore, subsetId: string, sha: string, refs: string[]) => {
    const id = store.begin({ ...meta(sha, null), subsetId });
    store.insertBatch(id, batch(refs));
    store.addRefs('webvid', '', [...new Set(refs)].sort(), 0, refs.length);
    store.promote(id, subsetId, { records: refs.length, flagged: 0, mediaRefs: new Set(refs).size });
  };
  const pauses = { n: 0 };
  const pause = async () => {
    pauses.n++;
  };

  it("deletes a replaced version's records and then exactly the refs no current record of the folder uses, yielding between slices", async () => {
    await library.create(join(tempDir(), 'lib'));
    const db = library.database();
    const store = new AnnotationStore(db);
    put(store, 'caption_webvid', 'v1', ['a/1.mp4', 'a/2.mp4', 'shared/3.mp4']);
    put(store, 'vqa_webvid_qa', 'q1', ['shared/3.mp4', 'q/4.mp4']);
    put(store, 'caption_webvid', 'v2', ['a/2.mp4', 'b/5.mp4']);
    pauses.n = 0;
    expect(await store.deleteGarbageRecordsInSlices(pause, 2)).toBe(3);
    expect(pauses.n).toBeGreaterThan(1);
    expect(db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(4);
    // Refs of the other subset in the same folder stay, though the replaced version used one of them too.
    expect(await store.collectOrphanRefsInSlices(pause, new Set(['caption_webvid']), 2)).toBe(1);
    expect(db.prepare('SELECT ref FROM media_refs ORDER BY ref').pluck().all()).toEqual(['a/2.mp4', 'b/5.mp4', 'q/4.mp4', 'shared/3.mp4']);
  });

  it('leaves folders of subsets it was not asked about alone', async () => {
    await library.create(join(tempDir(), 'lib'));
    const db = library.database();
    const store = new AnnotationStore(db);
    put(store, 'caption_webvid', 'v1', ['a/1.mp4']);
    db.prepare("INSERT INTO media_refs (source_id, subdir, ref) VALUES ('webvid', '', 'orphan.mp4')").run();
    expect(await store.collectOrphanRefsInSlices(pause, new Set(['caption_coco']))).toBe(0);
    expect(await store.collectOrphanRefsInSlices(pause, new Set(['caption_webvid']))).toBe(1);
  });
});
