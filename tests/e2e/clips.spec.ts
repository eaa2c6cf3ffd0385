import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeYoucookSpec } from '../fixtures/clip-fixtures';
import { keyframesOf } from '../fixtures/test-video';
import { expect, libraryWith, screenshot, test } from './fixtures';

// The Clips view on the Sources page against the real engine: raw YouCook2-style videos and the annotation file;
// the plan shows what cannot be cut and why, the cut writes the clips where verify looks, the Dashboard counts them.
test('clips: planned and cut from the Sources page with native ffmpeg; the Dashboard shows the clips present', async ({ page, host, workDir }) => {
  const from = join(workDir, 'raw');
  const raw = join(from, 'raw_videos', 'training', '101', 'GLd3aX16zBg.mp4');
  mkdirSync(dirname(raw), { recursive: true });
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=96x64:rate=10:duration=8', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', raw]);
  const spec = join(workDir, 'youcookii_annotations_trainval.json');
  writeYoucookSpec(spec, {
    GLd3aX16zBg: [
      [1, 3],
      [4, 7],
      [6, 12],
    ],
  });
  const refs = [0, 1, 2].map((k) => `training/101/GLd3aX16zBg/split_${k}.mp4`);
  const annotations = join(workDir, 'annotations');
  mkdirSync(join(annotations, 'video/caption/youcook2'), { recursive: true });
  writeFileSync(join(annotations, 'video/caption/youcook2/train.json'), JSON.stringify(refs.map((video) => ({ video, QA: [{ i: '', q: '', a: 'A step.' }] }))));
  const lib = join(workDir, 'lib');
  await libraryWith(host, lib, annotations);

  await page.goto(`${host.url}#/sources`);
  const panel = page.getByRole('region', { name: 'Clips' });
  await panel.getByLabel(/^Spec:/).fill(spec);
  await panel.getByLabel('Folder of the raw videos').fill(from);
  await panel.getByRole('button', { name: 'Plan' }).click();
  await expect(page.getByTestId('clips-summary')).toContainText('3 clips planned · 1 source videos found', { timeout: 30_000 });
  await expect(panel.getByRole('table', { name: 'Clips that cannot be cut' })).toContainText("ends past the video's 8.00 s");
  await panel.getByRole('button', { name: 'Cut' }).click();
  await expect(page.getByTestId('clips-summary')).toContainText('2 cut', { timeout: 60_000 });
  expect(existsSync(join(lib, 'media', 'youcook2', refs[1] as string))).toBe(true);
  await screenshot(page, 'sources-clips', panel);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByTestId('dashboard-summary')).toContainText('2 of 3 media present', { timeout: 30_000 });

  // Copy mode says where each clip really starts: the keyframe at or before split_1's start (4 s), as ffprobe lists them.
  const keyframes = keyframesOf(raw);
  const before = Math.max(...keyframes.filter((t) => t <= 4));
  rmSync(join(lib, 'media', 'youcook2', refs[1] as string));
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sources' }).click();
  await panel.getByLabel(/^Spec:/).fill(spec);
  await panel.getByLabel('Folder of the raw videos').fill(from);
  await panel.getByLabel('Mode').selectOption('copy');
  await expect(panel).toContainText('Copy: fast, but a clip starts at the keyframe at or before start');
  await panel.getByRole('button', { name: 'Cut' }).click();
  const copied = panel.getByRole('table', { name: 'Clips cut from the keyframe before their start' });
  await expect(copied).toContainText(refs[1] as string, { timeout: 60_000 });
  await expect(copied).toContainText(`${(4 - before).toFixed(2)} s before its start (the keyframe)`);
});
