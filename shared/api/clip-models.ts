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
  error: z.string().nullable(),
});
export type ClipRowInfo = z.infer<typeof ClipRowSchema>;
