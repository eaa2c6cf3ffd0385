import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setImmediate } from 'node:timers/promises';
import { ApiError } from '../../../shared/api/errors';
import type { Subset } from '../../../shared/catalog/schema';
import type { JobContext, JobOutcome } from '../jobs/job-runner';
import type { LibraryService } from '../library/library-service';
import { collectObjects, linkReadableCopy, objectPath } from './annotation-objects';
import { type AnnotationOrigin, AnnotationStore } from './annotation-store';
import { sha256File } from './file-hash';
import { cleanUp, ingestFile } from './ingest-file';
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
  /** Null when not known yet: the lane hashes the file just before ingesting it, beside the other lane's work. */
  sha256: string | null;
  hubOid: string | null;
}

const sizeOf = (file: string) => {
  try {
    return statSync(file).size;
  } catch {
    return 0; // reported when the lane reaches it
  }
};

/**
 * Ingests files two at a time, each parsed in a worker and written by this thread. Unchanged files (same sha256 as the subset's current version)
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
  if (!library.current()) throw new ApiError('LIBRARY_NOT_OPEN', 'the library was closed');
  const db = library.database();
  const store = new AnnotationStore(db);
  const total = steps.length + already;
  let ingested = 0;
  let unchanged = already;
  const failed: string[] = [];
  // Two files at once: each is parsed in its own worker (the CPU-bound part) while this thread writes both, so
  // two cores are busy; a third parser would only wait for the one writer.
  const lanes = Math.max(1, Math.min(2, availableParallelism(), steps.length));
  // Largest files first: the small ones then fill both lanes at the end, instead of one lane finishing a 160 MB file
  // alone while the other has nothing left to do.
  const order = [...steps].sort((a, b) => sizeOf(b.file) - sizeOf(a.file));
  const fractions = new Map<number, number>();
  const report = (message: string) => {
    const partial = [...fractions.values()].reduce((a, b) => a + b, 0);
    context.report({ done: Math.min(total, finished + already + partial), total, message });
  };
  let finished = 0;
  let next = 0;
  const replacedSubsets = new Set<string>();
  const task = (step: IngestStep, sha256: string) => ({
    subset: step.subset,
    file: step.file,
    objectPath: objectPath(annotationsDir, sha256),
    moveIntoObject: step.ownDownload,
    origin: step.origin,
    originDetail: step.originDetail,
    revision: step.revision,
    sha256,
    hubOid: step.hubOid,
    jobId: context.jobId,
  });
  const lane = async (): Promise<void> => {
    let worker = new IngestWorker(bundleDir);
    try {
      for (let n = next++; n < order.length; n = next++) {
        context.signal.throwIfAborted();
        const step = order[n] as IngestStep;
        const label = `${step.subset.id} (${n + 1 + already} of ${total})`;
        let sha256: string;
        try {
          sha256 = step.sha256 ?? (await sha256File(step.file, context.signal));
        } catch (error) {
          if (context.signal.aborted) throw error;
          failed.push(`${step.subset.id}: cannot read ${step.file}: ${(error as Error).message}`);
          finished++;
          continue;
        }
        const previous = store.current(step.subset.id);
        if (previous?.sha256 === sha256) {
          unchanged++;
          finished++;
          continue;
        }
        if (!worker.usable) {
          await worker.close();
          worker = new IngestWorker(bundleDir);
        }
        try {
          await ingestFile(db, task(step, sha256), {
            onProgress: (p) => {
              fractions.set(n, p.bytes / Math.max(1, p.totalBytes));
              report(`${label}: ${p.records.toLocaleString('en-US')} records`);
            },
            parse: worker.parser(context.signal),
            signal: context.signal,
            orphanRefs: 'leave',
          });
          // Only a replaced version can leave refs no record uses (a first import adds refs and removes none).
          if (previous) replacedSubsets.add(step.subset.id);
          await linkReadableCopy(annotationsDir, step.subset.annotationPath, sha256);
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
  // Every lane is through before the job ends, cancelled or not: one still writing after its end would run beside
  // the next ingest job, and its clean-up beside that job's writes.
  const settled = await Promise.allSettled(Array.from({ length: lanes }, lane));
  const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  store.abandonUnfinished(context.jobId);
  if (rejected) {
    await cleanUp(store, 'leave');
    throw rejected.reason;
  }
  // No other ingest writes now (they form one exclusive group): refs the replaced versions alone used can go.
  await cleanUp(store, 'leave');
  if (replacedSubsets.size > 0) await store.collectOrphanRefsInSlices(() => setImmediate(), replacedSubsets);
  await collectObjects(library.database(), annotationsDir);
  context.report({ done: total, total });
  const summary = `${ingested} ingested, ${unchanged} unchanged${failed.length ? `, ${failed.length} failed` : ''} of ${total} annotation files`;
  if (failed.length > 0) throw new ApiError('BAD_ANNOTATION_FILE', `${summary}. ${failed.join(' | ')}`);
  return { status: 'finished', message: summary };
}
