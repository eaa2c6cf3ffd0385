import { setImmediate as nextTurn } from 'node:timers/promises';
import { catalog } from '../../../shared/catalog/index';
import { objectPath } from '../annotations/annotation-objects';
import type { JobContext } from '../jobs/job-runner';
import type { LibraryDatabase } from '../library/db';
import type { TextBatch } from './search-tasks';

/**
 * One token per subset and per source for the index's `subset` and `source` columns: the id in hex, so that ids
 * with underscores (caption_webvid) stay one word to the tokenizer and no id is a prefix of another's token.
 */
export function idToken(id: string): string {
  return `k${Buffer.from(id, 'utf8').toString('hex')}`;
}

export interface IndexFile {
  fileId: number;
  subsetId: string;
  sha256: string;
  records: number;
  nextIdx: number;
}

/** Current versions not (fully) in the index yet, in catalog order. */
export function filesToIndex(db: LibraryDatabase): IndexFile[] {
  const rows = db
    .prepare(
      `SELECT f.id AS fileId, f.subset_id AS subsetId, f.sha256 AS sha256, f.records AS records, coalesce(sf.next_idx, 0) AS nextIdx
       FROM annotation_files f LEFT JOIN search_files sf ON sf.file_id = f.id
       WHERE f.state = 'current' AND coalesce(sf.complete, 0) = 0`,
    )
    .all() as IndexFile[];
  const order = new Map(catalog.subsets.map((s, i) => [s.id, i]));
  return rows.sort((a, b) => (order.get(a.subsetId) ?? 1e9) - (order.get(b.subsetId) ?? 1e9));
}

/** Records of the current versions, and how many of them the index holds. */
export function indexCoverage(db: LibraryDatabase): { indexed: number; records: number } {
  return db
    .prepare(
      `SELECT coalesce(sum(f.records), 0) AS records,
         coalesce(sum(CASE WHEN sf.complete = 1 THEN f.records ELSE coalesce(sf.next_idx, 0) END), 0) AS indexed
       FROM annotation_files f LEFT JOIN search_files sf ON sf.file_id = f.id WHERE f.state = 'current'`,
    )
    .get() as { indexed: number; records: number };
}

export type TextSource = (file: string, fromIndex: number, signal: AbortSignal) => AsyncGenerator<TextBatch, { records: number }>;

/**
 * Builds the index for every current version not in it yet: a worker reads the conversations (search-worker), and
 * this thread writes each batch in one short transaction together with how far the version has got, so a build
 * stopped anywhere carries on from there. A batch is written only while its version is still current, in the
 * same transaction: a version replaced meanwhile has its rows taken out when its records are collected
 * (AnnotationStore), and none can be added after that.
 */
export async function buildSearchIndex(
  db: LibraryDatabase,
  annotationsDir: string,
  texts: TextSource,
  context: JobContext,
): Promise<{ files: number; records: number }> {
  const subsets = new Map(catalog.subsets.map((s) => [s.id, s]));
  const ids = db.prepare('SELECT idx, id FROM records WHERE file_id = ? AND idx >= ? AND idx < ?').raw();
  const isCurrent = db.prepare(`SELECT state = 'current' FROM annotation_files WHERE id = ?`).pluck();
  const insert = db.prepare('INSERT INTO record_search (rowid, body, subset, source) VALUES (?, ?, ?, ?)');
  const progress = db.prepare(
    `INSERT INTO search_files (file_id, next_idx, complete, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (file_id) DO UPDATE SET next_idx = excluded.next_idx, complete = excluded.complete, updated_at = excluded.updated_at`,
  );
  // Merging in bounded steps (migration 0100 turned FTS5's own merges off): one step after each batch keeps the
  // segments few while the build runs, and the rest is merged at its end, a step per turn of the engine's thread.
  const merge = db.prepare(`INSERT INTO record_search (record_search, rank) VALUES ('merge', ?)`);
  const changes = db.prepare('SELECT total_changes()').pluck();
  const files = filesToIndex(db);
  let { indexed, records: total } = indexCoverage(db);
  let written = 0;
  context.report({ done: indexed, total, message: `indexing the conversations of ${files.length} subsets` });
  for (const file of files) {
    const subset = subsets.get(file.subsetId);
    const subsetToken = idToken(file.subsetId);
    const sourceToken = subset?.source ? idToken(subset.source) : '';
    const stream = texts(objectPath(annotationsDir, file.sha256), file.nextIdx, context.signal);
    let stillCurrent = true;
    for (let step = await stream.next(); !step.done; step = await stream.next()) {
      const batch = step.value;
      const end = batch.firstIndex + batch.texts.length;
      const wrote = db.transaction(() => {
        if (!isCurrent.get(file.fileId)) return false;
        const byIdx = new Map((ids.all(file.fileId, batch.firstIndex, end) as Array<[number, number]>).map(([idx, id]) => [idx, id]));
        batch.texts.forEach((text, k) => {
          const id = byIdx.get(batch.firstIndex + k);
          if (id !== undefined) insert.run(id, text, subsetToken, sourceToken);
        });
        progress.run(file.fileId, end, 0, Date.now());
        return true;
      })();
      if (!wrote) {
        stillCurrent = false;
        await stream.return({ records: 0 });
        break;
      }
      written += batch.texts.length;
      indexed += batch.texts.length;
      context.report({ done: indexed, total, message: `indexing ${file.subsetId}` });
      // The engine's thread answers calls between batches and merge steps.
      await nextTurn();
      merge.run(MERGE_PAGES);
      await nextTurn();
      context.signal.throwIfAborted();
    }
    if (stillCurrent) {
      db.transaction(() => {
        if (isCurrent.get(file.fileId)) progress.run(file.fileId, file.records, 1, Date.now());
      })();
    }
    ({ indexed, records: total } = indexCoverage(db));
  }
  if (written > 0 || files.length > 0) {
    context.report({ done: indexed, total, message: 'merging the index' });
    for (;;) {
      const before = changes.get() as number;
      merge.run(MERGE_PAGES);
      const after = changes.get() as number;
      await nextTurn();
      context.signal.throwIfAborted();
      // A step that wrote (almost) nothing: the index is merged (sqlite.org/fts5.html, the 'merge' command).
      if (after - before < 2) break;
    }
  }
  return { files: files.length, records: written };
}

/** Pages one merge step writes: a few tens of milliseconds of work. */
const MERGE_PAGES = 50;
