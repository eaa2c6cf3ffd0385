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

export interface IngestOptions {
  onProgress?: (p: IngestProgress) => void;
  parse?: ParseFile;
  /** Stops the ingest between batches; the version being written is then marked failed. */
  signal?: AbortSignal;
  /**
   * Who removes the refs no record uses any more once the file is in: this call (default), or the caller at a
   * point where no other ingest is writing (a job's end) — a ref removed while another version of the same folder
   * is half-written could be one that version needs.
   */
  orphanRefs?: 'collect' | 'leave';
}

const pause = () => yieldToOthers();

/**
 * Streams one annotation file into the library. The new version is written beside the old one and made
 * current only when the whole file parsed; an error leaves the subset exactly as it was before.
 *
 * Every write goes through `db`, the engine's own connection, one batch per turn of the event loop: two ingest
 * connections took turns at SQLite's write lock by polling, and on a loaded machine one could miss it for the whole
 * busy timeout ("database is locked"); one writer has no lock to wait for, and other calls interleave between
 * batches (clean-up included). The parsing, which is most of the CPU, is done by `parse` on another thread.
 */
export async function ingestFile(db: LibraryDatabase, task: IngestTask, options: IngestOptions = {}): Promise<IngestResult> {
  const { onProgress = () => undefined, parse = parseRecords, signal } = options;
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
  let result: IngestResult;
  try {
    let step = await source.next();
    while (!step.done) {
      signal?.throwIfAborted();
      const batch = step.value;
      store.insertBatch(fileId, batch);
      onProgress({ bytes: batch.bytesRead, totalBytes: size, records: batch.firstIndex + batch.ref.length });
      await pause();
      step = await source.next();
    }
    const { records, flagged, refs } = step.value;
    const { source: sourceId, subdir } = task.subset;
    if (sourceId !== null) {
      for (let from = 0; from < refs.length; from += REFS_PER_WRITE) {
        signal?.throwIfAborted();
        store.addRefs(sourceId, subdir, refs, from, from + REFS_PER_WRITE);
        await pause();
      }
    }
    const mediaRefs = sourceId === null ? 0 : refs.length;
    await (copying ?? placeObject(task));
    signal?.throwIfAborted();
    store.promote(fileId, task.subset.id, { records, flagged, mediaRefs });
    onProgress({ bytes: size, totalBytes: size, records });
    result = { status: 'ingested', subsetId: task.subset.id, records, flagged, mediaRefs };
  } catch (error) {
    await source.return(undefined as never).catch(() => undefined);
    store.fail(fileId, (error as Error).message);
    await cleanUp(store, 'leave');
    throw error;
  }
  // The version is current: a clean-up that fails now is logged, never reported as a failed file.
  await cleanUp(store, options.orphanRefs ?? 'collect');
  return result;
}

/** Removes replaced and failed versions' records (and, when asked, refs no record uses), in slices. */
export async function cleanUp(store: AnnotationStore, orphanRefs: 'collect' | 'leave'): Promise<void> {
  try {
    const records = await store.deleteGarbageRecordsInSlices(pause);
    if (orphanRefs === 'collect' && records > 0) await store.collectOrphanRefsInSlices(pause);
  } catch (error) {
    console.warn(`[annotations] clean-up of replaced versions failed (retried after the next import): ${(error as Error).message}`);
  }
}
