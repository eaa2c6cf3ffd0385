import { extname } from 'node:path';

/**
 * One byte range of a file as RFC 9110 §14 asks a server to answer it: `bytes=a-b`, `bytes=a-`, `bytes=-n`. A
 * header we do not take (several ranges, another unit, bad syntax) is ignored and the whole file is sent, as the RFC
 * allows; a range that starts past the end is unsatisfiable (416).
 */
export type RangeAnswer = { kind: 'full' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' };

export function parseRange(header: string | null | undefined, size: number): RangeAnswer {
  const match = /^bytes=(\d*)-(\d*)$/.exec((header ?? '').trim());
  if (!match || (match[1] === '' && match[2] === '')) return { kind: 'full' };
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return { kind: 'unsatisfiable' };
    return size === 0 ? { kind: 'unsatisfiable' } : { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(size - 1, Number(match[2]));
  if (start >= size) return { kind: 'unsatisfiable' };
  if (end < start) return { kind: 'full' };
  return { kind: 'partial', start, end };
}

/** Status and headers for a file answer (both the web host's route and the desktop's media scheme send these). */
export function rangeResponse(
  range: RangeAnswer,
  file: { size: number; mtimeMs: number; contentType: string },
): { status: 200 | 206 | 416; headers: Record<string, string>; start: number; end: number } {
  const common: Record<string, string> = {
    'Accept-Ranges': 'bytes',
    'Content-Type': file.contentType,
    'Last-Modified': new Date(Math.floor(file.mtimeMs / 1000) * 1000).toUTCString(),
    ETag: `W/"${file.size.toString(16)}-${Math.floor(file.mtimeMs).toString(16)}"`,
    // The media are the user's own files: kept out of shared caches, revalidated by the browser.
    'Cache-Control': 'private, no-cache',
  };
  if (range.kind === 'unsatisfiable')
    return { status: 416, headers: { ...common, 'Content-Range': `bytes */${file.size}`, 'Content-Length': '0' }, start: 0, end: -1 };
  if (range.kind === 'partial') {
    return {
      status: 206,
      headers: { ...common, 'Content-Range': `bytes ${range.start}-${range.end}/${file.size}`, 'Content-Length': String(range.end - range.start + 1) },
      start: range.start,
      end: range.end,
    };
  }
  return { status: 200, headers: { ...common, 'Content-Length': String(file.size) }, start: 0, end: file.size - 1 };
}

const TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.mov': 'video/quicktime',
  '.webm': 'video/webm',
  '.mkv': 'video/x-matroska',
  '.avi': 'video/x-msvideo',
  '.flv': 'video/x-flv',
  '.gif': 'image/gif',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.bmp': 'image/bmp',
};

/** By the name's extension; anything else is bytes (never sniffed as HTML: the answers carry nosniff). */
export const contentTypeOf = (path: string) => TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
