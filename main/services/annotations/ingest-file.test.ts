import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { subsetById } from '../../../shared/catalog/index';
import type { Subset } from '../../../shared/catalog/schema';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { LibraryService } from '../library/library-service';
import { objectPath, readRecordText } from './annotation-objects';
import { AnnotationStore } from './annotation-store';
import { sha256File } from './file-hash';
import { ingestFile } from './ingest-file';
import { AnnotationFormatError, MAX_DEPTH, MAX_RECORD_BYTES } from './json-array-reader';

const webvid = subsetById('caption_webvid') as Subset;
const webvidQa = subsetById('vqa_webvid_qa') as Subset;
const library = new LibraryService();
afterEach(() => library.close());

async function setup() {
  const root = tempDir();
  await library.create(join(root, 'lib'));
  const write = (name: string, records: unknown[]) => {
    const file = join(root, name);
    writeFileSync(file, JSON.stringify(records));
    return file;
  };
  return { db: library.database(), write };
}

const rec = (ref: unknown, a = 'answer') => ({ video: ref, QA: [{ i: 'Describe the video.', q: '', a }] });

describe('ingestFile', () => {
  it('stores every record, dedupes media refs per source, and flags odd records', async () => {
    const { db, write } = await setup();
    const file = write('train.json', [
      rec('000001_000050/1.mp4'),
      rec('000001_000050/2.mp4'),
      rec('000001_000050/1.mp4'),
      rec(''),
      { QA: [] },
      rec('../x.mp4'),
    ]);
    const result = await ingestFile(db, { subset: webvid, file, origin: 'folder', objectPath: null, originDetail: null, revision: null });
    expect(result).toEqual({ status: 'ingested', subsetId: 'caption_webvid', records: 6, flagged: 3, mediaRefs: 3 });
    const flags = db.prepare('SELECT flag FROM records ORDER BY idx').pluck().all();
    expect(flags).toEqual([null, null, null, 'empty-ref', 'no-media-key', 'unsafe-ref']);
    // A second subset of the same source shares its refs instead of duplicating them.
    await ingestFile(db, {
      subset: webvidQa,
      file: write('qa.json', [rec('000001_000050/2.mp4'), rec('000051_000100/3.mp4')]),
      objectPath: null,
      origin: 'folder',
      originDetail: null,
      revision: null,
    });
    expect(db.prepare('SELECT count(*) FROM media_refs').pluck().get()).toBe(4);
  });

  it('does not ingest an unchanged file twice, and replaces a changed one whole', async () => {
    const { db, write } = await setup();
    const task = { subset: webvid, origin: 'folder' as const, objectPath: null, originDetail: null, revision: null };
    const v1 = write('v1.json', [rec('a/1.mp4'), rec('a/2.mp4')]);
    await ingestFile(db, { ...task, file: v1 });
    expect(await ingestFile(db, { ...task, file: v1 })).toMatchObject({ status: 'unchanged', records: 2 });
    await ingestFile(db, { ...task, file: write('v2.json', [rec('b/9.mp4')]) });
    expect(new AnnotationStore(db).status()).toEqual([expect.objectContaining({ subsetId: 'caption_webvid', records: 1, mediaRefs: 1 })]);
    expect(db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(1);
    expect(db.prepare('SELECT ref FROM media_refs').pluck().all()).toEqual(['b/9.mp4']);
  });

  it('keeps the previous good version when the new file is malformed, and names the byte offset', async () => {
    const { db, write } = await setup();
    const task = { subset: webvid, origin: 'folder' as const, objectPath: null, originDetail: null, revision: null };
    await ingestFile(db, { ...task, file: write('good.json', [rec('a/1.mp4')]) });
    const bad = join(tempDir(), 'bad.json');
    const prefix = `[${JSON.stringify(rec('a/2.mp4'))},`;
    writeFileSync(bad, `${prefix}{"video": "a/3.mp4", "QA": [}]`);
    const error = await ingestFile(db, { ...task, file: bad }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AnnotationFormatError);
    expect((error as AnnotationFormatError).message).toContain(bad);
    expect((error as AnnotationFormatError).offset).toBe(prefix.length + '{"video": "a/3.mp4", "QA": ['.length);
    expect(new AnnotationStore(db).status()).toEqual([expect.objectContaining({ records: 1 })]);
    expect(db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(1);
  });
});

describe('ingestFile on hostile files', () => {
  const task = { subset: webvid, origin: 'folder' as const, objectPath: null, originDetail: null, revision: null };

  async function refused(text: string) {
    const { db, write } = await setup();
    await ingestFile(db, { ...task, file: write('good.json', [rec('a/1.mp4')]) });
    const bad = join(tempDir(), 'bad.json');
    writeFileSync(bad, text);
    const error = await ingestFile(db, { ...task, file: bad, sha256: 'not-the-good-one' }).catch((e: unknown) => e);
    // The previous version stays current and nothing of the refused file is kept.
    expect(new AnnotationStore(db).status()).toEqual([expect.objectContaining({ records: 1 })]);
    expect(db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(1);
    return { error: error as AnnotationFormatError, bad };
  }

  it('fails a file with a record over the size limit, naming the file, the record offset and the limit (issue 9)', async () => {
    const prefix = `[${JSON.stringify(rec('a/2.mp4'))}, `;
    const { error, bad } = await refused(`${prefix}${JSON.stringify(rec('a/3.mp4', 'z'.repeat(MAX_RECORD_BYTES)))}]`);
    expect(error).toBeInstanceOf(AnnotationFormatError);
    expect(error.message).toContain(bad);
    expect(error.offset).toBe(prefix.length);
    expect(error.message).toContain('64 MiB');
  });

  it('fails a file nested 200,000 levels deep with the file and offset, not a stack overflow (issue 10)', async () => {
    const prefix = `[${JSON.stringify(rec('a/2.mp4'))},`;
    const { error, bad } = await refused(`${prefix}{"video": ${'['.repeat(200_000)}${']'.repeat(200_000)}, "QA": []}]`);
    expect(error).toBeInstanceOf(AnnotationFormatError);
    expect(error.message).toContain(bad);
    expect(error.offset).toBe(prefix.length + '{"video": '.length + MAX_DEPTH - 1);
  });
});

describe('records in the library', () => {
  it('are read back from the library copy exactly as written in the file', async () => {
    const { db, write } = await setup();
    const records = [rec('000001_000050/1.mp4', 'first "quoted" café ✓'), rec('000001_000050/2.mp4', 'second')];
    const text = `[\n  ${records.map((r) => JSON.stringify(r, null, 1)).join(',\n  ')}\n]\n`;
    const file = write('pretty.json', []);
    writeFileSync(file, text);
    const annotations = join(tempDir(), 'annotations');
    const sha256 = await sha256File(file);
    const result = await ingestFile(db, {
      subset: webvid,
      file,
      sha256,
      origin: 'folder',
      objectPath: objectPath(annotations, sha256),
      originDetail: null,
      revision: null,
    });
    expect(result.status).toBe('ingested');
    expect(statSync(objectPath(annotations, sha256)).mode & 0o222).toBe(0);
    expect(readRecordText(db, annotations, 'caption_webvid', 1)).toBe(JSON.stringify(records[1], null, 1));
    expect(JSON.parse(readRecordText(db, annotations, 'caption_webvid', 0) ?? 'null')).toEqual(records[0]);
  });
});
