import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FileHost, startFileHost } from '../../tests/fixtures/file-host';
import { startLocalHub } from '../../tests/fixtures/local-hub';
import { runVc2m } from '../../tests/fixtures/run-vc2m';
import { tempDir } from '../../tests/fixtures/temp-dir';
import { zipOf } from '../../tests/fixtures/zip-of';

// vc2m get end to end against a plain file host on 127.0.0.1, reached through the source's mirror setting (the
// route's own URL is http://data.csail.mit.edu/clevrer/videos/train/video_train.zip; its path is kept).
let host: FileHost | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
});

const vc2m = runVc2m;

const ROUTE_PATH = 'clevrer/videos/train/video_train.zip';

async function setup() {
  const served = tempDir();
  const content = zipOf([{ name: 'video_train/video_00000-01000/video_00000.mp4', size: 2 * 1024 * 1024 + 3 }]);
  mkdirSync(dirname(join(served, ROUTE_PATH)), { recursive: true });
  writeFileSync(join(served, ROUTE_PATH), content);
  host = await startFileHost(served);
  const library = join(tempDir(), 'lib');
  const env = { VC2M_CONFIG_DIR: tempDir(), VC2M_LIBRARY: library };
  expect((await vc2m(['init', library], env)).code).toBe(0);
  expect((await vc2m(['sources', 'set-mirror', 'clevrer', host.origin], env)).code).toBe(0);
  return { host, content, library, env, served };
}

