import { rm } from 'node:fs/promises';
import { renameDurably } from '../../lib/atomic-write';
import { checkContainer } from '../verify/containers/check-container';
import type { CutMode } from './cut-args';
import { probeVideo } from './probe-video';

export interface ClipMeasure {
  video: boolean;
  /** The video stream's duration, s. */
  duration: number;
  fps: number;
}

/**
 * What a written clip holds, read in-process by the app's own MP4 reader (a clip is always MP4): its boxes whole,
 * its video track's length and frame rate — no process to start per clip, and the same check where there is no
 * ffmpeg at all (ffmpeg.wasm cuts). A file the reader cannot take is asked of ffprobe, when there is one.
 */
export async function measureClip(path: string, ffprobe: string | null): Promise<ClipMeasure> {
  const checked = await checkContainer(path, { videoTiming: true });
  const video = checked.ok ? checked.info.video : null;
  if (video) return { video: true, duration: video.durationS, fps: video.frameRate };
  // An MP4 that is not whole (cut short, its index damaged) does not count, whatever ffprobe would still read of it.
  if (!checked.ok && !checked.detail.startsWith('not a recognised media format')) throw new Error(`the clip is not a whole MP4: ${checked.detail}`);
  // A whole file whose video track the reader cannot time, or another format: ffprobe, when there is one, says.
  if (ffprobe) {
    const probed = await probeVideo(ffprobe, path);
    return { video: probed.video, duration: probed.duration, fps: probed.fps };
  }
  if (!checked.ok) throw new Error(`the clip is not an MP4: ${checked.detail}`);
  return { video: false, duration: checked.info.durationS ?? 0, fps: 0 };
}

/** How far a clip's duration may be from `end − start` and still count: a frame in accurate mode; copy mode starts earlier. */
export const frameTolerance = (fps: number) => 1 / Math.max(1, fps) + 0.01;
/** Copy mode cuts at packets: its end may run a few frames past `end`. */
const COPY_SLACK_S = 0.3;

/**
 * Why a clip written for `[start, end]` does not count, or null when it does: it needs a video stream, and a length
 * of `end − start` within a frame — copy mode's clip starts at the keyframe `offset` s before `start`, so it is that
 * much longer, and may end a few frames late.
 */
export function clipProblem(measure: ClipMeasure, span: { start: number; end: number }, mode: CutMode, offset: number): string | null {
  if (!measure.video) return 'the clip has no video stream';
  const expected = span.end - span.start - offset;
  const tolerance = frameTolerance(measure.fps) + (mode === 'copy' ? COPY_SLACK_S : 0);
  return Math.abs(measure.duration - expected) > tolerance
    ? `the clip lasts ${measure.duration.toFixed(3)} s, not ${expected.toFixed(3)} s (± ${tolerance.toFixed(3)})`
    : null;
}

/** A clip already under its name counts when it has a video stream of about the span's length (copy mode: up to twice). */
export function keptClipCounts(measure: ClipMeasure, span: { start: number; end: number }, mode: CutMode): boolean {
  const want = span.end - span.start;
  return measure.video && Math.abs(measure.duration - want) <= (mode === 'copy' ? want : frameTolerance(measure.fps));
}

/** A checked clip goes under its name: synced, renamed, the folder synced (the rename kept). */
export const placeClip = (temp: string, target: string) => renameDurably(temp, target);

/** A clip that did not count: its temporary file goes. */
export const dropTemp = (temp: string) => rm(temp, { force: true });
