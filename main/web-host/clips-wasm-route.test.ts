import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WasmTask } from '../../shared/api/clip-models';
import { writeYoucookSpec } from '../../tests/fixtures/clip-fixtures';
import { type RunningHost, startHost } from '../../tests/fixtures/engine';
import { tempDir } from '../../tests/fixtures/temp-dir';
import { testVideo, videoDuration } from '../../tests/fixtures/test-video';

// The web host's half of an ffmpeg.wasm cut, spoken as the page speaks it: the task over the API, the source video
// from `/clip-source/<token>` (with Range), each clip back as raw bytes in `application/octet-stream` chunks, the
// finish; native ffmpeg stands in for ffmpeg.wasm running the task's arguments.
let host: RunningHost | null = null;
afterEach(async () => {
  await host?.stop();
  host = null;
});

describe('the web host carries an ffmpeg.wasm cut', () => {
  it('serves the source by its token, takes the clips back as bytes, and the job places and verifies them', async () => {
    const work = tempDir();
    host = await startHost(join(work, 'config'));
    const api = async (method: string, args: unknown = {}) => {
      const reply = await host?.call(method, args);
      if (!reply?.body.ok) throw new Error(`${method}: ${JSON.stringify(reply?.body.error)}`);
      return reply.body.value;
    };
    await api('library.create', { path: join(work, 'lib') });
    const from = join(work, 'raw');
    testVideo(join(from, 'raw_videos/training/101/GLd3aX16zBg.mp4'), 8, ['-c:v', 'libx264', '-pix_fmt', 'yuv420p']);
    const spec = join(work, 'youcookii_annotations_trainval.json');
    writeYoucookSpec(spec, {
      GLd3aX16zBg: [
        [1, 3],
        [4, 6.5],
      ],
    });

    const job = (await api('clips.run', { sourceId: 'youcook2', spec, from, backend: 'wasm' })) as { id: number };
    let task: WasmTask | null = null;
    for (let i = 0; i < 100 && !task; i++) {
      task = (await api('clips.wasmTask')) as WasmTask | null;
      if (!task) await new Promise((r) => setTimeout(r, 100));
    }
    if (!task) throw new Error('no task was handed out');
    const origin = host.web.origin;
    const auth = { Authorization: `Bearer ${host.web.token}` };
    // Only an open task's token serves anything.
    expect((await fetch(`${origin}/clip-source/${'0'.repeat(32)}`, { headers: auth })).status).toBe(404);
    const ranged = await fetch(`${origin}/clip-source/${task.token}`, { headers: { ...auth, Range: 'bytes=0-7' } });
    expect([ranged.status, (await ranged.arrayBuffer()).byteLength]).toEqual([206, 8]);
    const source = Buffer.from(await (await fetch(`${origin}/clip-source/${task.token}`, { headers: auth })).arrayBuffer());
    expect(source.byteLength).toBe(task.size);

    const fs = join(work, 'wasmfs');
    mkdirSync(join(fs, 'in'), { recursive: true });
    mkdirSync(join(fs, 'out'), { recursive: true });
    writeFileSync(join(fs, 'in', task.inputName), source);
    execFileSync(
      'ffmpeg',
      task.args.map((a) => (a.startsWith('/in/') || a.startsWith('/out/') ? join(fs, a) : a)),
    );
    const chunk = async (ref: string, offset: number, bytes: Buffer) =>
      fetch(`${origin}/api/clips.wasmChunk?args=${encodeURIComponent(JSON.stringify({ taskId: task?.taskId, ref, offset }))}`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/octet-stream' },
        body: bytes,
      });
    // More than a chunk may be is refused before it is read.
    expect((await chunk(task.outputs[0]?.ref as string, 0, Buffer.alloc(9 * 1024 * 1024))).status).toBe(413);
    const sizes: Record<string, number> = {};
    for (const output of task.outputs) {
      const bytes = readFileSync(join(fs, output.file));
      sizes[output.ref] = bytes.byteLength;
      for (let offset = 0; offset < bytes.byteLength; offset += 4096) {
        const sent = await chunk(output.ref, offset, bytes.subarray(offset, offset + 4096));
        expect(sent.status).toBe(200);
      }
    }
    expect(await api('clips.wasmFinish', { taskId: task.taskId, exitCode: 0, log: '', sizes, keyframes: null })).toEqual({ cut: 2, failed: 0 });
    await expect.poll(async () => ((await api('jobs.get', { id: job.id })) as { state: string }).state, { timeout: 20_000 }).toBe('finished');
    const clip = join(work, 'lib', 'media', 'youcook2', 'training/101/GLd3aX16zBg/split_1.mp4');
    expect(existsSync(clip)).toBe(true);
    expect(videoDuration(clip, true)).toBeCloseTo(2.5, 1);
    expect(existsSync(join(dirname(clip), '.split_1.mp4.partial.mp4'))).toBe(false);
    // The task is closed: its token serves nothing any more.
    expect((await fetch(`${origin}/clip-source/${task.token}`, { headers: auth })).status).toBe(404);
  });

  it('sends every asset with the CSP, which lets wasm compile and nothing more', async () => {
    host = await startHost(tempDir());
    const first = await fetch(host.web.url, { redirect: 'manual' });
    const cookie = first.headers.get('set-cookie')?.split(';')[0] ?? '';
    const core = await fetch(`${host.web.origin}/ffmpeg-core/ffmpeg-core.wasm`, { headers: { Cookie: cookie } });
    expect(core.status).toBe(200);
    expect(core.headers.get('content-type')).toBe('application/wasm');
    expect(core.headers.get('content-security-policy')).toContain("script-src 'self' 'wasm-unsafe-eval';");
  });
});
