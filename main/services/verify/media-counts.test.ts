import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { subsetById } from '../../../shared/catalog/index';
import type { Subset } from '../../../shared/catalog/schema';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { ingestFile } from '../annotations/ingest-file';
import type { JobContext, JobRunner } from '../jobs/job-runner';
import { LibraryService } from '../library/library-service';
import type { SettingsService } from '../settings/settings-service';
import type { SourcesService } from '../sources/sources-service';
import { runVerify } from './verify-run';
import { VerifyService } from './verify-service';

const library = new LibraryService();
afterEach(() => library.close());
const job: JobContext = { jobId: 1, signal: new AbortController().signal, report: () => {} };

describe('VerifyService.mediaBySource (the Sources page asks on every refresh)', () => {
  it('counts per source the media named, checked and present, kept until forgotten; its join goes by primary key', async () => {
    const base = tempDir();
    await library.create(join(base, 'lib'));
    const db = library.database();
    const file = join(base, 'train.json');
    writeFileSync(file, JSON.stringify(Array.from({ length: 5 }, (_, i) => ({ video: `a/${i}.mp4`, QA: [] }))));
    await ingestFile(db, { subset: subsetById('caption_webvid') as Subset, file, origin: 'folder', objectPath: null, originDetail: null, revision: null });
    const verify = new VerifyService(library, {} as JobRunner, {} as SourcesService, {} as SettingsService);
    expect(verify.mediaBySource().get('webvid')).toEqual({ media: 5, checked: 0, present: 0 });
    mkdirSync(join(base, 'media', 'webvid', 'a'), { recursive: true });
    for (const i of [0, 1, 2]) writeFileSync(join(base, 'media', 'webvid', 'a', `${i}.mp4`), 'x');
    await runVerify(db, (id) => join(base, 'media', id), { level: 'quick', sourceId: null, subsetId: null, force: true }, job);
    // Kept until a job that changes it ends.
    expect(verify.mediaBySource().get('webvid')).toEqual({ media: 5, checked: 0, present: 0 });
    verify.forgetCounts();
    expect(verify.mediaBySource().get('webvid')).toEqual({ media: 5, checked: 5, present: 3 });
    const plan = db
      .prepare(
        'EXPLAIN QUERY PLAN SELECT r.source_id, count(*), count(s.media_id) FROM media_refs r LEFT JOIN media_status s ON s.media_id = r.id GROUP BY r.source_id',
      )
      .all() as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/SEARCH s USING INTEGER PRIMARY KEY/);
  });
});
