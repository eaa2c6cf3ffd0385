import type { MissingMedia, SubsetReport } from './models';

/** One CSV line (RFC 4180 quoting), the same for the CLI's --csv and the Missing page's export. */
export function csvLine(cells: readonly (string | number)[]): string {
  return cells.map((c) => (/[",\n\r]/.test(String(c)) ? `"${String(c).replaceAll('"', '""')}"` : String(c))).join(',');
}

export const MISSING_CSV_HEADER = ['subset', 'source', 'ref', 'reason', 'expected'] as const;

export function missingCsvCells(m: MissingMedia): string[] {
  return [m.subset, m.source, m.ref, m.reason, m.expected ?? ''];
}

export const SUBSET_CSV_HEADER = ['id', 'source', 'records', 'media', 'present', 'missing', 'corrupt', 'unchecked', 'ok_records', 'bytes'] as const;

export function subsetCsvCells(s: SubsetReport): Array<string | number> {
  return [s.id, s.source ?? '', s.records, s.media, s.present, s.missing, s.corrupt, s.unchecked, s.ok_records, s.bytes];
}
