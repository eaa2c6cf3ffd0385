import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, type HostProcess, screenshot, test } from './fixtures';

// The sample viewer against the real engine: a list long enough to pass the browser's height cap (so the scaled
// scroller is what reaches its end), real media made by ffmpeg, the media route, the full-text index.

const WEBVID_RECORDS = 160_000;

// Headless Chromium hides scrollbars by default (Playwright passes --hide-scrollbars): this suite drags one.
test.use({
  launchOptions: {
    executablePath: process.env.VC2M_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    ignoreDefaultArgs: ['--hide-scrollbars'],
  },
});

/** A number property of an element (currentTime, naturalWidth…): the test's tsconfig has no DOM types. */
const prop = (locator: ReturnType<Page['locator']>, name: string) => locator.evaluate((el, n) => (el as unknown as Record<string, number>)[n] as number, name);

function ffmpeg(args: string[]): void {
  execFileSync('ffmpeg', ['-v', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

function writeJson(path: string, value: unknown) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(value));
}

async function libraryWithMedia(host: HostProcess, workDir: string) {
  const annotations = join(workDir, 'annotations');
  const library = join(workDir, 'lib');
  writeJson(
    join(annotations, 'image/caption/coco/train.json'),
    [0, 1].map((i) => ({
      image: `train2014/COCO_train2014_00000000000${i}.jpg`,
      QA: [{ i: 'Describe the image briefly.', q: '', a: i === 0 ? 'A test card with coloured bars.' : 'A picture that is not there.' }],
    })),
  );
  writeJson(
    join(annotations, 'video/caption/webvid/train.json'),
    Array.from({ length: WEBVID_RECORDS }, (_, i) => ({
      video: `000001_000050/${1_000_000 + i}.mp4`,
      QA: [{ i: 'Describe the video.', q: '', a: i === 4242 ? 'A red kite drifts over the hill at dawn.' : `Clip ${i}: a quiet street.` }],
    })),
  );
  writeJson(join(annotations, 'video/classification/k710/train.json'), [
    {
      video: 'k400/train/abseiling_test.mp4',
      start: 2,
      end: 4.5,
      QA: [
        {
          i: 'Watch the clip and pick the action.',
          q: 'What is the person doing?\nOptions:\n(A) abseiling\n(B) dancing\n(C) cooking\n(D) swimming',
          a: '(A) abseiling',
        },
      ],
    },
    { video: 'k400/train/lost_clip.mp4', start: 0, end: 1, QA: [{ i: 'Pick the action.', q: 'What happens?', a: 'Nothing.' }] },
  ]);
  writeJson(
    join(annotations, 'video/vqa/tgif_transition_qa/train.json'),
    ['tumblr_first.gif', 'tumblr_last.gif'].map((gif) => ({
      video: gif,
      QA: [{ i: 'Answer about the GIF.', q: 'What does the square do after it moves?', a: `It stops (${gif}).` }],
    })),
  );
  const media = join(library, 'media');
  mkdirSync(join(media, 'coco', 'train2014'), { recursive: true });
  ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=640x480', '-frames:v', '1', join(media, 'coco', 'train2014', 'COCO_train2014_000000000000.jpg')]);
  mkdirSync(join(media, 'kinetics', 'k400', 'train'), { recursive: true });
  ffmpeg([
    ...['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25:duration=6'],
    ...['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-g', '25', '-movflags', '+faststart'],
    join(media, 'kinetics', 'k400', 'train', 'abseiling_test.mp4'),
  ]);
  mkdirSync(join(media, 'tgif'), { recursive: true });
  for (const gif of ['tumblr_first.gif', 'tumblr_last.gif']) ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10:duration=1', join(media, 'tgif', gif)]);

  expect((await host.call('library.create', { path: library })).ok).toBe(true);
  const started = await host.call('annotations.import', { path: annotations });
  await waitFor(host, (started.value as { id: number }).id);
  const verify = await host.call('verify.start', { level: 'quick' });
  await waitFor(host, (verify.value as { id: number }).id);
  return { library, total: WEBVID_RECORDS + 6 };
}

async function waitFor(host: HostProcess, id: number) {
  await expect.poll(async () => ((await host.call('jobs.get', { id })).value as { state: string }).state, { timeout: 60_000 }).toMatch(/^(finished|failed)$/);
}

const list = (page: Page) => page.getByRole('listbox', { name: 'Samples' });
const pane = (page: Page) => page.locator('.sample-pane');

test('every row of a list past the height cap is reached by the scrollbar, the wheel and End; the last one opens', async ({ page, host, workDir }) => {
  test.setTimeout(120_000);
  const { total } = await libraryWithMedia(host, workDir);
  await page.goto(`${host.url}#/samples`);
  await expect(page.getByTestId('samples-total')).toContainText(`${total.toLocaleString('en-US')} records`);
  await expect(list(page)).toHaveAttribute('data-scaled', 'true');
  await expect(list(page).getByTestId('sample-row').first()).toContainText('caption_coco #0');
  await screenshot(page, 'samples-list');

  // Drag the scrollbar's thumb to the bottom.
  const box = (await list(page).boundingBox()) as { x: number; y: number; width: number; height: number };
  // past the scrollbar's up arrow, on its thumb
  await page.mouse.move(box.x + box.width - 7, box.y + 24);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width - 7, box.y + box.height + 200, { steps: 12 });
  await page.mouse.up();
  const last = list(page).locator('[data-subset="vqa_tgif_transition_qa"][data-index="1"]');
  await expect(last).toBeVisible();
  await last.click();
  await expect(pane(page)).toContainText('vqa_tgif_transition_qa #1');
  await expect(page.getByTestId('sample-gif')).toBeVisible();
  await expect.poll(() => prop(page.getByTestId('sample-gif'), 'naturalWidth')).toBe(160);
  await screenshot(page, 'samples-gif');

  // The wheel from the top: a scaled list moves by rows, and a long enough spin ends at the last row.
  await page.keyboard.press('Home');
  await expect(list(page).getByTestId('sample-row').first()).toContainText('caption_coco #0');
  await list(page).hover();
  await page.mouse.wheel(0, 56 * 20);
  await expect(list(page).locator('[aria-posinset="21"]')).toBeVisible();
  await expect(list(page).locator('[aria-posinset="1"]')).toHaveCount(0);
  // End selects the last record by the keyboard
  await page.keyboard.press('End');
  await expect(list(page).locator(`[aria-posinset="${total}"]`)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('k');
  await expect(list(page).locator(`[aria-posinset="${total - 1}"]`)).toHaveAttribute('aria-selected', 'true');
  await expect(pane(page)).toContainText('vqa_tgif_transition_qa #0');
});

test('a K710 video plays with its segment marked and looped, an image opens, a missing file says why and what fixes it', async ({ page, host, workDir }) => {
  const { library } = await libraryWithMedia(host, workDir);
  await page.goto(`${host.url}#/samples`);
  await page.getByLabel('Subset').selectOption('classification_k710');
  await expect(page.getByTestId('samples-total')).toContainText('2 records');
  await list(page).locator('[data-index="0"]').click();
  const video = page.getByTestId('sample-video');
  await expect(video).toBeVisible();
  await expect.poll(() => prop(video, 'readyState')).toBeGreaterThanOrEqual(1);
  // Opened at the segment's start, the segment marked on the timeline, the options laid out.
  await expect.poll(() => prop(video, 'currentTime').then((t) => Math.round(t * 10) / 10)).toBe(2);
  await expect(page.getByTestId('segment-marker')).toBeVisible();
  await expect(page.getByLabel('loop segment', { exact: false })).toBeChecked();
  await expect(pane(page).locator('.conversation__options li')).toHaveText(['(A) abseiling', '(B) dancing', '(C) cooking', '(D) swimming']);
  await expect(page.getByTestId('sample-path')).toContainText('abseiling_test.mp4');
  // ] goes to the segment's end; . steps one frame
  await page.keyboard.press(']');
  await expect.poll(() => prop(video, 'currentTime')).toBeGreaterThan(4.4);
  await page.keyboard.press('[');
  await expect.poll(() => prop(video, 'currentTime')).toBe(2);
  await page.keyboard.press('.');
  await expect.poll(() => prop(video, 'currentTime')).toBeGreaterThan(2);
  await page.getByTestId('segment-marker').scrollIntoViewIfNeeded();
  await screenshot(page, 'samples-video-segment');

  // The missing clip: why, and the source's card.
  await page.keyboard.press('j');
  await expect(pane(page)).toContainText('classification_k710 #1');
  await expect(page.getByTestId('media-problem')).toContainText('Missing: not found (looked for');
  await expect(pane(page).getByRole('link', { name: 'Sources page' })).toHaveAttribute('href', '#/sources?source=kinetics');
  await pane(page).getByRole('link', { name: 'Sources page' }).click();
  await expect(page.getByTestId('source-kinetics')).toHaveAttribute('aria-current', 'true');
  await page.goBack();
  await expect(pane(page)).toContainText('classification_k710 #1');
  // The file arrives and a verify runs: the open sample follows without being picked again.
  copyFileSync(join(library, 'media', 'kinetics', 'k400', 'train', 'abseiling_test.mp4'), join(library, 'media', 'kinetics', 'k400', 'train', 'lost_clip.mp4'));
  await waitFor(host, ((await host.call('verify.start', { sourceId: 'kinetics' })).value as { id: number }).id);
  await expect(pane(page).locator('[data-status]').first()).toHaveAttribute('data-status', 'ok');
  await expect(page.getByTestId('sample-video')).toBeVisible();
  await expect(list(page).getByRole('option', { selected: true })).toContainText('classification_k710 #1');

  // An image, zoomed.
  await page.getByLabel('Subset').selectOption('caption_coco');
  await list(page).locator('[data-index="0"]').click();
  const image = page.getByTestId('sample-image');
  await expect.poll(() => prop(image, 'naturalWidth')).toBe(640);
  await page.getByRole('button', { name: 'Zoom the image' }).click();
  await expect(page.getByRole('button', { name: 'Fit the image' })).toBeVisible();
});

test('search a phrase across the conversations; filter to missing media and see the reason; the keys', async ({ page, host, workDir }) => {
  test.setTimeout(120_000);
  await libraryWithMedia(host, workDir);
  // Offline: nothing the page loads comes from anywhere but the app itself.
  const elsewhere: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(host.origin) && !/^(data|blob):/.test(r.url())) elsewhere.push(r.url());
  });
  await page.goto(`${host.url}#/samples`);
  // The index is built in the background on first use; the search answers once it covers the library.
  await page.keyboard.press('/');
  await expect(page.getByLabel('Search conversations')).toBeFocused();
  await page.keyboard.type('"red kite" DAWN');
  const results = page.getByRole('listbox', { name: 'Search results' });
  await expect(page.getByTestId('samples-total')).toContainText('1 matching record', { timeout: 60_000 });
  await expect(results.getByTestId('sample-row')).toContainText('caption_webvid #4242');
  await expect(results.locator('mark')).toHaveText(['red kite', 'dawn']);
  await screenshot(page, 'samples-search');
  await page.getByLabel('Search conversations').fill('');
  await page.keyboard.press('Escape');

  await page.getByLabel('Media').selectOption('missing');
  await expect(page.getByTestId('samples-total')).toContainText(`${(WEBVID_RECORDS + 2).toLocaleString('en-US')} records`);
  await page.getByLabel('Source').selectOption('kinetics');
  await expect(page.getByTestId('samples-total')).toContainText(/^1 record\b/);
  await list(page).getByTestId('sample-row').first().click();
  await expect(page.getByTestId('media-problem')).toContainText('Missing: not found (looked for');
  await expect(page.getByTestId('sample-verified')).toContainText('not-found at the quick level');

  await page.getByLabel('Source').selectOption('');
  await page.getByLabel('Media').selectOption('');
  await list(page).getByTestId('sample-row').first().click();
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await expect(pane(page)).toContainText('caption_webvid #0');
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keys' })).toContainText('previous / next frame');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Keys' })).toHaveCount(0);
  await page.keyboard.press('r');
  await expect(page.getByTestId('samples-total')).toContainText('shuffled');
  expect(elsewhere).toEqual([]);
});

