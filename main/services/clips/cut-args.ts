/** The two ways a clip is cut: re-encoded from the frame at `start`, or stream-copied from the keyframe before it. */
export type CutMode = 'accurate' | 'copy';

/**
 * The accurate mode's encoding: H.264 (libx264, CRF 18, `veryfast`, yuv420p for every player) and AAC 128 kb/s in
 * MP4 with the index at the front (`+faststart`), so a clip starts on the frame at `start` and lasts `end − start`.
 */
export const ACCURATE = [
  '-c:v',
  'libx264',
  '-preset',
  'veryfast',
  '-crf',
  '18',
  '-pix_fmt',
  'yuv420p',
  '-c:a',
  'aac',
  '-b:a',
  '128k',
  '-movflags',
  '+faststart',
];

/**
 * One ffmpeg command for every clip of one source video, native or ffmpeg.wasm alike: each clip its own input-side
 * seek (`-ss` before `-i`, so a clip late in a long video does not decode what comes before it) and its own output.
 */
export function cutArgs(spans: ReadonlyArray<{ start: number; end: number }>, input: string, outputs: readonly string[], mode: CutMode): string[] {
  const args = ['-nostdin', '-hide_banner', '-v', 'error', '-y'];
  for (const { start, end } of spans) args.push('-ss', String(start), '-t', String(end - start), '-i', input);
  outputs.forEach((output, i) => {
    args.push('-map', `${i}:v:0`, '-map', `${i}:a:0?`);
    if (mode === 'accurate') args.push(...ACCURATE);
    else args.push('-c', 'copy', '-avoid_negative_ts', 'make_zero');
    args.push(output);
  });
  return args;
}

/** ffprobe arguments listing a video's packets (time, flags) — its keyframes — within `[from, to]` s, or all of it. */
export function keyframeArgs(input: string, interval: { from: number; to: number } | null): string[] {
  return [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_entries',
    'packet=pts_time,flags',
    ...(interval ? ['-read_intervals', `${Math.max(0, interval.from)}%${interval.to}`] : []),
    '-of',
    'csv=p=0',
    input,
  ];
}

/** The keyframe times in ffprobe's packet list (`pts_time,flags` lines; a `K` in the flags marks a keyframe), sorted. */
export function parseKeyframes(text: string): number[] {
  const times: number[] = [];
  for (const line of text.split('\n')) {
    const [time, flags] = line.trim().split(',');
    const t = Number(time);
    if (flags?.includes('K') && time !== '' && Number.isFinite(t)) times.push(t);
  }
  return times.sort((a, b) => a - b);
}

/** The keyframe at or before `at` (copy mode starts there); 0 when none is listed before it. */
export function keyframeAtOrBefore(keyframes: readonly number[], at: number): number {
  let best = 0;
  for (const t of keyframes) if (t <= at + 1e-6) best = t;
  return best;
}
