import { type ChildProcess, spawn } from 'node:child_process';

export interface DecodeJob {
  ffmpeg: string;
  path: string;
  /** Seconds; decides between decoding all of it and sampling windows. */
  durationS: number | null;
}

export type DecodeResult = { ok: true } | { ok: false; detail: string };

/** Files up to this long are decoded whole; longer ones in windows, so a 2-hour ActivityNet video costs seconds. */
export const WHOLE_FILE_LIMIT_S = 60;
const WINDOW_S = 4;
const STDERR_TAIL = 8 * 1024;

/** The ffmpeg argument lists for one file: one run for a short file, three windows (start, middle, end) otherwise. */
export function buildDecodeArgs(job: Pick<DecodeJob, 'path' | 'durationS'>): string[][] {
  const base = ['-hide_banner', '-nostdin', '-v', 'error'];
  const tail = ['-i', job.path, '-map', '0:v:0?', '-f', 'null', '-'];
  if (job.durationS === null || job.durationS <= WHOLE_FILE_LIMIT_S) return [[...base, ...tail]];
  const last = Math.max(0, job.durationS - WINDOW_S - 0.5);
  return [0, job.durationS / 2, last].map((start) => [...base, '-ss', start.toFixed(3), '-t', String(WINDOW_S), ...tail]);
}

type Spawn = (command: string, args: string[]) => ChildProcess;

/** Runs ffmpeg until the first failing window; errors are captured verbatim (the last 8 KiB of stderr). */
export async function decode(
  job: DecodeJob,
  signal: AbortSignal,
  spawnImpl: Spawn = (c, a) => spawn(c, a, { stdio: ['ignore', 'ignore', 'pipe'] }),
): Promise<DecodeResult> {
  for (const args of buildDecodeArgs(job)) {
    const result = await new Promise<{ code: number | null; stderr: string; spawnError: Error | null }>((resolve) => {
      const child = spawnImpl(job.ffmpeg, args);
      let stderr = '';
      const onAbort = () => child.kill('SIGKILL');
      signal.addEventListener('abort', onAbort, { once: true });
      child.stderr?.on('data', (d: Buffer) => {
        stderr = (stderr + d.toString('utf8')).slice(-STDERR_TAIL);
      });
      child.on('error', (error) => resolve({ code: null, stderr, spawnError: error }));
      child.on('close', (code) => {
        signal.removeEventListener('abort', onAbort);
        resolve({ code, stderr, spawnError: null });
      });
    });
    signal.throwIfAborted();
    if (result.spawnError) throw new Error(`cannot run ffmpeg (${job.ffmpeg}): ${result.spawnError.message}. Install ffmpeg or set its path in Settings.`);
    const errors = result.stderr.trim();
    if (result.code !== 0 || errors !== '') return { ok: false, detail: `ffmpeg: ${errors || `exit code ${result.code}`}`.slice(0, 2000) };
  }
  return { ok: true };
}
