import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { apiErrorOf } from '../../../tests/fixtures/api-error';
import { type LocalHub, startLocalHub } from '../../../tests/fixtures/local-hub';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { HubClient } from './hub-client';
import { downloadHubFile } from './hub-download';

const TOKEN = 'hf_accepted_token_0000';
let hub: LocalHub | null = null;
afterEach(async () => {
  await hub?.close();
  hub = null;
});

/** A small repo: one big (LFS) file, one small (git) file, and enough files to need several listing pages. */
async function repo(): Promise<{ hub: LocalHub; big: Buffer }> {
  const root = tempDir();
  const write = (path: string, data: string | Buffer) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), data);
  };
  const big = Buffer.from(
    JSON.stringify(Array.from({ length: 40_000 }, (_, i) => ({ video: `000001_000050/${i}.mp4`, QA: [{ i: 'x', q: '', a: `answer ${i}` }] }))),
  );
  write('video/caption/webvid/train.json', big);
  write('video/caption/webvid/instructions.json', '["Describe the video."]');
  for (let i = 0; i < 7; i++) write(`image/vqa/extra_${i}/train.json`, '[]');
  hub = await startLocalHub({ root, acceptedTokens: [TOKEN], pageSize: 3 });
  return { hub, big };
}

const noSleep: number[] = [];
const client = (h: LocalHub, token: string | null = TOKEN) =>
  new HubClient({
    endpoint: h.endpoint,
    repo: h.repo,
    token,
    sleep: async (ms) => {
      noSleep.push(ms);
    },
  });

