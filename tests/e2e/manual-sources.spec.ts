import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, libraryWith, screenshot, test } from './fixtures';

// A source fetched by hand, guided: its card on the Sources page, the opt-in watch of the Downloads folder, which
// offers SSv2's 20 parts once they are all there, and the import that takes them as one archive and verifies.
test('SSv2 by hand: the card says what to do; the 20 parts in Downloads are offered and imported as one, then verified', async ({ page, host, workDir }) => {
  const annotations = join(workDir, 'annotations');
  const ids = [11, 12, 13];
  mkdirSync(join(annotations, 'video/classification/ssv2'), { recursive: true });
  writeFileSync(
    join(annotations, 'video/classification/ssv2/train.json'),
    JSON.stringify(ids.map((id) => ({ video: `${id}.webm`, QA: [{ i: 'Classify.', q: 'What happens?', a: 'Something.' }] }))),
  );
  const whole = join(workDir, 'whole.tgz');
  execFileSync('python3', [
    '-c',
    'import io, os, sys, tarfile\nwith tarfile.open(sys.argv[1], "w:gz") as t:\n    for n in sys.argv[2:]:\n        d = os.urandom(30000); i = tarfile.TarInfo("20bn-something-something-v2/" + n); i.size = len(d); t.addfile(i, io.BytesIO(d))',
    whole,
    ...ids.map((id) => `${id}.webm`),
  ]);
  const bytes = readFileSync(whole);
  const downloads = join(workDir, 'Downloads');
  mkdirSync(downloads);
  const part = Math.ceil(bytes.length / 20);
  const writePart = (k: number) =>
    writeFileSync(join(downloads, `20bn-something-something-v2-${String(k).padStart(2, '0')}`), bytes.subarray(k * part, (k + 1) * part));
  for (let k = 0; k < 19; k++) writePart(k);

  const lib = join(workDir, 'lib');
  await libraryWith(host, lib, annotations);

  await page.goto(`${host.url}#/settings`);
  const form = page.getByRole('form', { name: 'Downloads and tools' });
  await form.getByRole('textbox', { name: 'Downloads folder' }).fill(downloads);
  await form.getByLabel(/Watch my Downloads folder/).check();
  await form.getByRole('button', { name: 'Save settings' }).click();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sources' }).click();
  const row = page.getByTestId('source-ssv2');
  await expect(row).toContainText('needs you');
  await row.getByText('Steps', { exact: true }).click();
  await expect(row).toContainText('Sign in at Qualcomm');
  await expect(row).toContainText('Pick: 20bn-something-something-v2-?? (20 parts)');
  await expect(row.getByRole('button', { name: 'I have it…' })).toBeVisible();
  // 19 of 20 parts: nothing offered yet.
  await page.waitForTimeout(5000);
  await expect(page.getByTestId('found-ssv2')).toHaveCount(0);
  writePart(19);
  const found = page.getByTestId('found-ssv2');
  await expect(found).toContainText('20bn-something-something-v2-00 … (20 parts)', { timeout: 20_000 });
  await screenshot(page, 'sources-manual-found');
  await found.getByRole('button', { name: 'Import it' }).click();
  await expect(row).toContainText('complete', { timeout: 30_000 });
  await expect(row).toContainText('3 of 3 media present at the last verify', { timeout: 30_000 });
  await expect(page.getByTestId('found-ssv2')).toHaveCount(0);
  await screenshot(page, 'sources-manual-imported');
});
