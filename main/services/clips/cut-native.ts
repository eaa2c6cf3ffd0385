import { execFile, spawn } from 'node:child_process';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { setPriority } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { PlannedClip } from './clip-plan';
import { probeVideo } from './probe-video';

const run = promisify(execFile);

export type CutMode = 'accurate' | 'copy';

/**
 * The accurate mode's encoding: H.264 (libx264, CRF 18, `veryfast`, yuv420p for every player) and AAC 128 kb/s in
 * MP4 with the index at the front (`+faststart`), so a clip starts on the frame at `start` and lasts `end − start`.
 */
const ACCURATE = ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart'];

export interface CutOutcome {
  ref: string;
  /** The clip's file, once it is written, checked and renamed into place. */
  path: string | null;
  /** Where the clip really starts relative to `start` (copy mode: the keyframe at or before it, so ≤ 0). */
  startOffset: number | null;
  duration: number | null;
  error: string | null;
  /** Already there and checked before: not cut again. */
  kept: boolean;
}

/** How far a clip's duration may be from `end − start` and still count: a frame in accurate mode; copy mode starts earlier. */
const frameTolerance = (fps: number) => 1 / Math.max(1, fps) + 0.01;
/** Copy mode cuts at packets: its end may run a few frames past `end`. */
const COPY_SLACK_S = 0.3;

/** The keyframe at or before `at` in a video (copy mode starts there): its time, from the packets' flags. */
async function keyframeBefore(ffprobe: string, path: string, at: number): Promise<number> {
  const { stdout } = await run(
    ffprobe,
    [
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-skip_frame',
      'nokey',
      '-show_entries',
      'frame=pts_time',
      '-read_intervals',
      `${Math.max(0, at - 30)}%${at + 0.001}`,
      '-of',
      'csv=p=0',
      path,
    ],
    { maxBuffer: 16 << 20 },
  );
  const times = stdout
    .split('\n')
    .map((l) => Number(l.trim().replace(/,$/, '')))
    .filter((t) => Number.isFinite(t) && t <= at + 1e-6);
  return times.length > 0 ? Math.max(...times) : 0;
}

/**
 * Cuts every clip of one source video in one ffmpeg process — each clip its own input-side seek (`-ss` before
 * `-i`, so a clip late in a long video does not decode what comes before it) and its own output — arguments, never
 * a shell string, niced. Each output is written under a temporary name, probed (a video stream; its duration within
 * the mode's tolerance of `end − start`), and only then renamed into place; a failure keeps ffmpeg's stderr. A clip
 * already in place that probes right is kept.
 */
export async function cutSource(
  clips: readonly PlannedClip[],
  root: string,
  options: { ffmpeg: string; ffprobe: string; mode: CutMode; signal?: AbortSignal },
): Promise<CutOutcome[]> {
  const source = clips[0]?.source;
  if (!source) return clips.map((c) => ({ ref: c.ref, path: null, startOffset: null, duration: null, error: c.reason ?? 'no source video', kept: false }));
  const outcomes = new Map<string, CutOutcome>();
  const todo: Array<{ clip: PlannedClip; target: string; temp: string }> = [];
  for (const clip of clips) {
    const target = join(root, ...clip.ref.split('/'));
    const existing = await stat(target).catch(() => null);
    if (existing?.isFile()) {
      const checked = await probeVideo(options.ffprobe, target).catch(() => null);
      const want = clip.end - clip.start;
      if (checked?.video && Math.abs(checked.duration - want) <= (options.mode === 'copy' ? want : frameTolerance(checked.fps))) {
        outcomes.set(clip.ref, { ref: clip.ref, path: target, startOffset: null, duration: checked.duration, error: null, kept: true });
        continue;
      }
    }
    await mkdir(dirname(target), { recursive: true });
    const temp = join(dirname(target), `.${clip.ref.split('/').at(-1)}.partial.mp4`);
    // A cut killed before its rename left this behind: it never had the clip's name, and goes now.
    await rm(temp, { force: true });
    todo.push({ clip, target, temp });
  }
  if (todo.length > 0) {
    const args = ['-nostdin', '-hide_banner', '-v', 'error', '-y'];
    for (const { clip } of todo) args.push('-ss', String(clip.start), '-t', String(clip.end - clip.start), '-i', source);
    todo.forEach(({ temp }, i) => {
      args.push('-map', `${i}:v:0`, '-map', `${i}:a:0?`);
      if (options.mode === 'accurate') args.push(...ACCURATE);
      else args.push('-c', 'copy', '-avoid_negative_ts', 'make_zero');
      args.push(temp);
    });
    const failure = await runNiced(options.ffmpeg, args, options.signal);
    for (const { clip, target, temp } of todo) {
      const want = clip.end - clip.start;
      try {
        if (failure) throw new Error(failure);
        const checked = await probeVideo(options.ffprobe, temp);
        if (!checked.video) throw new Error('the clip has no video stream');
        // Copy mode starts at the keyframe at or before `start`: the clip is longer by that much.
        const offset = options.mode === 'copy' ? (await keyframeBefore(options.ffprobe, source, clip.start)) - clip.start : 0;
        // Accurate: end − start within a frame. Copy: from the keyframe, so longer by the offset, and cut at packets
        // (a few frames of reordering at the end).
        const expected = want - offset;
        const tolerance = frameTolerance(checked.fps) + (options.mode === 'copy' ? COPY_SLACK_S : 0);
        if (Math.abs(checked.duration - expected) > tolerance) {
          throw new Error(`the clip lasts ${checked.duration.toFixed(3)} s, not ${expected.toFixed(3)} s (± ${tolerance.toFixed(3)})`);
        }
        const handle = await open(temp, 'r');
        try {
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temp, target);
        outcomes.set(clip.ref, { ref: clip.ref, path: target, startOffset: offset, duration: checked.duration, error: null, kept: false });
      } catch (error) {
        await rm(temp, { force: true });
        outcomes.set(clip.ref, { ref: clip.ref, path: null, startOffset: null, duration: null, error: (error as Error).message, kept: false });
      }
    }
  }
  return clips.map((c) => outcomes.get(c.ref) as CutOutcome);
}

/** Runs ffmpeg at a low priority; resolves with null, or with what went wrong (its stderr). */
function runNiced(ffmpeg: string, args: string[], signal?: AbortSignal): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn(ffmpeg, args, { stdio: ['ignore', 'ignore', 'pipe'], signal });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      if (stderr.length < 8000) stderr += c.toString();
    });
    child.on('spawn', () => {
      try {
        if (child.pid) setPriority(child.pid, 10);
      } catch {
        // not allowed here: the cut runs at normal priority
      }
    });
    child.on('error', (error: NodeJS.ErrnoException) =>
      resolve(error.code === 'ENOENT' ? `${ffmpeg} was not found: install ffmpeg or set its path in Settings` : error.message),
    );
    child.on('close', (code) => resolve(code === 0 ? null : `ffmpeg exited with ${code}: ${stderr.trim() || 'no message'}`));
  });
}
