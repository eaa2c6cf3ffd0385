import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { type PlannedClip, planClips } from './clip-plan';
import { cutSource } from './cut-native';

// The containers raw videos come in, made by ffmpeg: H.264 MP4 with keyframes 10 s apart and the index at the end
// (no faststart), VP9 WebM, MKV, and a variable-frame-rate MP4. Each is planned and cut accurately.
function make(path: string, args: string[]) {
  mkdirSync(dirname(path), { recursive: true });
  execFileSync('ffmpeg', ['-v', 'error', '-y', ...args, path]);
}

const duration = (path: string) =>
  Number(
    execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=duration', '-of', 'default=nw=1:nk=1', path], {
      encoding: 'utf8',
    }).trim(),
  );

describe('cutting the containers raw videos come in', () => {
  it('MP4 with keyframes 10 s apart and moov at the end, VP9 WebM, MKV and a variable-frame-rate file: every clip lasts end − start within a frame', async () => {
    const from = tempDir();
    const src = 'testsrc=size=96x64:rate=25:duration=24';
    make(join(from, 'raw_videos/training/101/mp4longgop.mp4'), ['-f', 'lavfi', '-i', src, '-c:v', 'libx264', '-g', '250', '-pix_fmt', 'yuv420p']);
    make(join(from, 'raw_videos/training/101/webmvp9xxx.webm'), [
      '-f',
      'lavfi',
      '-i',
      src,
      '-c:v',
      'libvpx-vp9',
      '-b:v',
      '150k',
      '-deadline',
      'realtime',
      '-cpu-used',
      '8',
    ]);
    make(join(from, 'raw_videos/training/101/matroskaxx.mkv'), ['-f', 'lavfi', '-i', src, '-c:v', 'libx264', '-pix_fmt', 'yuv420p']);
    // Variable frame rate: frames dropped unevenly, timestamps kept (-fps_mode vfr).
    make(join(from, 'raw_videos/training/101/vfrxxxxxxxx.mp4'), [
      '-f',
      'lavfi',
      '-i',
      src,
      '-vf',
      "select='not(mod(n\\,3))+lt(t\\,5)'",
      '-fps_mode',
      'vfr',
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
    ]);
    const ids = ['mp4longgop', 'webmvp9xxx', 'matroskaxx', 'vfrxxxxxxxx'];
    const specs = ids.map((id) => ({ ref: `training/101/${id}/split_0.mp4`, video: id, layout: `raw_videos/training/101/${id}`, start: 13.4, end: 17.9 }));
    const plan = await planClips(specs, from, { ffprobe: 'ffprobe' });
    expect(plan.map((p) => p.reason)).toEqual([null, null, null, null]);
    const root = join(from, 'clips');
    for (const clip of plan as PlannedClip[]) {
      const [cut] = await cutSource([clip], root, { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe', mode: 'accurate' });
      expect(cut?.error).toBeNull();
      expect(Math.abs(duration(join(root, clip.ref)) - 4.5)).toBeLessThanOrEqual(1 / 25 + 0.05);
    }
  });
});
