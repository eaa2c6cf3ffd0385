import { ApiError } from '../../../shared/api/errors';
import type { Subset } from '../../../shared/catalog/schema';
import { copyFileAtomic } from '../../lib/atomic-write';
import type { JobContext, JobOutcome } from '../jobs/job-runner';
import type { LibraryService } from '../library/library-service';
import { type AnnotationOrigin, AnnotationStore } from './annotation-store';
import { runIngestWorker } from './run-ingest-worker';

export interface IngestStep {
  subset: Subset;
  /** Where the file is now. */
  file: string;
  /** The library's own copy, written once the file ingested cleanly (null when `file` already is that copy). */
  copyTo: string | null;
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
  for (const [n, step] of steps.entries()) {
    context.signal.throwIfAborted();
    const label = `${step.subset.id} (${n + 1 + already} of ${total})`;
    context.report({ done: n + already, total, message: `${label}: checking` });
    if (store.current(step.subset.id)?.sha256 === step.sha256) {
      unchanged++;
      continue;
    }
    try {
      await runIngestWorker({
        bundleDir,
        signal: context.signal,
        data: {
          databasePath: info.databasePath,
          task: {
            subsetId: step.subset.id,
            file: step.file,
            origin: step.origin,
            originDetail: step.originDetail,
            revision: step.revision,
            sha256: step.sha256,
            hubOid: step.hubOid,
          },
        },
        onProgress: (p) =>
          context.report({ done: n + already + p.bytes / Math.max(1, p.totalBytes), total, message: `${label}: ${p.records.toLocaleString('en-US')} records` }),
      });
      if (step.copyTo && step.copyTo !== step.file) await copyFileAtomic(step.file, step.copyTo);
      ingested++;
    } catch (error) {
      if (context.signal.aborted) throw error;
      failed.push(`${step.subset.id}: ${(error as Error).message}`);
    }
  }
  store.abandonUnfinished();
  store.collectGarbage();
  context.report({ done: total, total });
  const summary = `${ingested} ingested, ${unchanged} unchanged${failed.length ? `, ${failed.length} failed` : ''} of ${total} annotation files`;
  if (failed.length > 0) throw new ApiError('BAD_ANNOTATION_FILE', `${summary}. ${failed.join(' | ')}`);
  return { status: 'finished', message: summary };
}
