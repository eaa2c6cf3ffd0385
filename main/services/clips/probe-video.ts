import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface VideoProbe {
  /** The video stream's own duration where the container gives one (copied audio may start earlier), else the file's. */
  duration: number;
  /** The whole file's duration: how long a source video is. */
  fileDuration: number;
  fps: number;
  video: boolean;
}

/** One ffprobe of a video for the clip plan (its length) and the cut's checks (a video stream, its length and rate). */
export async function probeVideo(ffprobe: string, path: string): Promise<VideoProbe> {
  const { stdout } = await run(ffprobe, ['-v', 'error', '-show_entries', 'format=duration:stream=codec_type,avg_frame_rate,duration', '-of', 'json', path], {
    maxBuffer: 1 << 20,
  });
  const parsed = JSON.parse(stdout) as {
    format?: { duration?: string };
    streams?: Array<{ codec_type?: string; avg_frame_rate?: string; duration?: string }>;
  };
  const video = parsed.streams?.find((s) => s.codec_type === 'video');
  const [n, d] = (video?.avg_frame_rate ?? '0/1').split('/').map(Number);
  const fileDuration = Number(parsed.format?.duration ?? Number.NaN);
  return { duration: Number(video?.duration ?? fileDuration), fileDuration, fps: n && d ? n / d : 25, video: Boolean(video) };
}
