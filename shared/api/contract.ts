import { z } from 'zod';
import { MirrorBaseSchema } from '../catalog/mirror-url';
import { ClipBackendSchema, ClipBackendsSchema, ClipRowSchema, WasmTaskSchema } from './clip-models';
import { M3itTaskStatusSchema } from './m3it-models';
import { ManifestComparisonSchema } from './manifest-models';
import {
  AnnotationsStatusSchema,
  AppInfoSchema,
  DownloadRowSchema,
  HfTokenSchema,
  ImportCandidateSchema,
  JobSnapshotSchema,
  LibraryInfoSchema,
  LibraryUsageSchema,
  LocatedMediaSchema,
  MissingPageSchema,
  MissingQuerySchema,
  PathSchema,
  RecentLibrarySchema,
  SampleDetailSchema,
  SettingsPatchSchema,
  SettingsSchema,
  SourceAcquisitionSchema,
  SourceInfoSchema,
  VerifyLevelSchema,
  VerifyReportSchema,
} from './models';
import { RelinkCountsSchema, RelinkPageSchema } from './relink-models';
import { PreviewStateSchema, SampleListPageSchema, SampleListQuerySchema, SearchIndexStatusSchema, SearchPageSchema, SearchQuerySchema } from './viewer-models';

const noArgs = z.strictObject({});
const JobIdSchema = z.number().int().positive();

/**
 * Every request the renderer can make: `<domain>.<verb>` → argument and result schemas.
 * Preload, the Electron IPC wiring, the web host and the engine are all derived from this one object.
 * Arguments are always a strict object so that unknown fields are rejected instead of silently ignored.
 */
/** A source or subset id of the catalog (kinetics, caption_webvid); bounded, so an error echoing it stays short. */
const CatalogIdSchema = z
  .string()
  .max(64, 'an id of at most 64 characters')
  .regex(/^[a-z][a-z0-9_]*$/, 'an id such as kinetics or caption_webvid');

