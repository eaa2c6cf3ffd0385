import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { EngineLike } from '../engine/engine-like';
import { CLIP_SOURCE_PREFIX, MEDIA_NOT_FOUND, mediaAnswer, mediaPathParts } from '../engine/media-answer';
import { SECURITY_HEADERS } from './static';

export const MEDIA_PREFIX = '/media/';
export { CLIP_SOURCE_PREFIX };

/** `GET|HEAD /media/<source-id>/<ref>[?subdir=<m3it task>][&preview=1|&frame=<name>]`: the player's bytes, with Range, 206 and 416. */
export async function serveMedia(engine: EngineLike, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const range = req.headers.range ?? null;
  const head = req.method === 'HEAD';
  // `/clip-source/<token>`: the source video of an open ffmpeg.wasm task, for the page that cuts it (same origin).
  if (url.pathname.startsWith(CLIP_SOURCE_PREFIX)) {
    const token = url.pathname.slice(CLIP_SOURCE_PREFIX.length);
    return send(res, await mediaAnswer(engine, { sourceId: '', ref: '', subdir: '', clipSource: token, range, head }));
  }
  const parts = mediaPathParts(url.pathname.slice(MEDIA_PREFIX.length));
  const answer = parts
    ? await mediaAnswer(engine, {
        ...parts,
        subdir: url.searchParams.get('subdir') ?? '',
        preview: url.searchParams.get('preview') === '1',
        frame: url.searchParams.get('frame'),
        range,
        head,
      })
    : MEDIA_NOT_FOUND;
  return send(res, answer);
}

function send(res: ServerResponse, answer: Awaited<ReturnType<typeof mediaAnswer>>): void {
  if (res.destroyed) {
    answer.body?.destroy();
    return;
  }
  res.writeHead(answer.status, { ...SECURITY_HEADERS, ...answer.headers });
  if (!answer.body) {
    res.end(answer.status === 404 ? 'no such media\n' : undefined);
    return;
  }
  // A read error (a drive unplugged mid-file) ends this response, never the host.
  pipeline(answer.body, res).catch(() => undefined);
}
