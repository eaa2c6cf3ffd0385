import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type LocalHub, startLocalHub } from '../fixtures/local-hub';
import { expect, screenshot, test } from './fixtures';

const TOKEN = 'hf_e2e_accepted_token';
const rec = (video: string, a: string) => ({ video, QA: [{ i: 'Describe the video.', q: '', a }] });

async function hubWith(root: string): Promise<LocalHub> {
  const files: Record<string, unknown> = {
    'video/caption/webvid/train.json': Array.from({ length: 1200 }, (_, i) => rec(`000001_000050/${100000 + i}.mp4`, `A clip number ${i}.`)),
    'video/vqa/ego_qa/train.json': [rec('d250521e-5197-44aa-8baa-2f42b24444d2/split_0.mp4', 'A person cooks.'), rec('', 'broken')],
    'video/classification/k710/train.json': [rec('k400/Bw6m04_IxTI.mp4', 'eating chips')],
    'image/caption/coco/train.json': [{ image: 'train2014/COCO_train2014_000000021248.jpg', QA: [{ i: '', q: '', a: 'A cat.' }] }],
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), JSON.stringify(content));
  }
  return startLocalHub({ root, acceptedTokens: [TOKEN] });
}

test('get annotations from the Hub through the UI: token and endpoint in Settings, progress, subsets ingested', async ({ page, host, workDir }) => {
  const hub = await hubWith(join(workDir, 'hub'));
  try {
    await host.call('library.create', { path: join(workDir, 'lib') });
    await page.goto(host.url);

    // Without a token, the page explains the gate in plain words before anything is tried.
    const download = page.getByRole('form', { name: 'Download from Hugging Face' });
    await expect(download).toContainText('VideoChat2-IT is gated');

    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Hugging Face endpoint').fill(hub.endpoint);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText('Settings saved.')).toBeVisible();
    await page.getByLabel('New token').fill(TOKEN);
    await page.getByRole('button', { name: 'Save token' }).click();
    await expect(page.getByTestId('token-status')).toContainText('A token is saved');

    await nav.getByRole('link', { name: 'Library' }).click();
    await expect(download).not.toContainText('is gated');
    await download.getByRole('button', { name: 'Get annotations' }).click();

    const video = page.getByRole('region', { name: 'Video subsets' });
    await expect(video.getByRole('row', { name: / caption_webvid / })).toContainText('1,200 / 400,000', { timeout: 30_000 });
    await expect(video.getByRole('row', { name: / vqa_ego_qa / })).toContainText('2 / 7,813');
    await expect(page.getByRole('region', { name: 'Image subsets' }).getByRole('row', { name: / caption_coco / })).toContainText('1 / 566,747');
    await expect(page.getByRole('heading', { name: /1,204 records in 4 of 60 subsets/ })).toBeVisible();
    await expect(page.getByText(hub.commit.slice(0, 12))).toBeVisible();
    const status = await host.call('annotations.status');
    expect((status.value as { revision: string }).revision).toBe(hub.commit);
    await screenshot(page, 'library-annotations');
  } finally {
    await hub.close();
  }
});

test('a wrong token is explained on the page, and nothing is lost', async ({ page, host, workDir }) => {
  const hub = await hubWith(join(workDir, 'hub'));
  try {
    await host.call('library.create', { path: join(workDir, 'lib') });
    await host.call('settings.update', { hfEndpoint: hub.endpoint });
    await host.call('settings.setHfToken', { token: 'hf_not_accepted_yet' });
    await page.goto(host.url);
    await page.getByRole('form', { name: 'Download from Hugging Face' }).getByRole('button', { name: 'Get annotations' }).click();
    await expect(page.getByRole('alert')).toContainText("accept the dataset's conditions", { timeout: 30_000 });
    await expect(page.getByRole('heading', { name: /0 records in 0 of 60 subsets/ })).toBeVisible();
  } finally {
    await hub.close();
  }
});
