import { mkdirSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import type { JobSnapshot, VerifyLevel } from '../../../shared/api/models';
import { expandUserPath } from '../../lib/paths';
import { ANNOTATIONS_FOLDER } from '../annotations/annotations-service';
import type { JobContext, JobOutcome, JobRunner } from '../jobs/job-runner';
import type { LibraryService } from '../library/library-service';
import type { SourcesService } from '../sources/sources-service';
import { exportTrainingSet } from './export-training-set';

export interface ExportParams {
  path: string;
  level: VerifyLevel;
}

/** The training-ready copy: verified records only, and an instruction_data.py pointing at the local media. */
export class ExportService {
  constructor(
    private readonly library: LibraryService,
    private readonly jobs: JobRunner,
    private readonly sources: SourcesService,
  ) {}

  start(rawPath: string, level: VerifyLevel): JobSnapshot {
    const info = this.library.current();
    if (!info) throw new ApiError('LIBRARY_NOT_OPEN', 'open a library before exporting');
    const path = expandUserPath(rawPath);
    // Inside the library the export would mix with the library's own annotations and media folders.
    if (path === info.path || path.startsWith(`${info.path}${sep}`)) {
      throw new ApiError('VALIDATION_ERROR', `choose a folder outside the library (${info.path}), e.g. ${join(dirname(info.path), 'vc2-train')}`);
    }
    try {
      mkdirSync(path, { recursive: true });
    } catch (error) {
      throw new ApiError('IO_ERROR', `cannot create ${path}: ${(error as Error).message}`);
    }
    return this.jobs.enqueue('export.run', { path, level } satisfies ExportParams);
  }

  async run(params: ExportParams, context: JobContext): Promise<JobOutcome> {
    const info = this.library.current();
    if (!info) throw new ApiError('LIBRARY_NOT_OPEN', 'the library was closed');
    const result = await exportTrainingSet(
      this.library.database(),
      {
        libraryPath: info.path,
        annotationsDir: join(info.path, ANNOTATIONS_FOLDER),
        target: params.path,
        level: params.level,
        root: (id) => this.sources.root(id),
      },
      context,
    );
    return {
      status: 'finished',
      message: `${result.records.toLocaleString('en-US')} records in ${result.subsets} subsets written to ${params.path}; ${result.left.toLocaleString('en-US')} left out (media not verified at the ${params.level} level)`,
    };
  }
}
