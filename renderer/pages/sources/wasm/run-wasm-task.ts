import { FFFSType, FFmpeg } from '@ffmpeg/ffmpeg';
import { WASM_MAX_INPUT_BYTES, type WasmTask } from '../../../../shared/api/clip-models';
import { api } from '../../../transport/transport';

let loading: Promise<FFmpeg> | null = null;
let instance: FFmpeg | null = null;

/**
 * ffmpeg.wasm (single-threaded core: no SharedArrayBuffer, so no cross-origin isolation to ask for), loaded once
 * from the app's own `ffmpeg-core/` folder — the package's default is a CDN address, which this never uses.
 */
function ffmpegWasm(): Promise<FFmpeg> {
  if (!loading) {
    const url = (name: string) => new URL(`ffmpeg-core/${name}`, document.baseURI).href;
    const ffmpeg = new FFmpeg();
    instance = ffmpeg;
    loading = ffmpeg.load({ coreURL: url('ffmpeg-core.js'), wasmURL: url('ffmpeg-core.wasm') }).then(() => ffmpeg);
    loading.catch(() => stopWasm());
  }
  return loading;
}

/** Stops ffmpeg.wasm where it is (its worker ended, every call pending on it rejected); the next task loads afresh. */
export function stopWasm(): void {
  instance?.terminate();
  instance = null;
  loading = null;
  fetched = null;
}

/** The source video last fetched: the next task of the same source (a few clips each) uses it again. */
let fetched: { key: string; blob: Blob } | null = null;

const LOG_KEEP = 200;

/** The keyframe lines of ffprobe's packet list (`pts,flags` with a K): all the engine needs, and small. */
const keyframeLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.split(',')[1]?.includes('K'))
    .join('\n');

/**
 * Cuts one task the engine planned: its source video fetched from the app's own origin and mounted read-only with
 * WORKERFS (ffmpeg reads slices of it on demand: nothing is copied into wasm memory), the engine's arguments run,
 * each output sent back in chunks and deleted from wasm memory, then the finish — the engine checks every clip and
 * renames it into place. A source too big for wasm32 is refused before anything is fetched. One task at a time.
 */
export async function runWasmTask(task: WasmTask, onTime: (seconds: number) => void): Promise<{ cut: number; failed: number }> {
  const finish = (result: { exitCode: number; log: string; sizes: Record<string, number>; keyframes: string | null; error?: string }) =>
    api.clips.wasmFinish({ taskId: task.taskId, error: null, ...result });
  const fail = (error: string) => finish({ exitCode: -1, log: '', sizes: {}, keyframes: null, error });
  if (task.size > WASM_MAX_INPUT_BYTES)
    return fail(
      `${task.video} is ${(task.size / 1024 ** 3).toFixed(2)} GiB: ffmpeg.wasm addresses at most 2 GiB; cut it with the native backend (install ffmpeg)`,
    );
  const ffmpeg = await ffmpegWasm();
  if (fetched?.key !== task.sourceKey) {
    fetched = null;
    const response = await fetch(new URL(`clip-source/${task.token}`, document.baseURI));
    if (!response.ok) return fail(`the app did not serve ${task.video} (HTTP ${response.status})`);
    fetched = { key: task.sourceKey, blob: await response.blob() };
  }
  const log: string[] = [];
  const onLog = ({ message }: { message: string }) => {
    log.push(message);
    if (log.length > LOG_KEEP) log.shift();
  };
  // ffmpeg's output time, in microseconds (its own `progress` is over the whole source's length, not the clip's).
  const onProgress = ({ time }: { time: number }) => onTime(Math.max(0, time / 1e6));
  ffmpeg.on('log', onLog);
  ffmpeg.on('progress', onProgress);
  try {
    for (const dir of ['/in', '/out']) await ffmpeg.createDir(dir).catch(() => undefined);
    // A task stopped mid-way may have left its mount behind.
    await ffmpeg.unmount('/in').catch(() => undefined);
    await ffmpeg.mount(FFFSType.WORKERFS, { blobs: [{ name: task.inputName, data: fetched.blob }] }, '/in');
    const exitCode = await ffmpeg.exec(task.args);
    if (exitCode !== 0) {
      // A run that aborted (out of memory) leaves the core unusable: the next task loads a fresh one.
      stopWasm();
      return await finish({ exitCode, log: log.join('\n').slice(-60_000), sizes: {}, keyframes: null });
    }
    let keyframes: string | null = null;
    if (task.keyframes) {
      // ffmpeg.wasm's ffprobe does not give a useful exit code (it is not 0 on success): its output file says.
      const probed = await ffmpeg.ffprobe(task.keyframes.args);
      const listed = await ffmpeg.readFile(task.keyframes.file, 'utf8').catch(() => null);
      if (listed !== null) keyframes = keyframeLines(String(listed));
      else log.push(`ffprobe (exit ${probed}) wrote no keyframe list`);
    }
    const sizes: Record<string, number> = {};
    for (const output of task.outputs) {
      // An output that is not there is left out of the sizes: the engine reports that clip, not the whole task.
      const data = (await ffmpeg.readFile(output.file).catch(() => null)) as Uint8Array | null;
      if (!data) continue;
      // slice, not subarray: a view would carry its whole buffer across IPC.
      for (let offset = 0; offset < data.byteLength; offset += task.chunkBytes)
        await api.clips.wasmChunk({ taskId: task.taskId, ref: output.ref, offset, bytes: data.slice(offset, offset + task.chunkBytes) });
      sizes[output.ref] = data.byteLength;
      await ffmpeg.deleteFile(output.file).catch(() => undefined);
    }
    return await finish({ exitCode, log: log.join('\n').slice(-60_000), sizes, keyframes });
  } finally {
    ffmpeg.off('log', onLog);
    ffmpeg.off('progress', onProgress);
    if (instance === ffmpeg) {
      await ffmpeg.unmount('/in').catch(() => undefined);
      for (const file of [...task.outputs.map((o) => o.file), ...(task.keyframes ? [task.keyframes.file] : [])])
        await ffmpeg.deleteFile(file).catch(() => undefined);
    }
  }
}
