import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { extname } from 'node:path';
import type { WasmTask } from '../../../shared/api/clip-models';
import { ApiError } from '../../../shared/api/errors';
import type { PlannedClip } from './clip-plan';
import { type CutMode, cutArgs, keyframeArgs, keyframeAtOrBefore, parseKeyframes } from './cut-args';
import { type ClipsToCut, type CutOutcome, settleClip } from './cut-native';
import { dropTemp } from './measure-clip';

/** Bytes per chunk the window sends back: big enough to be few calls, small enough for one IPC or HTTP message. */
export const WASM_CHUNK_BYTES = 4 * 1024 * 1024;
/** Clips per ffmpeg.wasm task: each accurate clip is a libx264 encoder in the same 2 GiB heap; copy clips cost little. */
const ACCURATE_BATCH = 4;
const COPY_BATCH = 16;
/** A task whose window says nothing for this long (closed, reloaded) is handed to the next window that asks. */
const LEASE_MS = 90_000;

export interface WasmSourceGroup {
  sourceId: string;
  video: string;
  source: string;
  size: number;
  todo: ClipsToCut['todo'];
}

interface TaskState {
  info: WasmTask;
  source: string;
  todo: ClipsToCut['todo'];
  /** When the window last said it is working on it; null: not handed out. */
  heardAt: number | null;
  written: Map<string, number>;
  fraction: number;
  /** Closed to chunks and finishes (finished, or the cut stopped). */
  done: boolean;
  /** Its finish ran: each clip placed or its temporary file removed. */
  settled: boolean;
}

/** The least an output may grow to before it is refused, whatever the source's size. */
const MIN_OUTPUT_CAP = 256 * 1024 * 1024;

/**
 * The engine's half of an ffmpeg.wasm cut: it planned the clips and built each source's arguments; a window asks for
 * a task, cuts it in its own ffmpeg.wasm, and streams each output back in chunks. The chunks go to the clip's
 * temporary name only; the finish checks each clip as the native cut does (ffprobe when there is one, else the app's
 * own MP4 reader) and renames it into place. A task whose window falls silent is handed out again.
 */
export class WasmCutQueue {
  private readonly tasks: TaskState[] = [];
  private remaining: number;
  private readonly inFlightFinishes = new Set<Promise<unknown>>();
  private settleAll!: () => void;
  /** Resolves when every task has been finished. */
  readonly finished = new Promise<void>((resolve) => {
    this.settleAll = resolve;
  });

  constructor(
    groups: readonly WasmSourceGroup[],
    private readonly options: { mode: CutMode; ffprobe: string | null; onSettled: (outcomes: CutOutcome[]) => void; leaseMs?: number },
  ) {
    for (const g of groups) {
      const inputName = `source${extname(g.source).toLowerCase() || '.mp4'}`;
      const input = `/in/${inputName}`;
      // One exec runs an encoder per output inside wasm32's 2 GiB: a few clips a task in accurate mode.
      const batch = options.mode === 'accurate' ? ACCURATE_BATCH : COPY_BATCH;
      const sourceKey = createHash('sha256').update(g.source).digest('hex').slice(0, 16);
      for (let from = 0; from < g.todo.length; from += batch) {
        const todo = g.todo.slice(from, from + batch);
        const outputs = todo.map((t, i) => ({ ref: t.clip.ref, file: `/out/${i}.mp4` }));
        const info: WasmTask = {
          taskId: randomUUID(),
          sourceId: g.sourceId,
          video: g.video,
          sourceKey,
          token: randomBytes(16).toString('hex'),
          size: g.size,
          inputName,
          args: cutArgs(
            todo.map((t) => t.clip),
            input,
            outputs.map((o) => o.file),
            options.mode,
          ),
          outputs,
          keyframes: options.mode === 'copy' ? { args: [...keyframeArgs(input, null), '-o', '/out/keyframes.csv'], file: '/out/keyframes.csv' } : null,
          chunkBytes: WASM_CHUNK_BYTES,
          longestSpan: Math.max(...todo.map((t) => t.clip.end - t.clip.start)),
        };
        this.tasks.push({ info, source: g.source, todo, heardAt: null, written: new Map(), fraction: 0, done: false, settled: false });
      }
    }
    this.remaining = this.tasks.length;
    if (this.remaining === 0) this.settleAll();
  }

  /**
   * The next task no window is working on, or null. A task handed out again (its window fell silent) gets a new id
   * and token: should the first window wake up, its chunks and finish are refused rather than mixed into the file.
   */
  next(now = Date.now()): WasmTask | null {
    for (const task of this.tasks) {
      if (task.done || (task.heardAt !== null && now - task.heardAt < (this.options.leaseMs ?? LEASE_MS))) continue;
      if (task.heardAt !== null) task.info = { ...task.info, taskId: randomUUID(), token: randomBytes(16).toString('hex') };
      task.heardAt = now;
      task.written.clear();
      task.fraction = 0;
      return task.info;
    }
    return null;
  }

  /** The source video behind a task's media token, while the task is open. */
  locate(token: string): string | null {
    for (const task of this.tasks) if (!task.done && task.info.token === token) return task.source;
    return null;
  }

