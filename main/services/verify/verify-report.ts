import { setImmediate as nextTurn } from 'node:timers/promises';
import type { MissingCursor, MissingMedia, MissingPage, SourceReport, SubsetReport, VerifyReport } from '../../../shared/api/models';
import { catalog } from '../../../shared/catalog/index';
import type { LibraryDatabase } from '../library/db';
import { ensureFileMedia } from './file-media';

const MISSING = `('not-found', 'internal-storage-ref', 'unsafe-ref')`;
/** Media counts by status over rows joined to media_status as `s`; shared by the subset and source reports. */
const STATUS_COUNTS = `coalesce(sum(s.status = 'ok'), 0) AS present,
            coalesce(sum(s.status IN ${MISSING}), 0) AS missing,
            coalesce(sum(s.status = 'corrupt'), 0) AS corrupt,
            coalesce(sum(s.media_id IS NULL), 0) AS unchecked,
            coalesce(sum(CASE WHEN s.status = 'ok' THEN s.size END), 0) AS bytes`;

interface MissingRow {
  source: string;
  ref: string;
  status: string;
  detail: string | null;
}

function toMissing(subset: string, r: MissingRow): MissingMedia {
  return {
    subset,
    source: r.source,
    ref: r.ref,
    reason: r.status === 'corrupt' ? `corrupt:${r.detail ?? 'unreadable'}` : r.status,
    expected: r.status === 'not-found' ? r.detail : null,
  };
}

/**
 * Per subset and per source: records, media, present, missing, corrupt, unchecked, records whose media is OK, bytes.
 * A query per subset and per source, handing the engine's thread back between them (a second in all at full scale).
 */
export async function buildReport(db: LibraryDatabase, options: { missing: boolean; missingLimit?: number }): Promise<VerifyReport> {
  ensureFileMedia(db);
  const files = db.prepare(`SELECT id, subset_id AS subsetId, records FROM annotation_files WHERE state = 'current'`).all() as Array<{
    id: number;
    subsetId: string;
    records: number;
  }>;
  const bySubset = new Map(files.map((f) => [f.subsetId, f]));
  const subsetQuery = db.prepare(
    `SELECT count(*) AS media, ${STATUS_COUNTS},
            coalesce(sum(CASE WHEN s.status = 'ok' THEN fm.records END), 0) AS okRecords
     FROM file_media fm LEFT JOIN media_status s ON s.media_id = fm.media_id WHERE fm.file_id = ?`,
  );
  const sourceQuery = db.prepare(
    `SELECT count(*) AS media, ${STATUS_COUNTS}
     FROM media_refs m LEFT JOIN media_status s ON s.media_id = m.id WHERE m.source_id = ?`,
  );
  const subsets: SubsetReport[] = [];
  for (const subset of catalog.subsets) {
    const file = bySubset.get(subset.id);
    if (!file) continue;
    if (!subset.source) {
      subsets.push({
        id: subset.id,
        source: null,
        records: file.records,
        media: 0,
        present: 0,
        missing: 0,
        corrupt: 0,
        unchecked: 0,
        ok_records: file.records,
        bytes: 0,
      });
      continue;
    }
    await nextTurn();
    const row = subsetQuery.get(file.id) as Omit<SubsetReport, 'id' | 'source' | 'records' | 'ok_records'> & { okRecords: number };
    const { okRecords, ...counts } = row;
    subsets.push({ id: subset.id, source: subset.source, records: file.records, ...counts, ok_records: okRecords });
  }
  const ruleQuery = db.prepare(
    `SELECT s.rule AS rule, count(*) AS n FROM media_refs m JOIN media_status s ON s.media_id = m.id
     WHERE m.source_id = ? AND s.status = 'ok' AND s.rule IS NOT NULL GROUP BY s.rule ORDER BY n DESC, s.rule`,
  );
  const sources: SourceReport[] = [];
  for (const source of catalog.sources) {
    const own = subsets.filter((s) => s.source === source.id);
    if (own.length === 0) continue;
    await nextTurn();
    const media = sourceQuery.get(source.id) as Omit<SourceReport, 'id' | 'records' | 'ok_records' | 'subsets' | 'found_by'>;
    const rules = ruleQuery.all(source.id) as Array<{ rule: string; n: number }>;
    sources.push({
      id: source.id,
      subsets: own.map((s) => s.id),
      records: own.reduce((a, s) => a + s.records, 0),
      ok_records: own.reduce((a, s) => a + s.ok_records, 0),
      ...media,
      found_by: Object.fromEntries(rules.map((r) => [r.rule, r.n])),
    });
  }
  const missing: MissingMedia[] = [];
  const limit = options.missingLimit ?? REPORT_MISSING_LIMIT;
  if (options.missing) eachMissingMedia(db, (m) => missing.push(m), limit + 1);
  const missingMore = missing.length > limit;
  return { subsets, sources, missing: options.missing ? missing.slice(0, limit) : null, missingMore };
}

