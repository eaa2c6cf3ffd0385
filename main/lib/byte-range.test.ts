import { describe, expect, it } from 'vitest';
import { contentTypeOf, parseRange, rangeResponse } from './byte-range';

describe('parseRange', () => {
  it('takes a range, an open range and a suffix, clamped to the file', () => {
    expect(parseRange('bytes=10-19', 100)).toEqual({ kind: 'partial', start: 10, end: 19 });
    expect(parseRange('bytes=90-', 100)).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(parseRange('bytes=90-500', 100)).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(parseRange('bytes=-30', 100)).toEqual({ kind: 'partial', start: 70, end: 99 });
    expect(parseRange('bytes=-300', 100)).toEqual({ kind: 'partial', start: 0, end: 99 });
  });

  it('a range past the end is unsatisfiable; what it cannot take is answered with the whole file', () => {
    expect(parseRange('bytes=100-', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-0', 100)).toEqual({ kind: 'unsatisfiable' });
    for (const header of [undefined, '', 'bytes=0-1,5-6', 'items=0-1', 'bytes=9-3', 'bytes=-', 'bytes=a-b'])
      expect(parseRange(header, 100)).toEqual({ kind: 'full' });
  });

  it('answers 206 with Content-Range, 416 with the size, 200 with the length', () => {
    const file = { size: 100, mtimeMs: 1_700_000_000_000, contentType: 'video/mp4' };
    expect(rangeResponse({ kind: 'partial', start: 10, end: 19 }, file)).toMatchObject({
      status: 206,
      start: 10,
      end: 19,
      headers: { 'Content-Range': 'bytes 10-19/100', 'Content-Length': '10', 'Accept-Ranges': 'bytes' },
    });
    expect(rangeResponse({ kind: 'unsatisfiable' }, file)).toMatchObject({ status: 416, headers: { 'Content-Range': 'bytes */100' } });
    expect(rangeResponse({ kind: 'full' }, file)).toMatchObject({ status: 200, headers: { 'Content-Length': '100' } });
    expect([contentTypeOf('a/B.MP4'), contentTypeOf('x.gif'), contentTypeOf('x.html')]).toEqual(['video/mp4', 'image/gif', 'application/octet-stream']);
  });
});
