import { join } from 'node:path';
import type { z } from 'zod';
import { ApiError } from '../../../shared/api/errors';
import type { JobSnapshot } from '../../../shared/api/models';
import type { SearchHit, SearchIndexStatus, SearchPage, SearchQuerySchema } from '../../../shared/api/viewer-models';
import { TaskWorker } from '../../lib/worker-tasks';
import { ANNOTATIONS_FOLDER } from '../annotations/annotations-service';
import type { JobContext, JobOutcome, JobRunner } from '../jobs/job-runner';
import type { LibraryService } from '../library/library-service';
import { conversationText, readRecordSlices } from '../viewer/record-text';
import { type RecordRow, ROW_SQL, rowFields, type SampleList, STATUS_SQL } from '../viewer/sample-list';
import { buildSearchIndex, idToken, indexCoverage } from './search-index';
import { ftsExpression, parseQuery } from './search-query';
import { type SearchTasks, TEXT_BATCHES_AHEAD } from './search-tasks';
import { makeSnippet } from './snippet';

export type SearchQuery = z.output<typeof SearchQuerySchema>;

/** The FTS5 expression of a query with its subset and source filters (one token each in their columns). */
export function matchExpression(query: SearchQuery): string | null {
  const words = ftsExpression(parseQuery(query.query));
  if (!words) return null;
  const parts = [`(${words})`];
  if (query.subsetId) parts.push(`subset : ${idToken(query.subsetId)}`);
  if (query.sourceId) parts.push(`source : ${idToken(query.sourceId)}`);
  return parts.join(' AND ');
}

/** Filters the index cannot answer (the media status changes with every verify; segments are not indexed). */
function extraWhere(query: SearchQuery): string {
  const where: string[] = [];
  if (query.status) where.push(`(${STATUS_SQL}) = @status`);
  if (query.hasSegment === true) where.push('(r.start_s IS NOT NULL OR r.end_s IS NOT NULL)');
  if (query.hasSegment === false) where.push('r.start_s IS NULL AND r.end_s IS NULL');
  return where.length > 0 ? ` AND ${where.join(' AND ')}` : '';
}

/**
 * A page of hits in index order (records.id: file order within a subset). Without filters the page is cut from the
 * index alone (a deep page skips index entries, not joined rows) and only its rows are joined; records of versions
 * no longer current drop out at the join (`stale`: some such version still has rows in the index).
 */
export function hitsSql(query: SearchQuery, stale = false): string {
  const extra = extraWhere(query);
  if (!extra && !stale) {
    return `SELECT ${ROW_SQL.replace(
      'FROM records r',
      `FROM (SELECT rowid AS id FROM record_search WHERE record_search MATCH @match ORDER BY rowid LIMIT @limit OFFSET @offset) h
       JOIN records r ON r.id = h.id`,
    )} ORDER BY r.id`;
  }
  return `SELECT ${ROW_SQL.replace('FROM records r', 'FROM record_search JOIN records r ON r.id = record_search.rowid')}
    WHERE record_search MATCH @match${extra} ORDER BY record_search.rowid LIMIT @limit OFFSET @offset`;
}

/**
 * Every match: from the index alone when it can answer, through the records when a filter needs them or while a
 * replaced version's rows are still in the index (they leave it as its records are collected, at its ingest's end).
 */
export function totalSql(query: SearchQuery, stale = false): string {
  const extra = extraWhere(query);
  if (!extra && !stale) return 'SELECT count(*) FROM record_search WHERE record_search MATCH @match';
  return `SELECT count(*) ${ROW_SQL.slice(ROW_SQL.indexOf('FROM records r')).replace('FROM records r', 'FROM record_search JOIN records r ON r.id = record_search.rowid')}
    WHERE record_search MATCH @match${extra}`;
}

/**
 * Full-text search over the conversations: the index (migration 0100) is built by a job in the background the first
 * time the viewer asks for it, and again after each ingest for the new versions only. Queries read it as it is, and
 * say how much of the library it covered.
 */
export class SearchService {
  constructor(
    private readonly library: LibraryService,
    private readonly jobs: JobRunner,
    private readonly list: SampleList,
    private readonly bundleDir: string,
  ) {}

  private annotationsDir(): string {
    const info = this.library.current();
    if (!info) throw new ApiError('LIBRARY_NOT_OPEN', 'open a library first');
    return join(info.path, ANNOTATIONS_FOLDER);
  }

  /** The job building the index now (queued, running or paused), if any. */
  activeJob(): number | null {
    return (
      (this.library
        .database()
        .prepare(`SELECT id FROM jobs WHERE kind = 'search.build' AND state IN ('queued', 'running', 'paused') ORDER BY id DESC LIMIT 1`)
        .pluck()
        .get() as number | undefined) ?? null
    );
  }

