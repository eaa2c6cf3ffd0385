import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type FileHost, startFileHost } from '../fixtures/file-host';
import { zipOf } from '../fixtures/zip-of';
import { expect, screenshot, test } from './fixtures';

// The Sources page and the Jobs drawer against the real engine (web host) and a plain file host on 127.0.0.1,
// reached through each source's mirror: the routes' own URLs keep their paths.
const CLEVRER = 'clevrer/videos/train/video_train.zip';
const COCO = 'zips/train2014.zip';

let files: FileHost | null = null;
test.afterEach(async () => {
  await files?.close();
  files = null;
});

test('download from the Sources page, pause and resume it from the Jobs drawer, retry the failed set', async ({ page, host, workDir }) => {
  const served = join(workDir, 'served');
  const clevrer = zipOf([{ name: 'video_train/video_00000-01000/video_00000.mp4', size: 2 * 1024 * 1024 }], join(served, CLEVRER));
  zipOf([{ name: 'train2014/COCO_train2014_000000000009.jpg', size: 50_000 }], join(served, COCO));
  files = await startFileHost(served);
  // Slow enough to pause mid-way: ~400 KB/s for the first transfer only.
  files.faults.push({ kind: 'slow', path: CLEVRER, bytesPerTick: 8 * 1024, tickMs: 20, times: 1 });
  // COCO's archive is gone for the size probe and the first download: it fails, with its reason.
  files.faults.push({ kind: 'status', path: COCO, status: 404, times: 2 });
  const lib = join(workDir, 'lib');
  await host.call('library.create', { path: lib });
  await host.call('settings.setMirror', { sourceId: 'clevrer', baseUrl: files.origin });
  await host.call('settings.setMirror', { sourceId: 'coco', baseUrl: files.origin });

  await page.goto(host.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sources' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sources' })).toBeVisible();
  const row = page.getByTestId('source-clevrer');
  await expect(row).toContainText('HTTP: 1 archive from data.csail.mit.edu');
  await expect(row).toContainText('not started');
  await expect(row).toContainText(`mirror ${files.origin}`);
  await expect(page.getByTestId('source-ssv2')).toContainText('needs you');
  await expect(page.getByTestId('source-ssv2').getByRole('link', { name: 'Open the request page' })).toHaveAttribute(
    'href',
    /^https:\/\/developer\.qualcomm\.com\//,
  );

  await row.getByRole('button', { name: 'Download' }).click();
  await expect(row).toContainText('downloading');
  await page.getByRole('button', { name: /^Jobs drawer/ }).click();
  const drawer = page.getByRole('complementary', { name: 'Jobs drawer' });
  const job = drawer.locator('[data-testid^="drawer-job-"]').first();
  await expect(job).toContainText('Download media');
  // The pace is measured: bytes a second and the time left appear once there are a few seconds of progress.
  await expect(job).toContainText(/KB\/s · .* left/, { timeout: 10_000 });
  await expect(drawer.getByRole('region', { name: 'Files in transfer' })).toContainText('video_train.zip');
  await screenshot(page, 'sources-downloading');

  await job.getByRole('button', { name: 'Pause' }).click();
  await expect(job).toContainText('paused');
  await expect(row).toContainText('paused');
  const partial = join(lib, 'downloads', 'clevrer', '.video_train.zip.vc2part');
  const kept = statSync(partial).size;
  expect(kept).toBeGreaterThan(0);
  expect(kept).toBeLessThan(clevrer.length);
  await screenshot(page, 'jobs-drawer-paused');

  await job.getByRole('button', { name: 'Resume' }).click();
  await expect(row).toContainText('complete', { timeout: 30_000 });
  expect(readFileSync(join(lib, 'downloads', 'clevrer', 'video_train.zip')).equals(clevrer)).toBe(true);
  expect(existsSync(join(lib, 'media', 'clevrer', 'video_train', 'video_00000-01000', 'video_00000.mp4'))).toBe(true);
  // The resume asked for the rest of the file only.
  expect(files.log.filter((l) => l.method === 'GET' && l.path.endsWith(CLEVRER)).at(-1)).toMatchObject({ status: 206, range: `bytes=${kept}-` });

  const coco = page.getByTestId('source-coco');
  await coco.getByRole('button', { name: 'Download' }).click();
  await expect(coco).toContainText('needs you', { timeout: 30_000 });
  await expect(coco).toContainText('1 file failed: ');
  await expect(coco).toContainText('404');
  const failed = drawer.getByRole('region', { name: 'Failed downloads' });
  await expect(failed).toContainText('train2014.zip');
  await screenshot(page, 'jobs-drawer-failed');
  await failed.getByRole('button', { name: 'Retry failed' }).click();
  await expect(coco).toContainText('complete', { timeout: 30_000 });
  await expect(failed).toBeHidden();
  await expect(page.getByTestId('sources-summary')).toContainText('2 of');
  await screenshot(page, 'sources-complete');
});

