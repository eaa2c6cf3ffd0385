import type { TaskSpec } from '../../lib/worker-tasks';
import type { ExtractProgress, ExtractResult } from '../extract/extract-zip';
import type { DecodeSummary } from '../m3it/decode-task';
import type { LineRange } from '../m3it/jsonl-lines';
import type { FileHash } from '../manifest/hash-file';
import type { ClipPlan, ClipTableColumns } from './clip-table';
import type { FetchFileOptions, FetchFileResult } from './fetch-file';

/** What the media worker does (media-worker.ts), as the engine calls it: transfers and extractions, off its thread. */
export type MediaTasks = {
  /** `bytesPerSecond`: the job's bandwidth limit, shared by every transfer on this worker (null: none). */
  fetch: TaskSpec<
    Omit<FetchFileOptions, 'signal' | 'onProgress' | 'sleep' | 'limiter'> & { bytesPerSecond: number | null },
    FetchFileResult,
    { bytes: number; total: number | null }
  >;
  /** A per-clip route: the metadata tables read for the clips the annotations name that are not under `root` yet. */
  clipPlan: TaskSpec<
    { tables: string[]; columns: ClipTableColumns; needed: string[]; root: string },
    ClipPlan,
    { tables: number; rows: number; matched: number }
  >;
  extract: TaskSpec<{ format: 'zip' | 'tar' | 'tar.gz'; archive: string | string[]; dest: string }, ExtractResult, ExtractProgress>;
  /** An M3IT task's JSONL: stale temporary images swept, the images there already, the file cut into ranges at lines. */
  m3itPrepare: TaskSpec<
    { file: string; outDir: string; parts: number },
    { cuts: Array<{ start: number; end: number }>; existing: Map<number, number>; swept: number }
  >;
  /** The records of one range of an M3IT JSONL (the next range's first index). */
  m3itCount: TaskSpec<{ file: string; range: { start: number; end: number } }, number>;
  /** One range of an M3IT task's JSONL decoded into `<outDir>/train/<i>.jpg`; events: records read so far. */
  m3itDecode: TaskSpec<
    { file: string; outDir: string; range: LineRange; keep: readonly number[]; existing: ReadonlyMap<number, number> },
    DecodeSummary,
    number
  >;
  /** A file's sha256 and the size and mtime it was taken at (the manifest). */
  sha256: TaskSpec<{ path: string }, FileHash>;
};
