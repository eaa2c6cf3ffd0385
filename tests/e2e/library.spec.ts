import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, screenshot, test } from './fixtures';
import { LibraryPage } from './pages/library-page';

test('a library created in the UI is still there after the host restarts', async ({ page, host, workDir }) => {
  const libraryPath = join(workDir, 'VideoChat2-IT');
  const library = new LibraryPage(page);

  await page.goto(host.url);
  await expect(library.heading()).toBeVisible();
  await expect(page.getByText('No library is open.')).toBeVisible();
  await library.create(libraryPath);

  await expect(library.openLibraryCard()).toContainText('VideoChat2-IT');
  await expect(library.openLibraryCard()).toContainText(join(libraryPath, 'library.sqlite'));
  expect(existsSync(join(libraryPath, 'library.sqlite'))).toBe(true);
  await expect.poll(async () => (await host.call('library.current')).value).toMatchObject({ path: libraryPath });

  await host.restart();
  await page.goto(host.url);
  await expect(library.openLibraryCard()).toContainText(libraryPath);
  await expect(library.recent()).toContainText(libraryPath);
  await screenshot(page, 'library');
});

test('opening a folder that is not a library explains what to do, and keeps what was open', async ({ page, host, workDir }) => {
  const library = new LibraryPage(page);
  await host.call('library.create', { path: join(workDir, 'first') });
  await page.goto(host.url);
  await expect(library.openLibraryCard()).toContainText('first');
  await library.open(workDir);
  await expect(library.error()).toContainText('is not a library');
  await expect(library.openLibraryCard()).toContainText('first');
});

test('measuring disk usage runs as a job with progress, listed on the Jobs page', async ({ page, host, workDir }) => {
  await host.call('library.create', { path: join(workDir, 'lib') });
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Measure disk usage' }).click();
  await expect(page.getByRole('article', { name: 'Open library' })).toContainText(/files \(measured/);
  await page.getByRole('link', { name: 'Jobs' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Jobs' })).toBeVisible();
  await expect(page.getByRole('row', { name: /Measure disk usage/ })).toContainText('finished');
  await screenshot(page, 'jobs');
});

test('the settings page saves a token without ever showing it again', async ({ page, host }) => {
  await page.goto(`${host.url}`);
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByText(/gated dataset/)).toBeVisible();
  await page.getByLabel('New token').fill('hf_e2etokene2etoken');
  await page.getByRole('button', { name: 'Save token' }).click();
  await expect(page.getByTestId('token-status')).toContainText('A token is saved');
  await expect(page.getByLabel('New token')).toHaveValue('');
  expect(JSON.stringify(await host.call('settings.get'))).not.toContain('hf_e2etokene2etoken');
  await page.reload();
  await expect(page.getByTestId('token-status')).toContainText('A token is saved');
  expect(await page.content()).not.toContain('hf_e2etokene2etoken');
  await screenshot(page, 'settings');
});

test('the UI is refused without the token from the printed URL', async ({ page, host }) => {
  const response = await page.goto(host.origin);
  expect(response?.status()).toBe(401);
  await expect(page.getByText(/missing or wrong token/)).toBeVisible();
});
