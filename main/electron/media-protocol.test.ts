import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiResult } from '../../shared/api/errors';
import { tempDir } from '../../tests/fixtures/temp-dir';
import type { EngineLike } from '../engine/engine-like';
import { clipSourceResponse, isClipSourceUrl, mediaSchemeResponse, mediaUrl } from './media-protocol';

// The desktop's media scheme handler in plain Node (no Electron binary here): the engine stand-in locates one
// file; the handler answers ranges from it as protocol.handle would send them to the player.
function engineWith(path: string, asked: unknown[]): EngineLike {
  return {
    call: async (method: string, args: unknown): Promise<ApiResult<unknown>> => {
      asked.push({ method, args });
      const { ref } = args as { ref: string };
      if (ref !== 'video_train/video_00000.mp4') return { ok: false, error: { code: 'NOT_FOUND', message: 'no such media' } };
      return { ok: true, value: { path, size: 5000, mtimeMs: 1, contentType: 'video/mp4', rule: 'basename' } };
    },
    onEvent: () => () => undefined,
  };
}

describe('the vc2-media scheme', () => {
  it('answers a seek with 206 and exactly its bytes, HEAD without a body, and refuses anything else with 404', async () => {
    const content = randomBytes(5000);
    const path = join(tempDir(), 'video_00000.mp4');
    writeFileSync(path, content);
    const asked: unknown[] = [];
    const engine = engineWith(path, asked);
    const url = mediaUrl('clevrer', 'video_train/video_00000.mp4');
    expect(url).toBe('vc2-media://media/clevrer/video_train%2Fvideo_00000.mp4');
    const seek = await mediaSchemeResponse(engine, { url, method: 'GET', headers: new Headers({ Range: 'bytes=4000-' }) });
    expect(seek.status).toBe(206);
    expect(seek.headers.get('content-range')).toBe('bytes 4000-4999/5000');
    expect(Buffer.from(await seek.arrayBuffer()).equals(content.subarray(4000))).toBe(true);
    expect(asked[0]).toEqual({ method: 'viewer.locate', args: { sourceId: 'clevrer', ref: 'video_train/video_00000.mp4', subdir: '', preview: false } });
    const head = await mediaSchemeResponse(engine, { url, method: 'HEAD', headers: new Headers() });
    expect([head.status, head.headers.get('content-length'), await head.text()]).toEqual([200, '5000', '']);
    for (const other of [
      'vc2-media://media/clevrer/other.mp4',
      'vc2-media://elsewhere/clevrer/video_train%2Fvideo_00000.mp4',
      'vc2-app://app/index.html',
      'not a url',
    ]) {
      expect((await mediaSchemeResponse(engine, { url: other, method: 'GET', headers: new Headers() })).status).toBe(404);
    }
    expect((await mediaSchemeResponse(engine, { url, method: 'POST', headers: new Headers() })).status).toBe(404);
    expect(mediaUrl('m3it', 'train/1.jpg', { subdir: 'vqa-v2' })).toBe('vc2-media://media/m3it/train%2F1.jpg?subdir=vqa-v2');
  });

  it("serves an ffmpeg.wasm task's source video on the app's own origin by its token, and nothing for another token", async () => {
    const content = randomBytes(3000);
    const path = join(tempDir(), 'GLd3aX16zBg.mp4');
    writeFileSync(path, content);
    const token = 'ab'.repeat(16);
    const engine: EngineLike = {
      call: async (method: string, args: unknown): Promise<ApiResult<unknown>> =>
        method === 'clips.locateSource' && (args as { token: string }).token === token
          ? { ok: true, value: { path, size: 3000, mtimeMs: 1, contentType: 'video/mp4', rule: 'clip source' } }
          : { ok: false, error: { code: 'NOT_FOUND', message: 'no open task' } },
      onEvent: () => () => undefined,
    };
    const url = `vc2-app://app/clip-source/${token}`;
    expect(isClipSourceUrl(url)).toBe(true);
    expect(isClipSourceUrl('vc2-app://app/index.html')).toBe(false);
    const part = await clipSourceResponse(engine, { url, method: 'GET', headers: new Headers({ Range: 'bytes=1000-1999' }) });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(content.subarray(1000, 2000))).toBe(true);
    expect((await clipSourceResponse(engine, { url: `vc2-app://app/clip-source/${'cd'.repeat(16)}`, method: 'GET', headers: new Headers() })).status).toBe(404);
    expect((await clipSourceResponse(engine, { url, method: 'POST', headers: new Headers() })).status).toBe(404);
  });
});
