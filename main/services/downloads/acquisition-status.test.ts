import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sourceById } from '../../../shared/catalog/index';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import type { LibraryDatabase } from '../library/db';
import { migrate } from '../library/migrations/index';
import { type AcquisitionInputs, acquisitionOf, describeRoute } from './acquisition-status';
import { DownloadLedger, type DownloadRow, type LedgerSummary } from './download-ledger';

const row = (fields: Partial<DownloadRow>): DownloadRow => ({
  id: 1,
  sourceId: 'clevrer',
  url: 'http://data.csail.mit.edu/clevrer/videos/train/video_train.zip',
  target: 'video_train.zip',
  state: 'queued',
  expectedSize: null,
  sizeIsExact: false,
  expectedSha256: null,
  bytes: 0,
  total: null,
  attempts: 0,
  lastStatus: null,
  error: null,
  sha256: null,
  extractedAt: null,
  updatedAt: 1,
  place: 'downloads',
  ...fields,
});

/** The rows as the ledger counts them: written to a real library database and summed by its query. */
function summary(rows: readonly DownloadRow[]): LedgerSummary {
  const file = join(tempDir(), 'library.sqlite');
  const db = new Database(file);
  migrate(db, file);
  const add = db.prepare(
    `INSERT INTO downloads (source_id, url, target, place, state, expected_size, size_is_exact, bytes, total, error, extracted_at, updated_at)
     VALUES (@sourceId, @url, @target, @place, @state, @expectedSize, @sizeIsExact, @bytes, @total, @error, @extractedAt, 1)`,
  );
  rows.forEach((r, i) => {
    add.run({ ...r, target: `${i}-${r.target}`, sizeIsExact: r.sizeIsExact ? 1 : 0 });
  });
  const [counted] = new DownloadLedger(db as unknown as LibraryDatabase).summaries();
  db.close();
  return counted as LedgerSummary;
}

const input = (sourceId: string, fields: Partial<AcquisitionInputs> = {}): AcquisitionInputs => {
  const source = sourceById(sourceId);
  if (!source) throw new Error(sourceId);
  return {
    source,
    ledger: null,
    runningJobId: null,
    pausedJobId: null,
    media: null,
    mirror: null,
    root: '/r',
    rootIsDefault: true,
    blocked: null,
    found: null,
    ...fields,
  };
};

describe('acquisitionOf', () => {
  it('a source nothing was done for: not started, download or import; its size as the research knows it (exact, or unknown)', () => {
    const status = acquisitionOf(input('clevrer'));
    expect(status).toMatchObject({ state: 'not-started', actions: ['download', 'import'], bytesOnDisk: 0, files: { total: 0, done: 0, failed: 0 } });
    expect(status).toMatchObject({ bytesExpected: null, expectedIsEstimate: true });
    expect(acquisitionOf(input('egoqa'))).toMatchObject({ bytesExpected: 3_680_916_665, expectedIsEstimate: false });
  });

  it('downloading while its job runs, extracting once every file is here, paused with resume when its job is', () => {
    const rows = [row({ state: 'downloading', bytes: 100, total: 1000 })];
    expect(acquisitionOf(input('clevrer', { ledger: summary(rows), runningJobId: 4 }))).toMatchObject({
      state: 'downloading',
      jobId: 4,
      actions: ['pause'],
      bytesOnDisk: 100,
      bytesExpected: 1000,
      expectedIsEstimate: false,
    });
    expect(acquisitionOf(input('clevrer', { ledger: summary([row({ state: 'done', bytes: 1000, total: 1000 })]), runningJobId: 4 })).state).toBe('extracting');
    expect(acquisitionOf(input('clevrer', { ledger: summary(rows), pausedJobId: 4 }))).toMatchObject({ state: 'paused', jobId: 4, actions: ['resume'] });
  });

  it('failed files need you: how many, the first reason, retry failed', () => {
    const status = acquisitionOf(input('clevrer', { ledger: summary([row({ state: 'failed', error: 'not on the server (404)' })]) }));
    expect(status).toMatchObject({ state: 'needs-you', why: '1 file failed: not on the server (404)', actions: ['retry-failed', 'import'] });
  });

  it('complete when every file is downloaded and extracted, or when the last verify found every media file, whatever the ledger says', () => {
    expect(acquisitionOf(input('clevrer', { ledger: summary([row({ state: 'done', bytes: 5, total: 5, extractedAt: 9 })]) })).state).toBe('complete');
    expect(acquisitionOf(input('clevrer', { ledger: summary([row({ state: 'done', bytes: 5, total: 5 })]) })).state).not.toBe('complete');
    expect(acquisitionOf(input('ssv2', { media: { expected: 10, present: 10 }, blocked: 'by hand' })).state).toBe('complete');
    // Clips fetched one by one are the media themselves: in place once done, nothing to extract.
    const clips = [row({ state: 'done', bytes: 5, total: 5, place: 'root' }), row({ state: 'done', bytes: 7, total: 7, place: 'root' })];
    expect(acquisitionOf(input('webvid', { ledger: summary(clips) }))).toMatchObject({ state: 'complete', bytesOnDisk: 12, files: { total: 2, done: 2 } });
  });

  it('a source fetched by hand needs you: its steps, its request page, import', () => {
    const status = acquisitionOf(input('ssv2', { blocked: 'ssv2 is fetched by hand' }));
    expect(status).toMatchObject({ state: 'needs-you', actions: ['open-page', 'import'], routeKind: 'manual' });
    expect(status.why).toMatch(/^fetched by hand: \d+ steps, then import what you downloaded$/);
    expect(status.steps[0]).toMatch(/Qualcomm/);
    expect(status.page).toMatch(/^https:\/\//);
  });

  it('describes each kind of route in a few words', () => {
    expect(describeRoute(input('clevrer').source.acquire.route)).toBe('HTTP: 1 archive from data.csail.mit.edu');
    expect(describeRoute(input('egoqa').source.acquire.route)).toMatch(/^Hugging Face ynhe\/videochat2_data: 1 file$/);
  });
});
