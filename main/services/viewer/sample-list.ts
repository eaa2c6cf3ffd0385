import { setImmediate as nextTurn } from 'node:timers/promises';
import type { z } from 'zod';
import { ApiError } from '../../../shared/api/errors';
import type { SampleFilter, SampleListPage, SampleListQuerySchema, SampleRow, SampleStatus } from '../../../shared/api/viewer-models';
import { catalog } from '../../../shared/catalog/index';
import { Permutation } from '../../lib/permutation';
import type { LibraryDatabase } from '../library/db';
import { firstQuestion, readRecordSlices } from './record-text';

/** What a record's media came to at the last verify, in the viewer's words (shared by the list, search and show). */
export const STATUS_SQL = `CASE WHEN vf.source_id IS NULL OR r.ref IS NULL THEN 'no-media' WHEN s.status IS NULL THEN 'unchecked'
  WHEN s.status = 'ok' THEN 'ok' WHEN s.status = 'corrupt' THEN 'corrupt' ELSE 'missing' END`;

/** The columns of a row and the joins that give its media status, from a record `r` and its file `vf`. */
export const ROW_SQL = `r.id AS id, r.idx AS idx, vf.subset_id AS subsetId, vf.source_id AS sourceId, r.ref AS ref, r.start_s AS start,
    r.end_s AS end, r.rec_offset AS offset, r.rec_length AS length, vf.sha256 AS sha256, ${STATUS_SQL} AS status
  FROM records r JOIN temp.viewer_files vf ON vf.file_id = r.file_id
  LEFT JOIN media_refs m ON m.source_id = vf.source_id AND m.subdir = vf.subdir AND m.ref = r.ref
  LEFT JOIN media_status s ON s.media_id = m.id`;

/** A page of rows by (file, index) pairs, in the order given: catalog order and the unfiltered shuffle. */
export const ROWS_BY_INDEX_SQL = `SELECT j.key AS ord, ${ROW_SQL.replace('FROM records r', 'FROM json_each(?) j JOIN records r ON r.file_id = j.value ->> 0 AND r.idx = j.value ->> 1')}
  ORDER BY j.key`;

/** A page of rows by position in a filtered view (temp.viewer_view, built for the filter). */
export const ROWS_BY_VIEW_SQL = `SELECT j.key AS ord, ${ROW_SQL.replace('FROM records r', 'FROM json_each(?) j JOIN temp.viewer_view v ON v.pos = j.value JOIN records r ON r.id = v.record_id')}
  ORDER BY j.key`;

/** One slice of a file's records that pass a filter, appended to the view in file order. */
export function viewSliceSql(filter: SampleFilter): string {
  const where = ['r.file_id = ?', 'r.idx >= ?', 'r.idx < ?'];
  if (filter.status) where.push(`(${STATUS_SQL}) = @status`);
  if (filter.hasSegment === true) where.push('(r.start_s IS NOT NULL OR r.end_s IS NOT NULL)');
  if (filter.hasSegment === false) where.push('r.start_s IS NULL AND r.end_s IS NULL');
  if (filter.refContains) where.push('instr(r.ref, @refContains) > 0');
  return `INSERT INTO temp.viewer_view (record_id) SELECT r.id ${ROW_SQL.slice(ROW_SQL.indexOf('FROM records r'))}
    WHERE ${where.join(' AND ')} ORDER BY r.idx`;
}

interface FileEntry {
  fileId: number;
  subsetId: string;
  sourceId: string | null;
  subdir: string;
  sha256: string;
  records: number;
}

/** A record as a list row or a search hit reads it (ROW_SQL). */
export interface RecordRow {
  id: number;
  idx: number;
  subsetId: string;
  sourceId: string | null;
  ref: string | null;
  start: number | null;
  end: number | null;
  offset: number;
  length: number;
  sha256: string;
  status: SampleStatus;
}

type Row = RecordRow & { ord: number };

/** The fields of a list row or a search hit from a record as ROW_SQL reads it. */
export function rowFields(r: RecordRow, position: number) {
  return { position, subsetId: r.subsetId, index: r.idx, sourceId: r.sourceId, ref: r.ref, status: r.status, start: r.start, end: r.end };
}

/** Records a view's build appends per statement: each is a short write, so the engine answers calls in between. */
const VIEW_SLICE = 25_000;

export type ListQuery = z.output<typeof SampleListQuerySchema>;

/**
 * The viewer's list of every record of the library, a page at a time and never whole in memory. Unfiltered (or by
 * subset or source), a position maps straight onto a (file, index) pair through the files' record counts in catalog
 * order, and the page is read on records_by_file. Other filters build a view once — the matching record ids in
 * catalog order in a temporary table, in short slices — and pages are read from it by position. A shuffle is a
 * seeded permutation of positions (lib/permutation), so it costs nothing to build either.
 */
export class SampleList {
  private files: { db: LibraryDatabase; key: string; entries: FileEntry[] } | null = null;
  private view: { db: LibraryDatabase; key: string; total: number } | null = null;
  private building: { key: string; token: number; done: Promise<number> } | null = null;
  private generation = 0;
  private builds = 0;

  constructor(
    private readonly database: () => LibraryDatabase,
    private readonly annotationsDir: () => string,
  ) {}

  /** After a verify, an ingest or an import: views built on the old statuses are built again when next asked for. */
  forget(): void {
    this.view = null;
    this.generation++;
  }

