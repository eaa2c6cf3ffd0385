import type { MissingMedia, SourceReport, SubsetReport, VerifyReport } from '../../../shared/api/models';
import { catalog } from '../../../shared/catalog/index';
import type { LibraryDatabase } from '../library/db';

const MISSING = `('not-found', 'internal-storage-ref', 'unsafe-ref')`;

/** Per subset and per source: records, media, present, missing, corrupt, unchecked, records whose media is OK, bytes. */
export function buildReport(db: LibraryDatabase, options: { missing: boolean }): VerifyReport {
  const subsetQuery = db.prepare(
    `SELECT count(*) AS records,
            count(DISTINCT m.id) AS media,
            count(DISTINCT CASE WHEN s.status = 'ok' THEN m.id END) AS present,
            count(DISTINCT CASE WHEN s.status IN ${MISSING} THEN m.id END) AS missing,
            count(DISTINCT CASE WHEN s.status = 'corrupt' THEN m.id END) AS corrupt,
            count(DISTINCT CASE WHEN m.id IS NOT NULL AND s.media_id IS NULL THEN m.id END) AS unchecked,
            coalesce(sum(s.status = 'ok'), 0) AS okRecords
     FROM records r JOIN annotation_files f ON f.id = r.file_id AND f.state = 'current' AND f.subset_id = ?
     LEFT JOIN media_refs m ON m.source_id = ? AND m.subdir = ? AND m.ref = r.ref
     LEFT JOIN media_status s ON s.media_id = m.id`,
  );
  const bytesQuery = db
    .prepare(
      `SELECT coalesce(sum(s.size), 0) FROM media_status s WHERE s.status = 'ok' AND s.media_id IN (
         SELECT m.id FROM records r JOIN annotation_files f ON f.id = r.file_id AND f.state = 'current' AND f.subset_id = ?
         JOIN media_refs m ON m.source_id = ? AND m.subdir = ? AND m.ref = r.ref)`,
    )
    .pluck();
  const missingQuery = db.prepare(
    `SELECT DISTINCT m.ref AS ref, s.status AS status, s.detail AS detail
     FROM records r JOIN annotation_files f ON f.id = r.file_id AND f.state = 'current' AND f.subset_id = ?
     JOIN media_refs m ON m.source_id = ? AND m.subdir = ? AND m.ref = r.ref
     JOIN media_status s ON s.media_id = m.id AND s.status != 'ok' ORDER BY m.ref`,
  );
  const sourceQuery = db.prepare(
    `SELECT count(*) AS media,
            coalesce(sum(s.status = 'ok'), 0) AS present,
            coalesce(sum(s.status IN ${MISSING}), 0) AS missing,
            coalesce(sum(s.status = 'corrupt'), 0) AS corrupt,
            coalesce(sum(s.media_id IS NULL), 0) AS unchecked,
            coalesce(sum(CASE WHEN s.status = 'ok' THEN s.size END), 0) AS bytes
     FROM media_refs m LEFT JOIN media_status s ON s.media_id = m.id WHERE m.source_id = ?`,
  );
  const ingested = new Set(db.prepare(`SELECT subset_id FROM annotation_files WHERE state = 'current'`).pluck().all() as string[]);

  const subsets: SubsetReport[] = [];
  const missing: MissingMedia[] = [];
  for (const subset of catalog.subsets) {
    if (!ingested.has(subset.id)) continue;
    if (!subset.source) {
      const records = db.prepare(`SELECT records FROM annotation_files WHERE subset_id = ? AND state = 'current'`).pluck().get(subset.id) as number;
      subsets.push({ id: subset.id, source: null, records, media: 0, present: 0, missing: 0, corrupt: 0, unchecked: 0, ok_records: records, bytes: 0 });
      continue;
    }
    const row = subsetQuery.get(subset.id, subset.source, subset.subdir) as Omit<SubsetReport, 'id' | 'source' | 'ok_records' | 'bytes'> & {
      okRecords: number;
    };
    const bytes = bytesQuery.get(subset.id, subset.source, subset.subdir) as number;
    subsets.push({
      id: subset.id,
      source: subset.source,
      records: row.records,
      media: row.media,
      present: row.present,
      missing: row.missing,
      corrupt: row.corrupt,
      unchecked: row.unchecked,
      ok_records: row.okRecords,
      bytes,
    });
    if (options.missing) {
      for (const m of missingQuery.all(subset.id, subset.source, subset.subdir) as Array<{ ref: string; status: string; detail: string | null }>) {
        missing.push({
          subset: subset.id,
          source: subset.source,
          ref: m.ref,
          reason: m.status === 'corrupt' ? `corrupt:${m.detail ?? 'unreadable'}` : m.status,
          expected: m.status === 'not-found' ? m.detail : null,
        });
      }
    }
  }
  const sources: SourceReport[] = catalog.sources
    .map((source) => {
      const own = subsets.filter((s) => s.source === source.id);
      const media = sourceQuery.get(source.id) as Omit<SourceReport, 'id' | 'records' | 'ok_records' | 'subsets'>;
      return {
        id: source.id,
        subsets: own.map((s) => s.id),
        records: own.reduce((a, s) => a + s.records, 0),
        ok_records: own.reduce((a, s) => a + s.ok_records, 0),
        ...media,
      };
    })
    .filter((s) => s.subsets.length > 0);
  return { subsets, sources, missing: options.missing ? missing : null };
}
