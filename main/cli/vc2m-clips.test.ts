import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runVc2m as vc2m } from '../../tests/fixtures/run-vc2m';
import { tempDir } from '../../tests/fixtures/temp-dir';
import { testVideo, videoDuration } from '../../tests/fixtures/test-video';

// vc2m clips against raw YouCook2-style videos made by ffmpeg (an H.264 MP4 in the official layout, a VP9 WebM
// elsewhere) and the annotation file: clips named as the annotations expect, verified at the decode level.
const video = (path: string, seconds: number, codec: string[]) => testVideo(path, seconds, [...codec, '-pix_fmt', 'yuv420p']);

describe('vc2m clips', () => {
  it('plans, cuts every clip the annotations name that can be cut, verify decodes them, and a rerun rewrites nothing', async () => {
    const from = tempDir();
    video(join(from, 'raw_videos', 'training', '101', 'GLd3aX16zBg.mp4'), 8, ['-c:v', 'libx264', '-g', '30']);
    video(join(from, 'other', 'xHr8X2Wpmno.webm'), 6, ['-c:v', 'libvpx-vp9', '-b:v', '200k']);
    const spec = join(tempDir(), 'youcookii_annotations_trainval.json');
    writeFileSync(
      spec,
      JSON.stringify({
        database: {
          GLd3aX16zBg: {
            subset: 'training',
            recipe_type: '101',
            annotations: [
              { id: 0, segment: [1, 3] },
              { id: 1, segment: [4, 7.5] },
              { id: 2, segment: [6, 12] },
            ],
          },
          xHr8X2Wpmno: { subset: 'training', recipe_type: '102', annotations: [{ id: 0, segment: [0.5, 2.5] }] },
          missingXXXX: { subset: 'validation', recipe_type: '103', annotations: [{ id: 0, segment: [0, 2] }] },
        },
      }),
    );
    const refs = [
      'training/101/GLd3aX16zBg/split_0.mp4',
      'training/101/GLd3aX16zBg/split_1.mp4',
      'training/101/GLd3aX16zBg/split_2.mp4',
      'training/102/xHr8X2Wpmno/split_0.mp4',
      'validation/103/missingXXXX/split_0.mp4',
    ];
    const annotations = tempDir();
    mkdirSync(join(annotations, 'video/caption/youcook2'), { recursive: true });
    writeFileSync(
      join(annotations, 'video/caption/youcook2/train.json'),
      JSON.stringify(refs.map((video) => ({ video, QA: [{ i: 'Describe.', q: '', a: 'A step.' }] }))),
    );
    const library = join(tempDir(), 'lib');
    const env = { VC2M_CONFIG_DIR: tempDir(), VC2M_LIBRARY: library };
    expect((await vc2m(['init', library], env)).code).toBe(0);
    expect((await vc2m(['annotations', 'import', annotations], env)).code).toBe(0);

    const plan = await vc2m(['clips', 'plan', 'youcook2', '--spec', spec, '--from', from], env);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain('5 clips planned from youcookii_annotations_trainval.json, 2 cannot be cut');
    expect(plan.stdout).toMatch(/training\/101\/GLd3aX16zBg\/split_2\.mp4\s+unusable\s+segment \[6, 12\] s ends past the video's 8\.00 s/);
    expect(plan.stdout).toMatch(/validation\/103\/missingXXXX\/split_0\.mp4\s+unusable\s+no source video for missingXXXX/);

    const cut = await vc2m(['clips', 'cut', 'youcook2', '--spec', spec, '--from', from, '--json'], env);
    expect(cut.code).toBe(1);
    const result = JSON.parse(cut.stdout) as { schema: string; clips: Array<{ ref: string; state: string }> };
    expect(result.schema).toBe('vc2m.clips/1');
    expect(result.clips.filter((c) => c.state === 'cut').map((c) => c.ref)).toEqual([refs[0], refs[1], refs[3]]);
    const clip = join(library, 'media', 'youcook2', refs[1] as string);
    expect(Math.abs(videoDuration(clip) - 3.5)).toBeLessThanOrEqual(0.11);

    const report = JSON.parse((await vc2m(['verify', '--subset', 'caption_youcook2', '--level', 'decode', '--json'], env)).stdout) as {
      subsets: Array<Record<string, unknown>>;
    };
    expect(report.subsets.find((s) => s.id === 'caption_youcook2')).toMatchObject({ media: 5, present: 3, missing: 2, corrupt: 0 });

    const before = statSync(clip).mtimeMs;
    const again = await vc2m(['clips', 'cut', 'youcook2', '--spec', spec, '--from', from], env);
    expect(again.stdout).toMatch(/^0 clips cut \(accurate, ffmpeg [^)]+\), 3 already there/m);
    expect(statSync(clip).mtimeMs).toBe(before);
  });

  it('refuses a spec that is not there and a source without clips, saying what to give', async () => {
    const library = join(tempDir(), 'lib');
    const env = { VC2M_CONFIG_DIR: tempDir(), VC2M_LIBRARY: library };
    expect((await vc2m(['init', library], env)).code).toBe(0);
    const missing = await vc2m(['clips', 'plan', 'youcook2', '--spec', join(tempDir(), 'nope.json'), '--from', tempDir()], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.json does not exist: give the annotation file/);
    const other = await vc2m(['clips', 'plan', 'coco', '--spec', 'x', '--from', 'y'], env);
    expect(other).toMatchObject({ code: 2, stderr: expect.stringContaining('clips are cut for youcook2 and egoqa, not coco') });
  });
});

