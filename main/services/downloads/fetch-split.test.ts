import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FileHost, startFileHost } from '../../../tests/fixtures/file-host';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { fetchFile, partialPathOf } from './fetch-file';

// One large file over several connections at once (item 3, "as aria2's --split"), against a real HTTP server.
let host: FileHost | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const SIZE = 40 * 1024 * 1024 + 123;
const NAME = 'youcook_split_videos.zip.partaa';

async function setup() {
  const root = tempDir();
  const content = randomBytes(SIZE);
  writeFileSync(join(root, NAME), content);
  host = await startFileHost(root);
  const target = join(tempDir(), 'youcook2', NAME);
  const base = { url: host.url(NAME), target, expectedSize: SIZE, expectedSha256: sha(content), connections: 4, sleep: async () => undefined };
  return { host, content, target, base };
}

const gets = (h: FileHost) => h.log.filter((l) => l.method === 'GET');
const closedRange = /^bytes=(\d+)-(\d+)$/;

describe('fetchFile split into byte ranges', () => {
  it('fetches ranges on four connections at once, each guarded by If-Range, writes them in place; the result is exact', async () => {
    const { host, content, target, base } = await setup();
    // Slow enough that the ranges overlap in time, as they do over a real network.
    host.faults.push({ kind: 'slow', path: NAME, bytesPerTick: 1024 * 1024, tickMs: 5, times: 100 });
    const result = await fetchFile(base);
    expect(host.peakConcurrent()).toBe(4);
    expect(readFileSync(target).equals(content)).toBe(true);
    expect(result).toMatchObject({ bytes: SIZE, sha256: sha(content), received: SIZE, status: 206 });
    const ranges = gets(host).map((l) => closedRange.exec(l.range ?? ''));
    expect(ranges.every((r) => r !== null)).toBe(true);
    expect(ranges.length).toBeGreaterThanOrEqual(4);
    // Every byte asked for once, the ranges adjacent.
    const spans = ranges.map((r) => [Number(r?.[1]), Number(r?.[2])] as const).sort((a, b) => a[0] - b[0]);
    expect(spans[0]?.[0]).toBe(0);
    for (let i = 1; i < spans.length; i++) expect(spans[i]?.[0]).toBe((spans[i - 1]?.[1] as number) + 1);
    expect(spans.at(-1)?.[1]).toBe(SIZE - 1);
    // The first asked without a validator (its answer brings one), the rest with it.
    expect(gets(host)[0]?.ifRange).toBeNull();
    expect(
      gets(host)
        .slice(1)
        .every((l) => /^"[0-9a-f]{40}"$/.test(l.ifRange ?? '')),
    ).toBe(true);
    expect(readdirSync(join(target, '..'))).toEqual([NAME]);
  });

  it('a range dropped mid-way is asked again from the byte it stopped at; nothing else is fetched twice', async () => {
    const { host, content, target, base } = await setup();
    host.faults.push({ kind: 'drop', path: NAME, afterBytes: 1_000_000, times: 1 });
    const result = await fetchFile(base);
    expect(readFileSync(target).equals(content)).toBe(true);
    expect(gets(host).filter((l) => l.range?.startsWith('bytes=1000000-'))).toHaveLength(1);
    expect(result.received).toBe(SIZE);
  });

  it('a server that ignores Range is fetched on one connection, without corrupting the file', async () => {
    const { host, content, target, base } = await setup();
    host.faults.push({ kind: 'ignore-range', path: NAME, times: 1 });
    await fetchFile(base);
    expect(readFileSync(target).equals(content)).toBe(true);
    expect(gets(host).at(-1)).toMatchObject({ range: null, status: 200 });
  });

  it('a file that changes on the server while its ranges arrive restarts; old and new bytes are never spliced', async () => {
    const { host, target, base } = await setup();
    const changed = randomBytes(SIZE);
    let replaced = false;
    await fetchFile({
      ...base,
      expectedSize: null,
      expectedSha256: null,
      knownSize: SIZE,
      onProgress: (bytes) => {
        if (!replaced && bytes > 4 * 1024 * 1024) {
          replaced = true;
          host.replace(NAME, changed);
        }
      },
    });
    expect(replaced).toBe(true);
    expect(sha(readFileSync(target))).toBe(sha(changed));
    expect(gets(host).some((l) => l.status === 200 && l.ifRange !== null)).toBe(true);
  });

  it('paused mid-way, the ranges carry on from what is on disk: the resume fetches only what was missing', async () => {
    const { host, content, target, base } = await setup();
    host.faults.push({ kind: 'slow', path: NAME, bytesPerTick: 256 * 1024, tickMs: 10, times: 100 });
    const controller = new AbortController();
    let seen = 0;
    await expect(
      fetchFile({
        ...base,
        signal: controller.signal,
        onProgress: (bytes) => {
          seen = bytes;
          if (bytes > 16 * 1024 * 1024) controller.abort(new Error('paused'));
        },
      }),
    ).rejects.toThrow('paused');
    const meta = JSON.parse(readFileSync(`${partialPathOf(target)}.json`, 'utf8')) as { ranges: Array<{ start: number; end: number; done: number }> };
    const kept = meta.ranges.reduce((n, r) => n + r.done, 0);
    expect(kept).toBeGreaterThan(16 * 1024 * 1024);
    expect(kept).toBeLessThanOrEqual(seen);
    host.faults.length = 0;
    const before = gets(host).length;
    const result = await fetchFile(base);
    expect(readFileSync(target).equals(content)).toBe(true);
    const again = gets(host)
      .slice(before)
      .reduce((n, l) => n + l.bytes, 0);
    expect(again).toBe(SIZE - kept);
    expect(result.received).toBe(SIZE - kept);
    expect(existsSync(`${partialPathOf(target)}.json`)).toBe(false);
  });

  it('a partial fetched on one connection goes on in ranges from where it stopped', async () => {
    const { host, content, target, base } = await setup();
    host.faults.push({ kind: 'drop', path: NAME, afterBytes: 5_000_000, times: 1 });
    await expect(fetchFile({ ...base, connections: 1, maxAttempts: 1 })).rejects.toThrow(/gave up/);
    const before = gets(host).length;
    await fetchFile(base);
    expect(readFileSync(target).equals(content)).toBe(true);
    const after = gets(host).slice(before);
    expect(after.reduce((n, l) => n + l.bytes, 0)).toBe(SIZE - 5_000_000);
    expect(after[0]?.range).toMatch(/^bytes=5000000-\d+$/);
  });
});

