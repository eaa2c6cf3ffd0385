import { execFile, spawn } from 'node:child_process';
import { mkdir, rm, stat } from 'node:fs/promises';
import { setPriority } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { promisify } from 'node:util';
import type { PlannedClip } from './clip-plan';
import { type CutMode, cutArgs, keyframeArgs, keyframeAtOrBefore, parseKeyframes } from './cut-args';
import { clipProblem, dropTemp, keptClipCounts, measureClip, placeClip } from './measure-clip';

const run = promisify(execFile);

export type { CutMode } from './cut-args';

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

/** Where a clip goes (`<root>/<ref>`) and the temporary name it is written under until it is checked. */
export function clipTarget(root: string, ref: string): { target: string; temp: string } {
  const target = join(root, ...ref.split('/'));
  // The spec's names are checked (clip-spec.ts); this is the last word: a clip never lands outside the root.
  if (!target.startsWith(join(root, sep))) throw new Error(`${ref} would leave ${root}; not cut`);
  return { target, temp: join(dirname(target), `.${ref.split('/').at(-1)}.partial.mp4`) };
}

export interface ClipsToCut {
  /** Clips already under their name that probe right: not cut again. */
  kept: CutOutcome[];
  todo: Array<{ clip: PlannedClip; target: string; temp: string }>;
}

/**
 * Sorts a source's clips into those already in place (a video stream of the right length: kept) and those to cut;
 * a temporary file a killed cut left behind (it never had the clip's name) is swept.
 */
export async function clipsToCut(clips: readonly PlannedClip[], root: string, ffprobe: string | null, mode: CutMode): Promise<ClipsToCut> {
  const kept: CutOutcome[] = [];
  const todo: ClipsToCut['todo'] = [];
  for (const clip of clips) {
    const { target, temp } = clipTarget(root, clip.ref);
    if ((await stat(target).catch(() => null))?.isFile()) {
      const measured = await measureClip(target, ffprobe).catch(() => null);
      if (measured && keptClipCounts(measured, clip, mode)) {
        kept.push({ ref: clip.ref, path: target, startOffset: null, duration: measured.duration, error: null, kept: true });
        continue;
      }
    }
    await mkdir(dirname(target), { recursive: true });
    await rm(temp, { force: true });
    todo.push({ clip, target, temp });
  }
  return { kept, todo };
}

/**
 * Checks a written clip (a video stream; its length within the mode's tolerance of `end − start`) and renames it
 * into place; a clip that does not count is removed, with the reason.
 */
export async function settleClip(
  item: { clip: PlannedClip; target: string; temp: string },
  mode: CutMode,
  offset: number,
  ffprobe: string | null,
): Promise<CutOutcome> {
  const { clip, target, temp } = item;
  try {
    const measured = await measureClip(temp, ffprobe);
    const problem = clipProblem(measured, clip, mode, offset);
    if (problem) throw new Error(problem);
    await placeClip(temp, target);
    return { ref: clip.ref, path: target, startOffset: offset, duration: measured.duration, error: null, kept: false };
  } catch (error) {
    await dropTemp(temp);
    return { ref: clip.ref, path: null, startOffset: null, duration: null, error: (error as Error).message, kept: false };
  }
}

/** The keyframes of a video within `[from, to]` s (copy mode starts each clip at one), from its packets' flags: one ffprobe a source. */
async function keyframesBetween(ffprobe: string, path: string, from: number, to: number): Promise<number[]> {
  const { stdout } = await run(ffprobe, keyframeArgs(path, { from, to }), { maxBuffer: 64 << 20 });
  return parseKeyframes(stdout);
}

/**
 * Cuts every clip of one source video in one ffmpeg process (`cutArgs`), arguments never a shell string, niced.
 * Each output is written under a temporary name, checked and only then renamed into place; a failure keeps ffmpeg's
 * stderr. A clip already in place that probes right is kept.
 */
export async function cutSource(
  clips: readonly PlannedClip[],
  root: string,
  options: { ffmpeg: string; ffprobe: string; mode: CutMode; signal?: AbortSignal },
): Promise<CutOutcome[]> {
  const source = clips[0]?.source;
  if (!source) return clips.map((c) => ({ ref: c.ref, path: null, startOffset: null, duration: null, error: c.reason ?? 'no source video', kept: false }));
  const { kept, todo } = await clipsToCut(clips, root, options.ffprobe, options.mode);
  const outcomes = new Map(kept.map((o) => [o.ref, o]));
  if (todo.length > 0) {
    const args = cutArgs(
      todo.map((t) => t.clip),
      source,
      todo.map((t) => t.temp),
      options.mode,
    );
    const starts = todo.map((t) => t.clip.start);
    // Copy mode's keyframe list is read while ffmpeg cuts; a keyframe interval can be long (10–20 s), so the list
    // reaches back 30 s before the earliest start.
    const [failure, keyframes] = await Promise.all([
      runNiced(options.ffmpeg, args, options.signal),
      options.mode === 'copy' ? keyframesBetween(options.ffprobe, source, Math.min(...starts) - 30, Math.max(...starts) + 0.001).catch(() => null) : [],
    ]);
    // The clips are checked and synced side by side: their syncs in flight together, not one after another.
    const settled = await Promise.all(
      todo.map(async (item): Promise<CutOutcome> => {
        if (failure) {
          await dropTemp(item.temp);
          return { ref: item.clip.ref, path: null, startOffset: null, duration: null, error: failure, kept: false };
        }
        if (keyframes === null) {
          await dropTemp(item.temp);
          return { ref: item.clip.ref, path: null, startOffset: null, duration: null, error: `ffprobe could not list the keyframes of ${source}`, kept: false };
        }
        const offset = options.mode === 'copy' ? keyframeAtOrBefore(keyframes, item.clip.start) - item.clip.start : 0;
        return settleClip(item, options.mode, offset, options.ffprobe);
      }),
    );
    for (const o of settled) outcomes.set(o.ref, o);
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
    child.on('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ENOENT' ? `${ffmpeg} was not found: ${HOW_TO_GET_FFMPEG}` : error.message));
    child.on('close', (code) => resolve(code === 0 ? null : `ffmpeg exited with ${code}: ${stderr.trim() || 'no message'}`));
  });
}

/** What to do without ffmpeg: where to get it, and the app's other route. */
export const HOW_TO_GET_FFMPEG =
  "install ffmpeg (Debian/Ubuntu: sudo apt install ffmpeg; macOS: brew install ffmpeg; Windows: winget install ffmpeg) or set its path in Settings; the app's window (desktop or web host) can also cut inputs up to 2 GiB with ffmpeg.wasm";
