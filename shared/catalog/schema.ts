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

/**
 * A size from the research: exact when it was written as a byte count (then checked against the file), else an
 * estimate from a figure such as "13.5 GB" (shown, and used for the disk check until the server says; never a reason
 * to fail a download). Null when the research does not know.
 */
export const SizeSchema = z.strictObject({ bytes: z.number().int().positive(), exact: z.boolean() }).nullable();
export type Size = z.infer<typeof SizeSchema>;

/**
 * What a downloaded file is: an archive to extract (`zip` includes Zip64), a media file as it is (`file`), JSONL with
 * base64 images to decode (M3IT), or not known yet.
 */
export const ArchiveFormatSchema = z.enum(['zip', 'tar', 'tar.gz', 'file', 'jsonl-base64', 'unknown']);
export type ArchiveFormat = z.infer<typeof ArchiveFormatSchema>;

const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);
/** Where a file's contents go under the source root ('' = the root itself). */
const IntoSchema = z.string().regex(/^$|^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/);

/** One archive (or media file) of a route. More than one part = a byte-split of one file, joined in this order. */
const HfFileSchema = z.strictObject({
  parts: z.array(z.string().regex(/^[^/].*[^/]$/)).min(1),
  format: ArchiveFormatSchema,
  /** The whole file (all parts). The Hub's tree listing is the authority on names, sizes and sha256. */
  size: SizeSchema,
  into: IntoSchema,
});

const HttpFileSchema = z.strictObject({
  parts: z.array(z.url()).min(1),
  format: ArchiveFormatSchema,
  size: SizeSchema,
  /** Published by the host; null when the research found none (then the size, and the ETag for the next run). */
  sha256: Sha256Schema.nullable(),
  into: IntoSchema,
});

/** A published list of archive URLs, one per line (Kinetics' k400_train_path.txt): each line is one file. */
const HttpListSchema = z.strictObject({ list: z.url(), format: ArchiveFormatSchema, into: IntoSchema });

export const RouteSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('hf'),
    repo: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9._-]+$/),
    repoType: z.enum(['dataset', 'model']),
    /** A commit the research saw the files at; null = the branch head (`main`) when the download starts. */
    revision: z
      .string()
      .regex(/^[0-9a-f]{40}$/)
      .nullable(),
    files: z.array(HfFileSchema).min(1),
    /** sha256 values seen on third-party copies: compared with the Hub's and reported, never trusted over it. */
    candidateSha256: z.record(z.string(), Sha256Schema),
    notes: z.array(z.string()),
  }),
  z.strictObject({
    kind: z.literal('http'),
    files: z.array(HttpFileSchema),
    lists: z.array(HttpListSchema),
    notes: z.array(z.string()),
  }),
  z.strictObject({
    kind: z.literal('per-file-http'),
    /** The metadata table the user supplies (or the app fetches): what it is and where it is found. */
    table: z.strictObject({
      what: z.string().min(1),
      hub: z.strictObject({ repo: z.string(), repoType: z.enum(['dataset', 'model']), glob: z.string() }).nullable(),
      columns: z.strictObject({ url: z.string().min(1), file: z.string().min(1) }),
    }),
    notes: z.array(z.string()),
  }),
  z.strictObject({
    kind: z.literal('manual'),
    /** Where to go; null when the research knows no page (then the source's homepage is all there is). */
    page: z.url().nullable(),
    /** What to do there, in order; what is not known says so. */
    steps: z.array(z.string().min(1)).min(1),
    /** The file to pick and what it is called, when known. */
    pick: z.string().nullable(),
    /**
     * The files the user ends up with, when their names are known: a glob on the file name (`?` one character,
     * `*` any), how many files of that name make the whole set (SSv2's 20 parts), and the size when known. Used to
     * recognise them in the Downloads folder; empty when the names are unknown.
     */
    expect: z.array(z.strictObject({ name: z.string().min(1), parts: z.number().int().min(1), size: SizeSchema })),
    format: ArchiveFormatSchema,
    /** What its extracted tree looks like, when known. */
    tree: z.string().nullable(),
    /** False when the research has not looked at how this source is distributed at all. */
    researched: z.boolean(),
    notes: z.array(z.string()),
  }),
]);
export type Route = z.infer<typeof RouteSchema>;

export const SourceSchema = z.strictObject({
  id: SourceIdSchema,
  name: z.string().min(1),
  homepage: z.url(),
  /** Licence or terms of use in a sentence, as far as they are known. */
  licence: z.string().min(1),
  modality: z.enum(['image', 'video']),
  /** How the media really arrive (routes.ts), and facts about them from the research (not instructions to the user). */
  acquire: z.strictObject({
    route: RouteSchema,
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
