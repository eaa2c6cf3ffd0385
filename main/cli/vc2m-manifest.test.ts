import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runVc2m as vc2m } from '../../tests/fixtures/run-vc2m';
import { tempDir } from '../../tests/fixtures/temp-dir';

// vc2m manifest and manifest compare between two libraries of the same annotations with known differences: one
// clip missing in the second, one of another size, one of the same size with other bytes (seen only by sha256).
const uids = ['d250521e-5197-44aa-8baa-2f42b24444d2', '0a1b2c3d-0000-4000-8000-000000000001'];
const refs = uids.flatMap((uid) => [0, 1].map((k) => `${uid}/split_${k}.mp4`));

async function library(clips: Record<string, string>) {
  const annotations = tempDir();
  mkdirSync(join(annotations, 'video/vqa/ego_qa'), { recursive: true });
  writeFileSync(join(annotations, 'video/vqa/ego_qa/train.json'), JSON.stringify(refs.map((video) => ({ video, QA: [{ i: '', q: 'What?', a: 'A clip.' }] }))));
  const media = tempDir();
  for (const [ref, content] of Object.entries(clips)) {
    mkdirSync(dirname(join(media, ref)), { recursive: true });
    writeFileSync(join(media, ref), content);
  }
  const lib = join(tempDir(), 'lib');
  const env = { VC2M_CONFIG_DIR: tempDir(), VC2M_LIBRARY: lib };
  expect((await vc2m(['init', lib], env)).code).toBe(0);
  expect((await vc2m(['annotations', 'import', annotations], env)).code).toBe(0);
  expect((await vc2m(['sources', 'set-root', 'egoqa', media], env)).code).toBe(0);
  return { env, media };
}

const lines = (file: string) => gunzipSync(readFileSync(file)).toString('utf8').trim().split('\n');

describe('vc2m manifest', () => {
  it('writes every ref with its subset, status, size and sha256; a second run hashes nothing; the other copy is compared per subset', async () => {
    const full = Object.fromEntries(refs.map((r) => [r, `clip ${r}`]));
    const a = await library(full);
    const out = join(tempDir(), 'a.jsonl.gz');
    const first = await vc2m(['manifest', '--hash', '--out', out], a.env);
    expect(first).toMatchObject({ code: 0, stdout: expect.stringContaining('4 media refs (4 ok at the quick level); sha256: 4 hashed, 0 unchanged') });
    const [header, ...rows] = lines(out).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(header).toMatchObject({ schema: 'vc2m.manifest/1', level: 'quick', hashed: true, annotations: { vqa_ego_qa: { records: 4, revision: null } } });
    expect(rows).toHaveLength(4);
    // Rows come in the library's order (refs sorted), each one whole.
    expect(rows.find((r) => r.ref === refs[0])).toEqual({
      source: 'egoqa',
      subdir: '',
      ref: refs[0],
      subsets: ['vqa_ego_qa'],
      status: 'ok',
      size: `clip ${refs[0]}`.length,
      durationS: null,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const again = await vc2m(['manifest', '--hash', '--out', out], a.env);
    expect(again.stdout).toContain('sha256: 0 hashed, 4 unchanged since their last hash');

    // The second copy: refs[1] missing, refs[2] longer, refs[3] the same length with other bytes.
    const b = await library({
      [refs[0] as string]: full[refs[0] as string] as string,
      [refs[2] as string]: 'a longer clip than theirs',
      [refs[3] as string]: `CLIP ${refs[3]}`,
    });
    const bySize = await vc2m(['manifest', 'compare', out, '--json'], b.env);
    expect(bySize.code).toBe(1);
    const sized = JSON.parse(bySize.stdout) as { schema: string; hashesCompared: boolean; subsets: Array<Record<string, unknown>> };
    expect(sized).toMatchObject({ schema: 'vc2m.manifest-compare/1', hashesCompared: false });
    expect(sized.subsets).toEqual([
      expect.objectContaining({
        subset: 'vqa_ego_qa',
        theyHave: { count: 1, examples: [{ ref: refs[1], here: 'missing' }] },
        differ: { count: 1, examples: [{ ref: refs[2], what: 'size', here: '25', there: String(`clip ${refs[2]}`.length) }] },
        onlyHere: { count: 0, examples: [] },
        same: 2,
        sizeOnly: 2,
      }),
    ]);
    // With hashes on this side too, the same-size clip with other bytes is found.
    expect((await vc2m(['manifest', '--hash', '--out', join(tempDir(), 'b.jsonl.gz')], b.env)).code).toBe(0);
    const byHash = await vc2m(['manifest', 'compare', out], b.env);
    expect(byHash.code).toBe(1);
    expect(byHash.stdout).toContain('files compared by size and sha256');
    expect(byHash.stdout).toMatch(/vqa_ego_qa: differ: .*split_1\.mp4 \(sha256 /);
    expect(byHash.stdout).toMatch(/vqa_ego_qa: they have, here not: .*split_1\.mp4 \(here missing\)/);
    // A copy compared with its own manifest: nothing differs.
    expect((await vc2m(['manifest', 'compare', out], a.env)).code).toBe(0);
  });

  it('CSV round trip: written for a .csv.gz name and read back by compare', async () => {
    const a = await library(Object.fromEntries(refs.map((r) => [r, `clip ${r}`])));
    const out = join(tempDir(), 'copy.csv.gz');
    expect((await vc2m(['manifest', '--out', out], a.env)).code).toBe(0);
    const text = lines(out);
    expect(text[0]).toMatch(/^# vc2m\.manifest\/1 \{/);
    expect(text[1]).toBe('source,subdir,ref,subsets,status,size,duration_s,sha256');
    expect(text).toContain(`egoqa,,${refs[0]},vqa_ego_qa,ok,${`clip ${refs[0]}`.length},,`);
    const compared = await vc2m(['manifest', 'compare', out], a.env);
    expect(compared).toMatchObject({ code: 0, stdout: expect.stringContaining('files compared by size only') });
  });

  it('a file that is not a manifest, or of another schema, is refused with its line and what it is', async () => {
    const a = await library({});
    const other = join(tempDir(), 'other.jsonl');
    writeFileSync(other, `${JSON.stringify({ schema: 'someone.else/2' })}\n{}\n`);
    const refused = await vc2m(['manifest', 'compare', other], a.env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${other}, line 1: the header says schema "someone.else/2", which this app does not read`);
    const broken = join(tempDir(), 'broken.jsonl');
    const header = JSON.parse(
      lines(
        await (async () => {
          const out = join(tempDir(), 'x.jsonl.gz');
          await vc2m(['manifest', '--out', out], a.env);
          return out;
        })(),
      )[0] as string,
    );
    writeFileSync(broken, `${JSON.stringify(header)}\n{"source":"egoqa","ref":7}\n`);
    const bad = await vc2m(['manifest', 'compare', broken], a.env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/broken\.jsonl, line 2: not a manifest row \(subdir: /);
  });
});
