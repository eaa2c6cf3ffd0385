import { randomBytes } from 'node:crypto';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningHost, startHost } from '../../tests/fixtures/engine';
import { tempDir } from '../../tests/fixtures/temp-dir';

// The player's media route of the web host against the real engine: Range (seeking), 416, HEAD, the same auth as
// the API or the page's cookie, and every way out of a source's root answered with the same 404.
let host: RunningHost | null = null;
afterEach(async () => {
  await host?.stop();
  host = null;
});

const CLIP = '000001_000050/1066682446.mp4';
const LINKED = '000001_000050/31353427.mp4';

async function setup() {
  const work = tempDir();
  const running = await startHost(join(work, 'config'));
  host = running;
  const lib = join(work, 'lib');
  expect((await host.call('library.create', { path: lib })).status).toBe(200);
  const annotations = join(work, 'annotations');
  mkdirSync(join(annotations, 'video/caption/webvid'), { recursive: true });
  const refs = [CLIP, LINKED, '000001_000050/not-here.mp4'];
  writeFileSync(
    join(annotations, 'video/caption/webvid/train.json'),
    JSON.stringify(refs.map((video) => ({ video, QA: [{ i: '', q: 'What?', a: 'A clip.' }] }))),
  );
  const job = (await host.call('annotations.import', { path: annotations })).body.value as { id: number };
  await expect.poll(async () => ((await running.call('jobs.get', { id: job.id })).body.value as { state: string }).state).toBe('finished');
  const content = randomBytes(10_000);
  const clip = join(lib, 'media', 'webvid', CLIP);
  mkdirSync(dirname(clip), { recursive: true });
  writeFileSync(clip, content);
  // A link inside the root to a file outside it: named by the annotations, and still never served.
  const secret = join(work, 'secret.mp4');
  writeFileSync(secret, 'outside the root');
  symlinkSync(secret, join(lib, 'media', 'webvid', LINKED));
  writeFileSync(join(lib, 'media', 'webvid', 'not-a-ref.mp4'), 'in the root, named by no annotation');
  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    fetch(`${host?.web.origin}${path}`, { method, headers: { Authorization: `Bearer ${host?.web.token}`, ...headers } });
  return { content, get };
}

