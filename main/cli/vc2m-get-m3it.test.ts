import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startLocalHub } from '../../tests/fixtures/local-hub';
import { m3itFixture } from '../../tests/fixtures/m3it-repo';
import { runVc2m as vc2m } from '../../tests/fixtures/run-vc2m';
import { tempDir } from '../../tests/fixtures/temp-dir';

// vc2m get m3it end to end against a Hub on 127.0.0.1 holding an M3IT-shaped repo (tests/fixtures/m3it-repo.ts).

async function setup() {
  const { repo, annotations, jpegs, png } = m3itFixture(tempDir());
  const hub = await startLocalHub({ root: repo, repo: 'MMInstruction/M3IT', lfsThreshold: 200, acceptedTokens: [] });
  const library = join(tempDir(), 'lib');
  const env = { VC2M_CONFIG_DIR: tempDir(), VC2M_LIBRARY: library, HF_ENDPOINT: hub.endpoint };
  expect((await vc2m(['init', library], env)).code).toBe(0);
  expect((await vc2m(['annotations', 'import', annotations], env)).code).toBe(0);
  return { hub, library, env, jpegs, png };
}

describe('vc2m get m3it', () => {
  it('fetches each used task’s train.jsonl, writes the images the annotations name, verify finds them, and the check reports the seeded mismatch', async () => {
    const { hub, library, env, jpegs, png } = await setup();
    try {
      const got = await vc2m(['get', 'm3it'], env);
      // The CLEVR mismatch is a finding for the user: exit 1, the images still written by the rule.
      expect(got.code).toBe(1);
      expect(got.stdout).toMatch(/M3IT vqa-v2: 4 records, 4 images written, 1 not JPEG/);
      expect(got.stdout).toMatch(/check clevr \(reasoning_clevr\): MISMATCH — 1 index past the 2 records \(e\.g\. 4\)/);
      const root = join(library, 'media', 'm3it');
      expect(readFileSync(join(root, 'vqa-v2', 'train', '0.jpg')).equals(jpegs[0] as Buffer)).toBe(true);
      expect(readFileSync(join(root, 'vqa-v2', 'train', '3.jpg')).equals(png)).toBe(true);
      expect(readdirSync(join(root, 'clevr', 'train')).sort()).toEqual(['0.jpg', '1.jpg']);
      // Only the two tasks the ingested subsets use were fetched, and never the rephrased file.
      const resolved = hub.log.filter((l) => l.host === 'hub' && l.path.includes('/resolve/')).map((l) => l.path);
      expect(resolved.some((p) => p.endsWith('data/vqa/vqav2/train.jsonl'))).toBe(true);
      expect(resolved.some((p) => p.includes('train_2023-10-07'))).toBe(false);
      expect(resolved).toHaveLength(2);

      const report = JSON.parse((await vc2m(['verify', '--source', 'm3it', '--json'], env)).stdout) as { subsets: Array<Record<string, unknown>> };
      expect(report.subsets.find((s) => s.id === 'vqa_vqav2')).toMatchObject({ records: 4, media: 4, present: 4, missing: 0 });
      expect(report.subsets.find((s) => s.id === 'reasoning_clevr')).toMatchObject({ records: 3, media: 3, present: 2, missing: 1 });

      const json = JSON.parse((await vc2m(['get', 'm3it', '--json'], env)).stdout) as {
        m3it: Array<{ task: string; verdict: string; decoded: Record<string, unknown> | null; checks: Array<Record<string, unknown>> }>;
      };
      const vqaTask = json.m3it.find((t) => t.task === 'vqa-v2');
      expect(vqaTask).toMatchObject({ verdict: 'ok', decoded: { repoPath: 'data/vqa/vqav2/train.jsonl', records: 4, notJpeg: 1 } });
      expect(vqaTask?.checks[0]).toMatchObject({ spotChecked: 4, highestUsed: 3, mismatched: { count: 0 } });
      expect(json.m3it.find((t) => t.task === 'clevr')).toMatchObject({ verdict: 'mismatch', checks: [{ beyond: { count: 1, examples: [4] } }] });
      expect(json.m3it.find((t) => t.task === 'textcap')).toMatchObject({ file: null, decoded: null });
    } finally {
      await hub.close();
    }
  });

  it('--task takes one task; a second get downloads and writes nothing; an unknown task is named', async () => {
    const { hub, library, env } = await setup();
    try {
      const first = await vc2m(['get', 'm3it', '--task', 'vqa-v2'], env);
      expect(first.code).toBe(0);
      expect(readdirSync(join(library, 'media', 'm3it'))).toEqual(['vqa-v2']);
      const cdn = hub.log.length;
      const again = await vc2m(['get', 'm3it', '--task', 'vqa-v2'], env);
      expect(again.code).toBe(0);
      expect(again.stdout).not.toMatch(/images written/);
      expect(hub.log.filter((l, i) => i >= cdn && l.path.includes('/resolve/'))).toEqual([]);
      const bad = await vc2m(['get', 'm3it', '--task', 'vqa-v3'], env);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/unknown M3IT task vqa-v3; the subsets use .*vqa-v2/);
    } finally {
      await hub.close();
    }
  });
});
