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
