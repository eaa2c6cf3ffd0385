import { readdir, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { mapLimit } from '../../lib/map-limit';
import { indexTrees, stemOf, type TreeIndex } from '../relink/tree-index';
import { checkContainer } from '../verify/containers/check-container';
import type { ClipSpec } from './clip-spec';
import { probeVideo } from './probe-video';

/** Containers a raw video may come in (YouCook2's raw videos are mp4, mkv and webm; quicksviewer finds them by name). */
export const VIDEO_EXTENSIONS = ['.mp4', '.mkv', '.webm', '.avi', '.mov', '.m4v', '.flv'];

/** A clip with the source video it is cut from, or why it cannot be cut. */
export interface PlannedClip extends ClipSpec {
  source: string | null;
  /** The source video's duration in seconds, from ffprobe. */
  duration: number | null;
  /** Why the clip cannot be cut (no source video, two candidates, a segment past the end); null when it can. */
  reason: string | null;
}

/** A segment may end this far past the probed duration (container rounding) and still be cut whole. */
export const END_SLACK_S = 0.05;

export async function probeDuration(ffprobe: string | null, path: string): Promise<{ duration: number } | { error: string }> {
  if (!ffprobe) {
    // No ffprobe here (ffmpeg.wasm cuts): the app reads MP4, MOV, MKV and WebM headers itself.
    const checked = await checkContainer(path);
    if (checked.ok && checked.info.durationS) return { duration: checked.info.durationS };
    return {
      error: `${path}: ${checked.ok ? 'its header gives no duration' : checked.detail}; without ffprobe the app reads the length of MP4, MOV, MKV and WebM files only (install ffmpeg to plan others)`,
    };
  }
  try {
    const duration = (await probeVideo(ffprobe, path)).fileDuration;
    return Number.isFinite(duration) && duration > 0 ? { duration } : { error: `ffprobe gives no duration for ${path}` };
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { error: `${ffprobe} was not found: install ffmpeg (it brings ffprobe) or set its path in Settings` };
    return { error: `${path} cannot be read: ${stderr || (error as Error).message}` };
  }
}

/**
 * Finds each clip's source video under `from` and checks its segment against the video's duration: first where the
 * source's layout puts it (`raw_videos/<subset>/<recipe>/<ytid>.<any video extension>`), else by name anywhere
 * below `from` (directory reads only). Two candidates are a finding, never a pick; a missing video and a segment
 * past a video's end are listed with the reason, never skipped or shortened.
 */
export async function planClips(
  specs: readonly ClipSpec[],
  from: string,
  options: {
    /** null: no ffprobe here; lengths come from the app's own container reader. */
    ffprobe: string | null;
    signal?: AbortSignal;
    /** A bigger source video cannot be cut (ffmpeg.wasm's 2 GiB), with this said why. */
    maxInput?: { bytes: number; why: string };
  },
): Promise<PlannedClip[]> {
  let index: TreeIndex | null = null;
  const located = new Map<string, { path: string } | { reason: string }>();
  for (const video of new Set(specs.map((s) => s.video))) {
    options.signal?.throwIfAborted();
    const spec = specs.find((s) => s.video === video) as ClipSpec;
    let found: string[] = [];
    if (spec.layout) {
      const dir = join(from, dirname(spec.layout));
      const names = await readdir(dir).catch(() => [] as string[]);
      found = names
        .filter((n) => stemOf(n) === basename(spec.layout as string) && VIDEO_EXTENSIONS.includes(extname(n).toLowerCase()))
        .map((n) => join(dir, n));
    }
    if (found.length === 0) {
      index ??= await indexTrees([from], options.signal ? { signal: options.signal } : {});
      found = index
        .byStem(video)
        .map((i) => index?.paths[i] as string)
        .filter((p) => VIDEO_EXTENSIONS.includes(extname(p).toLowerCase()));
    }
    if (found.length === 1) located.set(video, { path: found[0] as string });
    else if (found.length > 1) located.set(video, { reason: `two or more source videos for ${video}: ${found.slice(0, 3).join(', ')}; keep one` });
    else
      located.set(video, {
        reason: `no source video for ${video} under ${from}${spec.layout ? ` (looked for ${spec.layout}.* and ${video}.* anywhere below)` : ` (looked for ${video}.* anywhere below)`}`,
      });
  }
  const durations = new Map<string, { duration: number } | { error: string }>();
  const paths = [...located.values()].flatMap((l) => ('path' in l ? [l.path] : []));
  await mapLimit(paths, Math.max(1, availableParallelism()), async (path) => {
    const { maxInput } = options;
    const size = maxInput ? ((await stat(path).catch(() => null))?.size ?? 0) : 0;
    if (maxInput && size > maxInput.bytes)
      durations.set(path, { error: `${path} is ${size.toLocaleString('en-US')} bytes (${(size / 1024 ** 3).toFixed(2)} GiB): ${maxInput.why}` });
    else durations.set(path, await probeDuration(options.ffprobe, path));
  });
  return specs.map((spec) => {
    const where = located.get(spec.video);
    if (!where || 'reason' in where) return { ...spec, source: null, duration: null, reason: where && 'reason' in where ? where.reason : 'not located' };
    const probed = durations.get(where.path);
    if (!probed || 'error' in probed) return { ...spec, source: where.path, duration: null, reason: probed && 'error' in probed ? probed.error : 'not probed' };
    const { duration } = probed;
    const reason =
      spec.start >= duration || spec.end > duration + END_SLACK_S
        ? `segment [${spec.start}, ${spec.end}] s ends past the video's ${duration.toFixed(2)} s; not cut (a shorter clip would not be the one the annotation describes)`
        : null;
    return { ...spec, source: where.path, duration, reason };
  });
}
