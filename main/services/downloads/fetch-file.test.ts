import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FileHost, startFileHost } from '../../../tests/fixtures/file-host';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { fetchFile, partialPathOf } from './fetch-file';

// Each fault a plain file host produces (issue 11, item 10), against a real HTTP server on 127.0.0.1.
let host: FileHost | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const SIZE = 3 * 1024 * 1024 + 17;

async function setup(etags = true) {
  const root = tempDir();
  const content = randomBytes(SIZE);
  writeFileSync(join(root, 'train2014.zip'), content);
  host = await startFileHost(root, { etags });
  const target = join(tempDir(), 'media', 'coco', 'train2014.zip');
  const pauses: number[] = [];
  const base = {
    url: host.url('train2014.zip'),
    target,
    expectedSize: SIZE,
    expectedSha256: sha(content),
    sleep: async (ms: number) => {
      pauses.push(ms);
    },
  };
  return { host, content, target, base, pauses };
}

const gets = (h: FileHost) => h.log.filter((l) => l.method === 'GET');

describe('fetchFile against a plain file host', () => {
  it('downloads, checks size and sha256, and only then renames into place; no partial is left', async () => {
    const { content, target, base } = await setup();
    const seen: number[] = [];
    const result = await fetchFile({ ...base, onProgress: (b) => seen.push(b) });
    expect(readFileSync(target).equals(content)).toBe(true);
    expect(result).toMatchObject({ bytes: SIZE, sha256: sha(content), attempts: 1, received: SIZE, status: 200 });
    expect(seen.at(-1)).toBe(SIZE);
    expect(readdirSync(join(target, '..'))).toEqual(['train2014.zip']);
  });

  it('a connection dropped mid-body resumes with Range and If-Range: the result is exact and no byte is fetched twice', async () => {
    const { host, content, target, base } = await setup();
    host.faults.push({ kind: 'drop', path: 'train2014.zip', afterBytes: 1_000_000, times: 1 });
    const result = await fetchFile(base);
    expect(readFileSync(target).equals(content)).toBe(true);
    const [first, second] = gets(host);
    expect(second?.range).toMatch(/^bytes=\d+-$/);
    expect(second?.ifRange).toMatch(/^"[0-9a-f]{40}"$/);
    expect(second?.status).toBe(206);
    expect(result.received).toBe(SIZE);
    expect(first?.bytes).toBeGreaterThan(0);
  });

  it('without an ETag, Last-Modified guards the resume', async () => {
    const { host, content, target, base } = await setup(false);
    host.faults.push({ kind: 'drop', path: 'train2014.zip', afterBytes: 500_000, times: 1 });
    await fetchFile(base);
    expect(readFileSync(target).equals(content)).toBe(true);
    expect(gets(host)[1]?.ifRange).toMatch(/GMT$/);
  });

  it('a server that answers 200 to a Range is written from the start, never appended', async () => {
    const { host, content, target, base } = await setup();
    host.faults.push({ kind: 'drop', path: 'train2014.zip', afterBytes: 700_000, times: 1 }, { kind: 'ignore-range', path: 'train2014.zip', times: 1 });
    await fetchFile(base);
    expect(readFileSync(target).equals(content)).toBe(true);
    expect(gets(host)[1]).toMatchObject({ status: 200 });
  });

  it('a file that changed on the server between attempts restarts (new ETag), never splicing old and new bytes', async () => {
    const { host, target, base } = await setup();
    host.faults.push({ kind: 'drop', path: 'train2014.zip', afterBytes: 800_000, times: 1 });
    const changed = randomBytes(SIZE);
    // The first attempt drops; the file is replaced before the second one asks to resume.
    const result = fetchFile({
      ...base,
      expectedSha256: null,
      expectedSize: null,
      sleep: async () => host.replace('train2014.zip', changed),
    });
    await result;
    expect(readFileSync(target).equals(changed)).toBe(true);
    expect(gets(host)[1]).toMatchObject({ status: 200, ifRange: expect.any(String) });
  });

  it('a body shorter than its Content-Length is resumed to the full size', async () => {
    const { host, content, target, base } = await setup();
    host.faults.push({ kind: 'long-length', path: 'train2014.zip', extra: 1000, times: 1 });
    // The host claims 1,000 bytes more than it sends: the length is then wrong, and the sha256 says which is right.
    await fetchFile({ ...base });
    expect(readFileSync(target).equals(content)).toBe(true);
    expect(gets(host).length).toBeGreaterThanOrEqual(2);
  });

  it('429 and 503 wait as long as Retry-After says, in seconds or as an HTTP-date', async () => {
    const { host, content, target, base, pauses } = await setup();
    host.faults.push(
      { kind: 'status', path: 'train2014.zip', status: 429, times: 1, retryAfter: '7' },
      { kind: 'status', path: 'train2014.zip', status: 503, times: 1, retryAfter: new Date(Date.now() + 30_000).toUTCString() },
    );
    await fetchFile(base);
    expect(readFileSync(target).equals(content)).toBe(true);
    expect(pauses[0]).toBe(7000);
    expect(pauses[1]).toBeGreaterThan(25_000);
    expect(pauses[1]).toBeLessThanOrEqual(31_000);
  });

  it('a sha256 mismatch is retried once, then fails with both values and keeps nothing', async () => {
    const { host, target, base } = await setup();
    const wrong = 'f'.repeat(64);
    const error = await fetchFile({ ...base, expectedSha256: wrong }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DOWNLOAD_CORRUPT' });
    expect((error as Error).message).toContain(wrong);
    expect((error as Error).message).toMatch(/got 3145745 bytes with sha256 [0-9a-f]{64}/);
    expect(gets(host)).toHaveLength(2);
    expect(existsSync(target)).toBe(false);
    expect(existsSync(partialPathOf(target))).toBe(false);
  });

  it('401, 403 and 404 are not retried and say what to do', async () => {
    const { host, base } = await setup();
    for (const status of [401, 403, 404] as const) {
      host.faults.push({ kind: 'status', path: 'train2014.zip', status, times: 1 });
      const before = gets(host).length;
      const error = await fetchFile(base).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'DOWNLOAD_REFUSED' });
      expect((error as Error).message).toMatch(status === 404 ? /not on the server \(404\).*mirror/ : /refused the download .*login or an accepted licence/);
      expect(gets(host).length - before).toBe(1);
    }
  });

  it('a cancel keeps what arrived, and the next run resumes it', async () => {
    const { host, content, target, base } = await setup();
    const cancel = new AbortController();
    const error = await fetchFile({
      ...base,
      signal: cancel.signal,
      onProgress: (bytes) => {
        if (bytes > 1_000_000) cancel.abort(new Error('paused by the user'));
      },
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('paused by the user');
    expect(existsSync(target)).toBe(false);
    const kept = readFileSync(partialPathOf(target)).length;
    expect(kept).toBeGreaterThan(1_000_000);
    const result = await fetchFile(base);
    expect(readFileSync(target).equals(content)).toBe(true);
    expect(gets(host).at(-1)?.range).toBe(`bytes=${kept}-`);
    expect(result.received).toBe(SIZE - kept);
  });

  it('gives up after its attempts with the last reason, keeping the partial for the next run', async () => {
    const { host, target, base } = await setup();
    host.faults.push({ kind: 'drop', path: 'train2014.zip', afterBytes: 100_000, times: 10 });
    const error = await fetchFile({ ...base, maxAttempts: 3 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DOWNLOAD_FAILED' });
    expect((error as Error).message).toMatch(/gave up after 3 attempts \(last: .*connection dropped/);
    // What arrived before each drop is kept; bytes still queued in the client when the connection dropped are lost
    // (a stream that errors discards its queue), so on a loaded machine an attempt can add less than its 100 kB.
    const kept = readFileSync(partialPathOf(target)).length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(300_000);
  });

  it.skipIf(!existsSync('/dev/full'))('a full disk (ENOSPC) stops with DISK_FULL naming the folder, and nothing is put in place', async () => {
    const { target, base } = await setup();
    // Every write to /dev/full fails with ENOSPC, as a full disk does: the partial file is made to be it.
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync('/dev/full', partialPathOf(target));
    const error = await fetchFile(base).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DISK_FULL' });
    expect((error as Error).message).toMatch(
      new RegExp(`no space left on the disk holding ${dirname(target).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*the part downloaded so far is kept`),
    );
    expect(existsSync(target)).toBe(false);
  });
});
