import { z } from 'zod';

/** An absolute path or one starting with `~`; NUL bytes are never valid in a path on any platform. */
export const PathSchema = z
  .string()
  .trim()
  .min(1, 'a folder path is required')
  .max(4096, 'path is longer than 4096 characters')
  .refine((p) => !p.includes('\0'), 'path contains a NUL byte')
  .refine(
    (p) => p.startsWith('/') || p === '~' || p.startsWith('~/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'),
    'use an absolute path (or one starting with ~/)',
  );

export const LibraryInfoSchema = z.object({
  path: z.string(),
  name: z.string(),
  databasePath: z.string(),
  mediaPath: z.string(),
  createdAt: z.string(),
  schemaVersion: z.number().int(),
});
export type LibraryInfo = z.infer<typeof LibraryInfoSchema>;

export const RecentLibrarySchema = z.object({
  path: z.string(),
  name: z.string(),
  lastOpenedAt: z.string(),
  /** False when the folder or its library.sqlite is gone (unmounted drive, deleted folder). */
  available: z.boolean(),
});
export type RecentLibrary = z.infer<typeof RecentLibrarySchema>;

export const HF_DEFAULT_ENDPOINT = 'https://huggingface.co';

function isHttpUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/** An endpoint such as a Hugging Face mirror; empty means "use HF_ENDPOINT or the default". */
export const EndpointSchema = z
  .string()
  .trim()
  .max(2048)
  .refine((u) => u === '' || isHttpUrl(u), 'must be an http(s) URL without credentials, e.g. https://huggingface.co');

export const HfTokenSchema = z
  .string()
  .trim()
  .min(8, 'a Hugging Face token is at least 8 characters')
  .max(1024)
  .regex(/^[\x21-\x7e]+$/, 'a token has no spaces or special characters');

