import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import type { AnnotationsStatus, ImportCandidate, JobSnapshot } from '../../../shared/api/models';
import { catalog } from '../../../shared/catalog/index';
import { resolveUserPath } from '../../lib/user-path';
import type { JobContext, JobOutcome, JobRunner } from '../jobs/job-runner';
import type { LibraryService } from '../library/library-service';
import type { SettingsService } from '../settings/settings-service';
import { findHfCacheSnapshots, originOf, scanAnnotationFolder } from './annotation-folders';
import { AnnotationStore } from './annotation-store';
import { type FetchParams, fetchFromHub } from './fetch-from-hub';
import { type IngestStep, ingestSteps } from './ingest-steps';

export const ANNOTATIONS_FOLDER = 'annotations';

export interface ImportParams {
  path: string;
}

/** The library's annotation records: what is ingested, and getting them from the Hub or from a local copy. */
export class AnnotationsService {
  constructor(
    private readonly library: LibraryService,
    private readonly jobs: JobRunner,
    private readonly settings: SettingsService,
    private readonly bundleDir: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  status(): AnnotationsStatus {
    const store = new AnnotationStore(this.library.database());
    const current = new Map(store.status().map((s) => [s.subsetId, s]));
    const failures = store.failures();
    const subsets = catalog.subsets.map((subset) => {
      const counts = current.get(subset.id);
      return {
        id: subset.id,
        annotationPath: subset.annotationPath,
        modality: subset.modality,
        task: subset.task,
        source: subset.source,
        expectedRecords: subset.expectedRecords,
        onHub: subset.onHub,
        records: counts?.records ?? null,
        flagged: counts?.flagged ?? 0,
        mediaRefs: counts?.mediaRefs ?? 0,
        ingestedAt: counts ? new Date(counts.ingestedAt).toISOString() : null,
        origin: counts?.origin ?? null,
        revision: counts?.revision ?? null,
        lastError: failures.get(subset.id) ?? null,
      };
    });
    const revisions = [...new Set(subsets.map((s) => s.revision).filter((r): r is string => r !== null))];
    return { revision: revisions.length === 1 ? (revisions[0] ?? null) : revisions.length > 1 ? 'mixed' : null, subsets };
  }

  /** After a crash or quit mid-import: half-written versions are dropped; the current ones were never touched. */
  recover(): void {
    const store = new AnnotationStore(this.library.database());
    if (store.abandonUnfinished() > 0) store.collectGarbage();
  }

  detect(): ImportCandidate[] {
    return findHfCacheSnapshots(this.env);
  }

  startImport(rawPath: string): JobSnapshot {
    this.library.database();
    const path = resolveUserPath(rawPath, 'the annotation folder').path;
    if (scanAnnotationFolder(path).subsets.length === 0) {
      throw new ApiError(
        'NOT_FOUND',
        `${path} holds none of the dataset's annotation files (expected paths like video/classification/k710/train.json). Choose the folder that contains the image/, video/ and text/ folders.`,
      );
    }
    return this.jobs.enqueue('annotations.import', { path } satisfies ImportParams);
  }

  startFetch(revision: string): JobSnapshot {
    this.library.database();
    return this.jobs.enqueue('annotations.fetch', { revision } satisfies FetchParams);
  }

  /** The import job: each file found under the folder is checked, ingested in a worker, and copied into the library. */
  async runImport(params: ImportParams, context: JobContext): Promise<JobOutcome> {
    const info = this.requireLibrary();
    const { origin, revision } = originOf(params.path);
    const found = scanAnnotationFolder(params.path);
    const target = join(info.path, ANNOTATIONS_FOLDER);
    for (const pool of found.instructionPools) {
      await mkdir(dirname(join(target, pool)), { recursive: true });
      await copyFile(join(params.path, pool), join(target, pool));
    }
    const steps: IngestStep[] = [];
    for (const { subset, file } of found.subsets) {
      steps.push({
        subset,
        file,
        ownDownload: false,
        origin,
        originDetail: params.path,
        revision,
        sha256: null,
        hubOid: null,
      });
    }
    return ingestSteps(this.library, this.bundleDir, target, steps, context);
  }

  async runFetch(params: FetchParams, context: JobContext): Promise<JobOutcome> {
    const info = this.requireLibrary();
    const settings = await this.settings.get();
    return fetchFromHub({
      library: this.library,
      bundleDir: this.bundleDir,
      annotationsDir: join(info.path, ANNOTATIONS_FOLDER),
      endpoint: settings.hfEndpoint,
      token: await this.settings.hfToken(),
      params,
      context,
    });
  }

  private requireLibrary() {
    const info = this.library.current();
    if (!info) throw new ApiError('LIBRARY_NOT_OPEN', 'open a library before getting annotations');
    return info;
  }
}
