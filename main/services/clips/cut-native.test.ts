import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plannedClip } from '../../../tests/fixtures/clip-fixtures';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { testVideo, videoDuration } from '../../../tests/fixtures/test-video';
import type { PlannedClip } from './clip-plan';
import { cutSource } from './cut-native';

// Real videos made by ffmpeg: H.264 with a keyframe every 2 s (20 frames at 10 fps), a counter burnt into each frame
// by its timestamp, so a clip's first frame says where it starts.
const source = (path: string, seconds: number) =>
  testVideo(path, seconds, ['-c:v', 'libx264', '-g', '20', '-keyint_min', '20', '-sc_threshold', '0', '-pix_fmt', 'yuv420p', '-c:a', 'aac'], undefined, {
    audio: true,
  });

const probe = (path: string) => videoDuration(path);

/** Mean PSNR of two images of the same size, by ffmpeg's psnr filter (inf when identical). */
function psnr(a: string, b: string): number {
  const log = execFileSync('sh', ['-c', `ffmpeg -i "${a}" -i "${b}" -lavfi psnr -f null - 2>&1 | grep -o 'average:[^ ]*'`], { encoding: 'utf8' });
  const value = log.trim().split(':')[1] ?? '0';
  return value === 'inf' ? Number.POSITIVE_INFINITY : Number(value);
}

const frameAt = (video: string, seconds: number, out: string, seekInput = true) => {
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    ...(seekInput ? ['-ss', String(seconds)] : []),
    '-i',
    video,
    ...(seekInput ? [] : ['-ss', String(seconds)]),
    '-frames:v',
    '1',
    out,
  ]);
  return out;
};

const planned = (src: string, ref: string, start: number, end: number): PlannedClip => plannedClip(src, ref, start, end, 'v');

describe('cutting clips with native ffmpeg', () => {
  it('accurate: one process cuts every clip of a source; each starts on the frame at start and lasts end − start within a frame; a rerun keeps them', async () => {
    const work = tempDir();
    const src = join(work, 'raw.mp4');
    source(src, 12);
    const root = join(work, 'clips');
    const clips = [planned(src, 'training/101/v/split_0.mp4', 3.3, 5.5), planned(src, 'training/101/v/split_1.mp4', 8.7, 11.2)];
    const cut = await cutSource(clips, root, { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe', mode: 'accurate' });
    expect(cut.map((c) => [c.ref, c.error, c.kept])).toEqual([
      ['training/101/v/split_0.mp4', null, false],
      ['training/101/v/split_1.mp4', null, false],
    ]);
    for (const [i, c] of clips.entries()) {
      const path = join(root, c.ref);
      expect(Math.abs(probe(path) - (c.end - c.start))).toBeLessThanOrEqual(0.1 + 0.01);
      // The clip's first frame is the source's frame at start (decoded, compared).
      const first = frameAt(path, 0, join(work, `clip${i}.png`));
      const wanted = frameAt(src, c.start, join(work, `src${i}.png`), false);
      expect(psnr(first, wanted)).toBeGreaterThan(30);
    }
    expect(readdirSync(join(root, 'training/101/v')).filter((n) => n.includes('partial'))).toEqual([]);
    const before = statSync(join(root, clips[0]?.ref as string)).mtimeMs;
    const again = await cutSource(clips, root, { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe', mode: 'accurate' });
    expect(again.every((c) => c.kept)).toBe(true);
    expect(statSync(join(root, clips[0]?.ref as string)).mtimeMs).toBe(before);
  });

  it('copy: starts at the keyframe at or before start and says by how much', async () => {
    const work = tempDir();
    const src = join(work, 'raw.mp4');
    source(src, 12);
    const [c] = await cutSource([planned(src, 'x/split_0.mp4', 5.0, 8.0)], join(work, 'clips'), { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe', mode: 'copy' });
    expect(c?.error).toBeNull();
    // Keyframes every 2 s: the one at or before 5.0 s is at 4.0 s.
    expect(c?.startOffset).toBeCloseTo(-1, 1);
  });

  it("a corrupt source fails with ffmpeg's message and leaves no clip", async () => {
    const work = tempDir();
    const src = join(work, 'raw.mp4');
    execFileSync('sh', ['-c', `head -c 5000 /dev/urandom > "${src}"`]);
    const [c] = await cutSource([planned(src, 'x/split_0.mp4', 0, 1)], join(work, 'clips'), { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe', mode: 'accurate' });
    expect(c?.error).toMatch(/^ffmpeg exited with \d+: /);
    expect(existsSync(join(work, 'clips', 'x', 'split_0.mp4'))).toBe(false);
  });
});
