import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runVc2m as vc2m } from '../../tests/fixtures/run-vc2m';
import { tempDir } from '../../tests/fixtures/temp-dir';
import { testVideo, videoDuration } from '../../tests/fixtures/test-video';

// Records whose own start/end pick a part of their video (the loader's clip=[start, end]): pre-cut into the
// library's precut/ folder, and the export points those records at their clips without start/end, so training
// reads a small file instead of seeking in a long one.
describe('vc2m clips precut', () => {
  it('cuts each record span once into precut/, lists what cannot be cut, and export --precut rewrites those records only', async () => {
    const annotations = tempDir();
    mkdirSync(join(annotations, 'video/caption/youcook2'), { recursive: true });
    const long = 'training/101/GLd3aX16zBg/split_0.mp4';
    const records = [
      { video: long, QA: [{ i: '', q: '', a: 'Cut the onions.' }], start: 2, end: 5 },
      { video: long, QA: [{ i: '', q: '', a: 'The same span again.' }], start: 2, end: 5 },
      { video: long, QA: [{ i: '', q: '', a: 'Fry them.' }], start: 6.5, end: 9 },
      { video: long, QA: [{ i: '', q: '', a: 'Past the end.' }], start: 8, end: 30 },
      { video: long, QA: [{ i: '', q: '', a: 'The whole video.' }] },
    ];
    writeFileSync(join(annotations, 'video/caption/youcook2/train.json'), JSON.stringify(records));
    const library = join(tempDir(), 'lib');
    const env = { VC2M_CONFIG_DIR: tempDir(), VC2M_LIBRARY: library };
    expect((await vc2m(['init', library], env)).code).toBe(0);
    expect((await vc2m(['annotations', 'import', annotations], env)).code).toBe(0);
    testVideo(join(library, 'media', 'youcook2', long), 10, ['-c:v', 'libx264', '-pix_fmt', 'yuv420p']);
    expect((await vc2m(['verify', '--subset', 'caption_youcook2'], env)).code).toBe(0);

    const cut = await vc2m(['clips', 'precut', '--subset', 'caption_youcook2', '--json'], env);
    expect(cut.code).toBe(1);
    const result = JSON.parse(cut.stdout) as { clips: Array<{ ref: string; state: string; reason: string | null }> };
    expect(result.clips.map((c) => [c.ref, c.state])).toEqual([
      ['caption_youcook2/training/101/GLd3aX16zBg/split_0.2-5.mp4', 'cut'],
      ['caption_youcook2/training/101/GLd3aX16zBg/split_0.6.5-9.mp4', 'cut'],
      ['caption_youcook2/training/101/GLd3aX16zBg/split_0.8-30.mp4', 'unusable'],
    ]);
    expect(result.clips[2]?.reason).toMatch(/span \[8, 30\] s ends past the video's 10\.00 s; not cut/);
    const clip = join(library, 'precut', 'caption_youcook2/training/101/GLd3aX16zBg/split_0.6.5-9.mp4');
    expect(videoDuration(clip, true)).toBeCloseTo(2.5, 1);

    const out = tempDir();
    expect((await vc2m(['export', out, '--precut'], env)).code).toBe(0);
    const exported = JSON.parse(readFileSync(join(out, 'annotations/video/caption/youcook2/train.json'), 'utf8')) as Array<Record<string, unknown>>;
    const precut = join(library, 'precut', 'caption_youcook2/training/101/GLd3aX16zBg');
    expect(exported.map((r) => [r.video, r.start, r.end])).toEqual([
      [join(precut, 'split_0.2-5.mp4'), undefined, undefined],
      [join(precut, 'split_0.2-5.mp4'), undefined, undefined],
      [join(precut, 'split_0.6.5-9.mp4'), undefined, undefined],
      // Not cut (past the end): kept as it was, the loader's own span.
      [long, 8, 30],
      [long, undefined, undefined],
    ]);
    // Without --precut the records are as ingested.
    const plain = tempDir();
    expect((await vc2m(['export', plain], env)).code).toBe(0);
    const asIs = JSON.parse(readFileSync(join(plain, 'annotations/video/caption/youcook2/train.json'), 'utf8')) as Array<Record<string, unknown>>;
    expect(asIs[0]).toMatchObject({ video: long, start: 2, end: 5 });
  });
});