describe('vc2m clips after a kill', () => {
  it('SIGKILL mid-cut leaves no clip that passes as complete; the rerun cuts the rest and rewrites nothing already cut', async () => {
    const from = tempDir();
    const ids = ['aaaaaaaaaaa', 'bbbbbbbbbbb', 'ccccccccccc'];
    for (const id of ids) {
      testVideo(
        join(from, 'raw_videos', 'training', '101', `${id}.mp4`),
        40,
        ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
        'testsrc=size=320x240:rate=25',
      );
    }
    const segments = [0, 1, 2, 3, 4, 5].map((k) => [k * 6 + 0.5, k * 6 + 5.5]);
    const spec = join(tempDir(), 'youcookii_annotations_trainval.json');
    writeFileSync(
      spec,
      JSON.stringify({
        database: Object.fromEntries(
          ids.map((id) => [id, { subset: 'training', recipe_type: '101', annotations: segments.map((segment, k) => ({ id: k, segment })) }]),
        ),
      }),
    );
    const library = join(tempDir(), 'lib');
    const env = { VC2M_CONFIG_DIR: tempDir(), VC2M_LIBRARY: library };
    expect((await vc2m(['init', library], env)).code).toBe(0);
    const child = spawn(process.execPath, [resolve('dist/main/vc2m.js'), 'clips', 'cut', 'youcook2', '--spec', spec, '--from', from, '--jobs', '1'], {
      env: { PATH: process.env.PATH, HOME: tempDir(), ...env },
      stdio: 'ignore',
    });
    const exited = new Promise((r) => child.once('exit', r));
    const clipsOf = (id: string) => segments.map((_, k) => join(library, 'media', 'youcook2', 'training', '101', id, `split_${k}.mp4`));
    // Killed once the first video's clips are in place, while the next one's ffmpeg runs.
    for (let i = 0; i < 600 && !clipsOf(ids[0] as string).every((p) => existsSync(p)); i++) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    await exited;
    const probe = (path: string) => videoDuration(path);
    const present = ids.flatMap(clipsOf).filter((p) => existsSync(p));
    expect(present.length).toBeGreaterThanOrEqual(6);
    // Every clip under its name is whole: nothing half-written passes as complete.
    for (const path of present) expect(Math.abs(probe(path) - 5)).toBeLessThanOrEqual(0.05);
    const before = statSync(clipsOf(ids[0] as string)[0] as string).mtimeMs;
    const rerun = await vc2m(['clips', 'cut', 'youcook2', '--spec', spec, '--from', from], env);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(new RegExp(`^${18 - present.length} clips cut \\(accurate, ffmpeg [^)]+\\), ${present.length} already there`, 'm'));
    expect(statSync(clipsOf(ids[0] as string)[0] as string).mtimeMs).toBe(before);
    const left = readdirSync(join(library, 'media', 'youcook2'), { recursive: true }).filter((n) => String(n).includes('.partial'));
    expect(left).toEqual([]);
  }, 120_000);
});