test('an H.265 file Chromium cannot play gets a preview made by ffmpeg, with a spinner meanwhile, and then plays', async ({ page, host, workDir }) => {
  const annotations = join(workDir, 'annotations');
  const library = join(workDir, 'lib');
  writeJson(join(annotations, 'video/classification/k710/train.json'), [
    { video: 'k400/train/hevc_clip.mp4', start: 1, end: 2, QA: [{ i: 'Pick the action.', q: 'What happens?', a: 'A test pattern.' }] },
  ]);
  mkdirSync(join(library, 'media', 'kinetics', 'k400', 'train'), { recursive: true });
  ffmpeg([
    ...['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25:duration=3'],
    ...['-c:v', 'libx265', '-x265-params', 'log-level=error', '-pix_fmt', 'yuv420p', '-tag:v', 'hvc1'],
    join(library, 'media', 'kinetics', 'k400', 'train', 'hevc_clip.mp4'),
  ]);
  expect((await host.call('library.create', { path: library })).ok).toBe(true);
  await waitFor(host, ((await host.call('annotations.import', { path: annotations })).value as { id: number }).id);
  await page.goto(`${host.url}#/samples`);
  await list(page).getByTestId('sample-row').first().click();
  await expect(page.getByTestId('preview-note')).toBeVisible({ timeout: 30_000 });
  const video = page.getByTestId('sample-video');
  await expect.poll(() => prop(video, 'videoWidth'), { timeout: 15_000 }).toBe(320);
  await expect.poll(() => prop(video, 'currentTime').then((t) => Math.round(t * 10) / 10)).toBe(1);
  expect(await video.getAttribute('src')).toContain('preview=1');
  await screenshot(page, 'samples-hevc-preview');
});

