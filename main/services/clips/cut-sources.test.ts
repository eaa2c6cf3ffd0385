import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { testVideo, videoDuration } from '../../../tests/fixtures/test-video';
import { type PlannedClip, planClips } from './clip-plan';
import { cutSource } from './cut-native';

// The containers raw videos come in, made by ffmpeg: H.264 MP4 with keyframes 10 s apart and the index at the end
// (no faststart), VP9 WebM, MKV, and a variable-frame-rate MP4. Each is planned and cut accurately.
const PATTERN = 'testsrc=size=96x64:rate=25';
const H264 = ['-c:v', 'libx264', '-pix_fmt', 'yuv420p'];

describe('cutting the containers raw videos come in', () => {
  it('MP4 with keyframes 10 s apart and moov at the end, VP9 WebM, MKV and a variable-frame-rate file: every clip lasts end − start within a frame', async () => {
    const from = tempDir();
    const at = (name: string) => join(from, 'raw_videos/training/101', name);
    testVideo(at('mp4longgop.mp4'), 24, [...H264, '-g', '250'], PATTERN);
    testVideo(at('webmvp9xxx.webm'), 24, ['-c:v', 'libvpx-vp9', '-b:v', '150k', '-deadline', 'realtime', '-cpu-used', '8'], PATTERN);
    testVideo(at('matroskaxx.mkv'), 24, H264, PATTERN);
    // Variable frame rate: frames dropped unevenly, timestamps kept (-fps_mode vfr).
    testVideo(at('vfrxxxxxxxx.mp4'), 24, ['-vf', "select='not(mod(n\\,3))+lt(t\\,5)'", '-fps_mode', 'vfr', ...H264], PATTERN);
    const ids = ['mp4longgop', 'webmvp9xxx', 'matroskaxx', 'vfrxxxxxxxx'];
    const specs = ids.map((id) => ({ ref: `training/101/${id}/split_0.mp4`, video: id, layout: `raw_videos/training/101/${id}`, start: 13.4, end: 17.9 }));
    const plan = await planClips(specs, from, { ffprobe: 'ffprobe' });
    expect(plan.map((p) => p.reason)).toEqual([null, null, null, null]);
    const root = join(from, 'clips');
    for (const clip of plan as PlannedClip[]) {
      const [cut] = await cutSource([clip], root, { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe', mode: 'accurate' });
      expect(cut?.error).toBeNull();
      expect(Math.abs(videoDuration(join(root, clip.ref), true) - 4.5)).toBeLessThanOrEqual(1 / 25 + 0.05);
    }
  });
});
