import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FileHost, startFileHost } from '../../tests/fixtures/file-host';
import { tempDir } from '../../tests/fixtures/temp-dir';

// vc2m get end to end against a plain file host on 127.0.0.1, reached through the source's mirror setting (the
// route's own URL is http://data.csail.mit.edu/clevrer/videos/train/video_train.zip; its path is kept).
let host: FileHost | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
});

/** Runs the CLI without blocking this process, which serves the file host the CLI talks to. */
function vc2m(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [resolve('dist/main/vc2m.js'), ...args], { env: { PATH: process.env.PATH, HOME: tempDir(), ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('exit', (code) => done({ code, stdout, stderr }));
  });
}

const ROUTE_PATH = 'clevrer/videos/train/video_train.zip';

async function setup() {
  const served = tempDir();
  const content = randomBytes(2 * 1024 * 1024 + 3);
  mkdirSync(dirname(join(served, ROUTE_PATH)), { recursive: true });
  writeFileSync(join(served, ROUTE_PATH), content);
  host = await startFileHost(served);
  const library = join(tempDir(), 'lib');
  const env = { VC2M_CONFIG_DIR: tempDir(), VC2M_LIBRARY: library };
  expect((await vc2m(['init', library], env)).code).toBe(0);
  expect((await vc2m(['sources', 'set-mirror', 'clevrer', host.origin], env)).code).toBe(0);
  return { host, content, library, env, served };
}

const gets = (h: FileHost) => h.log.filter((l) => l.method === 'GET').length;

describe('vc2m get', () => {
  it('downloads a source through its mirror, resumes a dropped transfer, records the file in the ledger, and a second get downloads nothing', async () => {
    const { host, content, library, env } = await setup();
    host.faults.push({ kind: 'drop', path: ROUTE_PATH, afterBytes: 600_000, times: 1 });
    const first = await vc2m(['get', 'clevrer'], env);
    expect(first).toMatchObject({ code: 0, stdout: expect.stringContaining('1 of 1 files downloaded') });
    expect(readFileSync(join(library, 'downloads', 'clevrer', 'video_train.zip')).equals(content)).toBe(true);
    expect(host.log.some((l) => l.range !== null && l.status === 206)).toBe(true);
    const ledger = JSON.parse((await vc2m(['downloads', '--json'], env)).stdout) as { schema: string; files: Array<Record<string, unknown>> };
    expect(ledger.schema).toBe('vc2m.downloads/1');
    expect(ledger.files).toEqual([
      expect.objectContaining({
        sourceId: 'clevrer',
        url: `http://data.csail.mit.edu/${ROUTE_PATH}`,
        target: 'video_train.zip',
        state: 'done',
        bytes: content.length,
        attempts: 1,
      }),
    ]);
    const before = gets(host);
    expect((await vc2m(['get', 'clevrer'], env)).code).toBe(0);
    expect(gets(host)).toBe(before);
  });

  it('a file the server does not have fails with its reason (exit 1), is skipped until --retry-failed, then completes', async () => {
    const { host, content, env } = await setup();
    // Gone for the size probe (HEAD) and the download alike, as a removed file is.
    host.faults.push({ kind: 'status', path: ROUTE_PATH, status: 404, times: 2 });
    const failed = await vc2m(['get', 'clevrer'], env);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/vc2m downloads --failed says why/);
    const why = await vc2m(['downloads', '--failed'], env);
    expect(why.code).toBe(1);
    expect(why.stdout).toMatch(/clevrer\s+video_train\.zip\s+failed .*not on the server \(404\)/);
    // Without --retry-failed the failed set is left alone: still exit 1, nothing fetched.
    const before = gets(host);
    expect((await vc2m(['get', 'clevrer'], env)).code).toBe(1);
    expect(gets(host)).toBe(before);
    const retried = await vc2m(['get', 'clevrer', '--retry-failed'], env);
    expect(retried.code).toBe(0);
    expect(JSON.parse((await vc2m(['downloads', '--json'], env)).stdout).files[0]).toMatchObject({ state: 'done', bytes: content.length, attempts: 2 });
  });

  it('a source fetched by hand prints its steps and exits 1, without touching the library', async () => {
    const env = { VC2M_CONFIG_DIR: tempDir(), VC2M_LIBRARY: join(tempDir(), 'none') };
    const result = await vc2m(['get', 'ssv2'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/ssv2 is fetched by hand from https:\/\/developer\.qualcomm\.com\/.*1\. Sign in at Qualcomm/);
  });

  it('kill -9 mid-download loses nothing: the rerun resumes the partial file from where it stopped and the result is exact', async () => {
    const { host, content, library, env } = await setup();
    host.faults.push({ kind: 'slow', path: ROUTE_PATH, bytesPerTick: 64 * 1024, tickMs: 20, times: 1 });
    const child = spawn(process.execPath, [resolve('dist/main/vc2m.js'), 'get', 'clevrer'], { env: { PATH: process.env.PATH, HOME: tempDir(), ...env } });
    const exited = new Promise((r) => child.once('exit', r));
    const partial = join(library, 'downloads', 'clevrer', '.video_train.zip.vc2part');
    const size = () => {
      try {
        return readFileSync(partial).length;
      } catch {
        return 0;
      }
    };
    await expect.poll(size, { timeout: 10_000, interval: 20 }).toBeGreaterThan(500_000);
    child.kill('SIGKILL');
    await exited;
    const kept = size();
    expect(kept).toBeGreaterThan(500_000);
    expect(kept).toBeLessThan(content.length);
    const rerun = await vc2m(['get', 'clevrer'], env);
    expect(rerun.code).toBe(0);
    expect(readFileSync(join(library, 'downloads', 'clevrer', 'video_train.zip')).equals(content)).toBe(true);
    const resumed = host.log.filter((l) => l.method === 'GET').at(-1);
    expect(resumed).toMatchObject({ status: 206, range: `bytes=${kept}-`, bytes: content.length - kept });
    expect(JSON.parse((await vc2m(['downloads', '--json'], env)).stdout).files[0]).toMatchObject({ state: 'done', attempts: 2 });
  });
});
