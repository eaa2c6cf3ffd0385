import { z } from 'zod';

/** Source ids are a contract (CLI, API, reports, exports): lower-case letters, digits and underscores. */
export const SourceIdSchema = z.string().regex(/^[a-z][a-z0-9_]*$/, 'source ids are lower_snake_case');
export const SubsetIdSchema = z.string().regex(/^[a-z][a-z0-9_]*$/, 'subset ids are lower_snake_case');

export const ModalitySchema = z.enum(['image', 'video', 'text']);
export type Modality = z.infer<typeof ModalitySchema>;

/** How sure we are that the Hub holds the file; the Hub's own tree listing always has the last word. */
export const HubPresenceSchema = z.enum(['confirmed', 'likely', 'unconfirmed']);

/** How the upstream loader reads a ref: a media file, a folder of frames, or a GIF (TGIF). */
export const MediaFormSchema = z.enum(['file', 'frame-directory', 'gif', 'none']);

export const SubsetSchema = z.strictObject({
  id: SubsetIdSchema,
  /** Path inside the Hub repo, e.g. `video/classification/k710/train.json`. */
  annotationPath: z.string().regex(/^(image|video|text)\/[a-z0-9_/]+\.json$/),
  modality: ModalitySchema,
  /** The record field holding the media ref; null for text-only subsets. */
  mediaKey: z.enum(['video', 'image']).nullable(),
  mediaForm: MediaFormSchema,
  /** Null for text-only subsets, which need no media. */
  source: SourceIdSchema.nullable(),
  /** Folder under the source root that refs are joined to (M3IT tasks, UVO splits); '' for none. */
  subdir: z.string(),
  /** The root upstream `instruction_data.py` joins refs with (`$D` = the user's data path; '' = refs used verbatim). */
  upstreamRoot: z.string(),
  /** Record count where a count is known (upstream figure or a count of the Hub file); null when unknown. */
  expectedRecords: z.number().int().positive().nullable(),
  onHub: HubPresenceSchema,
  /** `<modality>_<task>`, the group the Library page shows it under. */
  task: z.enum(['caption', 'classification', 'conversation', 'reasoning', 'vqa', 'grounding']),
});
export type Subset = z.infer<typeof SubsetSchema>;

export const SourceSchema = z.strictObject({
  id: SourceIdSchema,
  name: z.string().min(1),
  homepage: z.url(),
  /** Licence or terms of use in a sentence, as far as they are known. */
  licence: z.string().min(1),
  modality: z.enum(['image', 'video']),
  /** How the media really arrive; filled in by the acquisition issue. Hints are facts for that work, not instructions to the user. */
  acquire: z.strictObject({
    status: z.enum(['planned']),
    hints: z.array(z.string()),
  }),
});
export type Source = z.infer<typeof SourceSchema>;

export const CatalogSchema = z.strictObject({ subsets: z.array(SubsetSchema), sources: z.array(SourceSchema) }).superRefine((catalog, ctx) => {
  const sourceIds = new Set(catalog.sources.map((s) => s.id));
  const seen = new Set<string>();
  for (const [i, subset] of catalog.subsets.entries()) {
    if (seen.has(subset.id)) ctx.addIssue({ code: 'custom', path: ['subsets', i, 'id'], message: `duplicate subset id ${subset.id}` });
    seen.add(subset.id);
    if (subset.source !== null && !sourceIds.has(subset.source)) {
      ctx.addIssue({ code: 'custom', path: ['subsets', i, 'source'], message: `subset ${subset.id} names unknown source ${subset.source}` });
    }
    if ((subset.modality === 'text') !== (subset.mediaKey === null)) {
      ctx.addIssue({ code: 'custom', path: ['subsets', i, 'mediaKey'], message: `subset ${subset.id}: only text subsets have no media key` });
    }
  }
  if (new Set(catalog.sources.map((s) => s.id)).size !== catalog.sources.length)
    ctx.addIssue({ code: 'custom', path: ['sources'], message: 'duplicate source id' });
});
export type Catalog = z.infer<typeof CatalogSchema>;
