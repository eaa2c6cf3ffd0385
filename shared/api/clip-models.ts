import { z } from 'zod';

/** One planned clip (clips.items, `vc2m clips plan|cut --json`): its source video and span, why it cannot be cut, what the cut did. */
export const ClipRowSchema = z.object({
  ref: z.string(),
  video: z.string(),
  sourcePath: z.string().nullable(),
  start: z.number(),
  end: z.number(),
  reason: z.string().nullable(),
  state: z.enum(['planned', 'cut', 'kept', 'failed', 'unusable']),
  /** Copy mode: where the clip really starts relative to `start` (the keyframe at or before it). */
  startOffset: z.number().nullable(),
  /** The cut clip's measured length, s. */
  clipSeconds: z.number().nullable(),
  /** The source video's length and size: the plan's output-size estimate (its bitrate × the clip's span). */
  sourceSeconds: z.number().nullable(),
  sourceBytes: z.number().nullable(),
  error: z.string().nullable(),
});
export type ClipRowInfo = z.infer<typeof ClipRowSchema>;

/** Who cuts: ffmpeg on this machine, or ffmpeg.wasm inside the app's window (when there is no ffmpeg). */
export const ClipBackendSchema = z.enum(['native', 'wasm']);
export type ClipBackend = z.infer<typeof ClipBackendSchema>;

/** ffmpeg.wasm (wasm32) addresses at most 2 GiB: a bigger source video is refused up front. */
export const WASM_MAX_INPUT_BYTES = 2 * 1024 ** 3;

/** Which backends this machine has (clips.backend): the native ffmpeg found, or why there is none. */
export const ClipBackendsSchema = z.object({
  native: z.object({ available: z.boolean(), path: z.string(), version: z.string().nullable(), reason: z.string().nullable() }),
  /** The backend a cut uses unless one is chosen, and why. */
  recommended: ClipBackendSchema,
  why: z.string(),
});
export type ClipBackends = z.infer<typeof ClipBackendsSchema>;

/**
 * One source video for the window's ffmpeg.wasm to cut (clips.wasmTask): the engine planned it and built the
 * arguments; the window fetches the source from the app's own media route (`clipSource` token), mounts it read-only
 * (WORKERFS), runs the arguments, and streams each output back in chunks (clips.wasmChunk) for the engine to check
 * and rename into place (clips.wasmFinish).
 */
export const WasmTaskSchema = z.object({
  taskId: z.string(),
  sourceId: z.string(),
  video: z.string(),
  /** The same for every task of one source video (a window keeps the video it fetched for the next). */
  sourceKey: z.string(),
  /** The source's token: the app serves it at `<app origin>/clip-source/<token>` while the task is open. */
  token: z.string(),
  size: z.number(),
  /** The name the source is mounted under in `/in`. */
  inputName: z.string(),
  args: z.array(z.string()),
  outputs: z.array(z.object({ ref: z.string(), file: z.string() })),
  /** Copy mode: ffprobe arguments listing the source's packets into `file` (the window sends back the keyframe lines). */
  keyframes: z.object({ args: z.array(z.string()), file: z.string() }).nullable(),
  /** Bytes per clips.wasmChunk call. */
  chunkBytes: z.number(),
  /** The longest clip's span, s: the window's progress is ffmpeg's output time over it. */
  longestSpan: z.number(),
});
export type WasmTask = z.infer<typeof WasmTaskSchema>;
