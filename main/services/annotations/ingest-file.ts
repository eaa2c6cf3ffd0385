import { existsSync, statSync } from 'node:fs';
import { chmod, mkdir, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Subset } from '../../../shared/catalog/schema';
import { copyFileAtomic } from '../../lib/atomic-write';
import type { LibraryDatabase } from '../library/db';
import { type AnnotationOrigin, AnnotationStore, type IngestRow } from './annotation-store';
import { sha256File } from './file-hash';
import { readJsonArrayBatches } from './json-array-reader';
import { recordFields, recordKeys } from './record-fields';

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

const BATCH = 10_000;

async function placeObject(task: IngestTask): Promise<void> {
  const target = task.objectPath;
  if (!target || target === task.file || existsSync(target)) return;
  await mkdir(dirname(target), { recursive: true });
  if (task.moveIntoObject) await rename(task.file, target);
  else await copyFileAtomic(task.file, target);
  // Records point into this file by byte offset: read-only, so an editor cannot change it under them.
  await chmod(target, 0o444);
}

/**
 * Streams one annotation file into the library. The new version is written beside the old one and made
 * current only when the whole file parsed; an error leaves the subset exactly as it was before.
 */
export async function ingestFile(db: LibraryDatabase, task: IngestTask, onProgress: (p: IngestProgress) => void = () => undefined): Promise<IngestResult> {
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
  // The library's copy is written while the file is parsed (copying is I/O on libuv's threads, parsing is CPU here).
  const copying = task.moveIntoObject ? null : placeObject(task);
  copying?.catch(() => undefined);
  let records = 0;
  let flagged = 0;
  let batch: IngestRow[] = [];
  let batchStart = 0;
  try {
    for await (const elements of readJsonArrayBatches(task.file, { pick: recordKeys(task.subset) })) {
      for (const element of elements) {
        const row = recordFields(element.value, task.subset) as IngestRow;
        row.offset = element.offset;
        row.length = element.length;
        if (row.flag) flagged++;
        batch.push(row);
        records++;
        if (batch.length === BATCH) {
          store.insertBatch(fileId, batchStart, batch);
          batchStart = records;
          batch = [];
          onProgress({ bytes: element.offset, totalBytes: size, records });
        }
      }
    }
    store.insertBatch(fileId, batchStart, batch);
    const mediaRefs = store.addDistinctRefs(fileId, task.subset.source, task.subset.subdir);
    await (copying ?? placeObject(task));
    store.promote(fileId, task.subset.id, { records, flagged, mediaRefs });
  } catch (error) {
    store.fail(fileId, (error as Error).message);
    store.collectGarbage();
    throw error;
  }
  onProgress({ bytes: size, totalBytes: size, records });
  store.collectGarbage();
  return { status: 'ingested', subsetId: task.subset.id, records, flagged, mediaRefs: store.current(task.subset.id)?.mediaRefs ?? 0 };
}
