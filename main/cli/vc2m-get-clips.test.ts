import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FileHost, startFileHost } from '../../tests/fixtures/file-host';
import { type LocalHub, startLocalHub } from '../../tests/fixtures/local-hub';
import { runVc2m as vc2m } from '../../tests/fixtures/run-vc2m';
import { tempDir } from '../../tests/fixtures/temp-dir';

// WebVid's per-clip route end to end: the metadata CSVs from the Hub (TempoFunk/webvid-10M's partitions, on a local
// Hub), each clip fetched from its contentUrl (the CDN's path kept, through the source's mirror on 127.0.0.1) to
// <root>/<page_dir>/<videoid>.mp4, where verify finds it.
let hub: LocalHub | null = null;
let host: FileHost | null = null;
afterEach(async () => {
  await hub?.close();
  await host?.close();
  hub = null;
  host = null;
});

const HEADER = 'videoid,contentUrl,duration,page_dir,name';
const clipPath = (id: number) => `shutterstock/videos/${id}/preview/stock-footage-clip-${id}.mp4`;
const row = (id: number, page: string) => `${id},https://ak.picdn.net/${clipPath(id)},PT00H00M12S,${page},"A clip, number ${id}"`;
const ids = [1066682446, 1066682447, 31353427, 31353428];
const refs = [...ids.map((id, i) => `${i < 2 ? '000001_000050' : '000051_000100'}/${id}.mp4`), '000101_000150/555.mp4'];

function files(root: string, entries: Record<string, string | Buffer>): string {
  for (const [path, content] of Object.entries(entries)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

async function setup() {
  // The last ref is in no table row; the second partition's second clip is gone from the CDN (404).
  hub = await startLocalHub({
    root: files(tempDir(), {
      'data/train/partitions/0000.csv': [HEADER, row(ids[0] as number, '000001_000050'), row(ids[1] as number, '000001_000050'), row(7, '000001_000050')].join(
        '\n',
      ),
      'data/val/partitions/0000.csv': [HEADER, row(ids[2] as number, '000051_000100'), row(ids[3] as number, '000051_000100')].join('\n'),
      'README.md': '# webvid-10M\n',
    }),
    repo: 'TempoFunk/webvid-10M',
    acceptedTokens: [],
  });
  const served = files(tempDir(), Object.fromEntries(ids.slice(0, 3).map((id) => [clipPath(id), Buffer.alloc(40_000 + (id % 997), id % 251)])));
  host = await startFileHost(served);
  const annotations = files(tempDir(), {
    'video/caption/webvid/train.json': JSON.stringify(refs.map((video) => ({ video, QA: [{ i: 'Describe the video.', q: '', a: 'A clip.' }] }))),
  });
  const library = join(tempDir(), 'lib');
  const env = { VC2M_CONFIG_DIR: tempDir(), VC2M_LIBRARY: library, HF_ENDPOINT: hub.endpoint };
  expect((await vc2m(['init', library], env)).code).toBe(0);
  expect((await vc2m(['annotations', 'import', annotations], env)).code).toBe(0);
  expect((await vc2m(['sources', 'set-mirror', 'webvid', host.origin], env)).code).toBe(0);
  return { library, env, served, host };
}

const verified = async (env: Record<string, string>) =>
  (JSON.parse((await vc2m(['verify', '--source', 'webvid', '--json'], env)).stdout) as { subsets: Array<Record<string, unknown>> }).subsets.find(
    (s) => s.id === 'caption_webvid',
  );

describe('vc2m get webvid (one URL per clip)', () => {
  it('fetches the tables from the Hub and each listed clip to <root>/<page_dir>/<videoid>.mp4; what no row names or the CDN lost fails with why; a second get fetches nothing', async () => {
    const { library, env, served, host } = await setup();
    const first = await vc2m(['get', 'webvid'], env);
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/webvid: 4 clips listed in the tables, 0 already under .*, 1 in no table row \(e\.g\. 000101_000150\/555\.mp4\)/);
    for (const [i, id] of ids.slice(0, 3).entries()) {
      expect(readFileSync(join(library, 'media', 'webvid', refs[i] as string)).equals(readFileSync(join(served, clipPath(id))))).toBe(true);
    }
    // The tables are kept in the ledger like any download (with the Hub's sizes); only the partitions were taken.
    const ledger = JSON.parse((await vc2m(['downloads', '--json'], env)).stdout).files as Array<Record<string, unknown>>;
    expect(ledger.filter((f) => f.place === 'downloads').map((f) => f.target)).toEqual([
      'tables/data/train/partitions/0000.csv',
      'tables/data/val/partitions/0000.csv',
    ]);
    expect(ledger.find((f) => f.target === refs[0])).toMatchObject({ place: 'root', state: 'done', url: `https://ak.picdn.net/${clipPath(ids[0] as number)}` });
    const failed = (await vc2m(['downloads', '--failed'], env)).stdout;
    expect(failed).toMatch(/webvid\s+000051_000100\/31353428\.mp4\s+failed .*404/);
    expect(failed).toMatch(/webvid\s+000101_000150\/555\.mp4\s+failed .*in no row of the metadata table \(2 tables, 5 rows read\)/);
    expect(await verified(env)).toMatchObject({ media: 5, present: 3, missing: 2 });

    const before = host.log.length;
    const again = await vc2m(['get', 'webvid'], env);
    expect(again.code).toBe(1);
    expect(host.log.length).toBe(before);
    // The tables were read: nothing of them waits to be extracted.
    const status = JSON.parse((await vc2m(['downloads', '--json'], env)).stdout).files as Array<Record<string, unknown>>;
    expect(status.filter((f) => f.place === 'downloads').every((f) => f.extractedAt !== null)).toBe(true);

    // A clip deleted since is fetched again, the others are left alone.
    rmSync(join(library, 'media', 'webvid', refs[1] as string));
    expect((await vc2m(['get', 'webvid'], env)).code).toBe(1);
    expect(host.log.slice(before).map((l) => l.path)).toEqual([clipPath(ids[1] as number)]);
    expect(readFileSync(join(library, 'media', 'webvid', refs[1] as string)).equals(readFileSync(join(served, clipPath(ids[1] as number))))).toBe(true);
  });

  it('--table takes the CSVs the user has instead of the Hub, and --retry-failed fetches a clip a new table names', async () => {
    const { library, env, served, host } = await setup();
    expect((await vc2m(['get', 'webvid'], env)).code).toBe(1);
    files(served, { [clipPath(555)]: 'clip 555' });
    const mine = files(tempDir(), { 'extra.csv': [HEADER, row(555, '000101_000150')].join('\n') });
    const hubRequests = hub?.log.length;
    const retried = await vc2m(['get', 'webvid', '--table', join(mine, 'extra.csv'), '--retry-failed'], env);
    expect(hub?.log.length).toBe(hubRequests);
    expect(readFileSync(join(library, 'media', 'webvid', '000101_000150/555.mp4'), 'utf8')).toBe('clip 555');
    // Still 1: the clip the CDN lost is gone whatever the table says.
    expect(retried.code).toBe(1);
    expect(host.log.filter((l) => l.path === clipPath(ids[3] as number)).length).toBeGreaterThan(1);
    expect(await verified(env)).toMatchObject({ present: 4, missing: 1 });
    const bad = await vc2m(['get', 'webvid', '--table', join(mine, 'nope.csv')], env);
    expect(bad.code).toBe(2);
    expect(bad.stdout + bad.stderr).toMatch(/nope\.csv: no such metadata table/);
  });
});
