import { open } from 'node:fs/promises';

export interface JsonlLine {
  /** The line's index among the file's non-empty lines, from 0: the record index M3IT's loader enumerates. */
  index: number;
  /** Byte offset of the line's first byte, for errors that name where the problem is. */
  offset: number;
  text: string;
  /** False for the last line when the file does not end with a newline (a download cut short shows this way). */
  terminated: boolean;
}

/** M3IT lines are a few hundred kB of base64 typically, some DocVQA ones tens of MB; one past this is a damaged file. */
export const MAX_LINE_BYTES = 256 * 1024 * 1024;

/**
 * The lines of a JSONL file, one at a time, never the file in memory: read in chunks, a long line gathered from
 * its pieces once (not re-joined with every chunk). Empty lines (a trailing newline, CRLF's `\r`) are skipped and
 * take no index, as `datasets`' JSON loader skips them.
 */
export async function* readJsonlLines(file: string, chunkBytes = 1 << 20): AsyncGenerator<JsonlLine> {
  const handle = await open(file, 'r');
  try {
    const chunk = Buffer.allocUnsafe(chunkBytes);
    let pieces: Buffer[] = [];
    let pending = 0;
    let lineStart = 0;
    let position = 0;
    let index = 0;
    const finish = (end: Buffer, terminated: boolean): JsonlLine | null => {
      const bytes = pieces.length === 0 ? end : Buffer.concat([...pieces, end], pending + end.length);
      pieces = [];
      pending = 0;
      let text = bytes.toString('utf8');
      if (text.endsWith('\r')) text = text.slice(0, -1);
      if (text.trim() === '') return null;
      return { index: index++, offset: lineStart, text, terminated };
    };
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunkBytes, position);
      if (bytesRead === 0) break;
      let from = 0;
      for (let nl = chunk.indexOf(0x0a, 0); nl !== -1 && nl < bytesRead; nl = chunk.indexOf(0x0a, from)) {
        const line = finish(Buffer.from(chunk.subarray(from, nl)), true);
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
      const line = finish(Buffer.alloc(0), false);
      if (line) yield line;
    }
  } finally {
    await handle.close();
  }
}
