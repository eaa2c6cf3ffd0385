import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, screenshot, test } from './fixtures';

const rec = (video: string) => ({ video, QA: [{ i: 'Describe the video.', q: '', a: 'Something happens.' }] });

function put(root: string, files: Record<string, unknown>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof content === 'string' ? content : JSON.stringify(content));
  }
}

test('verify from the Dashboard, see completion per source, and list what is missing', async ({ page, host, workDir }) => {
  const lib = join(workDir, 'lib');
  await host.call('library.create', { path: lib });
  const annotations = join(workDir, 'annotations');
  const webvid = Array.from({ length: 3000 }, (_, i) => rec(`000001_000050/${1_000_000 + i}.mp4`));
  put(annotations, {
    'video/caption/webvid/train.json': webvid,
    'video/reasoning/clevrer_qa/train.json': [rec('video_05028.mp4'), rec('video_09999.mp4')],
    'video/conversation/videochat2/train.json': [rec('pvideo:LLP1dosmfIw_683.24.mp4')],
  });
  const media = join(lib, 'media');
  // Every webvid clip but the last 125 is on disk (two pages of missing media); CLEVRER sits in its bucket folders.
  for (let i = 0; i < 2875; i++) put(media, { [`webvid/000001_000050/${1_000_000 + i}.mp4`]: 'x' });
  put(media, { 'clevrer/video_train/video_05000-06000/video_05028.mp4': 'x' });
  const imported = await host.call('annotations.import', { path: annotations });
  await expect
    .poll(async () => ((await host.call('jobs.get', { id: (imported.value as { id: number }).id })).value as { state: string }).state)
    .toBe('finished');

  await page.goto(host.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  const verifyForm = page.getByRole('form', { name: 'Verify media' });
  await verifyForm.getByLabel('Level').selectOption('quick');
  await verifyForm.getByRole('button', { name: 'Verify' }).click();

  await expect(page.getByTestId('dashboard-summary')).toContainText('2,876 of 3,003 records usable', { timeout: 30_000 });
  const completion = page.getByRole('region', { name: 'Completion' });
  await expect(completion.getByRole('row', { name: /^webvid / })).toContainText('2,875 / 3,000');
  await expect(completion.getByRole('row', { name: /^clevrer / })).toContainText('1 / 2');
  await expect(completion.getByRole('row', { name: /^clevrer / })).toContainText('found by name in a subfolder: 1');
  await screenshot(page, 'dashboard');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Missing' }).click();
  await expect(page.getByTestId('missing-total')).toContainText('127 missing or damaged');
  // Pages follow each other by key; the total stays as counted for the first page.
  await expect(page.getByText('page 1 of 2')).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText('page 2 of 2')).toBeVisible();
  await expect(page.getByRole('row', { name: /video_09999\.mp4/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
  await expect(page.getByTestId('missing-total')).toContainText('127 missing or damaged');
  await page.getByRole('button', { name: 'Previous' }).click();
  await expect(page.getByText('page 1 of 2')).toBeVisible();
  await expect(page.getByRole('row', { name: /000001_000050\/1002875\.mp4/ })).toBeVisible();
  await page.getByLabel('Reason').selectOption('internal-storage-ref');
  await expect(page.getByTestId('missing-total')).toContainText('1 missing or damaged');
  await expect(page.getByRole('row', { name: /pvideo:LLP1dosmfIw_683\.24\.mp4/ })).toContainText('internal-storage-ref');
  await page.getByLabel('Reason').selectOption('');
  await page.getByLabel('Search refs').fill('video_09999');
  await expect(page.getByRole('row', { name: /video_09999\.mp4/ })).toContainText(join(media, 'clevrer', 'video_09999.mp4'));
  await page.getByLabel('Search refs').fill('');
  await expect(page.getByTestId('missing-total')).toContainText('127 missing or damaged');
  await expect(page.getByText('page 1 of 2')).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const csv = await download;
  expect(csv.suggestedFilename()).toBe('missing.csv');
  // The export walks every page: a header and one line per missing media.
  expect(
    readFileSync((await csv.path()) as string, 'utf8')
      .trim()
      .split('\n'),
  ).toHaveLength(128);
  await screenshot(page, 'missing');
});