/** Bytes of a file, 0 while it is not there. */
const sizeOf = (path: string) => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

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
    expect(JSON.parse((await vc2m(['downloads', '--json', '--failed'], env)).stdout).files[0]).toMatchObject({ state: 'failed', lastStatus: 404, attempts: 1 });
    // Without --retry-failed the failed set is left alone: still exit 1, nothing fetched.
    const before = gets(host);
    expect((await vc2m(['get', 'clevrer'], env)).code).toBe(1);
    expect(gets(host)).toBe(before);
    const retried = await vc2m(['get', 'clevrer', '--retry-failed'], env);
    expect(retried.code).toBe(0);
    expect(JSON.parse((await vc2m(['downloads', '--json'], env)).stdout).files[0]).toMatchObject({ state: 'done', bytes: content.length, attempts: 2 });
  });

  it('a source fetched by hand prints its card and exits 1, without touching the library; what the card asks for in Downloads is named with its command', async () => {
    const downloads = tempDir();
    const env = { VC2M_CONFIG_DIR: tempDir(), VC2M_LIBRARY: join(tempDir(), 'none'), XDG_DOWNLOAD_DIR: downloads };
    const result = await vc2m(['get', 'ssv2'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('ssv2: Something-Something');
    expect(result.stdout).toContain('Open in your browser: https://developer.qualcomm.com/');
    expect(result.stdout).toMatch(/1\. Sign in at Qualcomm/);
    expect(result.stdout).toContain('Pick: 20bn-something-something-v2-?? (20 parts)');
    expect(result.stdout).toContain('Then: vc2m import ssv2 <the file or folder>');
    expect(result.stdout).not.toContain('Found in');
    for (let k = 0; k < 20; k++) writeFileSync(join(downloads, `20bn-something-something-v2-${String(k).padStart(2, '0')}`), 'x'.repeat(1000));
    const again = await vc2m(['get', 'ssv2'], env);
    expect(again.stdout).toContain(
      `Found in ${downloads}: 20bn-something-something-v2-00 … (20 parts), 0.0 MB: vc2m import ssv2 "${join(downloads, '20bn-something-something-v2-00')}"`,
    );
  });

  it('kill -9 mid-download loses nothing: the rerun resumes the partial file from where it stopped and the result is exact', async () => {
    const { host, content, library, env } = await setup();
    host.faults.push({ kind: 'slow', path: ROUTE_PATH, bytesPerTick: 64 * 1024, tickMs: 20, times: 1 });
    const child = spawn(process.execPath, [resolve('dist/main/vc2m.js'), 'get', 'clevrer'], { env: { PATH: process.env.PATH, HOME: tempDir(), ...env } });
    const exited = new Promise((r) => child.once('exit', r));
    const partial = join(library, 'downloads', 'clevrer', '.video_train.zip.vc2part');
    const size = () => sizeOf(partial);
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

  it('vc2m jobs pause, from another process, stops a running get where it is; vc2m jobs resume carries on from there', async () => {
    const { host, content, library, env } = await setup();
    host.faults.push({ kind: 'slow', path: ROUTE_PATH, bytesPerTick: 8 * 1024, tickMs: 20, times: 1 });
    const getting = vc2m(['get', 'clevrer'], env);
    const partial = join(library, 'downloads', 'clevrer', '.video_train.zip.vc2part');
    const size = () => sizeOf(partial);
    await expect.poll(size, { timeout: 10_000, interval: 20 }).toBeGreaterThan(300_000);
    const paused = await vc2m(['jobs', 'pause', '--all'], env);
    expect(paused).toMatchObject({ code: 0, stdout: expect.stringMatching(/^#(\d+) media\.get: paused/) });
    const id = Number(/^#(\d+)/.exec(paused.stdout)?.[1]);
    expect(await getting).toMatchObject({ code: 130, stdout: expect.stringContaining(`paused (job ${id}); vc2m jobs resume ${id}`) });
    const kept = size();
    expect(kept).toBeGreaterThan(300_000);
    expect(kept).toBeLessThan(content.length);
    const listed = JSON.parse((await vc2m(['jobs', '--json'], env)).stdout) as { schema: string; jobs: Array<{ id: number; state: string }> };
    expect(listed.schema).toBe('vc2m.jobs/1');
    expect(listed.jobs.find((j) => j.id === id)?.state).toBe('paused');
    expect(JSON.parse((await vc2m(['downloads', '--json'], env)).stdout).files[0]).toMatchObject({ state: 'paused' });
    const resumed = await vc2m(['jobs', 'resume', String(id)], env);
    expect(resumed).toMatchObject({ code: 0, stdout: expect.stringMatching(new RegExp(`^#${id} media\\.get: finished`)) });
    expect(readFileSync(join(library, 'downloads', 'clevrer', 'video_train.zip')).equals(content)).toBe(true);
    expect(host.log.filter((l) => l.method === 'GET').at(-1)).toMatchObject({ status: 206, range: expect.stringMatching(/^bytes=\d+-$/) });
    // Nothing left to act on.
    expect(await vc2m(['jobs', 'resume', '--all'], env)).toMatchObject({ code: 0, stdout: 'no job to resume\n' });
  });

  it('downloads a Hugging Face route with the sha256 and size of the Hub listing, the token kept off the CDN, byte-split parts as separate files', async () => {
    const repoRoot = tempDir();
    const ego = zipOf([{ name: 'x/split_0.mp4', size: 300_000 }]);
    const youcook = zipOf([{ name: 'training/101/abc/split_0.mp4', size: 350_000 }]);
    const halves = [youcook.subarray(0, 200_000), youcook.subarray(200_000)];
    writeFileSync(join(repoRoot, 'egoqa_split_videos.zip'), ego);
    writeFileSync(join(repoRoot, 'youcook_split_videos.zip.partaa'), halves[0] as Buffer);
    writeFileSync(join(repoRoot, 'youcook_split_videos.zip.partab'), halves[1] as Buffer);
    // The revision the catalog pins egoqa to; youcook2 follows main.
    const hub = await startLocalHub({
      root: repoRoot,
      repo: 'ynhe/videochat2_data',
      commit: 'eccfd0dc86fd0a03b5ca52bf65d0e9b11d7e9247',
      lfsThreshold: 1000,
      acceptedTokens: [],
    });
    try {
      const library = join(tempDir(), 'lib');
      const env = { VC2M_CONFIG_DIR: tempDir(), VC2M_LIBRARY: library, HF_ENDPOINT: hub.endpoint, HF_TOKEN: 'hf_test_token_0000' };
      expect((await vc2m(['init', library], env)).code).toBe(0);
      const got = await vc2m(['get', 'egoqa', 'youcook2', '--json'], env);
      expect(got.code).toBe(0);
      const files = (JSON.parse(got.stdout) as { files: Array<Record<string, unknown>> }).files;
      expect(files.map((f) => [f.sourceId, f.target, f.state, f.sizeIsExact])).toEqual([
        ['egoqa', 'egoqa_split_videos.zip', 'done', true],
        ['youcook2', 'youcook_split_videos.zip.partaa', 'done', true],
        ['youcook2', 'youcook_split_videos.zip.partab', 'done', true],
      ]);
      expect(files[0]).toMatchObject({ expectedSha256: createHash('sha256').update(ego).digest('hex'), expectedSize: ego.length });
      expect(readFileSync(join(library, 'downloads', 'egoqa', 'egoqa_split_videos.zip')).equals(ego)).toBe(true);
      expect(readFileSync(join(library, 'downloads', 'youcook2', 'youcook_split_videos.zip.partab')).equals(halves[1] as Buffer)).toBe(true);
      expect(hub.log.filter((l) => l.host === 'cdn').length).toBeGreaterThanOrEqual(3);
      expect(hub.log.filter((l) => l.host === 'cdn').every((l) => !l.auth)).toBe(true);
      expect(hub.log.filter((l) => l.host === 'hub' && l.path.includes('/resolve/')).every((l) => l.auth)).toBe(true);
    } finally {
      await hub.close();
    }
  });

  it('download → extract → root found → verify: a Hugging Face zip whose top folder nobody documented ends with its media present', async () => {
    const repoRoot = tempDir();
    const uids = ['d250521e-5197-44aa-8baa-2f42b24444d2', '0a1b2c3d-0000-4000-8000-000000000001'];
    // The zip's own top folder (egoqa_split_videos/…) is not the refs' root: the app must find it.
    execFileSync('python3', [
      '-c',
      `import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], 'w') as z:\n    for uid in sys.argv[2:]:\n        for k in range(2):\n            z.writestr(f'egoqa_split_videos/{uid}/split_{k}.mp4', b'not really a video')\n    z.writestr('__MACOSX/._x', b'junk')`,
      join(repoRoot, 'egoqa_split_videos.zip'),
      ...uids,
    ]);
    const annotations = tempDir();
    const records = [
      ...uids.flatMap((uid) => [0, 1].map((k) => ({ video: `${uid}/split_${k}.mp4`, QA: [{ i: '', q: 'What?', a: 'A clip.' }] }))),
      { video: 'missing-uid/split_0.mp4', QA: [{ i: '', q: 'Q', a: 'A' }] },
    ];
    mkdirSync(join(annotations, 'video/vqa/ego_qa'), { recursive: true });
    writeFileSync(join(annotations, 'video/vqa/ego_qa/train.json'), JSON.stringify(records));
    const hub = await startLocalHub({
      root: repoRoot,
      repo: 'ynhe/videochat2_data',
      commit: 'eccfd0dc86fd0a03b5ca52bf65d0e9b11d7e9247',
      lfsThreshold: 100,
      acceptedTokens: [],
    });
    try {
      const library = join(tempDir(), 'lib');
      const env = { VC2M_CONFIG_DIR: tempDir(), VC2M_LIBRARY: library, HF_ENDPOINT: hub.endpoint };
      expect((await vc2m(['init', library], env)).code).toBe(0);
      expect((await vc2m(['annotations', 'import', annotations], env)).code).toBe(0);
      const got = await vc2m(['get', 'egoqa'], env);
      expect(got.code).toBe(0);
      const root = join(library, 'media', 'egoqa', 'egoqa_split_videos');
      expect(got.stdout).toContain(`egoqa's media found under ${root}`);
      const report = JSON.parse((await vc2m(['verify', '--source', 'egoqa', '--json'], env)).stdout) as { subsets: Array<Record<string, unknown>> };
      expect(report.subsets.find((s) => s.id === 'vqa_ego_qa')).toMatchObject({ records: 5, media: 5, present: 4, missing: 1 });
      // A second get: nothing downloaded, nothing extracted again, even with the archive deleted.
      rmSync(join(library, 'downloads', 'egoqa', 'egoqa_split_videos.zip'));
      const cdnBefore = hub.log.filter((l) => l.host === 'cdn').length;
      const again = await vc2m(['get', 'egoqa'], env);
      expect(again.code).toBe(0);
      expect(hub.log.filter((l) => l.host === 'cdn').length).toBe(cdnBefore);
      expect(again.stdout).not.toMatch(/extracted/);
    } finally {
      await hub.close();
    }
  });

  it('Kinetics: the published lists of archives are read through the mirror, each tar.gz is downloaded and extracted into its split folder', async () => {
    const served = tempDir();
    const tgz = (name: string, files: string[]) => {
      const path = join(served, name);
      mkdirSync(dirname(path), { recursive: true });
      execFileSync('python3', [
        '-c',
        'import io, sys, tarfile\nwith tarfile.open(sys.argv[1], "w:gz") as t:\n    for n in sys.argv[2:]:\n        d = n.encode(); i = tarfile.TarInfo(n); i.size = len(d); t.addfile(i, io.BytesIO(d))',
        path,
        ...files,
      ]);
    };
    tgz('kinetics/400/train/part_0.tar.gz', ['Bw6m04_IxTI_000010_000020.mp4', 'aaaaaaaaaaa_000000_000010.mp4']);
    tgz('kinetics/400/train/part_1.tar.gz', ['bbbbbbbbbbb_000005_000015.mp4']);
    tgz('kinetics/400/replacement_for_corrupted_k400.tgz', ['replacement/ccccccccccc_000001_000011.mp4']);
    const list = (path: string, lines: string[]) => {
      mkdirSync(dirname(join(served, path)), { recursive: true });
      writeFileSync(join(served, path), `${lines.join('\n')}\n`);
    };
    // The lists name the original host; the mirror sends every one of them to the local server.
    list('kinetics/400/train/k400_train_path.txt', [
      'https://s3.amazonaws.com/kinetics/400/train/part_0.tar.gz',
      'https://s3.amazonaws.com/kinetics/400/train/part_1.tar.gz',
    ]);
    list('kinetics/600/train/k600_train_path.txt', []);
    list('kinetics/700_2020/train/k700_2020_train_path.txt', []);
    host = await startFileHost(served);
    const library = join(tempDir(), 'lib');
    const env = { VC2M_CONFIG_DIR: tempDir(), VC2M_LIBRARY: library };
    expect((await vc2m(['init', library], env)).code).toBe(0);
    expect((await vc2m(['sources', 'set-mirror', 'kinetics', host.origin], env)).code).toBe(0);
    const got = await vc2m(['get', 'kinetics', '--json'], env);
    expect(got.code).toBe(0);
    const files = (JSON.parse(got.stdout) as { files: Array<{ target: string; state: string; extractedAt: number | null }> }).files;
    expect(files.map((f) => [f.target, f.state, f.extractedAt !== null]).sort()).toEqual([
      ['k400/replacement/replacement_for_corrupted_k400.tgz', 'done', true],
      ['k400/train/part_0.tar.gz', 'done', true],
      ['k400/train/part_1.tar.gz', 'done', true],
    ]);
    const media = join(library, 'media', 'kinetics');
    expect(readFileSync(join(media, 'k400/train/Bw6m04_IxTI_000010_000020.mp4'), 'utf8')).toBe('Bw6m04_IxTI_000010_000020.mp4');
    expect(readFileSync(join(media, 'k400/train/bbbbbbbbbbb_000005_000015.mp4'), 'utf8')).toBe('bbbbbbbbbbb_000005_000015.mp4');
    expect(readFileSync(join(media, 'k400/replacement/replacement/ccccccccccc_000001_000011.mp4'), 'utf8')).toBe('replacement/ccccccccccc_000001_000011.mp4');
    expect(host.log.every((l) => !l.path.includes('s3.amazonaws'))).toBe(true);
  });
});
