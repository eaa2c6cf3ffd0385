import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { testVideo } from '../../../tests/fixtures/test-video';
import { planClips } from './clip-plan';
import type { ClipSpec } from './clip-spec';

const video = (path: string, seconds: number) => testVideo(path, seconds, ['-pix_fmt', 'yuv420p'], 'testsrc=size=64x48:rate=10');

const clip = (video: string, k: number, start: number, end: number, layout: string | null = `raw_videos/training/101/${video}`): ClipSpec => ({
  ref: `training/101/${video}/split_${k}.mp4`,
  video,
  layout,
  start,
  end,
});

describe('a clip plan', () => {
  it('finds each source by the layout, else by name below --from; names what is missing, doubled, unreadable or too short', async () => {
    const from = tempDir();
    video(join(from, 'raw_videos', 'training', '101', 'GLd3aX16zBg.mp4'), 4);
    video(join(from, 'elsewhere', 'xHr8X2Wpmno.webm'), 3);
    video(join(from, 'a', 'twiceXXXXXX.mp4'), 2);
    video(join(from, 'b', 'twiceXXXXXX.mkv'), 2);
    mkdirSync(join(from, 'raw_videos', 'training', '101'), { recursive: true });
    writeFileSync(join(from, 'raw_videos', 'training', '101', 'brokenXXXXX.mp4'), 'not a video');
    const plan = await planClips(
      [
        clip('GLd3aX16zBg', 0, 0.5, 2),
        clip('GLd3aX16zBg', 1, 3, 6),
        clip('xHr8X2Wpmno', 0, 1, 2),
        clip('missingXXXX', 0, 0, 1),
        clip('twiceXXXXXX', 0, 0, 1),
        clip('brokenXXXXX', 0, 0, 1),
      ],
      from,
      { ffprobe: 'ffprobe' },
    );
    const by = (ref: string) => plan.find((p) => p.ref === ref);
    expect(by('training/101/GLd3aX16zBg/split_0.mp4')).toMatchObject({ source: join(from, 'raw_videos/training/101/GLd3aX16zBg.mp4'), reason: null });
    expect(by('training/101/GLd3aX16zBg/split_0.mp4')?.duration).toBeCloseTo(4, 1);
    expect(by('training/101/GLd3aX16zBg/split_1.mp4')?.reason).toMatch(/^segment \[3, 6\] s ends past the video's 4\.00 s; not cut/);
    expect(by('training/101/xHr8X2Wpmno/split_0.mp4')).toMatchObject({ source: join(from, 'elsewhere/xHr8X2Wpmno.webm'), reason: null });
    expect(by('training/101/missingXXXX/split_0.mp4')?.reason).toMatch(
      /^no source video for missingXXXX under .* \(looked for raw_videos\/training\/101\/missingXXXX\.\* and missingXXXX\.\* anywhere below\)$/,
    );
    expect(by('training/101/twiceXXXXXX/split_0.mp4')?.reason).toMatch(/^two or more source videos for twiceXXXXXX: /);
    expect(by('training/101/brokenXXXXX/split_0.mp4')?.reason).toMatch(/brokenXXXXX\.mp4 cannot be read: /);
  });

  it("without ffprobe (ffmpeg.wasm where there is no ffmpeg): lengths of MP4 and WebM from the app's own reader, others named; a source over the wasm limit refused up front", async () => {
    const from = tempDir();
    video(join(from, 'raw_videos', 'training', '101', 'GLd3aX16zBg.mp4'), 4);
    video(join(from, 'elsewhere', 'xHr8X2Wpmno.webm'), 3);
    testVideo(join(from, 'elsewhere', 'aviXXXXXXXX.avi'), 2, ['-c:v', 'mpeg4']);
    const specs = [clip('GLd3aX16zBg', 0, 0.5, 2), clip('GLd3aX16zBg', 1, 3, 6), clip('xHr8X2Wpmno', 0, 1, 2), clip('aviXXXXXXXX', 0, 0, 1)];
    const plan = await planClips(specs, from, { ffprobe: null });
    const by = (ref: string) => plan.find((p) => p.ref === ref);
    expect(by('training/101/GLd3aX16zBg/split_0.mp4')?.duration).toBeCloseTo(4, 1);
    expect(by('training/101/GLd3aX16zBg/split_1.mp4')?.reason).toMatch(/^segment \[3, 6\] s ends past the video's 4\.00 s/);
    expect(by('training/101/xHr8X2Wpmno/split_0.mp4')).toMatchObject({ reason: null });
    expect(by('training/101/xHr8X2Wpmno/split_0.mp4')?.duration).toBeCloseTo(3, 1);
    expect(by('training/101/aviXXXXXXXX/split_0.mp4')?.reason).toMatch(
      /aviXXXXXXXX\.avi: .*without ffprobe the app reads the length of MP4, MOV, MKV and WebM files only \(install ffmpeg/,
    );
    const refused = await planClips(specs.slice(0, 1), from, { ffprobe: null, maxInput: { bytes: 1000, why: 'cut it natively' } });
    expect(refused[0]?.reason).toMatch(/GLd3aX16zBg\.mp4 is [\d,]+ bytes \(0\.00 GiB\): cut it natively$/);
  });
});