describe('Hub client', () => {
  it('pins a revision to its commit and lists every file across pages, with LFS sha256', async () => {
    const { hub: h, big } = await repo();
    const hubClient = client(h);
    expect(await hubClient.resolveRevision('main')).toBe(h.commit);
    const files = await hubClient.listFiles(h.commit);
    expect(files).toHaveLength(9);
    expect(h.log.filter((l) => l.path.includes('/tree/')).length).toBe(3);
    const train = files.find((f) => f.path === 'video/caption/webvid/train.json');
    expect(train).toMatchObject({ size: big.length, sha256: createHash('sha256').update(big).digest('hex') });
    expect(files.find((f) => f.path.endsWith('instructions.json'))?.sha256).toBeNull();
  });

  it('downloads through the redirect without sending the token to the CDN, verifies it, and writes it atomically', async () => {
    const { hub: h, big } = await repo();
    const target = join(tempDir(), 'train.json');
    const file = (await client(h).listFiles(h.commit)).find((f) => f.path === 'video/caption/webvid/train.json');
    if (!file) throw new Error('missing');
    await downloadHubFile(client(h), { commit: h.commit, file, target });
    expect(readFileSync(target).equals(big)).toBe(true);
    expect(h.log.filter((l) => l.host === 'cdn').every((l) => !l.auth)).toBe(true);
    expect(readdirSync(dirname(target))).toEqual(['train.json']);
  });

  it('resumes with Range after the server drops the connection mid-file', async () => {
    const { hub: h, big } = await repo();
    h.faults.push({ kind: 'drop', path: 'video/caption/webvid/train.json', afterBytes: 1_500_000, times: 1 });
    const target = join(tempDir(), 'train.json');
    const file = (await client(h).listFiles(h.commit)).find((f) => f.path === 'video/caption/webvid/train.json');
    if (!file) throw new Error('missing');
    await downloadHubFile(client(h), { commit: h.commit, file, target, sleep: async () => undefined });
    expect(readFileSync(target).equals(big)).toBe(true);
    const ranges = h.log.filter((l) => l.host === 'cdn' && l.range).map((l) => l.range);
    expect(ranges).toEqual([expect.stringMatching(/^bytes=\d+-$/)]);
    expect(Number(/\d+/.exec(ranges[0] ?? '')?.[0])).toBeGreaterThan(0);
  });

  it('resumes a partial file left by an earlier run, and starts over when the server ignores Range', async () => {
    const { hub: h, big } = await repo();
    const dir = tempDir();
    const target = join(dir, 'train.json');
    const file = (await client(h).listFiles(h.commit)).find((f) => f.path === 'video/caption/webvid/train.json');
    if (!file) throw new Error('missing');
    writeFileSync(join(dir, '.train.json.partial'), big.subarray(0, 1000));
    writeFileSync(join(dir, '.train.json.partial.json'), JSON.stringify({ commit: h.commit, oid: file.oid, sha256: file.sha256, size: file.size }));
    await downloadHubFile(client(h), { commit: h.commit, file, target });
    expect(h.log.filter((l) => l.host === 'cdn').map((l) => l.range)).toEqual(['bytes=1000-']);
    expect(readFileSync(target).equals(big)).toBe(true);

    const again = join(tempDir(), 'train.json');
    writeFileSync(join(dirname(again), '.train.json.partial'), big.subarray(0, 1000));
    writeFileSync(join(dirname(again), '.train.json.partial.json'), JSON.stringify({ commit: h.commit, oid: file.oid, sha256: file.sha256, size: file.size }));
    h.faults.push({ kind: 'ignore-range', path: file.path, times: 1 });
    await downloadHubFile(client(h), { commit: h.commit, file, target: again });
    expect(readFileSync(again).equals(big)).toBe(true);
  });

  it('rejects a corrupted download, retries it, and reports it when it stays corrupt', async () => {
    const { hub: h, big } = await repo();
    const file = (await client(h).listFiles(h.commit)).find((f) => f.path === 'video/caption/webvid/train.json');
    if (!file) throw new Error('missing');
    h.faults.push({ kind: 'corrupt', path: file.path, times: 1 });
    const target = join(tempDir(), 'train.json');
    await downloadHubFile(client(h), { commit: h.commit, file, target });
    expect(readFileSync(target).equals(big)).toBe(true);

    h.faults.push({ kind: 'corrupt', path: file.path, times: 2 });
    const second = join(tempDir(), 'train.json');
    const error = await apiErrorOf(downloadHubFile(client(h), { commit: h.commit, file, target: second }));
    expect(error.code).toBe('DOWNLOAD_CORRUPT');
    expect(error.message).toContain(`/resolve/${h.commit}/video/caption/webvid/train.json`);
    expect(error.message).toContain(file.sha256 ?? '');
    expect(existsSync(second)).toBe(false);
  });

  it('explains 401, 403 and 404 in words a user can act on', async () => {
    const { hub: h } = await repo();
    const none = await apiErrorOf(client(h, null).resolveRevision('main'));
    expect(none.code).toBe('HUB_AUTH_REQUIRED');
    expect(none.message).toMatch(/gated dataset.*needs a Hugging Face token/);
    expect(none.message).toContain(`${h.endpoint}/datasets/${h.repo}`);
    const wrong = await apiErrorOf(client(h, 'hf_someone_else_000').resolveRevision('main'));
    expect(wrong.code).toBe('HUB_TERMS_NOT_ACCEPTED');
    expect(wrong.message).toMatch(/accept the dataset's conditions/);
    expect(wrong.message).toContain(`${h.endpoint}/datasets/${h.repo}`);
    const missing = await apiErrorOf(client(h).resolveRevision('v9.9'));
    expect(missing.code).toBe('HUB_NOT_FOUND');
    expect(missing.message).toContain('RevisionNotFound');
    expect(JSON.stringify([none, wrong, missing].map((e) => e.message))).not.toContain(TOKEN);
  });

  it('waits as long as Retry-After asks on 429 and retries 5xx', async () => {
    const { hub: h } = await repo();
    h.faults.push({ kind: 'status', status: 429, times: 1, retryAfter: '7' }, { kind: 'status', status: 503, times: 1 });
    noSleep.length = 0;
    expect(await client(h).resolveRevision('main')).toBe(h.commit);
    expect(noSleep[0]).toBe(7000);
    expect(noSleep).toHaveLength(2);
  });
});
