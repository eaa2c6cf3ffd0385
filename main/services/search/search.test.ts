import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SampleListPage, SearchIndexStatus, SearchPage } from '../../../shared/api/viewer-models';
import { startEngine } from '../../../tests/fixtures/engine';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import type { EngineClient } from '../../engine/client';

// The viewer's list and the full-text search, through the real engine (its worker thread, SQLite, the library's
// copies of the annotation files), as the app and vc2m use them.

let engine: EngineClient | null = null;
afterEach(async () => {
  await engine?.close();
  engine = null;
});

const webvid = Array.from({ length: 300 }, (_, i) => ({
  video: `000001_000050/${1000 + i}.mp4`,
  QA: [{ i: 'Describe the video.', q: '', a: i === 7 ? 'A red kite drifts over the hill at dawn.' : `Clip number ${i} shows a quiet street.` }],
}));
const k710 = Array.from({ length: 40 }, (_, i) => ({
  video: `k400/train/abseiling_${i}.mp4`,
  ...(i % 2 === 0 ? { start: i, end: i + 5 } : {}),
  QA: [{ i: 'Classify the action.', q: `What is the person doing in clip ${i}? Options: (A) abseiling (B) café dancing`, a: '(A) abseiling' }],
}));

function writeAnnotations(folder: string, files: Record<string, unknown[]>) {
  for (const [path, records] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), JSON.stringify(records));
  }
}

async function call<T>(method: string, args: unknown = {}): Promise<T> {
  const result = await (engine as EngineClient).call(method, args);
  if (!result.ok) throw new Error(`${method}: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

async function waitForJob(id: number) {
  await expect.poll(async () => (await call<{ state: string }>('jobs.get', { id })).state, { timeout: 20_000 }).toBe('finished');
}

async function setup() {
  engine = await startEngine(tempDir());
  const library = join(tempDir(), 'lib');
  await call('library.create', { path: library });
  const annotations = tempDir();
  writeAnnotations(annotations, { 'video/caption/webvid/train.json': webvid, 'video/classification/k710/train.json': k710 });
  await waitForJob((await call<{ id: number }>('annotations.import', { path: annotations })).id);
  // one clip present, so a verify gives both ok and missing
  const clip = join(library, 'media', 'kinetics', 'k400/train/abseiling_4.mp4');
  mkdirSync(dirname(clip), { recursive: true });
  writeFileSync(clip, 'x');
  return { library, annotations };
}

async function indexed() {
  const status = await call<SearchIndexStatus>('search.status');
  if (status.jobId !== null) await waitForJob(status.jobId);
  return call<SearchIndexStatus>('search.status');
}

describe('the sample list', () => {
  it('pages every record in catalog order, the last one included, and shuffles them all with a seed', async () => {
    await setup();
    const first = await call<SampleListPage>('viewer.list', { limit: 3 });
    expect(first.total).toBe(340);
    // the catalog lists the WebVid captions before the K710 classification
    expect(first.rows.map((r) => [r.position, r.subsetId, r.index, r.status])).toEqual([
      [0, 'caption_webvid', 0, 'unchecked'],
      [1, 'caption_webvid', 1, 'unchecked'],
      [2, 'caption_webvid', 2, 'unchecked'],
    ]);
    expect(first.rows[0]?.text).toBe('Describe the video.');
    const across = await call<SampleListPage>('viewer.list', { from: 298, limit: 4 });
    expect(across.rows.map((r) => `${r.subsetId}#${r.index}`)).toEqual([
      'caption_webvid#298',
      'caption_webvid#299',
      'classification_k710#0',
      'classification_k710#1',
    ]);
    expect(across.rows[2]).toMatchObject({
      ref: 'k400/train/abseiling_0.mp4',
      start: 0,
      end: 5,
      text: expect.stringContaining('What is the person doing in clip 0?'),
    });
    const last = await call<SampleListPage>('viewer.list', { from: 339, limit: 50 });
    expect(last.rows.map((r) => `${r.subsetId}#${r.index}`)).toEqual(['classification_k710#39']);

    const seen = new Set<string>();
    for (let from = 0; from < 340; from += 200) {
      const page = await call<SampleListPage>('viewer.list', { order: 'shuffle', seed: 5, from, limit: 200 });
      for (const r of page.rows) seen.add(`${r.subsetId}#${r.index}`);
    }
    expect(seen.size).toBe(340);
    const again = await call<SampleListPage>('viewer.list', { order: 'shuffle', seed: 5, limit: 10 });
    const other = await call<SampleListPage>('viewer.list', { order: 'shuffle', seed: 6, limit: 10 });
    expect(again.rows).toEqual((await call<SampleListPage>('viewer.list', { order: 'shuffle', seed: 5, limit: 10 })).rows);
    expect(other.rows.map((r) => r.index)).not.toEqual(again.rows.map((r) => r.index));
  });

  it('filters by subset, source, media status, segment and part of the ref, counting all matches', async () => {
    await setup();
    expect((await call<SampleListPage>('viewer.list', { subsetId: 'classification_k710', limit: 1 })).total).toBe(40);
    expect((await call<SampleListPage>('viewer.list', { sourceId: 'webvid', limit: 1 })).total).toBe(300);
    const segments = await call<SampleListPage>('viewer.list', { hasSegment: true, limit: 200 });
    expect(segments.total).toBe(20);
    expect(segments.rows.every((r) => r.start !== null)).toBe(true);
    expect((await call<SampleListPage>('viewer.list', { refContains: '1007', limit: 5 })).rows.map((r) => r.ref)).toEqual(['000001_000050/1007.mp4']);

    await waitForJob((await call<{ id: number }>('verify.start', { sourceId: 'kinetics' })).id);
    const ok = await call<SampleListPage>('viewer.list', { status: 'ok', limit: 5 });
    expect(ok.total).toBe(1);
    expect(ok.rows[0]).toMatchObject({ position: 0, subsetId: 'classification_k710', index: 4, status: 'ok' });
    const missing = await call<SampleListPage>('viewer.list', { status: 'missing', sourceId: 'kinetics', from: 38, limit: 5 });
    expect(missing.total).toBe(39);
    expect(missing.rows.map((r) => [r.position, r.index, r.status])).toEqual([[38, 39, 'missing']]);
    expect((await call<SampleListPage>('viewer.list', { status: 'unchecked', limit: 1 })).total).toBe(300);
    const shuffledMissing = await call<SampleListPage>('viewer.list', { status: 'missing', order: 'shuffle', seed: 1, limit: 200 });
    expect(new Set(shuffledMissing.rows.map((r) => r.index)).size).toBe(39);
  });
});

