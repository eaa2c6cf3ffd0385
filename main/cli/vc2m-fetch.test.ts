import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeAnnotationFixture } from '../../tests/fixtures/annotation-fixture';
import { type LocalHub, startLocalHub } from '../../tests/fixtures/local-hub';
import { runVc2m } from '../../tests/fixtures/run-vc2m';
import { tempDir } from '../../tests/fixtures/temp-dir';

const TOKEN = 'hf_accepted_token_0000';
let hub: LocalHub | null = null;
afterEach(async () => {
  await hub?.close();
  hub = null;
});

const rec = (video: string, a = 'Something happens in the video.') => ({ video, QA: [{ i: 'Describe the video.', q: '', a }] });

function tree(files: Record<string, unknown>): string {
  const root = tempDir();
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return root;
}

const vc2m = runVc2m;

const repoFiles = {
  'video/caption/webvid/train.json': Array.from({ length: 3000 }, (_, i) => rec(`000001_000050/${1000 + (i % 2500)}.mp4`)),
  'video/caption/webvid/instructions.json': ['Describe the video.', 'What happens?'],
  'video/vqa/ego_qa/train.json': [rec('d250521e-5197-44aa-8baa-2f42b24444d2/split_0.mp4'), rec('d250521e-5197-44aa-8baa-2f42b24444d2/split_1.mp4')],
  'text/sharegpt/train.json': [{ QA: [{ q: 'hi', a: 'hello' }] }],
  'README.md': '---\nconfigs: []\n---\n',
};

describe('vc2m annotations fetch against a local Hub', () => {
  it('ingests a whole generated VideoChat2-IT tree; status --json matches the generator for every subset', async () => {
    const root = tempDir();
    const truth = await writeAnnotationFixture(root, { scale: 'small', seed: 11 });
    hub = await startLocalHub({ root, acceptedTokens: [TOKEN] });
    const env = { VC2M_CONFIG_DIR: tempDir(), HF_ENDPOINT: hub.endpoint, HF_TOKEN: TOKEN };
    await vc2m(['init', join(tempDir(), 'lib')], env);
    const fetched = await vc2m(['annotations', 'fetch'], env);
    expect(fetched.stdout).toContain('60 ingested, 0 unchanged of 60 annotation files');
    const status = JSON.parse((await vc2m(['status', '--json'], env)).stdout);
    const got = Object.fromEntries(
      status.subsets.map((s: { id: string; records: number; mediaRefs: number; flagged: number }) => [s.id, [s.records, s.mediaRefs, s.flagged]]),
    );
    const want = Object.fromEntries(truth.subsets.map((s) => [s.id, [s.records, s.distinctRefs, s.flagged]]));
    expect(got).toEqual(want);
    expect((await vc2m(['annotations', 'fetch'], env)).stdout).toContain('0 ingested, 60 unchanged');
  }, 60_000);

  it('downloads, verifies and ingests the listing; a second fetch downloads nothing', async () => {
    hub = await startLocalHub({ root: tree(repoFiles), acceptedTokens: [TOKEN] });
    const env = { VC2M_CONFIG_DIR: tempDir(), HF_ENDPOINT: hub.endpoint, HF_TOKEN: TOKEN };
    const library = join(tempDir(), 'lib');
    expect((await vc2m(['init', library], env)).code).toBe(0);
    const first = await vc2m(['annotations', 'fetch'], env);
    expect(first.stdout).toContain('3 ingested, 0 unchanged of 3 annotation files');
    expect(first.code).toBe(0);
    const status = JSON.parse((await vc2m(['status', '--json'], env)).stdout);
    expect(status.revision).toBe(hub.commit);
    const byId = Object.fromEntries(status.subsets.map((s: { id: string }) => [s.id, s]));
    expect(byId.caption_webvid).toMatchObject({ records: 3000, mediaRefs: 2500, origin: 'hub', revision: hub.commit });
    expect(byId.vqa_ego_qa).toMatchObject({ records: 2, mediaRefs: 2 });
    expect(byId.conversation_sharegpt).toMatchObject({ records: 1 });

    const resolvesBefore = hub.log.filter((l) => l.path.includes('/resolve/')).length;
    const second = await vc2m(['annotations', 'fetch', '--revision', hub.commit], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('0 ingested, 3 unchanged');
    expect(hub.log.filter((l) => l.path.includes('/resolve/')).length).toBe(resolvesBefore);
    expect(hub.log.filter((l) => l.host === 'cdn').every((l) => !l.auth)).toBe(true);
  });

  it('says what to do without a token, and with a token that has not accepted the terms', async () => {
    hub = await startLocalHub({ root: tree(repoFiles), acceptedTokens: [TOKEN] });
    const library = join(tempDir(), 'lib');
    const base = { VC2M_CONFIG_DIR: tempDir(), HF_ENDPOINT: hub.endpoint };
    await vc2m(['init', library], base);
    const none = await vc2m(['annotations', 'fetch'], base);
    expect(none.code).toBe(1);
    expect(none.stdout).toMatch(/gated dataset and needs a Hugging Face token/);
    const pending = await vc2m(['annotations', 'fetch'], { ...base, HF_TOKEN: 'hf_not_accepted_00' });
    expect(pending.stdout).toMatch(/accept the dataset's conditions/);
    expect(pending.stdout).toContain(`${hub.endpoint}/datasets/OpenGVLab/VideoChat2-IT`);
    expect(`${none.stdout}${pending.stdout}${none.stderr}${pending.stderr}`).not.toContain('hf_not_accepted_00');
  });
});