describe('fetchFile split into byte ranges, when things go wrong', () => {
  it('content that arrives wrong is fetched again from nothing (ranges and all), then refused with both checksums', async () => {
    const { host, base } = await setup();
    const wrong = 'f'.repeat(64);
    await expect(fetchFile({ ...base, expectedSha256: wrong })).rejects.toThrow(/arrived wrong twice .*sha256 f{64}/);
    expect(gets(host).reduce((n, l) => n + l.bytes, 0)).toBe(2 * SIZE);
    expect(existsSync(`${partialPathOf(base.target)}.json`)).toBe(false);
  });

  it('a partial deleted by hand while its ranges are remembered starts again, and the result is exact', async () => {
    const { host, content, target, base } = await setup();
    host.faults.push({ kind: 'slow', path: NAME, bytesPerTick: 256 * 1024, tickMs: 10, times: 100 });
    const controller = new AbortController();
    await expect(
      fetchFile({ ...base, signal: controller.signal, onProgress: (b) => b > 8 * 1024 * 1024 && controller.abort(new Error('paused')) }),
    ).rejects.toThrow('paused');
    expect(existsSync(`${partialPathOf(target)}.json`)).toBe(true);
    rmSync(partialPathOf(target));
    host.faults.length = 0;
    await fetchFile(base);
    expect(readFileSync(target).equals(content)).toBe(true);
  });
});
