import type { z } from 'zod';
import { ApiError } from '../../../shared/api/errors';
import type { JobSnapshot, MissingMedia, MissingPage, MissingQuerySchema, VerifyReport } from '../../../shared/api/models';
import { sourceById, subsetById } from '../../../shared/catalog/index';
import type { JobContext, JobOutcome, JobRunner } from '../jobs/job-runner';
import type { LibraryService } from '../library/library-service';
import type { SettingsService } from '../settings/settings-service';
import type { SourcesService } from '../sources/sources-service';
import { buildFileMedia } from './file-media';
import { buildReport, eachMissingMedia, missingMedia } from './verify-report';
import { runVerify, type VerifyParams } from './verify-run';

/** Checks the library's media against what its annotations need, and reports what is missing and why. */
export class VerifyService {
  constructor(
    private readonly library: LibraryService,
    private readonly jobs: JobRunner,
    private readonly sources: SourcesService,
    private readonly settings: SettingsService,
  ) {}

  start(params: VerifyParams): JobSnapshot {
    this.library.database();
    if (params.sourceId && !sourceById(params.sourceId)) throw new ApiError('NOT_FOUND', `unknown source "${params.sourceId}"; vc2m sources lists them`);
    if (params.subsetId && !subsetById(params.subsetId)) throw new ApiError('NOT_FOUND', `unknown subset "${params.subsetId}"; vc2m status lists them`);
    return this.jobs.enqueue('verify.run', params);
  }

  async run(params: VerifyParams, context: JobContext): Promise<JobOutcome> {
    const ffmpeg = (await this.settings.get()).ffmpegPath || 'ffmpeg';
    await buildFileMedia(this.library.database());
    const { checked, skipped } = await runVerify(this.library.database(), (id) => this.sources.root(id), { ...params, ffmpeg }, context);
    // Counted straight from media_status: the full per-subset report is too heavy to build just for a message.
    const counts = new Map(
      (this.library.database().prepare('SELECT status, count(*) AS n FROM media_status GROUP BY status').all() as Array<{ status: string; n: number }>).map(
        (r) => [r.status, r.n],
      ),
    );
    const missing = (counts.get('not-found') ?? 0) + (counts.get('internal-storage-ref') ?? 0) + (counts.get('unsafe-ref') ?? 0);
    const corrupt = counts.get('corrupt') ?? 0;
    return {
      status: 'finished',
      message: `${checked.toLocaleString('en-US')} media checked, ${skipped.toLocaleString('en-US')} unchanged; ${missing.toLocaleString('en-US')} missing, ${corrupt.toLocaleString('en-US')} corrupt`,
    };
  }

  /**
   * Per source: media the annotations name, how many the last verify looked at, how many it found OK. One grouped
   * count over media_refs, kept until a job that changes it ends (forgetCounts): the Sources page asks for it on
   * every refresh of a running download, and the full report is far too heavy for that.
   */
  mediaBySource(): ReadonlyMap<string, { media: number; checked: number; present: number }> {
    const db = this.library.database();
    if (this.counts?.db !== db) {
      const rows = db
        .prepare(
          `SELECT r.source_id AS id, count(*) AS media, count(s.media_id) AS checked, coalesce(sum(s.status = 'ok'), 0) AS present
           FROM media_refs r LEFT JOIN media_status s ON s.media_id = r.id GROUP BY r.source_id`,
        )
        .all() as Array<{ id: string; media: number; checked: number; present: number }>;
      this.counts = { db, bySource: new Map(rows.map(({ id, ...c }) => [id, c])) };
    }
    return this.counts.bySource;
  }

  /** After a verify, an ingest or an import: the next mediaBySource counts again. */
  forgetCounts(): void {
    this.counts = null;
  }

  private counts: { db: unknown; bySource: Map<string, { media: number; checked: number; present: number }> } | null = null;

  async report(options: { missing: boolean }): Promise<VerifyReport> {
    await buildFileMedia(this.library.database());
    return buildReport(this.library.database(), options);
  }

  /** Every missing or damaged media, handed over one at a time (CLI exports of millions of refs). */
  eachMissing(write: (m: MissingMedia) => void): void {
    eachMissingMedia(this.library.database(), write);
  }

  async missing(query: z.output<typeof MissingQuerySchema>): Promise<MissingPage> {
    await buildFileMedia(this.library.database());
    return missingMedia(this.library.database(), query, query);
  }
}
