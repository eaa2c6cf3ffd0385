import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { subsetById } from '../../../shared/catalog/index';
import type { Subset } from '../../../shared/catalog/schema';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { ingestFile } from '../annotations/ingest-file';
import type { JobContext } from '../jobs/job-runner';
import { LibraryService } from '../library/library-service';
import { buildFileMedia } from './file-media';
import { buildReport, eachMissingMedia } from './verify-report';
import { runVerify } from './verify-run';

const library = new LibraryService();
afterEach(() => library.close());
const job: JobContext = { jobId: 1, signal: new AbortController().signal, report: () => {} };

describe('buildReport', () => {
  it('returns at most its limit of missing rows and says there are more, so one call cannot return 600k rows (#9)', async () => {
    const base = tempDir();
    await library.create(join(base, 'lib'));
    const db = library.database();
    const file = join(base, 'train.json');
    writeFileSync(file, JSON.stringify(Array.from({ length: 25 }, (_, i) => ({ video: `gone/${i}.mp4`, QA: [] }))));
    await ingestFile(db, { subset: subsetById('caption_webvid') as Subset, file, origin: 'folder', objectPath: null, originDetail: null, revision: null });
    mkdirSync(join(base, 'media'));
    await runVerify(db, (id) => join(base, 'media', id), { level: 'quick', sourceId: null, subsetId: null, force: true }, job);
    await buildFileMedia(db);

    const cut = await buildReport(db, { missing: true, missingLimit: 10 });
    expect(cut.missing).toHaveLength(10);
    expect(cut.missingMore).toBe(true);
    expect(cut.subsets.find((s) => s.id === 'caption_webvid')?.missing).toBe(25);
    const whole = await buildReport(db, { missing: true, missingLimit: 100 });
    expect({ rows: whole.missing?.length, more: whole.missingMore }).toEqual({ rows: 25, more: false });
    expect(await buildReport(db, { missing: false })).toMatchObject({ missing: null, missingMore: false });
    // The CLI's stream still walks every row.
    let streamed = 0;
    eachMissingMedia(db, () => streamed++);
    expect(streamed).toBe(25);
  });
});
