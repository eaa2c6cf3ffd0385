import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WasmTask } from '../../../shared/api/clip-models';
import { plannedClip } from '../../../tests/fixtures/clip-fixtures';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { testVideo, videoDuration } from '../../../tests/fixtures/test-video';
import type { PlannedClip } from './clip-plan';
import { type CutOutcome, clipsToCut } from './cut-native';
import { WasmCutQueue } from './wasm-queue';

// The engine's half of an ffmpeg.wasm cut, with the window played by native ffmpeg running the very arguments the
// task carries in a folder standing for ffmpeg.wasm's /in and /out; no ffprobe is given to the queue, so every clip
// is checked by the app's own MP4 reader, as on a machine without ffmpeg.

const planned = (src: string, ref: string, start: number, end: number): PlannedClip => plannedClip(src, ref, start, end, 'raw');

/** Runs a task as the window would (its paths mapped onto `fs`), returning each output's bytes. */
function runAsWindow(task: WasmTask, fs: string, source: string): { exitCode: number; log: string; outputs: Map<string, Buffer>; keyframes: string | null } {
  mkdirSync(join(fs, 'in'), { recursive: true });
  mkdirSync(join(fs, 'out'), { recursive: true });
  if (!existsSync(join(fs, 'in', task.inputName))) symlinkSync(source, join(fs, 'in', task.inputName));
  const local = (a: string) => (a.startsWith('/in/') || a.startsWith('/out/') ? join(fs, a) : a);
  let exitCode = 0;
  let log = '';
  try {
    execFileSync('ffmpeg', task.args.map(local), { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    exitCode = (error as { status: number }).status;
    log = String((error as { stderr: Buffer }).stderr);
  }
  let keyframes: string | null = null;
  if (exitCode === 0 && task.keyframes) {
    const args = task.keyframes.args.map(local);
    const o = args.indexOf('-o');
    keyframes = execFileSync('ffprobe', [...args.slice(0, o), ...args.slice(o + 2)], { encoding: 'utf8' });
  }
  const outputs = new Map(exitCode === 0 ? task.outputs.map((out) => [out.ref, readFileSync(local(out.file))] as const) : []);
  return { exitCode, log, outputs, keyframes };
}

async function sendBack(queue: WasmCutQueue, task: WasmTask, ran: ReturnType<typeof runAsWindow>, chunk = 7000) {
  const sizes: Record<string, number> = {};
  for (const [ref, bytes] of ran.outputs) {
    sizes[ref] = bytes.byteLength;
    for (let offset = 0; offset < bytes.byteLength; offset += chunk) queue.chunk(task.taskId, ref, offset, bytes.subarray(offset, offset + chunk));
  }
  return queue.finish(task.taskId, { exitCode: ran.exitCode, log: ran.log, sizes, keyframes: ran.keyframes });
}

async function queueFor(clips: PlannedClip[], root: string, mode: 'accurate' | 'copy') {
  const { todo } = await clipsToCut(clips, root, null, mode);
  const settled: CutOutcome[] = [];
  const src = clips[0]?.source as string;
  const queue = new WasmCutQueue([{ sourceId: 'youcook2', video: 'raw', source: src, size: 1, todo }], {
    mode,
    ffprobe: null,
    onSettled: (o) => settled.push(...o),
    leaseMs: 200,
  });
  return { queue, settled };
}

describe('the engine half of an ffmpeg.wasm cut', () => {
  it('hands out one task per source with the cut arguments, takes the clips back in chunks, checks them without ffprobe and renames them into place', async () => {
    const work = tempDir();
    const src = testVideo(join(work, 'raw.mp4'), 12, ['-c:v', 'libx264', '-g', '20', '-pix_fmt', 'yuv420p']);
    const root = join(work, 'clips');
    const clips = [planned(src, '101/raw/split_0.mp4', 2.3, 4.5), planned(src, '101/raw/split_1.mp4', 7, 9.9)];
    const { queue, settled } = await queueFor(clips, root, 'accurate');
    const task = queue.next() as WasmTask;
    expect(task.outputs.map((o) => o.ref)).toEqual(['101/raw/split_0.mp4', '101/raw/split_1.mp4']);
    expect(task.args).toEqual(expect.arrayContaining(['-ss', '2.3', '-t', String(4.5 - 2.3), '-i', `/in/${task.inputName}`, '/out/1.mp4']));
    expect(queue.locate(task.token)).toBe(src);
    expect(queue.next()).toBeNull();

    const ran = runAsWindow(task, join(work, 'wasmfs'), src);
    // A chunk out of order would leave a hole: refused, nothing lost.
    expect(() => queue.chunk(task.taskId, '101/raw/split_0.mp4', 100, Buffer.alloc(10))).toThrow(/0 bytes have arrived; send them in order/);
    // Nothing is under a clip's name before the finish has checked it.
    const first = ran.outputs.get('101/raw/split_0.mp4') as Buffer;
    queue.chunk(task.taskId, '101/raw/split_0.mp4', 0, first.subarray(0, 5000));
    expect(existsSync(join(root, '101/raw/split_0.mp4'))).toBe(false);
    const result = await (async () => {
      // The first chunk went already; send the rest and the other clip.
      for (let offset = 5000; offset < first.byteLength; offset += 5000)
        queue.chunk(task.taskId, '101/raw/split_0.mp4', offset, first.subarray(offset, offset + 5000));
      const second = ran.outputs.get('101/raw/split_1.mp4') as Buffer;
      queue.chunk(task.taskId, '101/raw/split_1.mp4', 0, second);
      return queue.finish(task.taskId, {
        exitCode: 0,
        log: '',
        sizes: { '101/raw/split_0.mp4': first.byteLength, '101/raw/split_1.mp4': second.byteLength },
        keyframes: null,
      });
    })();
    expect(result).toEqual({ cut: 2, failed: 0 });
    await queue.finished;
    expect(settled.map((o) => [o.ref, o.error])).toEqual([
      ['101/raw/split_0.mp4', null],
      ['101/raw/split_1.mp4', null],
    ]);
    expect(videoDuration(join(root, '101/raw/split_0.mp4'), true)).toBeCloseTo(2.2, 1);
    expect(videoDuration(join(root, '101/raw/split_1.mp4'), true)).toBeCloseTo(2.9, 1);
    expect(readdirSync(join(root, '101/raw')).filter((n) => n.includes('partial'))).toEqual([]);
    // The task is closed: its token serves nothing now.
    expect(queue.locate(task.token)).toBeNull();
    expect(() => queue.chunk(task.taskId, '101/raw/split_0.mp4', 0, Buffer.alloc(1))).toThrow(/not open/);
  });

  it('copy mode: the offset comes from the keyframe list the window sends back', async () => {
    const work = tempDir();
    const src = testVideo(join(work, 'raw.mp4'), 12, ['-c:v', 'libx264', '-g', '20', '-keyint_min', '20', '-sc_threshold', '0', '-pix_fmt', 'yuv420p']);
    const root = join(work, 'clips');
    const { queue, settled } = await queueFor([planned(src, '101/raw/split_0.mp4', 5, 8)], root, 'copy');
    const task = queue.next() as WasmTask;
    expect(task.keyframes?.args).toEqual(expect.arrayContaining(['packet=pts_time,flags', `/in/${task.inputName}`, '-o', '/out/keyframes.csv']));
    const result = await sendBack(queue, task, runAsWindow(task, join(work, 'wasmfs'), src));
    expect(settled[0]?.error).toBeNull();
    expect(result).toEqual({ cut: 1, failed: 0 });
    expect(settled[0]?.startOffset).toBeCloseTo(-1, 3);
  });

  it('a failed run, an output that came back short and a silent window: each said, nothing placed, the task handed out again', async () => {
    const work = tempDir();
    const src = testVideo(join(work, 'raw.mp4'), 6, ['-c:v', 'libx264', '-pix_fmt', 'yuv420p']);
    const root = join(work, 'clips');
    const clips = [planned(src, '101/raw/split_0.mp4', 1, 2), planned(src, '101/raw/split_1.mp4', 3, 4)];
    const { queue, settled } = await queueFor(clips, root, 'accurate');
    const task = queue.next() as WasmTask;
    // The window went quiet (closed or reloaded): after its lease the next window gets the same source to cut.
    await new Promise((r) => setTimeout(r, 250));
    const again = queue.next() as WasmTask;
    expect(again.outputs).toEqual(task.outputs);
    // Under a new id and token: the first window, should it wake, cannot write into the second one's files.
    expect(again.taskId).not.toBe(task.taskId);
    expect(() => queue.chunk(task.taskId, '101/raw/split_0.mp4', 0, Buffer.alloc(10))).toThrow(/not open/);
    expect(queue.locate(task.token)).toBeNull();
    const ran = runAsWindow(again, join(work, 'wasmfs'), src);
    const whole = ran.outputs.get('101/raw/split_0.mp4') as Buffer;
    queue.chunk(again.taskId, '101/raw/split_0.mp4', 0, whole.subarray(0, 100));
    queue.chunk(again.taskId, '101/raw/split_1.mp4', 0, ran.outputs.get('101/raw/split_1.mp4') as Buffer);
    const result = await queue.finish(again.taskId, {
      exitCode: 0,
      log: '',
      sizes: { '101/raw/split_0.mp4': whole.byteLength, '101/raw/split_1.mp4': (ran.outputs.get('101/raw/split_1.mp4') as Buffer).byteLength },
      keyframes: null,
    });
    expect(result).toEqual({ cut: 1, failed: 1 });
    expect(settled.find((o) => o.ref === '101/raw/split_0.mp4')?.error).toBe(`the clip came back short: 100 of ${whole.byteLength} bytes arrived`);
    expect(existsSync(join(root, '101/raw/split_0.mp4'))).toBe(false);
    expect(readdirSync(dirname(join(root, '101/raw/split_0.mp4'))).filter((n) => n.includes('partial'))).toEqual([]);

    const broken = await queueFor([planned(src, '101/raw/split_5.mp4', 1, 2)], root, 'accurate');
    const t = broken.queue.next() as WasmTask;
    await broken.queue.finish(t.taskId, { exitCode: 1, log: 'Invalid data found when processing input', sizes: {}, keyframes: null });
    expect(broken.settled[0]?.error).toBe('ffmpeg.wasm exited with 1: Invalid data found when processing input');
  });
});