test('a frame folder is a scrubbable strip: the slider, the thumbnails and the frame keys', async ({ page, host, workDir }) => {
  const annotations = join(workDir, 'annotations');
  const library = join(workDir, 'lib');
  writeJson(join(annotations, 'video/caption/sharegptvideo/train_300k.json'), [
    { video: 'v_OiL6Aj0gC14-Scene-006', QA: [{ i: 'Describe the scene.', q: '', a: 'A moving test pattern.' }] },
  ]);
  const folder = join(library, 'media', 'sharegptvideo', 'v_OiL6Aj0gC14-Scene-006');
  mkdirSync(folder, { recursive: true });
  ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=12:duration=1', join(folder, 'c01_%d.jpg')]);
  expect((await host.call('library.create', { path: library })).ok).toBe(true);
  await waitFor(host, ((await host.call('annotations.import', { path: annotations })).value as { id: number }).id);
  await page.goto(`${host.url}#/samples`);
  await list(page).getByTestId('sample-row').first().click();
  await expect(page.getByTestId('frame-position')).toHaveText('frame 1 of 12 · c01_1.jpg');
  await expect.poll(() => prop(page.getByTestId('frame-current'), 'naturalWidth')).toBe(320);
  await page.keyboard.press('.');
  await expect(page.getByTestId('frame-position')).toHaveText('frame 2 of 12 · c01_2.jpg');
  await page.keyboard.press(']');
  await expect(page.getByTestId('frame-position')).toHaveText('frame 12 of 12 · c01_12.jpg');
  await page.getByRole('button', { name: 'Frame 6' }).click();
  await expect(page.getByTestId('frame-position')).toContainText('frame 6 of 12');
  await screenshot(page, 'samples-frames');
});