  async list(query: ListQuery): Promise<SampleListPage> {
    const db = this.database();
    const entries = this.selectFiles(db, query);
    const needsView = query.status !== undefined || query.hasSegment !== undefined || query.refContains !== undefined;
    const total = needsView ? await this.viewTotal(db, entries, query) : entries.reduce((n, e) => n + e.records, 0);
    const to = Math.min(total, query.from + query.limit);
    const positions: number[] = [];
    const permutation = query.order === 'shuffle' && total > 0 ? new Permutation(total, query.seed) : null;
    for (let p = query.from; p < to; p++) positions.push(permutation ? permutation.at(p) : p);
    if (positions.length === 0) return { total, rows: [] };
    let rows: Row[];
    if (needsView) {
      rows = db.prepare(ROWS_BY_VIEW_SQL).all(JSON.stringify(positions.map((p) => p + 1))) as Row[];
    } else {
      const starts: number[] = [];
      let at = 0;
      for (const e of entries) {
        starts.push(at);
        at += e.records;
      }
      const pairs = positions.map((p) => {
        let lo = 0;
        let hi = entries.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if ((starts[mid] as number) <= p) lo = mid;
          else hi = mid - 1;
        }
        return [(entries[lo] as FileEntry).fileId, p - (starts[lo] as number)];
      });
      rows = db.prepare(ROWS_BY_INDEX_SQL).all(JSON.stringify(pairs)) as Row[];
    }
    const texts = readRecordSlices(this.annotationsDir(), rows);
    return {
      total,
      rows: rows.map((r, k): SampleRow => ({ ...rowFields(r, query.from + r.ord), text: firstQuestion(texts[k] ?? null) })),
    };
  }

  /** Bumped after each job that changes statuses or versions: what was counted before may differ now. */
  get statusGeneration(): number {
    return this.generation;
  }

  /** Which versions are current, as a key (it changes with every ingest). */
  filesKey(db: LibraryDatabase): string {
    this.currentFiles(db);
    return this.files?.key ?? '';
  }

  /** The current file of every subset, in catalog order, as temp.viewer_files (the row queries join it). */
  currentFiles(db: LibraryDatabase): FileEntry[] {
    const key = (db.prepare(`SELECT group_concat(id) FROM annotation_files WHERE state = 'current'`).pluck().get() as string | null) ?? '';
    if (this.files?.db === db && this.files.key === key) return this.files.entries;
    const rows = db.prepare(`SELECT id, subset_id AS subsetId, sha256, records FROM annotation_files WHERE state = 'current'`).all() as Array<{
      id: number;
      subsetId: string;
      sha256: string;
      records: number;
    }>;
    const bySubset = new Map(rows.map((r) => [r.subsetId, r]));
    const entries: FileEntry[] = [];
    for (const subset of catalog.subsets) {
      const row = bySubset.get(subset.id);
      if (!row) continue;
      entries.push({ fileId: row.id, subsetId: subset.id, sourceId: subset.source ?? null, subdir: subset.subdir, sha256: row.sha256, records: row.records });
    }
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS viewer_files (
      file_id INTEGER PRIMARY KEY, subset_id TEXT NOT NULL, source_id TEXT, subdir TEXT NOT NULL, sha256 TEXT NOT NULL)`);
    const insert = db.prepare('INSERT INTO temp.viewer_files VALUES (?, ?, ?, ?, ?)');
    db.transaction(() => {
      db.exec('DELETE FROM temp.viewer_files');
      for (const e of entries) insert.run(e.fileId, e.subsetId, e.sourceId, e.subdir, e.sha256);
    })();
    this.files = { db, key, entries };
    this.view = null;
    return entries;
  }

  private selectFiles(db: LibraryDatabase, filter: SampleFilter): FileEntry[] {
    return this.currentFiles(db).filter((e) => (!filter.subsetId || e.subsetId === filter.subsetId) && (!filter.sourceId || e.sourceId === filter.sourceId));
  }

  /** Builds (or reuses) the view of the records matching a filter; answers how many there are. */
  private viewTotal(db: LibraryDatabase, entries: FileEntry[], filter: SampleFilter): Promise<number> {
    const key = JSON.stringify([
      this.files?.key,
      this.generation,
      filter.subsetId ?? null,
      filter.sourceId ?? null,
      filter.status ?? null,
      filter.hasSegment ?? null,
      filter.refContains ?? null,
    ]);
    if (this.view?.db === db && this.view.key === key) return Promise.resolve(this.view.total);
    if (this.building?.key === key) return this.building.done;
    const token = ++this.builds;
    this.view = null;
    const done = this.build(db, entries, filter, token).then(
      (total) => {
        if (this.building?.token === token) {
          this.view = { db, key, total };
          this.building = null;
        }
        return total;
      },
      (error: unknown) => {
        if (this.building?.token === token) this.building = null;
        throw error;
      },
    );
    this.building = { key, token, done };
    return done;
  }

  private async build(db: LibraryDatabase, entries: FileEntry[], filter: SampleFilter, token: number): Promise<number> {
    db.exec('DROP TABLE IF EXISTS temp.viewer_view; CREATE TEMP TABLE viewer_view (pos INTEGER PRIMARY KEY, record_id INTEGER NOT NULL)');
    const slice = db.prepare(viewSliceSql(filter));
    const named: Record<string, unknown> = {};
    if (filter.status) named.status = filter.status;
    if (filter.refContains) named.refContains = filter.refContains;
    const hasNamed = Object.keys(named).length > 0;
    for (const e of entries) {
      for (let from = 0; from < e.records; from += VIEW_SLICE) {
        if (hasNamed) slice.run(named, e.fileId, from, from + VIEW_SLICE);
        else slice.run(e.fileId, from, from + VIEW_SLICE);
        await nextTurn();
        if (this.building?.token !== token) throw new ApiError('NOT_FOUND', 'the list was asked for with another filter meanwhile; ask again');
      }
    }
    return db.prepare('SELECT count(*) FROM temp.viewer_view').pluck().get() as number;
  }
}
