import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, libraryWith, screenshot, test } from './fixtures';

// "Locate files…" on the Missing page against the real engine: a folder of the user's holding the missing clips
// under another layout, one of them twice; the proposals listed with how each matched, the duplicate settled by
// hand, then applied (hard links) and verified.
const uid1 = 'd250521e-5197-44aa-8baa-2f42b24444d2';
const uid2 = '0a1b2c3d-0000-4000-8000-000000000001';

function write(path: string, text: string) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

test('relink: the missing files are found in a folder, a duplicate is settled by hand, and Apply links them where verify finds them', async ({
  page,
  host,
  workDir,
}) => {
  const annotations = join(workDir, 'annotations');
  const refs = [`${uid1}/split_0.mp4`, `${uid1}/split_1.mp4`, `${uid2}/split_0.mp4`];
  write(join(annotations, 'video/vqa/ego_qa/train.json'), JSON.stringify(refs.map((video) => ({ video, QA: [{ i: '', q: 'What?', a: 'A clip.' }] }))));
  const share = join(workDir, 'lab-share');
  write(join(share, 'ego', uid1, 'split_0.mp4'), 'clip 1 0');
  write(join(share, 'ego', uid2, 'split_0.mp4'), 'clip 2 0');
  write(join(share, 'copy-a', uid1, 'split_1.mp4'), 'clip 1 1 (a)');
  write(join(share, 'copy-b', uid1, 'split_1.mp4'), 'clip 1 1 (b)');
  const lib = join(workDir, 'lib');
  await libraryWith(host, lib, annotations);
  const verify = await host.call('verify.start', { level: 'quick' });
  await expect.poll(async () => ((await host.call('jobs.get', { id: (verify.value as { id: number }).id })).value as { state: string }).state).toBe('finished');

  await page.goto(`${host.url}#/missing`);
  await expect(page.getByTestId('missing-total')).toContainText('3 missing or damaged');
  await page.getByRole('button', { name: 'Locate files…' }).click();
  const panel = page.getByRole('region', { name: 'Locate files' });
  await panel.getByLabel('Folders that may hold the missing files (one per line)').fill(share);
  await panel.getByRole('button', { name: 'Look for them' }).click();
  await expect(page.getByTestId('relink-counts')).toContainText('3 proposals: 3 by path · 1 with more than one file, to choose · 2 accepted');
  const list = panel.getByRole('listbox', { name: 'Relink proposals' });
  const ambiguous = list.getByRole('option').filter({ hasText: '2 files: choose one' });
  await ambiguous.click();
  const detail = page.getByTestId('relink-detail');
  await expect(detail).toContainText('More than one file was found');
  const copyB = detail.getByRole('radio', { name: join(share, 'copy-b', uid1, 'split_1.mp4') });
  // The choice is the engine's: the radio shows it once the engine has it.
  await copyB.click();
  await expect(copyB).toBeChecked();
  await expect(page.getByTestId('relink-counts')).toContainText('3 accepted');
  await screenshot(page, 'missing-relink');
  await panel.getByRole('button', { name: 'Apply 3' }).click();
  await expect(page.getByTestId('relink-counts')).toContainText('3 placed', { timeout: 30_000 });
  await expect(page.getByTestId('missing-total')).toContainText('0 missing or damaged', { timeout: 30_000 });
  expect(statSync(join(lib, 'media', 'egoqa', uid1, 'split_1.mp4')).ino).toBe(statSync(join(share, 'copy-b', uid1, 'split_1.mp4')).ino);
  await expect(list.getByRole('option').first()).toContainText('placed (hard link)');
  await screenshot(page, 'missing-relink-applied');
});
