import { z } from 'zod';
import { FoundFilesSchema } from './found-models';

export const DownloadStateSchema = z.enum(['queued', 'downloading', 'verifying', 'done', 'failed', 'paused']);

/** One row of the media download ledger: a file of a source's route and where it stands. */
export const DownloadRowSchema = z.object({
  id: z.number().int(),
  sourceId: z.string(),
  url: z.string(),
  /** Relative to the library's downloads/<source> folder (`downloads`), or to the source's root for a clip (`root`). */
  target: z.string(),
  place: z.enum(['downloads', 'root']),
  state: DownloadStateSchema,
  expectedSize: z.number().nullable(),
  sizeIsExact: z.boolean(),
  expectedSha256: z.string().nullable(),
  bytes: z.number(),
  total: z.number().nullable(),
  attempts: z.number().int(),
  lastStatus: z.number().int().nullable(),
  error: z.string().nullable(),
  sha256: z.string().nullable(),
  extractedAt: z.number().nullable(),
  updatedAt: z.number(),
});
export type DownloadRowInfo = z.infer<typeof DownloadRowSchema>;

export const acquisitionStates = ['not-started', 'downloading', 'extracting', 'paused', 'complete', 'needs-you'] as const;
export const sourceActions = ['download', 'resume', 'retry-failed', 'pause', 'import', 'open-page'] as const;

/** Where one source's media stand on the way to disk: what the Sources page shows per source. */
export const SourceAcquisitionSchema = z.object({
  sourceId: z.string(),
  name: z.string(),
  modality: z.enum(['image', 'video']),
  routeKind: z.enum(['hf', 'http', 'per-file-http', 'manual']),
  /** The route in a few words: "Hugging Face ynhe/videochat2_data: 2 files", "HTTP: 1 archive from host". */
  route: z.string(),
  state: z.enum(acquisitionStates),
  /** Why the state is what it is, and what to do, when it is not plain: failures, steps by hand. */
  why: z.string().nullable(),
  /** The page to open for a source fetched by hand (opened in the system browser), and what to do there. */
  page: z.string().nullable(),
  steps: z.array(z.string()),
  files: z.object({ total: z.number().int(), done: z.number().int(), failed: z.number().int() }),
  /** Bytes of the route's files downloaded so far. */
  bytesOnDisk: z.number(),
  /** Bytes the route's files come to; null when unknown. */
  bytesExpected: z.number().nullable(),
  /** The expected size comes (in part) from the research's estimates, not from the servers. */
  expectedIsEstimate: z.boolean(),
  mirror: z.string().nullable(),
  root: z.string(),
  rootIsDefault: z.boolean(),
  /** Media the annotations name / present at the last verify; null before any verify. */
  media: z.object({ expected: z.number().int(), present: z.number().int() }).nullable(),
  /** The download job working on (or paused on) this source. */
  jobId: z.number().int().nullable(),
  /** What the card asks for, found in the watched Downloads folder and not imported yet; null when none. */
  found: FoundFilesSchema.nullable(),
  /** A manual source's card: the file(s) to pick there and what they are called, when known. */
  pick: z.string().nullable(),
  actions: z.array(z.enum(sourceActions)),
});
export type SourceAcquisition = z.infer<typeof SourceAcquisitionSchema>;
