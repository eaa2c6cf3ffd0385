import { type FileHandle, open } from 'node:fs/promises';

export interface JsonlLine {
  /** The line's index among the file's non-empty lines, from 0: the record index M3IT's loader enumerates. */
  index: number;
  /** Byte offset of the line's first byte, for errors that name where the problem is. */
  offset: number;
  /**
   * The line's bytes, without its newline (nor a CRLF's `\r`). A view into the reader's buffer: valid until the
   * next line is asked for, so a consumer copies what it keeps (decoding base64 makes a new buffer anyway).
   */
  bytes: Buffer;
  /** False for the last line when the file does not end with a newline (a download cut short shows this way). */
  terminated: boolean;
}

/** A slice of a file that starts at a line's first byte, and the index of that line's record. */
export interface LineRange {
  start: number;
  end: number;
  firstIndex: number;
}

/** M3IT lines are a few hundred kB of base64 typically, some DocVQA ones tens of MB; one past this is a damaged file. */
export const MAX_LINE_BYTES = 256 * 1024 * 1024;

const NEWLINE = 0x0a;

/** Whether a line holds only spaces, tabs and `\r`: `datasets`' JSON loader skips such lines, so they take no index. */
function blank(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

const withoutCr = (bytes: Buffer) => (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.subarray(0, bytes.length - 1) : bytes);

/**
 * The lines of a JSONL file (or of a range of it that starts on a line), one at a time, never the file in memory:
 * read in chunks, a line within a chunk handed over as a view, a longer one gathered from its pieces once. Blank
 * lines are skipped and take no index, as `datasets`' JSON loader skips them.
 */
export async function* readJsonlLines(file: string, options: { chunkBytes?: number; range?: LineRange } = {}): AsyncGenerator<JsonlLine> {
  const handle = await open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    const range = options.range ?? { start: 0, end: size, firstIndex: 0 };
    const end = Math.min(range.end, size);
    const chunkBytes = options.chunkBytes ?? 4 << 20;
    const chunk = Buffer.allocUnsafe(chunkBytes);
    let index = range.firstIndex;
    let pieces: Buffer[] = [];
    let pending = 0;
    let lineStart = range.start;
    let position = range.start;
    const take = (bytes: Buffer, terminated: boolean): JsonlLine | null => {
      const line = withoutCr(bytes);
      return blank(line) ? null : { index: index++, offset: lineStart, bytes: line, terminated };
    };
    while (position < end) {
      const { bytesRead } = await handle.read(chunk, 0, Math.min(chunkBytes, end - position), position);
      if (bytesRead === 0) break;
      let from = 0;
      for (let nl = chunk.indexOf(NEWLINE, 0); nl !== -1 && nl < bytesRead; nl = chunk.indexOf(NEWLINE, from)) {
        const tail = chunk.subarray(from, nl);
        const bytes = pieces.length === 0 ? tail : Buffer.concat([...pieces, tail], pending + tail.length);
        pieces = [];
        pending = 0;
        const line = take(bytes, true);
        // The consumer is done with this view before the loop goes on: the chunk is not read into meanwhile.
        if (line) yield line;
        from = nl + 1;
        lineStart = position + from;
      }
      if (from < bytesRead) {
        pieces.push(Buffer.from(chunk.subarray(from, bytesRead)));
        pending += bytesRead - from;
        if (pending > MAX_LINE_BYTES) {
          throw new Error(`${file}: the line at byte ${lineStart} is over ${MAX_LINE_BYTES / 1024 / 1024} MB; the file is damaged or not M3IT's JSONL`);
        }
      }
      position += bytesRead;
    }
    if (pending > 0) {
      const line = take(Buffer.concat(pieces, pending), false);
      if (line) yield line;
    }
  } finally {
    await handle.close();
  }
}

/** Cuts a file into about `parts` byte ranges that each start on a line (the first newline past each share). */
export async function lineCuts(file: string, parts: number): Promise<Array<{ start: number; end: number }>> {
  const handle = await open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    const cuts = [0];
    const probe = Buffer.allocUnsafe(64 * 1024);
    for (let k = 1; k < parts; k++) {
      let at = Math.max(Math.floor((size * k) / parts), cuts.at(-1) as number);
      for (;;) {
        const { bytesRead } = await handle.read(probe, 0, probe.length, at);
        if (bytesRead === 0) {
          at = size;
          break;
        }
        const nl = probe.subarray(0, bytesRead).indexOf(NEWLINE);
        if (nl !== -1) {
          at += nl + 1;
          break;
        }
        at += bytesRead;
      }
      if (at < size && at > (cuts.at(-1) as number)) cuts.push(at);
    }
    cuts.push(size);
    return cuts.slice(0, -1).map((start, k) => ({ start, end: cuts[k + 1] as number }));
  } finally {
    await handle.close();
  }
}

/** The records (non-blank lines) of a byte range, by the rule `readJsonlLines` numbers them with. */
export async function countLines(file: string, range: { start: number; end: number }, chunkBytes = 4 << 20): Promise<number> {
  const handle = await open(file, 'r');
  try {
    return await countRecords(handle, range, chunkBytes);
  } finally {
    await handle.close();
  }
}

/**
 * Cuts a file into about `parts` ranges that each start on a line, each knowing the index of its first record: a
 * pass at memory speed (newlines only, nothing parsed) that lets one big task be decoded on every core.
 */
export async function lineRanges(file: string, parts: number, chunkBytes = 4 << 20): Promise<LineRange[]> {
  const ranges: LineRange[] = [];
  let firstIndex = 0;
  for (const cut of await lineCuts(file, parts)) {
    ranges.push({ ...cut, firstIndex });
    firstIndex += await countLines(file, cut, chunkBytes);
  }
  return ranges;
}

/**
 * Non-blank lines in a range, by the rule `readJsonlLines` uses (so both give every line the same index): newlines
 * found with indexOf (memchr), and a line's bytes looked at only up to its first non-blank byte, its first.
 */
async function countRecords(handle: FileHandle, range: { start: number; end: number }, chunkBytes: number): Promise<number> {
  const chunk = Buffer.allocUnsafe(chunkBytes);
  let count = 0;
  let position = range.start;
  // Whether the line begun in an earlier chunk had a non-blank byte there.
  let begunFilled = false;
  while (position < range.end) {
    const { bytesRead } = await handle.read(chunk, 0, Math.min(chunkBytes, range.end - position), position);
    if (bytesRead === 0) break;
    let from = 0;
    for (let nl = chunk.indexOf(NEWLINE, 0); nl !== -1 && nl < bytesRead; nl = chunk.indexOf(NEWLINE, from)) {
      if (begunFilled || !blank(chunk.subarray(from, nl))) count++;
      begunFilled = false;
      from = nl + 1;
    }
    if (from < bytesRead && !blank(chunk.subarray(from, bytesRead))) begunFilled = true;
    position += bytesRead;
  }
  return begunFilled ? count + 1 : count;
}
