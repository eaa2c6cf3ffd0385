import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import type { JobSnapshot, VerifyLevel } from '../../../shared/api/models';
import { catalog } from '../../../shared/catalog/index';
import { isInside, realPathOf, resolveUserPath, shownPath } from '../../lib/user-path';
import { ANNOTATIONS_FOLDER } from '../annotations/annotations-service';
import type { JobContext, JobOutcome, JobRunner } from '../jobs/job-runner';
import type { LibraryService } from '../library/library-service';
import type { SourcesService } from '../sources/sources-service';
import { exportTrainingSet } from './export-training-set';

export interface ExportParams {
  path: string;
  level: VerifyLevel;
  /** Records with start/end point at their pre-cut clip (clips.precut) where it was cut. */
  precut: boolean;
}

/** The training-ready copy: verified records only, and an instruction_data.py pointing at the local media. */
export class ExportService {
  constructor(
    private readonly library: LibraryService,
    private readonly jobs: JobRunner,
    private readonly sources: SourcesService,
  ) {}

  start(rawPath: string, level: VerifyLevel, precut = false): JobSnapshot {
    const info = this.library.current();
    if (!info) throw new ApiError('LIBRARY_NOT_OPEN', 'open a library before exporting');
    const { path } = resolveUserPath(rawPath, 'the export folder');
    this.refuseProtected(path);
    try {
      mkdirSync(path, { recursive: true });
    } catch (error) {
      throw new ApiError('IO_ERROR', `cannot create ${shownPath(path)}: ${(error as Error).message}. Choose a folder you can write to.`);
    }
    return this.jobs.enqueue('export.run', { path, level, precut } satisfies ExportParams);
  }

  /**
   * The export writes `annotations/…` and `instruction_data.py` under its folder. Compared by real path (a link
   * can lead anywhere, #9): neither the folder nor its `annotations/` may be inside the library (whose annotation
   * copies records point into) or inside a source's media root.
   */
  private refuseProtected(path: string): void {
    const info = this.library.current();
    if (!info) throw new ApiError('LIBRARY_NOT_OPEN', 'open a library before exporting');
    const protectedFolders = [
      { real: realPathOf(info.path), name: `the library (${info.path})` },
      ...catalog.sources.map((s) => ({ real: realPathOf(this.sources.root(s.id)), name: `the media folder of ${s.id} (${this.sources.root(s.id)})` })),
    ];
    for (const written of [path, join(path, ANNOTATIONS_FOLDER)]) {
      const real = realPathOf(written);
      const hit = protectedFolders.find((f) => isInside(real, f.real));
      if (hit) {
        throw new ApiError(
          'VALIDATION_ERROR',
          `${shownPath(written)}${real === written ? '' : ` leads to ${shownPath(real)}, which`} is inside ${hit.name}: the export would write over files the library needs. Choose a folder outside the library and the media folders, e.g. ${join(dirname(info.path), 'vc2-train')}`,
        );
      }
    }
  }

  async run(params: ExportParams, context: JobContext): Promise<JobOutcome> {
    const info = this.library.current();
    if (!info) throw new ApiError('LIBRARY_NOT_OPEN', 'the library was closed');
    // Again when it runs: a link in the path may have been changed since the export was queued.
    this.refuseProtected(params.path);
    const result = await exportTrainingSet(
      this.library.database(),
      {
        libraryPath: info.path,
        annotationsDir: join(info.path, ANNOTATIONS_FOLDER),
        target: params.path,
        level: params.level,
        precut: params.precut,
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
