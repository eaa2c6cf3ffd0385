import { Readable } from 'node:stream';
import { MEDIA_SCHEME, MEDIA_SCHEME_PREFIX, mediaPath } from '../../shared/api/media-url';
import type { EngineLike } from '../engine/engine-like';
import { CLIP_SOURCE_PREFIX, type MediaAnswer, mediaAnswer, mediaPathParts } from '../engine/media-answer';

// The desktop's media scheme: `vc2-media://media/<source-id>/<ref>[?subdir=…]`, registered privileged with `stream:
// true` and answered by the app itself, because Electron's net.fetch of a file: URL ignores Range and a seek would
// snap back to 0 (electron#38749). Plain Node: the answer is a web Response, unit-tested without the binary.

export { MEDIA_SCHEME };

const MEDIA_HOST = 'media';

/** The media URL the renderer puts in a <video>/<img> for a ref (the ref encoded whole). */
export const mediaUrl = (sourceId: string, ref: string, options: Parameters<typeof mediaPath>[2] = {}) =>
  `${MEDIA_SCHEME_PREFIX}${mediaPath(sourceId, ref, options)}`;

export async function mediaSchemeResponse(engine: EngineLike, request: { url: string; method: string; headers: Headers }): Promise<Response> {
  const notFound = () =>
    new Response('no such media\n', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' } });
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return notFound();
  }
  if (url.protocol !== `${MEDIA_SCHEME}:` || url.host !== MEDIA_HOST || (request.method !== 'GET' && request.method !== 'HEAD')) return notFound();
  const parts = mediaPathParts(url.pathname.slice(1));
  if (!parts) return notFound();
  const answer = await mediaAnswer(engine, {
    ...parts,
    subdir: url.searchParams.get('subdir') ?? '',
    preview: url.searchParams.get('preview') === '1',
    frame: url.searchParams.get('frame'),
    range: request.headers.get('range'),
    head: request.method === 'HEAD',
  });
  return answer.status === 404 ? notFound() : toResponse(answer);
}

function toResponse(answer: MediaAnswer): Response {
  const headers = { ...answer.headers, 'X-Content-Type-Options': 'nosniff' };
  return new Response(answer.body ? (Readable.toWeb(answer.body) as ReadableStream<Uint8Array>) : null, { status: answer.status, headers });
}

/** An app-scheme URL the app answers itself rather than from the renderer folder: an ffmpeg.wasm task's source video. */
export const isClipSourceUrl = (url: string) => {
  try {
    return new URL(url).pathname.startsWith(CLIP_SOURCE_PREFIX);
  } catch {
    return false;
  }
};

/**
 * `vc2-app://app/clip-source/<token>`: the source video of an open ffmpeg.wasm task, on the page's own origin so the
 * CSP's connect-src stays 'self'; with Range, and 404 for any token no open task has.
 */
export async function clipSourceResponse(engine: EngineLike, request: { url: string; method: string; headers: Headers }): Promise<Response> {
  const token = new URL(request.url).pathname.slice(CLIP_SOURCE_PREFIX.length);
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('not found', { status: 404 });
  const answer = await mediaAnswer(engine, {
    sourceId: '',
    ref: '',
    subdir: '',
    clipSource: token,
    range: request.headers.get('range'),
    head: request.method === 'HEAD',
  });
  return answer.status === 404 ? new Response('no such clip source\n', { status: 404 }) : toResponse(answer);
}