export const SettingsSchema = z.object({
  /** Where a new library is created unless the user picks another folder. */
  defaultLibraryPath: z.string(),
  hfEndpoint: z.string(),
  hfEndpointSource: z.enum(['settings', 'env', 'default']),
  /** The token itself never leaves the engine once saved; the UI only learns whether one is set and from where. */
  hfTokenSet: z.boolean(),
  hfTokenSource: z.enum(['settings', 'env']).nullable(),
  /** Where the saved token is kept, in words for the Settings page ("the OS keychain", "a file only you can read"). */
  hfTokenStorage: z.string(),
  downloadConcurrency: z.number().int(),
  /** All downloads together at most this many megabytes a second; 0 = no limit. */
  bandwidthLimitMBps: z.number(),
  /** Delete an archive once it is extracted and every entry checked (its ledger row keeps that it was done). */
  deleteArchivesAfterExtract: z.boolean(),
  /** Offer files in the Downloads folder that match a manual source's card for import (opt-in). */
  watchDownloads: z.boolean(),
  /** The folder watched: the one set here, or '' for the system's Downloads folder. */
  downloadsFolder: z.string(),
  ffmpegPath: z.string(),
  /** Per source id, the base URL its plain-HTTP route is fetched from instead of the original host. */
  mirrors: z.record(z.string(), z.string()),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const SettingsPatchSchema = z.strictObject({
  hfEndpoint: EndpointSchema.optional(),
  downloadConcurrency: z
    .number('a whole number from 1 to 32')
    .int('a whole number from 1 to 32')
    .min(1, 'at least 1 download at a time')
    .max(32, 'at most 32 downloads at a time')
    .optional(),
  bandwidthLimitMBps: z
    .number('a number of megabytes a second (0 for no limit)')
    .min(0, '0 (no limit) or more')
    .max(100_000, 'at most 100,000 MB/s')
    .optional(),
  deleteArchivesAfterExtract: z.boolean().optional(),
  watchDownloads: z.boolean().optional(),
  /** '' for the system's Downloads folder. */
  downloadsFolder: z
    .string()
    .trim()
    .max(4096)
    .refine((p) => !p.includes('\0'), 'path contains a NUL byte')
    .optional(),
  ffmpegPath: z
    .string()
    .trim()
    .max(4096)
    .refine((p) => !p.includes('\0'), 'path contains a NUL byte')
    .optional(),
});
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export const jobStates = ['queued', 'running', 'paused', 'finished', 'failed', 'cancelled'] as const;
export const JobStateSchema = z.enum(jobStates);
export type JobState = z.infer<typeof JobStateSchema>;

export const jobKinds = [
  'library.measure',
  'annotations.import',
  'annotations.fetch',
  'verify.run',
  'export.run',
  'media.get',
  'media.import',
  'search.build',
  'manifest.write',
  'relink.scan',
  'relink.apply',
  'clips.run',
] as const;
export const JobKindSchema = z.enum(jobKinds);
export type JobKind = z.infer<typeof JobKindSchema>;

export const JobSnapshotSchema = z.object({
  id: z.number().int(),
  kind: JobKindSchema,
  state: JobStateSchema,
  done: z.number(),
  total: z.number().nullable(),
  message: z.string().nullable(),
  errorCode: z.string().nullable(),
  attempts: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type JobSnapshot = z.infer<typeof JobSnapshotSchema>;

export const LibraryUsageSchema = z.object({
  measuredAt: z.string().nullable(),
  bytes: z.number(),
  files: z.number().int(),
  folders: z.array(z.object({ name: z.string(), bytes: z.number(), files: z.number().int() })),
});
export type LibraryUsage = z.infer<typeof LibraryUsageSchema>;

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  host: z.enum(['electron', 'web', 'cli', 'test']),
  platform: z.string(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const SubsetStatusSchema = z.object({
  id: z.string(),
  annotationPath: z.string(),
  modality: z.enum(['image', 'video', 'text']),
  task: z.string(),
  source: z.string().nullable(),
  expectedRecords: z.number().nullable(),
  onHub: z.enum(['confirmed', 'likely', 'unconfirmed']),
  /** Null until the subset's annotation file has been ingested. */
  records: z.number().nullable(),
  flagged: z.number(),
  mediaRefs: z.number(),
  ingestedAt: z.string().nullable(),
  origin: z.enum(['hub', 'folder', 'hf-cache']).nullable(),
  revision: z.string().nullable(),
  /** The last failed import of this subset, when it failed after the current version was ingested. */
  lastError: z.string().nullable(),
});
export type SubsetStatus = z.infer<typeof SubsetStatusSchema>;

export const AnnotationsStatusSchema = z.object({
  /** The Hub commit the library's annotations come from, when they came from the Hub or its cache. */
  revision: z.string().nullable(),
  subsets: z.array(SubsetStatusSchema),
});
export type AnnotationsStatus = z.infer<typeof AnnotationsStatusSchema>;

export const ImportCandidateSchema = z.object({
  kind: z.enum(['hf-cache']),
  path: z.string(),
  revision: z.string().nullable(),
  /** How many of the catalog's annotation files the folder holds. */
  files: z.number().int(),
});
export type ImportCandidate = z.infer<typeof ImportCandidateSchema>;

export const SourceInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  homepage: z.string(),
  licence: z.string(),
  modality: z.enum(['image', 'video']),
  /** The folder the source's refs are resolved under. */
  root: z.string(),
  /** True while the root is the library's own media/<id> folder rather than one the user chose. */
  rootIsDefault: z.boolean(),
  subsets: z.array(z.string()),
});
export type SourceInfo = z.infer<typeof SourceInfoSchema>;

/**
 * Verification levels: `quick` — each file exists, is a regular file (or a non-empty frame folder) and is not
 * empty; `container` — also parsed in-process (MP4/MOV, WebM/Matroska, GIF, JPEG, PNG) and found complete;
 * `decode` — also decoded by ffmpeg (whole, or three windows of long files).
 */
export const verifyLevels = ['quick', 'container', 'decode'] as const;
export const VerifyLevelSchema = z.enum(verifyLevels);
export type VerifyLevel = z.infer<typeof VerifyLevelSchema>;

export const SubsetReportSchema = z.object({
  id: z.string(),
  source: z.string().nullable(),
  records: z.number(),
  /** Distinct media files the subset's records name. */
  media: z.number(),
  present: z.number(),
  missing: z.number(),
  corrupt: z.number(),
  /** Media not checked yet (verify has not run since they were ingested). */
  unchecked: z.number(),
  /** Records whose media verified OK: what training can use. */
  ok_records: z.number(),
  bytes: z.number(),
});
export type SubsetReport = z.infer<typeof SubsetReportSchema>;

export const SourceReportSchema = SubsetReportSchema.omit({ source: true }).extend({
  subsets: z.array(z.string()),
  /** Present media by the rule that found them: join, extension, basename, kinetics-path, kinetics-basename, kinetics-ytid. */
  found_by: z.record(z.string(), z.number().int()),
});
export type SourceReport = z.infer<typeof SourceReportSchema>;

export const MissingMediaSchema = z.object({
  subset: z.string(),
  source: z.string(),
  ref: z.string(),
  /** not-found, internal-storage-ref, unsafe-ref, or corrupt:<what is wrong>. */
  reason: z.string(),
  /** Where the file was looked for, for not-found. */
  expected: z.string().nullable(),
});
export type MissingMedia = z.infer<typeof MissingMediaSchema>;

export const VerifyReportSchema = z.object({
  subsets: z.array(SubsetReportSchema),
  sources: z.array(SourceReportSchema),
  /** At most the first 10,000 (page the rest with verify.missing); null unless asked for. */
  missing: z.array(MissingMediaSchema).nullable(),
  /** The missing list was cut at its limit: there are more rows than it holds. */
  missingMore: z.boolean(),
});
export type VerifyReport = z.infer<typeof VerifyReportSchema>;

export const MissingQuerySchema = z.strictObject({
  sourceId: z.string().max(64).optional(),
  subsetId: z.string().max(64).optional(),
  /** not-found, internal-storage-ref, unsafe-ref or corrupt. */
  reason: z.enum(['not-found', 'internal-storage-ref', 'unsafe-ref', 'corrupt']).optional(),
  /** Part of the ref, case-insensitive. */
  search: z.string().max(500).optional(),
  /** Where the previous page ended (its `next`): pages by key, as fast at row 1,000,000 as at row 1. */
  after: z.strictObject({ subset: z.string().max(64), mediaId: z.number().int().min(0) }).optional(),
  /** Rows to skip, for callers without a cursor; slow deep into a long list. */
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(10_000).default(200),
  /** Whether to count every matching row (a full pass over the list; ask once per filter, not per page). */
  count: z.boolean().default(true),
});

export const MissingCursorSchema = z.object({ subset: z.string(), mediaId: z.number().int() });
export type MissingCursor = z.infer<typeof MissingCursorSchema>;

export const MissingPageSchema = z.object({
  /** Null when not asked to count. */
  total: z.number().int().nullable(),
  rows: z.array(MissingMediaSchema),
  /** The cursor for the next page, or null when this page is the last. */
  next: MissingCursorSchema.nullable(),
});
export type MissingPage = z.infer<typeof MissingPageSchema>;

/** The file behind a media ref (viewer.locate): where it is, how big, what it is, and the rule that found it. */
export const LocatedMediaSchema = z.object({
  path: z.string(),
  size: z.number().int(),
  mtimeMs: z.number(),
  contentType: z.string(),
  rule: z.string(),
});
export type LocatedMedia = z.infer<typeof LocatedMediaSchema>;

/** One sample (viewer.sample, `vc2m show`): the record as stored, its media ref and segment, where it is, what verify found. */
export const SampleDetailSchema = z.object({
  subsetId: z.string(),
  index: z.number().int(),
  sourceId: z.string().nullable(),
  subdir: z.string(),
  mediaForm: z.string(),
  ref: z.string().nullable(),
  rawRef: z.string().nullable(),
  start: z.number().nullable(),
  end: z.number().nullable(),
  /** Why the record has no usable ref (no media key, an unsafe ref…), null when it has one. */
  flag: z.string().nullable(),
  /** The record's JSON exactly as in the annotation file. */
  recordText: z.string(),
  /** The file the ref resolves to now, by the source's rules; null when it is not there. */
  located: z.object({ path: z.string(), rule: z.string(), size: z.number(), contentType: z.string() }).nullable(),
  /** The last verify's result for this media; null before any. */
  verified: z
    .object({
      status: z.string(),
      detail: z.string().nullable(),
      path: z.string().nullable(),
      rule: z.string().nullable(),
      level: z.string().nullable(),
      format: z.string().nullable(),
      durationS: z.number().nullable(),
      width: z.number().nullable(),
      height: z.number().nullable(),
      checkedAt: z.number().nullable(),
    })
    .nullable(),
});
export type SampleDetail = z.infer<typeof SampleDetailSchema>;

// The download ledger's rows and each source's acquisition state live beside the models (the file stays small).
export * from './acquisition-models';
