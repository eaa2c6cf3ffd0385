import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalHub } from '../fixtures/local-hub';
import { m3itFixture } from '../fixtures/m3it-repo';
import { expect, screenshot, test } from './fixtures';

// The Sources page's M3IT panel against the real engine (web host) and a Hub on 127.0.0.1 with an M3IT-shaped repo:
// get and decode the tasks the ingested subsets use, then the check's findings, the seeded mismatch among them.
test('M3IT: the tasks in use are fetched and decoded from the panel, each with its check; a mismatch shows its examples', async ({ page, host, workDir }) => {
  const fixture = m3itFixture(join(workDir, 'm3it'));
  const hub = await startLocalHub({ root: fixture.repo, repo: 'MMInstruction/M3IT', lfsThreshold: 200, acceptedTokens: [] });
  try {
    const lib = join(workDir, 'lib');
    await host.call('library.create', { path: lib });
    await host.call('settings.update', { hfEndpoint: hub.endpoint });
    const imported = await host.call('annotations.import', { path: fixture.annotations });
    await expect
      .poll(async () => ((await host.call('jobs.get', { id: (imported.value as { id: number }).id })).value as { state: string }).state)
      .toBe('finished');

    await page.goto(host.url);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sources' }).click();
    const panel = page.getByRole('region', { name: 'M3IT images' });
    await expect(panel).toContainText('0 of 16 tasks decoded');
    await expect(page.getByTestId('m3it-vqa-v2')).toContainText('not fetched');
    await panel.getByRole('button', { name: 'Get and decode the tasks in use' }).click();

    const vqa = page.getByTestId('m3it-vqa-v2');
    await expect(vqa).toContainText('rule checked: ok', { timeout: 30_000 });
    await expect(vqa).toContainText('4 of 4 records');
    await expect(vqa).toContainText('1 not JPEG');
    await expect(vqa).toContainText('data/vqa/vqav2/train.jsonl');
    const clevr = page.getByTestId('m3it-clevr');
    await expect(clevr).toContainText('mismatch');
    await clevr.getByText('Findings').click();
    await expect(page.getByTestId('m3it-details-clevr')).toContainText('1 index past the 2 records (e.g. 4)');
    await expect(panel).toContainText('2 of 16 tasks decoded, 1 with a mismatch');
    await expect(vqa.getByRole('button')).toHaveCount(0);
    await expect(page.getByTestId('m3it-gqa').getByRole('button', { name: 'Get' })).toBeVisible();
    // The tasks no ingested subset uses were not fetched.
    await expect(page.getByTestId('m3it-textcap')).toContainText('not fetched');
    expect(readFileSync(join(lib, 'media', 'm3it', 'vqa-v2', 'train', '0.jpg')).equals(fixture.jpegs[0] as Buffer)).toBe(true);
    await page.getByTestId('m3it-clevr').scrollIntoViewIfNeeded();
    await screenshot(page, 'sources-m3it');
  } finally {
    await hub.close();
  }
});