  /** True until a window has taken a task: the job is waiting for one. */
  waiting(): boolean {
    return this.remaining > 0 && this.tasks.every((t) => t.heardAt === null);
  }

  /** Clips being cut by windows now, as a fraction of their tasks done: the job's progress between finishes. */
  inFlight(): number {
    let clips = 0;
    for (const task of this.tasks) if (!task.done && task.heardAt !== null) clips += task.fraction * task.todo.length;
    return clips;
  }

  progress(taskId: string, fraction: number): boolean {
    const task = this.tasks.find((t) => t.info.taskId === taskId);
    if (!task || task.done) return false;
    task.heardAt = Date.now();
    task.fraction = fraction;
    return true;
  }

  private open(taskId: string): TaskState {
    const task = this.tasks.find((t) => t.info.taskId === taskId);
    if (!task || task.done || task.heardAt === null) throw new ApiError('NOT_FOUND', `clip task ${taskId} is not open (finished, or the cut was stopped)`);
    return task;
  }

  /**
   * Bytes of one output at `offset` — in order, so a clip can never have a hole — into its temporary file. Written
   * synchronously (a chunk is at most a few MiB): between the check that the task is still this window's and the
   * write, no other call can hand the task to another window or finish it.
   */
  chunk(taskId: string, ref: string, offset: number, bytes: Uint8Array): void {
    const task = this.open(taskId);
    const item = task.todo.find((t) => t.clip.ref === ref);
    if (!item) throw new ApiError('VALIDATION_ERROR', `${ref} is not an output of clip task ${taskId}`);
    const have = task.written.get(ref) ?? 0;
    if (offset !== have) throw new ApiError('VALIDATION_ERROR', `${ref}: a chunk at byte ${offset}, but ${have} bytes have arrived; send them in order`);
    // A clip is a part of its source, re-encoded: far more than the source is not a clip (and would fill the disk).
    const cap = Math.max(MIN_OUTPUT_CAP, 4 * task.info.size);
    if (offset + bytes.byteLength > cap) throw new ApiError('VALIDATION_ERROR', `${ref}: over ${cap} bytes, more than a clip of this source can be`);
    const fd = openSync(item.temp, offset === 0 ? 'w' : 'r+');
    try {
      writeSync(fd, bytes, 0, bytes.byteLength, offset);
    } finally {
      closeSync(fd);
    }
    task.written.set(ref, offset + bytes.byteLength);
    task.heardAt = Date.now();
  }

  /**
   * The window ran the task: each clip checked and placed (or failed with ffmpeg.wasm's log, or the window's own
   * error), then the task is done. The task is closed to chunks at once; the cut's end waits for this to finish.
   */
  finish(
    taskId: string,
    result: { exitCode: number; log: string; sizes: Record<string, number>; keyframes: string | null; error?: string | null },
  ): Promise<{ cut: number; failed: number }> {
    const task = this.open(taskId);
    task.done = true;
    const work = this.settle(task, result);
    this.inFlightFinishes.add(work);
    return work.finally(() => this.inFlightFinishes.delete(work));
  }

  private async settle(task: TaskState, result: Parameters<WasmCutQueue['finish']>[1]): Promise<{ cut: number; failed: number }> {
    const outcomes: CutOutcome[] = [];
    task.settled = true;
    try {
      const keyframes = result.keyframes === null ? null : parseKeyframes(result.keyframes);
      for (const item of task.todo) {
        const { clip } = item;
        const fail = async (error: string) => {
          await dropTemp(item.temp);
          outcomes.push({ ref: clip.ref, path: null, startOffset: null, duration: null, error, kept: false });
        };
        const arrived = task.written.get(clip.ref) ?? 0;
        if (result.error) await fail(result.error);
        else if (result.exitCode !== 0) await fail(`ffmpeg.wasm exited with ${result.exitCode}: ${result.log.trim().slice(-4000) || 'no message'}`);
        else if (result.sizes[clip.ref] === undefined || result.sizes[clip.ref] !== arrived)
          await fail(`the clip came back short: ${arrived} of ${result.sizes[clip.ref] ?? 'unknown'} bytes arrived`);
        else if (this.options.mode === 'copy' && !keyframes?.length) await fail('copy mode needs the source keyframes, and none came back');
        else outcomes.push(await settleClip(item, this.options.mode, offsetOf(this.options.mode, keyframes, clip), this.options.ffprobe));
      }
      this.options.onSettled(outcomes);
    } finally {
      if (--this.remaining === 0) this.settleAll();
    }
    return { cut: outcomes.filter((o) => !o.error).length, failed: outcomes.filter((o) => o.error).length };
  }

  /** The cut stopped: finishes under way end first, then every open task's temporary files go. */
  async close(): Promise<void> {
    for (const task of this.tasks) task.done = true;
    await Promise.allSettled([...this.inFlightFinishes]);
    for (const task of this.tasks.filter((t) => !t.settled)) for (const item of task.todo) await dropTemp(item.temp);
  }
}

const offsetOf = (mode: CutMode, keyframes: number[] | null, clip: PlannedClip) =>
  mode === 'copy' && keyframes ? keyframeAtOrBefore(keyframes, clip.start) - clip.start : 0;
