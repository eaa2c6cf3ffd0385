import { availableParallelism } from 'node:os';
import { ApiError } from '../../../shared/api/errors';
import type { Subset } from '../../../shared/catalog/schema';
import type { JobContext, JobOutcome } from '../jobs/job-runner';
import type { LibraryService } from '../library/library-service';
import { collectObjects, linkReadableCopy, objectPath } from './annotation-objects';
import { type AnnotationOrigin, AnnotationStore } from './annotation-store';
import { IngestWorker } from './ingest-worker-client';

export interface IngestStep {
  subset: Subset;
  /** Where the file is now. */
  file: string;
  /** The file is the library's own download, to be moved (not copied) into the library's copy. */
  ownDownload: boolean;
  origin: AnnotationOrigin;
  originDetail: string | null;
  revision: string | null;
  sha256: string;
  hubOid: string | null;
}

/**
 * Ingests files one by one, each in its own worker. Unchanged files (same sha256 as the subset's current version)
 * are skipped; a file that fails is reported and the others still go in; nothing ingested before is lost.
 */
export async function ingestSteps(
  library: LibraryService,
  bundleDir: string,
  annotationsDir: string,
  steps: readonly IngestStep[],
  context: JobContext,
  already = 0,
): Promise<JobOutcome> {
  const info = library.current();
  if (!info) throw new ApiError('LIBRARY_NOT_OPEN', 'the library was closed');
  const store = new AnnotationStore(library.database());
  const total = steps.length + already;
  let ingested = 0;
  let unchanged = already;
  const failed: string[] = [];
  // Parsing is CPU-bound and SQLite takes one writer at a time in short batches, so two files at once keep both
  // cores busy; more would only queue on the write lock.
  const lanes = Math.max(1, Math.min(2, availableParallelism(), steps.length));
  const fractions = new Map<number, number>();
  const report = (message: string) => {
    const partial = [...fractions.values()].reduce((a, b) => a + b, 0);
    context.report({ done: Math.min(total, finished + already + partial), total, message });
  };
  let finished = 0;
  let next = 0;
  const lane = async (): Promise<void> => {
    const worker = new IngestWorker(bundleDir, { databasePath: info.databasePath });
    try {
      for (let n = next++; n < steps.length; n = next++) {
        context.signal.throwIfAborted();
        const step = steps[n] as IngestStep;
        const label = `${step.subset.id} (${n + 1 + already} of ${total})`;
        if (store.current(step.subset.id)?.sha256 === step.sha256) {
          unchanged++;
          finished++;
          continue;
        }
        try {
          await worker.ingest(
            {
              subsetId: step.subset.id,
              file: step.file,
              objectPath: objectPath(annotationsDir, step.sha256),
              moveIntoObject: step.ownDownload,
              origin: step.origin,
              originDetail: step.originDetail,
              revision: step.revision,
              sha256: step.sha256,
              hubOid: step.hubOid,
              jobId: context.jobId,
            },
            context.signal,
            (p) => {
              fractions.set(n, p.bytes / Math.max(1, p.totalBytes));
              report(`${label}: ${p.records.toLocaleString('en-US')} records`);
            },
          );
          await linkReadableCopy(annotationsDir, step.subset.annotationPath, step.sha256);
          ingested++;
        } catch (error) {
          if (context.signal.aborted) throw error;
          failed.push(`${step.subset.id}: ${(error as Error).message}`);
        } finally {
          fractions.delete(n);
          finished++;
        }
      }
    } finally {
      await worker.close();
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  store.abandonUnfinished(context.jobId);
  store.collectGarbage();
  await collectObjects(library.database(), annotationsDir);
  context.report({ done: total, total });
  const summary = `${ingested} ingested, ${unchanged} unchanged${failed.length ? `, ${failed.length} failed` : ''} of ${total} annotation files`;
  if (failed.length > 0) throw new ApiError('BAD_ANNOTATION_FILE', `${summary}. ${failed.join(' | ')}`);
  return { status: 'finished', message: summary };
}
