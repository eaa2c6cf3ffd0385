import { FFFSType, FFmpeg } from '@ffmpeg/ffmpeg';
import { WASM_MAX_INPUT_BYTES, type WasmTask } from '../../../../shared/api/clip-models';
import { api } from '../../../transport/transport';

let loading: Promise<FFmpeg> | null = null;

/**
 * ffmpeg.wasm (single-threaded core: no SharedArrayBuffer, so no cross-origin isolation to ask for), loaded once
 * from the app's own `ffmpeg-core/` folder — the package's default is a CDN address, which this never uses.
 */
export function ffmpegWasm(): Promise<FFmpeg> {
  if (!loading) {
    const url = (name: string) => new URL(`ffmpeg-core/${name}`, document.baseURI).href;
    const ffmpeg = new FFmpeg();
    loading = ffmpeg.load({ coreURL: url('ffmpeg-core.js'), wasmURL: url('ffmpeg-core.wasm') }).then(() => ffmpeg);
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

const LOG_KEEP = 200;

/**
 * Cuts one task the engine planned: its source video fetched from the app's own origin and mounted read-only with
 * WORKERFS (ffmpeg reads slices of it on demand: nothing is copied into wasm memory), the engine's arguments run,
 * each output sent back in chunks and deleted from wasm memory, then the finish — the engine checks every clip and
 * renames it into place. A source too big for wasm32 is refused before anything is fetched.
 */
export async function runWasmTask(task: WasmTask, onFraction: (fraction: number) => void): Promise<{ cut: number; failed: number }> {
  const fail = (log: string) => api.clips.wasmFinish({ taskId: task.taskId, exitCode: -1, log, sizes: {}, keyframes: null });
  if (task.size > WASM_MAX_INPUT_BYTES)
    return fail(
      `${task.video} is ${(task.size / 1024 ** 3).toFixed(2)} GiB: ffmpeg.wasm addresses at most 2 GiB; cut it with the native backend (install ffmpeg)`,
    );
  const ffmpeg = await ffmpegWasm();
  const response = await fetch(new URL(`clip-source/${task.token}`, document.baseURI));
  if (!response.ok) return fail(`the app did not serve ${task.video} (${response.status})`);
  const source = await response.blob();
  const log: string[] = [];
  const onLog = ({ message }: { message: string }) => {
    log.push(message);
    if (log.length > LOG_KEEP) log.shift();
  };
  const onProgress = ({ progress }: { progress: number }) => onFraction(Math.min(1, Math.max(0, progress)));
  ffmpeg.on('log', onLog);
  ffmpeg.on('progress', onProgress);
  for (const dir of ['/in', '/out']) await ffmpeg.createDir(dir).catch(() => undefined);
  await ffmpeg.mount(FFFSType.WORKERFS, { blobs: [{ name: task.inputName, data: source }] }, '/in');
  try {
    const exitCode = await ffmpeg.exec(task.args);
    let keyframes: string | null = null;
    if (exitCode === 0 && task.keyframes) {
      await ffmpeg.ffprobe(task.keyframes.args);
      keyframes = String(await ffmpeg.readFile(task.keyframes.file, 'utf8'));
      await ffmpeg.deleteFile(task.keyframes.file);
    }
    const sizes: Record<string, number> = {};
    for (const output of exitCode === 0 ? task.outputs : []) {
      const data = (await ffmpeg.readFile(output.file)) as Uint8Array;
      sizes[output.ref] = data.byteLength;
      // slice, not subarray: a view would carry its whole buffer across IPC.
      for (let offset = 0; offset < data.byteLength; offset += task.chunkBytes)
        await api.clips.wasmChunk({ taskId: task.taskId, ref: output.ref, offset, bytes: data.slice(offset, offset + task.chunkBytes) });
      await ffmpeg.deleteFile(output.file);
    }
    return await api.clips.wasmFinish({ taskId: task.taskId, exitCode, log: log.join('\n').slice(-60_000), sizes, keyframes });
  } finally {
    ffmpeg.off('log', onLog);
    ffmpeg.off('progress', onProgress);
    await ffmpeg.unmount('/in').catch(() => undefined);
    for (const output of task.outputs) await ffmpeg.deleteFile(output.file).catch(() => undefined);
  }
}
