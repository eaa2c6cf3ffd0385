import { execFile } from 'node:child_process';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { HOW_TO_GET_FFMPEG } from './cut-native';

const run = promisify(execFile);

export interface NativeFfmpeg {
  available: boolean;
  /** What is run: the configured path, else `ffmpeg` from PATH. */
  path: string;
  /** ffprobe beside the configured ffmpeg, else the one on PATH. */
  ffprobe: string;
  /** `ffmpeg version 5.1.8-0+deb12u1 …`'s version, when it ran. */
  version: string | null;
  reason: string | null;
  /** The reason's first part, without what to do: "ffmpeg on PATH was not found". */
  said: string | null;
}

/** ffprobe beside a configured ffmpeg (`/opt/ffmpeg/bin/ffmpeg` → `/opt/ffmpeg/bin/ffprobe`), else the one on PATH. */
export const ffprobeOf = (ffmpeg: string) => (ffmpeg && ffmpeg !== 'ffmpeg' ? join(dirname(ffmpeg), basename(ffmpeg).replace(/ffmpeg/, 'ffprobe')) : 'ffprobe');

/** Whether the native ffmpeg and its ffprobe run here (`-version` of each), and if not, why and what to do. */
export async function findNativeFfmpeg(configured: string): Promise<NativeFfmpeg> {
  const path = configured || 'ffmpeg';
  const ffprobe = ffprobeOf(path);
  const where = configured ? `${configured} (Settings)` : 'ffmpeg on PATH';
  if (ffprobe === path) {
    const said = `${where} has no ffprobe beside it (its name does not say "ffmpeg")`;
    return { available: false, path, ffprobe, version: null, reason: `${said}: set the path of an ffmpeg whose ffprobe is in the same folder`, said };
  }
  try {
    const { stdout } = await run(path, ['-hide_banner', '-version'], { timeout: 10_000 });
    const version = /ffmpeg version (\S+)/.exec(stdout)?.[1] ?? null;
    try {
      await run(ffprobe, ['-hide_banner', '-version'], { timeout: 10_000 });
    } catch {
      const said = `${where} runs but ${ffprobe} does not`;
      return { available: false, path, ffprobe, version, reason: `${said}: the cut's checks need ffprobe beside it`, said };
    }
    return { available: true, path, ffprobe, version, reason: null, said: null };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const said = code === 'ENOENT' ? 'was not found' : code === 'EACCES' ? 'is not executable' : `did not run (${(error as Error).message.split('\n')[0]})`;
    return { available: false, path, ffprobe, version: null, reason: `${where} ${said}: ${HOW_TO_GET_FFMPEG}`, said: `${where} ${said}` };
  }
}
