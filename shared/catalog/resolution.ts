import { z } from 'zod';

/**
 * How a source's refs are found under its root (#4), from how each distribution really arrives
 * (research/sources.md): a plain join, a basename index where the download nests files the refs do not name,
 * or the Kinetics rules. Extension fallbacks cover the same video shipped in another container.
 */
export const ResolutionSchema = z.strictObject({
  strategy: z.enum(['join', 'basename', 'kinetics']),
  /** Tried in order when the ref's own extension is not there (e.g. ActivityNet `.mp4` refs found as `.mkv`). */
  extensionFallbacks: z.array(z.string().regex(/^\.[a-z0-9]+$/)),
});
export type Resolution = z.infer<typeof ResolutionSchema>;

const JOIN: Resolution = { strategy: 'join', extensionFallbacks: [] };

const BY_SOURCE: Readonly<Record<string, Resolution>> = {
  // video_train.zip nests video_NNNNN.mp4 in video_XXXXX-YYYYY/ buckets; refs name the bare file.
  clevrer: { strategy: 'basename', extensionFallbacks: [] },
  // Public K400 files are <ytid>_<start>_<end>.mp4; K600/K700 refs carry internal prefixes and class folders.
  kinetics: { strategy: 'kinetics', extensionFallbacks: ['.mkv', '.webm'] },
  // Some ActivityNet videos exist only as .mkv (webm is a defensive guess, not evidenced).
  activitynet: { strategy: 'join', extensionFallbacks: ['.mkv', '.webm'] },
};

export function resolutionFor(sourceId: string): Resolution {
  return ResolutionSchema.parse(BY_SOURCE[sourceId] ?? JOIN);
}

/** Refs that point into OpenGVLab's own storage: they can never exist on anyone else's disk as written. */
export const INTERNAL_STORAGE_PREFIXES = ['p2:s3://', 's3://', 'pvideo:', 'p2:'] as const;

export function isInternalStorageRef(ref: string): boolean {
  return INTERNAL_STORAGE_PREFIXES.some((prefix) => ref.startsWith(prefix));
}
