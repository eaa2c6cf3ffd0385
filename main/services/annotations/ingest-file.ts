import { statSync } from 'node:fs';
import type { Subset } from '../../../shared/catalog/schema';
import type { LibraryDatabase } from '../library/db';
import { type AnnotationOrigin, AnnotationStore, type IngestRow } from './annotation-store';
import { sha256File } from './file-hash';
import { readJsonArray } from './json-array-reader';
import { recordFields } from './record-fields';

export interface IngestTask {
  subset: Subset;
  /** The annotation file on disk. */
  file: string;
  origin: AnnotationOrigin;
  originDetail: string | null;
  revision: string | null;
  /** Known from the Hub's LFS metadata; computed here otherwise. */
  sha256?: string;
  hubOid?: string | null;
}

export type IngestResult =
  | { status: 'unchanged'; subsetId: string; records: number }
  | { status: 'ingested'; subsetId: string; records: number; flagged: number; mediaRefs: number };

export interface IngestProgress {
  bytes: number;
  totalBytes: number;
  records: number;
}

const BATCH = 5000;

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
  });
  let records = 0;
  let flagged = 0;
  let batch: IngestRow[] = [];
  let batchStart = 0;
  try {
    for await (const element of readJsonArray(task.file)) {
      const fields = recordFields(element.value, task.subset);
      if (fields.flag) flagged++;
      batch.push({ ...fields, json: element.text });
      records++;
      if (batch.length === BATCH) {
        store.insertBatch(fileId, task.subset.source, batchStart, batch);
        batchStart = records;
        batch = [];
        onProgress({ bytes: element.offset, totalBytes: size, records });
      }
    }
    store.insertBatch(fileId, task.subset.source, batchStart, batch);
    store.promote(fileId, task.subset.id, { records, flagged });
  } catch (error) {
    store.fail(fileId, (error as Error).message);
    store.collectGarbage();
    throw error;
  }
  onProgress({ bytes: size, totalBytes: size, records });
  store.collectGarbage();
  const now = store.current(task.subset.id);
  return { status: 'ingested', subsetId: task.subset.id, records, flagged, mediaRefs: now?.mediaRefs ?? 0 };
}