  /**
   * Starts a build when some current version is not in the index and no build is under way; the job, if any.
   * `auto` (the viewer opening, a search): not when the last build was cancelled — the user stopped it; asking for
   * a build (search.build, vc2m search) or an ingest starts it again.
   */
  ensureIndex(auto = false): JobSnapshot | null {
    const active = this.activeJob();
    if (active !== null) return this.jobs.get(active);
    const db = this.library.database();
    const { indexed, records } = indexCoverage(db);
    if (indexed >= records) return null;
    if (auto) {
      const last = db.prepare(`SELECT state FROM jobs WHERE kind = 'search.build' ORDER BY id DESC LIMIT 1`).pluck().get();
      if (last === 'cancelled') return null;
    }
    return this.jobs.enqueue('search.build', {});
  }

  /** After an ingest: the new versions go into the index, if there is one (the viewer asked for it before). */
  afterIngest(): void {
    if (!this.library.current()) return;
    const started = this.library.database().prepare('SELECT 1 FROM search_files LIMIT 1').pluck().get();
    if (started) this.ensureIndex();
  }

  /** Some version no longer current still has rows in the index (its ingest has not collected it yet). */
  private hasStaleRows(): boolean {
    return !!this.library
      .database()
      .prepare(`SELECT 1 FROM search_files sf JOIN annotation_files f ON f.id = sf.file_id WHERE f.state != 'current' LIMIT 1`)
      .pluck()
      .get();
  }

  /** Totals of recent queries, for the index as it was: a page scrolled to does not count all matches again. */
  private totals = new Map<string, number>();
  private sizeCache: { indexed: number; bytes: number } | null = null;

  status(): SearchIndexStatus {
    const db = this.library.database();
    const { indexed, records } = indexCoverage(db);
    // Measuring walks the whole index: once per state of it, not on every call.
    if (this.sizeCache?.indexed === indexed) return { indexed, records, bytes: this.sizeCache.bytes, jobId: this.activeJob() };
    const tables = db.prepare(`SELECT name FROM sqlite_schema WHERE name LIKE 'record\\_search%' ESCAPE '\\' AND type = 'table'`).pluck().all() as string[];
    let bytes = 0;
    const size = db.prepare('SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = ? AND aggregate = TRUE').pluck();
    for (const name of tables) {
      try {
        bytes += size.get(name) as number;
      } catch {
        // the virtual table itself has no pages; its shadow tables do
      }
    }
    this.sizeCache = { indexed, bytes };
    return { indexed, records, bytes, jobId: this.activeJob() };
  }

  async run(context: JobContext): Promise<JobOutcome> {
    const db = this.library.database();
    const worker = new TaskWorker<SearchTasks>(join(this.bundleDir, 'search-worker.js'));
    try {
      const started = Date.now();
      let files = 0;
      let records = 0;
      // Versions ingested while a build runs are taken by the same build, once it has done the ones it started with.
      for (let round = 0; round < 10; round++) {
        const done = await buildSearchIndex(
          db,
          this.annotationsDir(),
          (file, fromIndex, signal) => worker.stream('texts', { file, fromIndex }, { signal, window: TEXT_BATCHES_AHEAD }),
          context,
        );
        files += done.files;
        records += done.records;
        if (done.files === 0) break;
      }
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const { bytes } = this.status();
      return {
        status: 'finished',
        message: `${records.toLocaleString('en-US')} conversations of ${files} subsets indexed in ${seconds} s; the index takes ${(bytes / 1e6).toFixed(1)} MB`,
      };
    } finally {
      await worker.close();
    }
  }

  search(query: SearchQuery): SearchPage {
    const db = this.library.database();
    // temp.viewer_files, which the hit rows join, follows the current versions (and gives the totals' key).
    const filesKey = this.list.filesKey(db);
    const { indexed, records } = indexCoverage(db);
    const match = matchExpression(query);
    if (!match) return { total: 0, hits: [], indexed, records };
    const named: Record<string, unknown> = { match };
    if (query.status) named.status = query.status;
    const stale = this.hasStaleRows();
    const totalKey = JSON.stringify([match, query.status ?? null, query.hasSegment ?? null, stale, indexed, filesKey, this.list.statusGeneration]);
    let total = this.totals.get(totalKey);
    if (total === undefined) {
      total = db.prepare(totalSql(query, stale)).pluck().get(named) as number;
      if (this.totals.size >= 32) this.totals.clear();
      this.totals.set(totalKey, total);
    }
    const rows = db.prepare(hitsSql(query, stale)).all({ ...named, limit: query.limit, offset: query.from }) as RecordRow[];
    const texts = readRecordSlices(this.annotationsDir(), rows, 16 * 1024 * 1024);
    const terms = parseQuery(query.query);
    const hits = rows.map((r, k): SearchHit => {
      let body = '';
      try {
        body = conversationText(JSON.parse(texts[k] ?? 'null'));
      } catch {
        // an unreadable record still shows as a hit; its pane says why
      }
      const snippet = makeSnippet(body, terms);
      return { ...rowFields(r, query.from + k), snippet: snippet.text, marks: snippet.marks };
    });
    return { total, hits, indexed, records };
  }
}
