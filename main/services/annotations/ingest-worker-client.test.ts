import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { subsetById } from '../../../shared/catalog/index';
import type { Subset } from '../../../shared/catalog/schema';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { LibraryService } from '../library/library-service';
import { AnnotationStore } from './annotation-store';
import { ingestFile } from './ingest-file';
import { IngestWorker } from './ingest-worker-client';
import { BATCHES_AHEAD, RECORDS_PER_BATCH } from './parse-records';

// The parse worker is the bundled one (dist/main/ingest-worker.js), as the app runs it; `npm test` builds first.
const bundleDir = resolve('dist/main');
const webvid = subsetById('caption_webvid') as Subset;
const library = new LibraryService();
const workers: IngestWorker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close()));
  library.close();
});

const rec = (i: number) => ({ video: `${String(i % 97).padStart(6, '0')}/${i}.mp4`, QA: [{ i: 'Describe.', q: '', a: `clip ${i}` }] });

async function setup(records: number) {
  const root = tempDir();
  await library.create(join(root, 'lib'));
  const file = join(root, 'train.json');
  writeFileSync(file, JSON.stringify(Array.from({ length: records }, (_, i) => rec(i))));
  const worker = new IngestWorker(bundleDir);
  workers.push(worker);
  const task = { subset: webvid, file, objectPath: null, origin: 'folder' as const, originDetail: null, revision: null };
  return { db: library.database(), file, worker, task, root };
}

describe('IngestWorker (a parse worker feeding the engine, its one writer)', () => {
  it('ingests a file parsed in the worker exactly as one parsed in place: records, flags, distinct refs', async () => {
    const { db, worker, task, root } = await setup(3 * RECORDS_PER_BATCH + 17);
    const viaWorker = await ingestFile(db, task, { parse: worker.parser(new AbortController().signal) });
    expect(viaWorker).toMatchObject({ status: 'ingested', records: 3 * RECORDS_PER_BATCH + 17, flagged: 0, mediaRefs: 3 * RECORDS_PER_BATCH + 17 });
    const rows = db.prepare('SELECT idx, ref, rec_offset AS o, rec_length AS l FROM records ORDER BY idx').all() as Array<{ idx: number; ref: string }>;
    expect(rows.map((r) => r.idx)).toEqual(rows.map((_, i) => i));
    expect(rows[12_345]?.ref).toBe(rec(12_345).video);
    // The same file parsed in this thread gives the same rows (a second library, same reader).
    const inPlace = new LibraryService();
    try {
      await inPlace.create(join(root, 'lib2'));
      await ingestFile(inPlace.database(), task);
      expect(inPlace.database().prepare('SELECT idx, ref, rec_offset AS o, rec_length AS l FROM records ORDER BY idx').all()).toEqual(rows);
    } finally {
      inPlace.close();
    }
  });

  it('stays at most two batches ahead of the writer, so memory is bounded however slow the writes are', async () => {
    const { worker, file } = await setup(8 * RECORDS_PER_BATCH);
    const source = worker.parser(new AbortController().signal)(file, webvid, 1);
    const first = await source.next();
    expect(first.done).toBe(false);
    // Hold the writer: the worker parses ahead and then waits; what reached this thread stays bounded.
    await new Promise((r) => setTimeout(r, 500));
    expect(worker.bufferedBatches).toBe(BATCHES_AHEAD - 1);
    let batches = 1;
    for (let step = await source.next(); !step.done; step = await source.next()) batches++;
    expect(batches).toBe(8);
  });

  it('a file that is not JSON fails that file with its byte offset; the same worker then parses the next one', async () => {
    const { db, worker, task, root } = await setup(10);
    const bad = join(root, 'bad.json');
    writeFileSync(bad, '[{"video": "a.mp4", "QA": []}, {"video": ');
    const signal = new AbortController().signal;
    const error = await ingestFile(db, { ...task, file: bad }, { parse: worker.parser(signal) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_ANNOTATION_FILE' });
    expect((error as Error).message).toContain(bad);
    expect(worker.usable).toBe(true);
    expect(await ingestFile(db, task, { parse: worker.parser(signal) })).toMatchObject({ status: 'ingested', records: 10 });
    expect(new AnnotationStore(db).current(webvid.id)?.records).toBe(10);
  });

  it('a cancel mid-file stops that file, marks the half-written version failed, keeps the current one; the worker parses on', async () => {
    const { db, worker, task, root } = await setup(5);
    await ingestFile(db, task);
    const big = join(root, 'big.json');
    writeFileSync(big, JSON.stringify(Array.from({ length: 6 * RECORDS_PER_BATCH }, (_, i) => rec(i))));
    const cancel = new AbortController();
    const error = await ingestFile(
      db,
      { ...task, file: big },
      {
        onProgress: (p) => {
          if (p.records >= RECORDS_PER_BATCH) cancel.abort(new Error('cancelled by the user'));
        },
        parse: worker.parser(cancel.signal),
        signal: cancel.signal,
      },
    ).catch((e: unknown) => e);
    expect((error as Error).message).toBe('cancelled by the user');
    expect(worker.usable).toBe(true);
    expect(new AnnotationStore(db).current(webvid.id)?.records).toBe(5);
    expect(db.prepare(`SELECT state, error FROM annotation_files ORDER BY id`).all()).toEqual([
      { state: 'current', error: null },
      { state: 'failed', error: 'cancelled by the user' },
    ]);
    expect(db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(5);
    expect(await ingestFile(db, { ...task, file: big }, { parse: worker.parser(new AbortController().signal) })).toMatchObject({
      records: 6 * RECORDS_PER_BATCH,
    });
  });
});