describe('GET /media/<source-id>/<ref>', () => {
  it('serves a clip whole, by range (206 with Content-Range), by suffix, 416 past the end, and HEAD without a body', async () => {
    const { content, get } = await setup();
    const whole = await get(`/media/webvid/${encodeURIComponent(CLIP)}`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('video/mp4');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await whole.arrayBuffer()).equals(content)).toBe(true);
    const part = await get(`/media/webvid/${CLIP}`, { Range: 'bytes=1000-1999' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 1000-1999/10000');
    expect(Buffer.from(await part.arrayBuffer()).equals(content.subarray(1000, 2000))).toBe(true);
    const tail = await get(`/media/webvid/${CLIP}`, { Range: 'bytes=-10' });
    expect(Buffer.from(await tail.arrayBuffer()).equals(content.subarray(9990))).toBe(true);
    const past = await get(`/media/webvid/${CLIP}`, { Range: 'bytes=10000-' });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe('bytes */10000');
    const head = await get(`/media/webvid/${CLIP}`, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('10000');
  });

  it('serves a preview only once viewer.preview has made it, by range like the file', async () => {
    const { get } = await setup();
    expect((await get(`/media/webvid/${encodeURIComponent(CLIP)}?preview=1`)).status).toBe(404);
    // the clip is random bytes: ffmpeg cannot make a preview of it, and the route keeps answering 404
    const running = host as RunningHost;
    const asked = await running.call('viewer.preview', { sourceId: 'webvid', ref: CLIP });
    expect(asked.body).toMatchObject({ ok: true, value: { state: 'working' } });
    await expect
      .poll(async () => ((await running.call('viewer.preview', { sourceId: 'webvid', ref: CLIP })).body.value as { state: string }).state)
      .toBe('failed');
    expect((await get(`/media/webvid/${encodeURIComponent(CLIP)}?preview=1`)).status).toBe(404);
    expect((await host?.call('viewer.preview', { sourceId: 'webvid', ref: '../../secret.mp4' }))?.body).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('takes the API token or the page cookie, nothing else', async () => {
    await setup();
    const url = `${host?.web.origin}/media/webvid/${encodeURIComponent(CLIP)}`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(url, { headers: { Cookie: `vc2_token_${host?.web.port}=${host?.web.token}` } })).status).toBe(200);
  });

  it('answers every way out of the root, and anything the annotations do not name, with the same 404', async () => {
    const { get } = await setup();
    const refused = [
      `/media/webvid/${encodeURIComponent('../../../etc/passwd')}`,
      '/media/webvid/..%2F..%2Fsecret.mp4',
      `/media/webvid/${encodeURIComponent('000001_000050\\1066682446.mp4')}`,
      `/media/webvid/${encodeURIComponent('/etc/passwd')}`,
      `/media/webvid/${encodeURIComponent(LINKED)}`,
      '/media/webvid/not-a-ref.mp4',
      '/media/webvid/000001_000050%2Fnot-here.mp4',
      `/media/nosuchsource/${encodeURIComponent(CLIP)}`,
      `/media/clevrer/${encodeURIComponent(CLIP)}`,
      '/media/webvid/%E0%A4%A',
      '/media/webvid/',
    ];
    for (const path of refused) {
      const response = await get(path);
      expect({ path, status: response.status, body: await response.text() }).toEqual({ path, status: 404, body: 'no such media\n' });
    }
  });
});

describe('GET /media/<source-id>/<frame folder>?frame=<name>', () => {
  it('lists a frame folder in natural order and serves its frames, never a name that leaves it', async () => {
    const work = tempDir();
    const running = await startHost(join(work, 'config'));
    host = running;
    const lib = join(work, 'lib');
    await running.call('library.create', { path: lib });
    const annotations = join(work, 'annotations');
    mkdirSync(join(annotations, 'video/caption/sharegptvideo'), { recursive: true });
    writeFileSync(
      join(annotations, 'video/caption/sharegptvideo/train_300k.json'),
      JSON.stringify([{ video: 'v_abc-Scene-006', QA: [{ i: '', q: 'What?', a: 'Frames.' }] }]),
    );
    const job = (await running.call('annotations.import', { path: annotations })).body.value as { id: number };
    await expect.poll(async () => ((await running.call('jobs.get', { id: job.id })).body.value as { state: string }).state).toBe('finished');
    const folder = join(lib, 'media', 'sharegptvideo', 'v_abc-Scene-006');
    mkdirSync(folder, { recursive: true });
    for (const n of [1, 2, 10, 9]) writeFileSync(join(folder, `c01_${n}.jpg`), `frame ${n}`);
    writeFileSync(join(folder, 'notes.txt'), 'not a frame');
    writeFileSync(join(work, 'outside.jpg'), 'outside the root');
    symlinkSync(join(work, 'outside.jpg'), join(folder, 'c01_99.jpg'));
    const listed = await running.call('viewer.frames', { sourceId: 'sharegptvideo', ref: 'v_abc-Scene-006' });
    expect(listed.body.value).toEqual({ path: folder, rule: 'join', frames: ['c01_1.jpg', 'c01_2.jpg', 'c01_9.jpg', 'c01_10.jpg', 'c01_99.jpg'] });
    const sample = await running.call('viewer.sample', { subsetId: 'caption_sharegptvideo_300k', index: 0 });
    expect(sample.body.value).toMatchObject({ mediaForm: 'frame-directory', located: { path: folder, size: 5, contentType: 'inode/directory' } });
    const get = (query: string) =>
      fetch(`${running.web.origin}/media/sharegptvideo/v_abc-Scene-006?${query}`, { headers: { Authorization: `Bearer ${running.web.token}` } });
    const frame = await get('frame=c01_10.jpg');
    expect(frame.status).toBe(200);
    expect(frame.headers.get('content-type')).toBe('image/jpeg');
    expect(await frame.text()).toBe('frame 10');
    for (const bad of ['c01_99.jpg', 'notes.txt', '..%2Foutside.jpg', '.c01_1.jpg', 'missing.jpg', '%2Fetc%2Fpasswd.jpg'])
      expect((await get(`frame=${bad}`)).status).toBe(404);
    // the folder itself is not a file to serve
    expect((await get('')).status).toBe(404);
  });
});