test('WebVid, one URL per clip: the user gives the metadata table, each clip it lists lands where verify looks', async ({ page, host, workDir }) => {
  const served = join(workDir, 'served');
  const clips = [1066682446, 1066682447, 31353427];
  const clipPath = (id: number) => `shutterstock/videos/${id}/preview/stock-footage-${id}.mp4`;
  for (const id of clips) {
    mkdirSync(dirname(join(served, clipPath(id))), { recursive: true });
    writeFileSync(join(served, clipPath(id)), Buffer.alloc(30_000 + (id % 1000), id % 251));
  }
  files = await startFileHost(served);
  const refs = [...clips.map((id) => `000001_000050/${id}.mp4`), '000051_000100/99.mp4'];
  const annotations = join(workDir, 'annotations');
  mkdirSync(join(annotations, 'video/caption/webvid'), { recursive: true });
  writeFileSync(
    join(annotations, 'video/caption/webvid/train.json'),
    JSON.stringify(refs.map((video) => ({ video, QA: [{ i: 'Describe the video.', q: '', a: 'A clip.' }] }))),
  );
  const table = join(workDir, 'results_2M_train.csv');
  writeFileSync(
    table,
    [
      'videoid,contentUrl,duration,page_dir,name',
      ...clips.map((id) => `${id},https://ak.picdn.net/${clipPath(id)},PT00H00M12S,000001_000050,"A clip, ${id}"`),
    ].join('\n'),
  );
  const lib = join(workDir, 'lib');
  await host.call('library.create', { path: lib });
  await host.call('settings.setMirror', { sourceId: 'webvid', baseUrl: files.origin });
  const imported = await host.call('annotations.import', { path: annotations });
  await expect
    .poll(async () => ((await host.call('jobs.get', { id: (imported.value as { id: number }).id })).value as { state: string }).state)
    .toBe('finished');

  await page.goto(host.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sources' }).click();
  const row = page.getByTestId('source-webvid');
  await expect(row).toContainText('one URL per clip');
  await row.getByRole('button', { name: 'Use my tables…' }).click();
  const form = page.getByRole('form', { name: 'Metadata tables for WebVid-10M' });
  await form.getByLabel(/A metadata CSV/).fill(table);
  await screenshot(page, 'sources-webvid-tables');
  await form.getByRole('button', { name: 'Download with these tables' }).click();
  // The one clip no table row names needs the user: the row says why.
  await expect(row).toContainText('needs you', { timeout: 30_000 });
  await expect(row).toContainText('1 file failed: in no row of the metadata table');
  await expect(row).toContainText('3 of 4 files');
  for (const id of clips) {
    expect(readFileSync(join(lib, 'media', 'webvid', '000001_000050', `${id}.mp4`)).equals(readFileSync(join(served, clipPath(id))))).toBe(true);
  }
  await screenshot(page, 'sources-webvid-done');
});
