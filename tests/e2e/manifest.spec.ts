import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect, libraryWith, screenshot, test } from './fixtures';

// The Dashboard's manifest panel and the Missing page's audit export against the real engine: a manifest written
// with hashes, the copy changed (a clip deleted), then compared with its own earlier manifest; the audit's two
// files downloaded for an upstream issue.
const uid = 'd250521e-5197-44aa-8baa-2f42b24444d2';
const refs = [0, 1, 2].map((k) => `${uid}/split_${k}.mp4`);

test('manifest: written with sha256 from the Dashboard, compared after a change; the audit exports Markdown and CSV', async ({ page, host, workDir }) => {
  const annotations = join(workDir, 'annotations');
  mkdirSync(join(annotations, 'video/vqa/ego_qa'), { recursive: true });
  writeFileSync(join(annotations, 'video/vqa/ego_qa/train.json'), JSON.stringify(refs.map((video) => ({ video, QA: [{ i: '', q: 'Q', a: 'A' }] }))));
  const media = join(workDir, 'media');
  for (const ref of refs) {
    mkdirSync(dirname(join(media, ref)), { recursive: true });
    writeFileSync(join(media, ref), `clip ${ref}`);
  }
  const lib = join(workDir, 'lib');
  await libraryWith(host, lib, annotations);
  await host.call('sources.setRoot', { sourceId: 'egoqa', path: media });

  await page.goto(`${host.url}#/dashboard`);
  const panel = page.getByRole('region', { name: 'Manifest of this copy' });
  const out = join(workDir, 'ours.jsonl.gz');
  await panel.getByLabel('Manifest file (.jsonl.gz, or .csv.gz for CSV)').fill(out);
  await panel.getByLabel(/With sha256 of every file/).check();
  await panel.getByRole('button', { name: 'Write manifest' }).click();
  await expect(page.getByTestId('manifest-job')).toContainText('3 media refs (3 ok at the quick level); sha256: 3 hashed', { timeout: 30_000 });
  const lines = gunzipSync(readFileSync(out)).toString('utf8').trim().split('\n');
  expect(JSON.parse(lines[0] as string)).toMatchObject({ schema: 'vc2m.manifest/1', hashed: true });
  expect(lines).toHaveLength(4);

  rmSync(join(media, refs[2] as string));
  await panel.getByLabel('Their manifest').fill(out);
  await panel.getByRole('button', { name: 'Compare' }).click();
  const row = page.getByTestId('compare-vqa_ego_qa');
  await expect(row).toContainText('1', { timeout: 30_000 });
  await row.getByText('examples').first().click();
  await expect(row).toContainText(`${refs[2]} (here missing)`);
  await expect(page.getByTestId('manifest-comparison')).toContainText('files compared by size and sha256');
  await screenshot(page, 'dashboard-manifest-compare');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Missing' }).click();
  await expect(page.getByTestId('missing-total')).toContainText('1 missing or damaged');
  const downloads: string[] = [];
  page.on('download', (d) => {
    const path = join(workDir, d.suggestedFilename());
    downloads.push(path);
    void d.saveAs(path);
  });
  await page.getByRole('button', { name: 'Export for an issue' }).click();
  await expect.poll(() => downloads.length).toBe(2);
  await expect.poll(() => existsSync(join(workDir, 'audit.md')) && existsSync(join(workDir, 'audit.csv'))).toBe(true);
  await expect.poll(() => readFileSync(join(workDir, 'audit.md'), 'utf8')).toContain('| vqa_ego_qa | — | 3 | 3 | 2 | 1 | 0 | 0 | 0 |');
  expect(readFileSync(join(workDir, 'audit.csv'), 'utf8')).toContain(`vqa_ego_qa,egoqa,${refs[2]},not-found,`);
});