export const contract = {
  /** Name, version and which host (Electron or web) serves the engine. */
  'app.info': { args: noArgs, result: AppInfoSchema },

  /** The open library, or null when none is open. */
  'library.current': { args: noArgs, result: LibraryInfoSchema.nullable() },
  /** Create a new library folder (library.sqlite + media/) and open it. */
  'library.create': { args: z.strictObject({ path: PathSchema }), result: LibraryInfoSchema },
  /** Open an existing library folder. */
  'library.open': { args: z.strictObject({ path: PathSchema }), result: LibraryInfoSchema },
  /** Close the open library; nothing on disk changes. */
  'library.close': { args: noArgs, result: z.null() },
  /** Libraries opened before, most recent first. */
  'library.recent': { args: noArgs, result: z.array(RecentLibrarySchema) },
  /** Drop a library from the recent list; its folder is left alone. */
  'library.forget': { args: z.strictObject({ path: PathSchema }), result: z.array(RecentLibrarySchema) },
  /** Bytes and files on disk per top-level folder of the open library, as last measured. */
  'library.usage': { args: noArgs, result: LibraryUsageSchema },
  /** Start a job that measures the open library's disk usage. */
  'library.measure': { args: noArgs, result: JobSnapshotSchema },

  /** Per subset: records ingested, expected records, distinct media refs, and where the file came from. */
  'annotations.status': { args: noArgs, result: AnnotationsStatusSchema },
  /** Copies of the annotations already on this machine (the Hugging Face cache), offered for import. */
  'annotations.detect': { args: noArgs, result: z.array(ImportCandidateSchema) },
  /** Start downloading the annotation files from Hugging Face (token and endpoint from Settings) and ingesting them. */
  'annotations.fetch': {
    args: z.strictObject({
      revision: z
        .string()
        .trim()
        .min(1)
        .max(255)
        .regex(/^[\w./-]+$/, 'a branch, tag or commit such as main')
        .default('main'),
    }),
    result: JobSnapshotSchema,
  },
  /** Start importing the annotation files from a folder holding the dataset's tree (or a Hugging Face cache snapshot). */
  'annotations.import': { args: z.strictObject({ path: PathSchema }), result: JobSnapshotSchema },

  /** The media sources, each with the folder its files are expected in and the subsets that use it. */
  'sources.list': { args: noArgs, result: z.array(SourceInfoSchema) },
  /** Point a source at a folder that already holds its media (e.g. an existing Kinetics copy). */
  'sources.setRoot': {
    args: z.strictObject({ sourceId: CatalogIdSchema, path: PathSchema }),
    result: SourceInfoSchema,
  },

  /** Start checking the media of every source (or one source or subset) at a level; unchanged files are skipped unless forced. */
  'verify.start': {
    args: z.strictObject({
      level: VerifyLevelSchema.default('quick'),
      sourceId: CatalogIdSchema.optional(),
      subsetId: CatalogIdSchema.optional(),
      force: z.boolean().default(false),
    }),
    result: JobSnapshotSchema,
  },
  /** Per subset and source: records, media, present, missing, corrupt, records whose media is OK; optionally the first 10,000 missing. */
  'verify.report': { args: z.strictObject({ missing: z.boolean().default(false) }), result: VerifyReportSchema },

  /** The missing and damaged media, filtered by source, subset, reason or part of the ref, a page at a time. */
  'verify.missing': { args: MissingQuerySchema, result: MissingPageSchema },
  /** Write the training-ready copy: per subset the records whose media verified at `level`, and an instruction_data.py. */
  /** `precut`: records with start/end point at their clip in the library's precut/ folder (clips.precut), without start/end. */
  'export.start': {
    args: z.strictObject({ path: PathSchema, level: VerifyLevelSchema.default('quick'), precut: z.boolean().default(false) }),
    result: JobSnapshotSchema,
  },

  /**
   * Write a manifest of the copy (gzip JSONL, or CSV for a .csv/.csv.gz name): every media ref with its subsets,
   * status at the level (verified first), size, duration and, with `hash`, sha256 (incremental).
   */
  'manifest.write': {
    args: z.strictObject({ out: PathSchema, level: VerifyLevelSchema.default('quick'), hash: z.boolean().default(false) }),
    result: JobSnapshotSchema,
  },
  /** Index folders the user has and match the refs still missing by each source's rules (a job; proposals kept). */
  'relink.scan': {
    args: z.strictObject({ folders: z.array(PathSchema).min(1).max(16), sourceId: CatalogIdSchema.nullable().default(null) }),
    result: JobSnapshotSchema,
  },
  /** A page of the last scan's proposals, with the counts. */
  'relink.proposals': {
    args: z.strictObject({
      from: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(100),
      only: z.enum(['all', 'ambiguous', 'failed']).default('all'),
    }),
    result: RelinkPageSchema,
  },
  /** Accept or skip proposals (ids, or 'all'); `chosen` settles one ambiguous proposal with one of its candidates. */
  'relink.decide': {
    args: z.strictObject({
      ids: z.union([z.literal('all'), z.array(z.number().int().min(1)).min(1).max(10_000)]),
      accept: z.boolean(),
      chosen: PathSchema.nullable().default(null),
    }),
    result: RelinkCountsSchema,
  },
  /** Place the accepted files where their refs belong (link: hard link, else symbolic; copy; move), then verify. */
  'relink.apply': { args: z.strictObject({ mode: z.enum(['link', 'copy', 'move']).default('link') }), result: JobSnapshotSchema },
  /**
   * Clip cutting (a job): the clips a spec names (YouCook2's annotation file, an EgoQA clip list) planned against the
   * raw videos under `from`, and with `cut` cut into the source's root (accurate: re-encoded from the frame at start;
   * copy: from the keyframe at or before it).
   */
  'clips.run': {
    args: z.strictObject({
      sourceId: z.enum(['youcook2', 'egoqa']),
      spec: PathSchema,
      from: PathSchema,
      mode: z.enum(['accurate', 'copy']).default('accurate'),
      jobs: z.number().int().min(1).max(32).nullable().default(null),
      cut: z.boolean().default(true),
      /** native: ffmpeg on this machine; wasm: ffmpeg.wasm in the app's window, which must stay open. */
      backend: ClipBackendSchema.default('native'),
    }),
    result: JobSnapshotSchema,
  },
  /** The native ffmpeg found (the configured path, else PATH) or why there is none, and the backend to use. */
  'clips.backend': { args: noArgs, result: ClipBackendsSchema },
  /** The source video behind an ffmpeg.wasm task's token (the media route serves it to the window while the task is open). */
  'clips.locateSource': { args: z.strictObject({ token: z.string().regex(/^[0-9a-f]{32}$/, 'a task token') }), result: LocatedMediaSchema },
  /** The next source video for the window's ffmpeg.wasm to cut, or null (none waiting now). */
  'clips.wasmTask': { args: noArgs, result: WasmTaskSchema.nullable() },
  /** The window is still cutting a task (keeps its lease; `fraction` shows in the job's progress). */
  'clips.wasmProgress': { args: z.strictObject({ taskId: z.string().max(64), fraction: z.number().min(0).max(1) }), result: z.boolean() },
  /** Bytes of one output of a task, at `offset`, appended to the clip's temporary file (never its name). */
  'clips.wasmChunk': {
    args: z.strictObject({
      taskId: z.string().max(64),
      ref: z.string().max(1024),
      offset: z.number().int().min(0),
      bytes: z.instanceof(Uint8Array).refine((b) => b.byteLength <= 8 * 1024 * 1024, 'a chunk of at most 8 MiB'),
    }),
    result: z.null(),
  },
  /** The task ran: ffmpeg.wasm's exit code and log, each output's size, copy mode's keyframe list. The engine checks and places. */
  'clips.wasmFinish': {
    args: z.strictObject({
      taskId: z.string().max(64),
      exitCode: z.number().int(),
      log: z.string().max(64_000),
      sizes: z.record(z.string(), z.number().int().min(0)),
      /** Copy mode: ffprobe's packet list, its keyframe lines only (it must fit the web host's 1 MiB body). */
      keyframes: z.string().max(1_000_000).nullable(),
      /** What went wrong in the window itself (the source not served, ffmpeg.wasm not loading), in place of a run. */
      error: z.string().max(8000).nullable().default(null),
    }),
    result: z.object({ cut: z.number(), failed: z.number() }),
  },
  /**
   * Pre-cut for faster training I/O (a job): the records whose own `start`/`end` pick a part of their video, each
   * part cut into the library's `precut/` folder (never beside the source's media); `export.start` with `precut`
   * then points those records at their clips.
   */
  'clips.precut': {
    args: z.strictObject({
      subsetId: CatalogIdSchema.nullable().default(null),
      mode: z.enum(['accurate', 'copy']).default('accurate'),
      jobs: z.number().int().min(1).max(32).nullable().default(null),
      cut: z.boolean().default(true),
      backend: ClipBackendSchema.default('native'),
    }),
    result: JobSnapshotSchema,
  },
  /** The stored plan of a source's clips: each with its source video, span, why it cannot be cut, what the cut did. */
  'clips.items': { args: z.strictObject({ sourceId: z.enum(['youcook2', 'egoqa', 'records']) }), result: z.array(ClipRowSchema) },
  /** This copy against another's manifest, per subset: what they have that this one lacks, what differs, what only this one has. */
  'manifest.compare': { args: z.strictObject({ path: PathSchema }), result: ManifestComparisonSchema },

  /** Download the media of these sources' routes (plain HTTP today) into the library; one ledger row per file. */
  'media.get': {
    args: z.strictObject({
      sources: z.array(CatalogIdSchema).min(1).max(64),
      only: z.string().max(256).nullable().default(null),
      retryFailed: z.boolean().default(false),
      /** False: download only; the next get extracts what is here (e.g. fetched on a login node, extracted elsewhere). */
      extract: z.boolean().default(true),
      /**
       * A per-clip route's metadata tables (CSV files, or folders of them) the user has; none: the tables the route
       * names are fetched from the Hub.
       */
      tables: z.array(PathSchema).max(64).default([]),
      /** M3IT: the tasks (config names, e.g. vqa-v2) to fetch and decode; none: those of the ingested subsets (else all). */
      tasks: z
        .array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/))
        .max(64)
        .default([]),
    }),
    result: JobSnapshotSchema,
  },
  /**
   * Import media the user already has into a source: an archive (or one part of a byte-split one) is extracted into
   * the library; a folder is used in place as the root (`root`, no copy), hard-linked, copied or moved. The folder
   * the refs resolve under is found, and becomes the source's root.
   */
  'media.import': {
    args: z.strictObject({ sourceId: CatalogIdSchema, path: PathSchema, mode: z.enum(['root', 'link', 'copy', 'move']).default('root') }),
    result: JobSnapshotSchema,
  },
  /**
   * The file behind a media ref the annotations name, resolved by its source's rules inside its root (the player's
   * media route and scheme serve it); any refusal is NOT_FOUND "no such media".
   */
  'viewer.locate': {
    args: z.strictObject({
      sourceId: CatalogIdSchema,
      ref: z.string().min(1).max(4096),
      subdir: z.string().max(200).default(''),
      /** The playable preview made by viewer.preview instead of the file itself. */
      preview: z.boolean().default(false),
      /** One frame (a file name from viewer.frames) of a frame-folder ref. */
      frame: z.string().min(1).max(255).optional(),
    }),
    result: LocatedMediaSchema,
  },
  /** The frames of a frame-folder ref (ShareGPTVideo), in natural order, and the folder they are in. */
  'viewer.frames': {
    args: z.strictObject({ sourceId: CatalogIdSchema, ref: z.string().min(1).max(4096), subdir: z.string().max(200).default('') }),
    result: z.object({ path: z.string(), rule: z.string(), frames: z.array(z.string()) }),
  },
  /**
   * A preview Chromium can play (H.264/AAC MP4) of media it cannot (H.265, some MKV/AVI codecs), made by ffmpeg on
   * demand into the library's size-bounded cache; asking starts it. Once ready, the media URL with ?preview=1 plays it.
   */
  'viewer.preview': {
    args: z.strictObject({ sourceId: CatalogIdSchema, ref: z.string().min(1).max(4096), subdir: z.string().max(200).default('') }),
    result: PreviewStateSchema,
  },
  /** One sample: the record as stored, its ref and segment, the file it resolves to now, and the last verify's result. */
  'viewer.sample': {
    args: z.strictObject({ subsetId: CatalogIdSchema, index: z.number().int().min(0).max(100_000_000) }),
    result: SampleDetailSchema,
  },
  /**
   * A page of the list of every record (the viewer's list): filtered by subset, source, media status, segment or
   * part of the ref; in catalog order or a seeded shuffle; with the count of all matches.
   */
  'viewer.list': { args: SampleListQuerySchema, result: SampleListPageSchema },

  /**
   * Full-text search over the conversations (words ANDed, "a phrase", word*), with the count of all matches and a
   * snippet per hit. Asking starts the index's first build when there is none; until it ends, part is searched.
   */
  'search.query': { args: SearchQuerySchema, result: SearchPageSchema },
  /** How much of the library the full-text index covers, its size, and the job building it. */
  'search.status': { args: noArgs, result: SearchIndexStatusSchema },
  /** Start building the index for what it does not cover yet; null when it covers everything. */
  'search.build': { args: noArgs, result: JobSnapshotSchema.nullable() },
  /** Per source: its route, where its media stand (not started … complete, or what it needs from you), bytes, actions. */
  'media.status': { args: noArgs, result: z.array(SourceAcquisitionSchema) },
  /** M3IT, per task: its JSONL in the ledger, its decode, and the check of the index rule against the annotations. */
  'media.m3it': { args: noArgs, result: z.array(M3itTaskStatusSchema) },
  /** The download ledger: every file, or only the failed ones with their reasons. */
  'media.downloads': { args: z.strictObject({ failed: z.boolean().default(false) }), result: z.array(DownloadRowSchema) },

  /** Current settings; the Hugging Face token is reported as set or not, never returned. */
  'settings.get': { args: noArgs, result: SettingsSchema },
  /** Change some settings; fields left out keep their value, an empty string resets to the default. */
  'settings.update': { args: SettingsPatchSchema, result: SettingsSchema },
  /** Save a Hugging Face access token in the platform's secret storage. */
  'settings.setHfToken': { args: z.strictObject({ token: HfTokenSchema }), result: SettingsSchema },
  /** Forget the saved Hugging Face token. */
  'settings.clearHfToken': { args: noArgs, result: SettingsSchema },
  /** A mirror for one source's plain-HTTP route (null clears it); Hugging Face routes follow hfEndpoint. */
  'settings.setMirror': { args: z.strictObject({ sourceId: CatalogIdSchema, baseUrl: MirrorBaseSchema.nullable() }), result: SettingsSchema },

  /** Jobs of the open library, newest first. */
  'jobs.list': { args: noArgs, result: z.array(JobSnapshotSchema) },
  /** One job by id. */
  'jobs.get': { args: z.strictObject({ id: JobIdSchema }), result: JobSnapshotSchema },
  /** Cancel queued, paused or running jobs; finished ones are left as they are. */
  'jobs.cancel': {
    args: z.strictObject({ ids: z.array(JobIdSchema).min(1).max(10_000) }),
    result: z.array(JobSnapshotSchema),
  },
  /** Pause queued or running jobs where they are (a download keeps its partial files); others are left as they are. */
  'jobs.pause': {
    args: z.strictObject({ ids: z.array(JobIdSchema).min(1).max(10_000) }),
    result: z.array(JobSnapshotSchema),
  },
  /** Put paused jobs back in the queue: each carries on from where it stopped. */
  'jobs.resume': {
    args: z.strictObject({ ids: z.array(JobIdSchema).min(1).max(10_000) }),
    result: z.array(JobSnapshotSchema),
  },
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type MethodArgs<M extends MethodName> = z.input<Contract[M]['args']>;
export type ParsedArgs<M extends MethodName> = z.output<Contract[M]['args']>;
export type MethodResult<M extends MethodName> = z.output<Contract[M]['result']>;

export const methodNames = Object.keys(contract) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(contract, name);
}
