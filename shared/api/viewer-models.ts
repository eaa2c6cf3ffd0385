import { z } from 'zod';

/**
 * What the viewer shows of a record's media: ok, missing (not found, an internal-storage or unsafe ref), corrupt,
 * unchecked (no verify has looked at it yet), or no-media (the record names none, or its ref was refused at ingest).
 */
export const sampleStatuses = ['ok', 'missing', 'corrupt', 'unchecked', 'no-media'] as const;
export const SampleStatusSchema = z.enum(sampleStatuses);
export type SampleStatus = z.infer<typeof SampleStatusSchema>;

/** A sample's media status from its detail (viewer.sample): the one rule the pane and `vc2m show` use. */
export function sampleStatusOf(sample: { sourceId: string | null; ref: string | null; verified: { status: string } | null }): SampleStatus {
  if (!sample.sourceId || !sample.ref) return 'no-media';
  if (!sample.verified) return 'unchecked';
  if (sample.verified.status === 'ok') return 'ok';
  return sample.verified.status === 'corrupt' ? 'corrupt' : 'missing';
}

/** The statuses a filter can ask for (no-media comes with "unchecked"'s absence: it has no file to check). */
export const SampleStatusFilterSchema = z.enum(['ok', 'missing', 'corrupt', 'unchecked']);

const IdSchema = z
  .string()
  .max(64, 'an id of at most 64 characters')
  .regex(/^[a-z][a-z0-9_]*$/, 'an id such as kinetics or caption_webvid');

/** Which records a list or a search covers. */
export const SampleFilterSchema = z.strictObject({
  subsetId: IdSchema.optional(),
  sourceId: IdSchema.optional(),
  status: SampleStatusFilterSchema.optional(),
  /** Only records with a start/end segment (true) or without one (false). */
  hasSegment: z.boolean().optional(),
  /** Part of the ref: a path fragment or a YouTube id (case-sensitive, as refs are). */
  refContains: z.string().min(1).max(256).optional(),
});
export type SampleFilter = z.infer<typeof SampleFilterSchema>;

export const SampleListQuerySchema = SampleFilterSchema.extend({
  /** catalog: subset by subset as the catalog lists them, records in file order; shuffle: a seeded permutation. */
  order: z.enum(['catalog', 'shuffle']).default('catalog'),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(0),
  /** Position of the first row of the page in the (filtered, ordered) list. */
  from: z.number().int().min(0).max(100_000_000).default(0),
  limit: z.number().int().min(1).max(200).default(50),
});
export type SampleListQuery = z.input<typeof SampleListQuerySchema>;

export const SampleRowSchema = z.object({
  /** Position in the list as ordered and filtered. */
  position: z.number().int(),
  subsetId: z.string(),
  index: z.number().int(),
  sourceId: z.string().nullable(),
  ref: z.string().nullable(),
  status: SampleStatusSchema,
  start: z.number().nullable(),
  end: z.number().nullable(),
  /** The record's first question (or its instruction when it has none), cut to a line. */
  text: z.string(),
});
export type SampleRow = z.infer<typeof SampleRowSchema>;

export const SampleListPageSchema = z.object({
  /** Every record the filter matches, not the page. */
  total: z.number().int(),
  rows: z.array(SampleRowSchema),
});
export type SampleListPage = z.infer<typeof SampleListPageSchema>;

export const SearchQuerySchema = SampleFilterSchema.omit({ refContains: true }).extend({
  /** Words (all of them must be there), "a quoted phrase" (adjacent, in order), word* (a prefix); case does not matter. */
  query: z.string().trim().min(1, 'type a word to search for').max(500),
  from: z.number().int().min(0).max(100_000_000).default(0),
  limit: z.number().int().min(1).max(200).default(50),
});
export type SearchQuery = z.input<typeof SearchQuerySchema>;

export const SearchHitSchema = SampleRowSchema.omit({ text: true }).extend({
  /** A piece of the conversation around the first match. */
  snippet: z.string(),
  /** [start, end) character ranges of `snippet` that matched. */
  marks: z.array(z.tuple([z.number().int(), z.number().int()])),
});
export type SearchHit = z.infer<typeof SearchHitSchema>;

export const SearchPageSchema = z.object({
  /** Every matching record, not the page. */
  total: z.number().int(),
  hits: z.array(SearchHitSchema),
  /** Records the index covers so far, and of how many: a search during the first build sees part of the library. */
  indexed: z.number().int(),
  records: z.number().int(),
});
export type SearchPage = z.infer<typeof SearchPageSchema>;

export const SearchIndexStatusSchema = z.object({
  indexed: z.number().int(),
  records: z.number().int(),
  /** Bytes the full-text index takes in the library's database. */
  bytes: z.number().int(),
  /** The job building it now, if any. */
  jobId: z.number().int().nullable(),
});
export type SearchIndexStatus = z.infer<typeof SearchIndexStatusSchema>;

/** A preview of media Chromium cannot play (viewer.preview): being made, ready at the ?preview=1 URL, or why not. */
export const PreviewStateSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('working') }),
  z.object({ state: z.literal('ready') }),
  z.object({ state: z.literal('failed'), error: z.string() }),
]);
export type PreviewState = z.infer<typeof PreviewStateSchema>;
