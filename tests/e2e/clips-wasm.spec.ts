import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeYoucookSpec } from '../fixtures/clip-fixtures';
import { keyframesOf } from '../fixtures/test-video';
import { expect, libraryWith, screenshot, test } from './fixtures';

// The Clips view on a machine without ffmpeg (Settings names an ffmpeg that is not there): the app says ffmpeg.wasm
// cuts and why, the page's ffmpeg.wasm (served by the app itself, under the CSP's 'wasm-unsafe-eval') cuts the
// clips, the engine checks them and puts them where verify looks; a source over 2 GiB is refused up front.
test('clips: ffmpeg.wasm cuts in the page when there is no ffmpeg; a source over 2 GiB is refused naming the native route', async ({ page, host, workDir }) => {
  test.setTimeout(240_000);
  const from = join(workDir, 'raw');
  const raw = join(from, 'raw_videos', 'training', '101', 'GLd3aX16zBg.mp4');
  mkdirSync(dirname(raw), { recursive: true });
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=96x64:rate=10:duration=8', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', raw]);
  // Too big for wasm32: 2 GiB and a byte, sparse (no disk used).
  const huge = join(from, 'raw_videos', 'training', '101', 'hUgEvIdEo01.mp4');
  const fd = openSync(huge, 'w');
  ftruncateSync(fd, 2 * 1024 ** 3 + 1);
  closeSync(fd);
  const spec = join(workDir, 'youcookii_annotations_trainval.json');
  writeYoucookSpec(spec, {
    GLd3aX16zBg: [
      [1, 3],
      [4, 7],
    ],
    hUgEvIdEo01: [[1, 3]],
  });
  const refs = ['GLd3aX16zBg/split_0.mp4', 'GLd3aX16zBg/split_1.mp4', 'hUgEvIdEo01/split_0.mp4'].map((r) => `training/101/${r}`);
  const annotations = join(workDir, 'annotations');
  mkdirSync(join(annotations, 'video/caption/youcook2'), { recursive: true });
  writeFileSync(join(annotations, 'video/caption/youcook2/train.json'), JSON.stringify(refs.map((video) => ({ video, QA: [{ i: '', q: '', a: 'A step.' }] }))));
  const lib = join(workDir, 'lib');
  await libraryWith(host, lib, annotations);
  await host.call('settings.update', { ffmpegPath: join(workDir, 'no-ffmpeg', 'ffmpeg') });

  // Everything the page loads comes from the app itself (no CDN), and the CSP lets the wasm compile.
  const elsewhere: string[] = [];
  const refused: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(host.origin) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) elsewhere.push(r.url());
  });
  page.on('console', (m) => {
    if (/Content Security Policy|CompileError/.test(m.text())) refused.push(m.text());
  });
  await page.goto(`${host.url}#/sources`);
  const panel = page.getByRole('region', { name: 'Clips' });
  await expect(panel.getByTestId('clips-backend')).toContainText('Using ffmpeg.wasm: no native ffmpeg');
  await expect(panel.getByTestId('clips-backend')).toContainText('was not found');
  await expect(panel.getByLabel('Backend')).toHaveValue('wasm');
  await panel.getByLabel(/^Spec:/).fill(spec);
  await panel.getByLabel('Folder of the raw videos').fill(from);
  await panel.getByRole('button', { name: 'Cut' }).click();
  await expect(page.getByTestId('clips-summary')).toContainText('2 cut', { timeout: 200_000 });
  await expect(panel.getByRole('table', { name: 'Clips that cannot be cut' })).toContainText(
    'hUgEvIdEo01.mp4 is 2,147,483,649 bytes (2.00 GiB): ffmpeg.wasm addresses at most 2 GiB (2,147,483,648 bytes), so this video must be cut with the native backend',
  );
  await expect(page.getByTestId('clips-job')).toContainText('ffmpeg.wasm');
  for (const ref of refs.slice(0, 2)) {
    const clip = join(lib, 'media', 'youcook2', ref);
    expect(existsSync(clip)).toBe(true);
  }
  // The clips are real: native ffprobe (the test machine has it) reads each one's length.
  const length = Number(
    execFileSync(
      'ffprobe',
      ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=duration', '-of', 'csv=p=0', join(lib, 'media', 'youcook2', refs[1] as string)],
      {
        encoding: 'utf8',
      },
    ),
  );
  expect(length).toBeCloseTo(3, 1);
  // Copy mode through ffmpeg.wasm: its ffprobe lists the keyframes, the view shows where the clip really starts.
  rmSync(join(lib, 'media', 'youcook2', refs[1] as string));
  const keyframes = keyframesOf(raw);
  const before = Math.max(...keyframes.filter((t) => t <= 4));
  await panel.getByLabel('Mode').selectOption('copy');
  await panel.getByRole('button', { name: 'Cut' }).click();
  const copied = panel.getByRole('table', { name: 'Clips cut from the keyframe before their start' });
  await expect(copied).toContainText(`${(4 - before).toFixed(2)} s before its start (the keyframe)`, { timeout: 120_000 });
  expect(existsSync(join(lib, 'media', 'youcook2', refs[1] as string))).toBe(true);
  expect(elsewhere).toEqual([]);
  expect(refused).toEqual([]);
  await screenshot(page, 'sources-clips-wasm', panel);
});
