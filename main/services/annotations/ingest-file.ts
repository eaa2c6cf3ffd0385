import { existsSync, statSync } from 'node:fs';
import { chmod, mkdir, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setImmediate as yieldToOthers } from 'node:timers/promises';
import type { Subset } from '../../../shared/catalog/schema';
import { copyFileAtomic } from '../../lib/atomic-write';
import type { LibraryDatabase } from '../library/db';
import { type AnnotationOrigin, AnnotationStore } from './annotation-store';
import { sha256File } from './file-hash';
import { parseRecords, type RecordSource } from './parse-records';

export interface IngestTask {
  subset: Subset;
  /** The annotation file on disk. */
  file: string;
  /**
   * The library's own copy the records will point into (annotations/.objects/<sha256>.json). Written before the new
   * version becomes current, so no record ever points at a missing file. Null when `file` already is that copy.
   */
  objectPath: string | null;
  /** The file is the library's own download: move it into place instead of copying it. */
  moveIntoObject?: boolean;
  origin: AnnotationOrigin;
  originDetail: string | null;
  revision: string | null;
  /** Known from the Hub's LFS metadata; computed here otherwise. */
  sha256?: string;
  hubOid?: string | null;
  /** The job this ingest runs in: the new version is marked as its own until it is promoted. */
  jobId?: number | null;
}

export type IngestResult =
  | { status: 'unchanged'; subsetId: string; records: number }
  | { status: 'ingested'; subsetId: string; records: number; flagged: number; mediaRefs: number };

export interface IngestProgress {
  bytes: number;
  totalBytes: number;
  records: number;
}

/** Distinct refs per write transaction: ~10 ms each, so calls to the engine wait no longer than that. */
const REFS_PER_WRITE = 5_000;

async function placeObject(task: IngestTask): Promise<void> {
  const target = task.objectPath;
  if (!target || target === task.file || existsSync(target)) return;
  await mkdir(dirname(target), { recursive: true });
  if (task.moveIntoObject) await rename(task.file, target);
  else await copyFileAtomic(task.file, target);
  // Records point into this file by byte offset: read-only, so an editor cannot change it under them.
  await chmod(target, 0o444);
}

/** The source of records: parsed here unless the caller parses elsewhere (a parse worker, ingest-worker.ts). */
export type ParseFile = (file: string, subset: Subset, totalBytes: number) => RecordSource;

/**
 * Streams one annotation file into the library. The new version is written beside the old one and made
 * current only when the whole file parsed; an error leaves the subset exactly as it was before.
 *
 * Every write goes through `db`, the engine's own connection, one batch per turn of the event loop: two ingest
 * connections took turns at SQLite's write lock by polling, and on a loaded machine one could miss it for the whole
 * busy timeout ("database is locked"); one writer has no lock to wait for, and other calls interleave between
 * batches. The parsing, which is most of the CPU, is done by `parse` on another thread.
 */
export async function ingestFile(
  db: LibraryDatabase,
  task: IngestTask,
  onProgress: (p: IngestProgress) => void = () => undefined,
  parse: ParseFile = parseRecords,
): Promise<IngestResult> {
  const store = new AnnotationStore(db);
  const size = statSync(task.file).size;
  const sha256 = task.sha256 ?? (await sha256File(task.file));
  const current = store.current(task.subset.id);
  if (current && current.sha256 === sha256) return { status: 'unchanged', subsetId: task.subset.id, records: current.records };

  const fileId = store.begin({
    subsetId: task.subset.id,
    repoPath: task.subset.annotationPath,
    sha256,
    size,
    origin: task.origin,
    originDetail: task.originDetail,
    revision: task.revision,
    hubOid: task.hubOid ?? null,
    jobId: task.jobId ?? null,
  });
  // The library's copy is written while the file is parsed (copying is I/O on libuv's threads).
  const copying = task.moveIntoObject ? null : placeObject(task);
  copying?.catch(() => undefined);
  const source = parse(task.file, task.subset, size);
  try {
    let step = await source.next();
    while (!step.done) {
      const batch = step.value;
      store.insertBatch(fileId, batch);
      onProgress({ bytes: batch.bytesRead, totalBytes: size, records: batch.firstIndex + batch.ref.length });
      await yieldToOthers();
      step = await source.next();
    }
    const { records, flagged, refs } = step.value;
    const { source: sourceId, subdir } = task.subset;
    if (sourceId !== null) {
      for (let from = 0; from < refs.length; from += REFS_PER_WRITE) {
        store.addRefs(sourceId, subdir, refs, from, from + REFS_PER_WRITE);
        await yieldToOthers();
      }
    }
    const mediaRefs = sourceId === null ? 0 : refs.length;
    await (copying ?? placeObject(task));
    store.promote(fileId, task.subset.id, { records, flagged, mediaRefs });
    onProgress({ bytes: size, totalBytes: size, records });
    store.collectGarbage();
    return { status: 'ingested', subsetId: task.subset.id, records, flagged, mediaRefs };
  } catch (error) {
    await source.return(undefined as never).catch(() => undefined);
    store.fail(fileId, (error as Error).message);
    store.collectGarbage();
    throw error;
  }
}
