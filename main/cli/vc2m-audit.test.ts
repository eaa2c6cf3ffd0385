import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runVc2m as vc2m } from '../../tests/fixtures/run-vc2m';
import { tempDir } from '../../tests/fixtures/temp-dir';

// vc2m audit: the report a researcher attaches to an upstream issue — a Markdown summary and the CSV of every problem.
describe('vc2m audit', () => {
  it('writes audit.md with per-subset counts of missing, zero-byte and undecodable media and examples, and audit.csv with every one', async () => {
    const uid = 'd250521e-5197-44aa-8baa-2f42b24444d2';
    const refs = [0, 1, 2].map((k) => `${uid}/split_${k}.mp4`);
    const annotations = tempDir();
    mkdirSync(join(annotations, 'video/vqa/ego_qa'), { recursive: true });
    writeFileSync(join(annotations, 'video/vqa/ego_qa/train.json'), JSON.stringify(refs.map((video) => ({ video, QA: [{ i: '', q: 'Q', a: 'A' }] }))));
    const media = tempDir();
    const put = (ref: string, text: string) => {
      mkdirSync(dirname(join(media, ref)), { recursive: true });
      writeFileSync(join(media, ref), text);
    };
    put(refs[0] as string, 'a clip');
    put(refs[1] as string, '');
    const library = join(tempDir(), 'lib');
    const env = { VC2M_CONFIG_DIR: tempDir(), VC2M_LIBRARY: library };
    expect((await vc2m(['init', library], env)).code).toBe(0);
    expect((await vc2m(['annotations', 'import', annotations], env)).code).toBe(0);
    expect((await vc2m(['sources', 'set-root', 'egoqa', media], env)).code).toBe(0);
    const out = join(tempDir(), 'for-issue');
    const result = await vc2m(['audit', '--out', out], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('(2 problems listed)');
    const md = readFileSync(join(out, 'audit.md'), 'utf8');
    expect(md).toContain('## VideoChat2-IT media audit');
    expect(md).toContain('**1 of 3** media files present; 1 missing, 1 damaged, in 1 of 1 subsets.');
    expect(md).toContain('| vqa_ego_qa | — | 3 | 3 | 1 | 1 | 1 | 0 | 0 |');
    expect(md).toContain(`- zero-byte (1): \`${refs[1]}\``);
    expect(md).toContain(`- missing (1): \`${refs[2]}\``);
    const csv = readFileSync(join(out, 'audit.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('subset,source,ref,reason,expected');
    expect(csv.slice(1).sort()).toEqual([
      `vqa_ego_qa,egoqa,${refs[1]},corrupt:the file is empty (0 bytes),`,
      `vqa_ego_qa,egoqa,${refs[2]},not-found,${join(media, refs[2] as string)}`,
    ]);
  });
});