describe('full-text search', () => {
  it('builds its index in the background on first use, then finds words, phrases and prefixes, folding case and accents', async () => {
    await setup();
    const status = await indexed();
    expect(status).toMatchObject({ indexed: 340, records: 340, jobId: null });
    expect(status.bytes).toBeGreaterThan(0);

    const kite = await call<SearchPage>('search.query', { query: 'KITE dawn' });
    expect(kite.total).toBe(1);
    expect(kite.hits[0]).toMatchObject({ subsetId: 'caption_webvid', index: 7, ref: '000001_000050/1007.mp4', status: 'unchecked' });
    const hit = kite.hits[0] as SearchPage['hits'][number];
    expect(hit.marks.map(([s, e]) => hit.snippet.slice(s, e))).toEqual(['kite', 'dawn']);

    expect((await call<SearchPage>('search.query', { query: '"quiet street"' })).total).toBe(299);
    expect((await call<SearchPage>('search.query', { query: '"street quiet"' })).total).toBe(0);
    expect((await call<SearchPage>('search.query', { query: 'abseil*' })).total).toBe(40);
    expect((await call<SearchPage>('search.query', { query: 'cafe' })).total).toBe(40);
    expect((await call<SearchPage>('search.query', { query: 'CAFÉ abseiling clip' })).total).toBe(40);
    // FTS5's own syntax is never read from the box
    expect((await call<SearchPage>('search.query', { query: 'kite OR NOT street (' })).total).toBe(0);
    expect((await call<SearchPage>('search.query', { query: 'street', subsetId: 'classification_k710' })).total).toBe(0);
    expect((await call<SearchPage>('search.query', { query: 'clip', sourceId: 'kinetics', hasSegment: true })).total).toBe(20);
    const page = await call<SearchPage>('search.query', { query: 'street', from: 290, limit: 50 });
    expect(page.total).toBe(299);
    expect(page.hits).toHaveLength(9);
  });

  it('takes a new version of a subset in after its ingest, and forgets the old one', async () => {
    const { annotations } = await setup();
    await indexed();
    expect((await call<SearchPage>('search.query', { query: 'kite' })).total).toBe(1);
    const changed = webvid.map((r, i) => (i === 7 ? { ...r, QA: [{ i: 'Describe the video.', q: '', a: 'A paper lantern rises.' }] } : r));
    writeAnnotations(annotations, { 'video/caption/webvid/train.json': changed });
    await waitForJob((await call<{ id: number }>('annotations.import', { path: annotations })).id);
    await expect.poll(async () => (await call<SearchPage>('search.query', { query: 'lantern' })).total, { timeout: 20_000 }).toBe(1);
    await indexed();
    expect((await call<SearchPage>('search.query', { query: 'kite' })).total).toBe(0);
    expect((await call<SearchPage>('search.query', { query: 'street' })).total).toBe(299);
    expect((await call<SearchIndexStatus>('search.status')).indexed).toBe(340);
  });

  it('a build the user cancelled is not started again by opening the viewer; asking for one starts it', async () => {
    await setup();
    const status = await call<SearchIndexStatus>('search.status');
    expect(status.jobId).not.toBeNull();
    await call('jobs.cancel', { ids: [status.jobId] });
    await expect.poll(async () => (await call<{ state: string }>('jobs.get', { id: status.jobId })).state).toBe('cancelled');
    expect((await call<SearchIndexStatus>('search.status')).jobId).toBeNull();
    await call('search.query', { query: 'kite' });
    expect((await call<SearchIndexStatus>('search.status')).jobId).toBeNull();
    const again = await call<{ id: number } | null>('search.build');
    expect(again).not.toBeNull();
    await waitForJob((again as { id: number }).id);
    expect((await call<SearchPage>('search.query', { query: 'kite' })).total).toBe(1);
  });
});
