import type { z } from 'zod';
import { ApiError } from '../../../shared/api/errors';
import type { JobSnapshot, MissingMedia, MissingPage, MissingQuerySchema, VerifyReport } from '../../../shared/api/models';
import { sourceById, subsetById } from '../../../shared/catalog/index';
import type { JobContext, JobOutcome, JobRunner } from '../jobs/job-runner';
import type { LibraryService } from '../library/library-service';
import type { SettingsService } from '../settings/settings-service';
import type { SourcesService } from '../sources/sources-service';
import { buildReport } from './verify-report';
import { runVerify, type VerifyParams } from './verify-run';

/** Checks the library's media against what its annotations need, and reports what is missing and why. */
export class VerifyService {
  private cached: { key: string; rows: MissingMedia[] } | null = null;

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

  report(options: { missing: boolean }): VerifyReport {
    return buildReport(this.library.database(), options);
  }

  missing(query: z.output<typeof MissingQuerySchema>): MissingPage {
    const search = query.search?.trim().toLowerCase();
    const rows = this.missingList().filter(
      (m) =>
        (!query.sourceId || m.source === query.sourceId) &&
        (!query.subsetId || m.subset === query.subsetId) &&
        (!query.reason || m.reason === query.reason || (query.reason === 'corrupt' && m.reason.startsWith('corrupt:'))) &&
        (!search || m.ref.toLowerCase().includes(search)),
    );
    return { total: rows.length, rows: rows.slice(query.offset, query.offset + query.limit) };
  }

  /**
   * The whole missing list, rebuilt only when a check or an ingest changed something: paging and filtering on the
   * Missing page must not rerun the per-subset joins over millions of records.
   */
  private missingList(): MissingMedia[] {
    const db = this.library.database();
    const key = JSON.stringify([
      db.prepare('SELECT count(*), max(checked_at) FROM media_status').raw().get(),
      db.prepare(`SELECT group_concat(id) FROM annotation_files WHERE state = 'current'`).pluck().get(),
      this.library.current()?.path,
    ]);
    if (this.cached?.key !== key) this.cached = { key, rows: this.report({ missing: true }).missing ?? [] };
    return this.cached.rows;
  }
}
