import { z } from 'zod';
import { csvFields } from '../../lib/csv-fields';

/**
 * The manifest of a copy (#13 item 4), `vc2m.manifest/1`: gzip-compressed JSON Lines (or CSV). Documented in the
 * README ("A manifest of the copy"); a change that breaks a reader bumps the number.
 *
 * JSONL: the first line is the header, every other line one media ref:
 *   {"schema":"vc2m.manifest/1","createdAt":"…","app":"0.1.0","library":"…","level":"quick","hashed":true,
 *    "annotations":{"<subset>":{"revision":"<hub commit>|null","sha256":"<file sha256>","records":123}}}
 *   {"source":"coco","subdir":"","ref":"train2014/x.jpg","subsets":["caption_coco"],"status":"ok","size":123,
 *    "durationS":null,"sha256":"…|null"}
 * CSV: one header row (`source,subdir,ref,subsets,status,size,duration_s,sha256`, subsets joined with `;`), the
 * manifest header kept as `# vc2m.manifest/1 <header JSON>` on the first line.
 */
export const MANIFEST_SCHEMA = 'vc2m.manifest/1';

export const ManifestHeaderSchema = z.object({
  schema: z.literal(MANIFEST_SCHEMA),
  createdAt: z.string(),
  app: z.string(),
  library: z.string(),
  level: z.enum(['quick', 'container', 'decode']),
  hashed: z.boolean(),
  annotations: z.record(z.string(), z.object({ revision: z.string().nullable(), sha256: z.string(), records: z.number().int() })),
});
export type ManifestHeader = z.infer<typeof ManifestHeaderSchema>;

/** A ref's status in the manifest: what verify found, or `unchecked` when it was not checked at the manifest's level. */
export const ManifestStatusSchema = z.enum(['ok', 'missing', 'corrupt', 'unsafe-ref', 'unchecked']);

export const ManifestRowSchema = z.object({
  source: z.string(),
  subdir: z.string(),
  ref: z.string(),
  subsets: z.array(z.string()),
  status: ManifestStatusSchema,
  size: z.number().int().nullable(),
  durationS: z.number().nullable(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
});
export type ManifestRow = z.infer<typeof ManifestRowSchema>;

export const CSV_COLUMNS = ['source', 'subdir', 'ref', 'subsets', 'status', 'size', 'duration_s', 'sha256'] as const;

/** One CSV field, quoted when it has to be (RFC 4180). */
export function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function rowToCsv(row: ManifestRow): string {
  return [
    row.source,
    row.subdir,
    row.ref,
    row.subsets.join(';'),
    row.status,
    row.size === null ? '' : String(row.size),
    row.durationS === null ? '' : String(row.durationS),
    row.sha256 ?? '',
  ]
    .map(csvField)
    .join(',');
}

/** Splits one CSV line into fields (a ref with a quote or a comma is quoted; manifests have no line breaks in fields). */
export const parseCsvLine = csvFields;

export function csvToRow(fields: readonly string[]): unknown {
  const [source, subdir, ref, subsets, status, size, duration, sha256] = fields;
  return {
    source,
    subdir,
    ref,
    subsets: subsets ? subsets.split(';') : [],
    status,
    size: size ? Number(size) : null,
    durationS: duration ? Number(duration) : null,
    sha256: sha256 || null,
  };
}

/** The key a ref is compared by between two copies. */
export const rowKey = (row: Pick<ManifestRow, 'source' | 'subdir' | 'ref'>) => `${row.source}\u0000${row.subdir}\u0000${row.ref}`;
