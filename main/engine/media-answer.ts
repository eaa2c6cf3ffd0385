import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { LocatedMedia } from '../../shared/api/models';
import { parseRange, rangeResponse } from '../lib/byte-range';
import type { EngineLike } from './engine-like';

export interface MediaAnswer {
  status: 200 | 206 | 404 | 416;
  headers: Record<string, string>;
  /** The bytes to send (null for HEAD, 404, 416 and an empty file). */
  body: Readable | null;
}

/** Both shells serve an ffmpeg.wasm task's source video at `<app origin>/clip-source/<token>`, the page's own origin. */
export const CLIP_SOURCE_PREFIX = '/clip-source/';

export const MEDIA_NOT_FOUND: MediaAnswer = { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }, body: null };

/**
 * A media file as the player asks for it, with HTTP Range (seeking), for both shells: the web host's
 * `/media/<source-id>/<ref>` route and the desktop's media scheme. The engine locates the file (refs of the library
 * only, inside the source's root); this opens it and answers the range. Every refusal is the same 404.
 */
export async function mediaAnswer(
  engine: EngineLike,
  request: {
    sourceId: string;
    ref: string;
    subdir: string;
    range: string | null;
    head: boolean;
    preview?: boolean;
    frame?: string | null;
    /** An ffmpeg.wasm task's token: its source video (a raw video outside the library) instead of a ref. */
    clipSource?: string | null;
  },
): Promise<MediaAnswer> {
  const located = request.clipSource
    ? await engine.call('clips.locateSource', { token: request.clipSource })
    : await engine.call('viewer.locate', {
        sourceId: request.sourceId,
        ref: request.ref,
        subdir: request.subdir,
        preview: request.preview ?? false,
        ...(request.frame ? { frame: request.frame } : {}),
      });
  if (!located.ok) return MEDIA_NOT_FOUND;
  const file = located.value as LocatedMedia;
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file.path, 'r');
  } catch {
    return MEDIA_NOT_FOUND;
  }
  // The file as opened now (it may have been replaced since it was located).
  const stats = await handle.stat();
  if (!stats.isFile()) {
    await handle.close();
    return MEDIA_NOT_FOUND;
  }
  const answer = rangeResponse(parseRange(request.range, stats.size), { size: stats.size, mtimeMs: stats.mtimeMs, contentType: file.contentType });
  if (request.head || answer.status === 416 || stats.size === 0) {
    await handle.close();
    return { status: answer.status, headers: answer.headers, body: null };
  }
  return { status: answer.status, headers: answer.headers, body: handle.createReadStream({ start: answer.start, end: answer.end }) };
}

/** `<source-id>/<ref>` of a media path (the ref URL-encoded whole, or with its slashes as they are); null if broken. */
export function mediaPathParts(path: string): { sourceId: string; ref: string } | null {
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) return null;
  try {
    return { sourceId: decodeURIComponent(path.slice(0, slash)), ref: decodeURIComponent(path.slice(slash + 1)) };
  } catch {
    return null;
  }
}
