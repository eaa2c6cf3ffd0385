import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import type { AnnotationsStatus, ImportCandidate, JobSnapshot } from '../../../shared/api/models';
import { catalog } from '../../../shared/catalog/index';
import { copyFileAtomic } from '../../lib/atomic-write';
import { expandUserPath } from '../../lib/paths';
import type { JobContext, JobOutcome, JobRunner } from '../jobs/job-runner';
import type { LibraryService } from '../library/library-service';
import { findHfCacheSnapshots, originOf, scanAnnotationFolder } from './annotation-folders';
import { AnnotationStore } from './annotation-store';
import { sha256File } from './file-hash';
import { runIngestWorker } from './run-ingest-worker';

export const ANNOTATIONS_FOLDER = 'annotations';

export interface ImportParams {
  path: string;
}

/** The library's annotation records: where they came from, what is ingested, and imports from a local copy. */
export class AnnotationsService {
  constructor(
    private readonly library: LibraryService,
    private readonly jobs: JobRunner,
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
    const path = expandUserPath(rawPath);
    const found = scanAnnotationFolder(path);
    if (found.subsets.length === 0) {
      throw new ApiError(
        'NOT_FOUND',
        `${path} holds none of the dataset's annotation files (expected paths like video/classification/k710/train.json). Choose the folder that contains the image/, video/ and text/ folders.`,
      );
    }
    return this.jobs.enqueue('annotations.import', { path } satisfies ImportParams);
  }

  /** The import job: copy each file into the library's annotations/ folder, then ingest it in a worker. */
  async runImport(params: ImportParams, context: JobContext): Promise<JobOutcome> {
    const info = this.library.current();
    if (!info) throw new ApiError('LIBRARY_NOT_OPEN', 'open a library before importing annotations');
    const { origin, revision } = originOf(params.path);
    const found = scanAnnotationFolder(params.path);
    const target = join(info.path, ANNOTATIONS_FOLDER);
    for (const pool of found.instructionPools) {
      await mkdir(dirname(join(target, pool)), { recursive: true });
      await copyFile(join(params.path, pool), join(target, pool));
    }
    const store = new AnnotationStore(this.library.database());
    let ingested = 0;
    let unchanged = 0;
    const failed: string[] = [];
    for (const [n, { subset, file }] of found.subsets.entries()) {
      context.signal.throwIfAborted();
      const label = `${subset.id} (${n + 1} of ${found.subsets.length})`;
      context.report({ done: n, total: found.subsets.length, message: `${label}: checking` });
      const sha256 = await sha256File(file, context.signal);
      if (store.current(subset.id)?.sha256 === sha256) {
        unchanged++;
        continue;
      }
      const copy = join(target, subset.annotationPath);
      try {
        await runIngestWorker({
          bundleDir: this.bundleDir,
          signal: context.signal,
          data: {
            databasePath: info.databasePath,
            task: { subsetId: subset.id, file, origin, originDetail: params.path, revision, sha256 },
          },
          onProgress: (p) =>
            context.report({
              done: n + p.bytes / Math.max(1, p.totalBytes),
              total: found.subsets.length,
              message: `${label}: ${p.records.toLocaleString('en-US')} records`,
            }),
        });
        // The library keeps its own copy of each ingested file (for the viewer and re-ingest), made only once it parsed.
        if (copy !== file) await copyFileAtomic(file, copy);
        ingested++;
      } catch (error) {
        if (context.signal.aborted) throw error;
        failed.push(`${subset.id}: ${(error as Error).message}`);
      }
    }
    store.abandonUnfinished();
    store.collectGarbage();
    context.report({ done: found.subsets.length, total: found.subsets.length });
    const summary = `${ingested} ingested, ${unchanged} unchanged${failed.length ? `, ${failed.length} failed` : ''} of ${found.subsets.length} annotation files`;
    if (failed.length > 0) throw new ApiError('BAD_ANNOTATION_FILE', `${summary}. ${failed.join(' | ')}`);
    return { status: 'finished', message: summary };
  }
}