export interface MissingFilter {
  sourceId?: string | undefined;
  subsetId?: string | undefined;
  reason?: 'not-found' | 'internal-storage-ref' | 'unsafe-ref' | 'corrupt' | undefined;
  search?: string | undefined;
}

/** A page of the missing and damaged media, in subset order, filtered in SQL; by key after `after`, else by offset. */
export function missingMedia(
  db: LibraryDatabase,
  filter: MissingFilter,
  page: { after?: MissingCursor | undefined; offset: number; limit: number; count: boolean },
): MissingPage {
  ensureFileMedia(db);
  const where = [`s.status != 'ok'`];
  const params: unknown[] = [];
  if (filter.sourceId) {
    where.push('m.source_id = ?');
    params.push(filter.sourceId);
  }
  if (filter.subsetId) {
    where.push('f.subset_id = ?');
    params.push(filter.subsetId);
  }
  if (filter.reason) {
    where.push('s.status = ?');
    params.push(filter.reason);
  }
  if (filter.search?.trim()) {
    where.push(`m.ref LIKE ? ESCAPE '\\'`);
    params.push(`%${filter.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  const from = `FROM file_media fm JOIN annotation_files f ON f.id = fm.file_id AND f.state = 'current'
                JOIN media_status s ON s.media_id = fm.media_id JOIN media_refs m ON m.id = fm.media_id`;
  const total = page.count
    ? (db
        .prepare(`SELECT count(*) ${from} WHERE ${where.join(' AND ')}`)
        .pluck()
        .get(...params) as number)
    : null;
  const keyed = page.after ? [...where, '(f.subset_id, fm.media_id) > (?, ?)'] : where;
  const keyParams = page.after ? [...params, page.after.subset, page.after.mediaId] : params;
  const rows = db
    .prepare(
      `SELECT f.subset_id AS subset, fm.media_id AS mediaId, m.source_id AS source, m.ref AS ref, s.status AS status, s.detail AS detail ${from}
       WHERE ${keyed.join(' AND ')} ORDER BY f.subset_id, fm.media_id LIMIT ? OFFSET ?`,
    )
    .all(...keyParams, page.limit + 1, page.after ? 0 : page.offset) as Array<MissingRow & { subset: string; mediaId: number }>;
  const more = rows.length > page.limit;
  const shown = rows.slice(0, page.limit);
  const last = shown.at(-1);
  return { total, rows: shown.map((r) => toMissing(r.subset, r)), next: more && last ? { subset: last.subset, mediaId: last.mediaId } : null };
}

/**
 * The most missing rows one report call returns (#9: 630k rows made one 120 MB reply, four at once took the host to
 * 2.3 GB). Past it the report says so (missingMore) and the caller pages with verify.missing.
 */
export const REPORT_MISSING_LIMIT = 10_000;

/** Every missing or damaged media (or the first `limit`), subset by subset, walked by key (no OFFSET), for exports of any size. */
export function eachMissingMedia(db: LibraryDatabase, write: (m: MissingMedia) => void, limit = Number.POSITIVE_INFINITY): void {
  ensureFileMedia(db);
  const files = db.prepare(`SELECT id, subset_id AS subset FROM annotation_files WHERE state = 'current' ORDER BY subset_id`).all() as Array<{
    id: number;
    subset: string;
  }>;
  const page = db.prepare(
    `SELECT fm.media_id AS mediaId, m.source_id AS source, m.ref AS ref, s.status AS status, s.detail AS detail
     FROM file_media fm JOIN media_status s ON s.media_id = fm.media_id AND s.status != 'ok' JOIN media_refs m ON m.id = fm.media_id
     WHERE fm.file_id = ? AND fm.media_id > ? ORDER BY fm.media_id LIMIT 10000`,
  );
  let written = 0;
  for (const file of files) {
    for (let after = 0; ; ) {
      const rows = page.all(file.id, after) as Array<MissingRow & { mediaId: number }>;
      for (const r of rows) {
        if (written++ >= limit) return;
        write(toMissing(file.subset, r));
      }
      if (rows.length < 10000) break;
      after = rows.at(-1)?.mediaId ?? after;
    }
  }
}
