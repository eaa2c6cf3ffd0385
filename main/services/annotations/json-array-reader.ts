import { createReadStream } from 'node:fs';

/** A JSON problem at a known place, so the user can open the file at that byte. */
export class AnnotationFormatError extends Error {
  override readonly name = 'AnnotationFormatError';
  constructor(
    readonly file: string,
    readonly offset: number,
    detail: string,
  ) {
    super(`${file}: invalid JSON at byte ${offset}: ${detail}. The file is damaged or not a VideoChat2-IT annotation file; download or copy it again.`);
  }
}

export interface ArrayElement {
  value: unknown;
  /** The element's JSON text exactly as in the file (kept so records can be written back unchanged). */
  text: string;
  /** Position in the array, from 0. */
  index: number;
  /** Byte offset of the element's first byte in the file. */
  offset: number;
  /** Its length in bytes. */
  length: number;
}

enum Byte {
  Quote = 0x22,
  Backslash = 0x5c,
  Comma = 0x2c,
  OpenBrace = 0x7b,
  CloseBrace = 0x7d,
  OpenBracket = 0x5b,
  CloseBracket = 0x5d,
}

const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Where JSON.parse gave up, in characters. V8 names the position for most errors but not for
 * "Unexpected token"; then the shortest prefix that fails for a reason other than ending early is found by bisection.
 */
function syntaxErrorPosition(text: string, error: Error): number {
  const named = /position (\d+)/.exec(error.message)?.[1];
  if (named !== undefined) return Number(named);
  // A prefix "fails inside" when the parser stops before the prefix ends; stopping at its end only means it was cut short.
  const failsInside = (length: number) => {
    try {
      JSON.parse(text.slice(0, length));
      return false;
    } catch (e) {
      const message = (e as Error).message;
      const at = /position (\d+)/.exec(message)?.[1];
      if (at !== undefined) return Number(at) < length;
      return !/Unexpected end of JSON input/.test(message);
    }
  };
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (failsInside(mid)) high = mid;
    else low = mid + 1;
  }
  return Math.max(0, low - 1);
}

/**
 * Yields the elements of a top-level JSON array one at a time. Memory stays at one chunk plus one element
 * however large the file is: the scanner only finds where each element ends (strings are skipped with
 * indexOf), and each element is handed to JSON.parse on its own.
 */
export async function* readJsonArray(file: string, options: { chunkBytes?: number } = {}): AsyncGenerator<ArrayElement> {
  let phase: 'start' | 'value-or-end' | 'value' | 'comma-or-end' | 'done' = 'start';
  let carry: Buffer = Buffer.alloc(0);
  let carryOffset = 0; // file offset of carry[0]
  let elementStart = -1; // index in carry where the current element began
  let depth = 0;
  let inString = false;
  let scalar = false; // a number/true/false/null element, which ends at a comma, bracket or space
  let index = 0;
  let resume = 0; // where scanning continues in carry

  const fail = (at: number, detail: string): never => {
    throw new AnnotationFormatError(file, carryOffset + at, detail);
  };

  const emit = (end: number): ArrayElement => {
    const bytes = carry.subarray(elementStart, end);
    const offset = carryOffset + elementStart;
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      return fail(elementStart, 'the bytes are not valid UTF-8');
    }
    try {
      return { value: JSON.parse(text), text, index: index++, offset, length: bytes.length };
    } catch (error) {
      const at = Buffer.byteLength(text.slice(0, syntaxErrorPosition(text, error as Error)));
      return fail(elementStart + at, (error as Error).message.replace(/ in JSON at position \d+.*$/, ''));
    }
  };

  const stream = createReadStream(file, { highWaterMark: options.chunkBytes ?? 1 << 20 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    // Keep only the unfinished element; everything before it has been handed out already.
    const keepFrom = elementStart >= 0 ? elementStart : resume;
    carryOffset += keepFrom;
    carry = keepFrom < carry.length ? Buffer.concat([carry.subarray(keepFrom), chunk]) : chunk;
    if (elementStart >= 0) elementStart = 0;
    resume -= keepFrom;
    if (resume < 0) resume = 0;

    const out: ArrayElement[] = [];
    let i = resume;
    const n = carry.length;
    while (i < n) {
      if (phase === 'value') {
        if (inString) {
          const quote = carry.indexOf(Byte.Quote, i);
          if (quote < 0) {
            i = n;
            break;
          }
          let slashes = 0;
          for (let k = quote - 1; k > elementStart && carry[k] === Byte.Backslash; k--) slashes++;
          i = quote + 1;
          if (slashes % 2 === 0) {
            inString = false;
            if (depth === 0) {
              out.push(emit(i));
              elementStart = -1;
              phase = 'comma-or-end';
            }
          }
          continue;
        }
        const b = carry[i] as number;
        if (scalar) {
          if (b === Byte.Comma || b === Byte.CloseBracket || isSpace(b)) {
            out.push(emit(i));
            elementStart = -1;
            scalar = false;
            phase = 'comma-or-end';
            continue;
          }
          i++;
          continue;
        }
        if (b === Byte.Quote) inString = true;
        else if (b === Byte.OpenBrace || b === Byte.OpenBracket) depth++;
        else if (b === Byte.CloseBrace || b === Byte.CloseBracket) {
          depth--;
          if (depth === 0) {
            i++;
            out.push(emit(i));
            elementStart = -1;
            phase = 'comma-or-end';
            continue;
          }
        }
        i++;
        continue;
      }
      const b = carry[i] as number;
      if (isSpace(b)) {
        i++;
        continue;
      }
      if (phase === 'start') {
        if (i === 0 && carryOffset === 0 && b === 0xef && carry[1] === 0xbb && carry[2] === 0xbf) {
          i += 3; // UTF-8 byte order mark, written by some Windows tools
          continue;
        }
        if (b !== Byte.OpenBracket) fail(i, 'the file must be a JSON array of records (it should start with "[")');
        phase = 'value-or-end';
        i++;
      } else if (phase === 'value-or-end') {
        if (b === Byte.CloseBracket && index === 0) {
          phase = 'done';
          i++;
          continue;
        }
        elementStart = i;
        phase = 'value';
        if (b === Byte.Quote) inString = true;
        else if (b === Byte.OpenBrace || b === Byte.OpenBracket) depth = 1;
        else if (b === Byte.Comma || b === Byte.CloseBracket || b === Byte.CloseBrace)
          fail(i, `unexpected "${String.fromCharCode(b)}" where a record should start`);
        else scalar = true;
        i++;
      } else if (phase === 'comma-or-end') {
        if (b === Byte.Comma) phase = 'value-or-end';
        else if (b === Byte.CloseBracket) phase = 'done';
        else fail(i, `expected "," or "]" after record ${index - 1}, found "${String.fromCharCode(b)}"`);
        i++;
      } else {
        fail(i, 'unexpected data after the end of the array');
      }
    }
    resume = i;
    yield* out;
  }
  if (scalar && phase === 'value') {
    yield emit(carry.length);
    elementStart = -1;
    phase = 'comma-or-end';
  }
  if (phase !== 'done') fail(carry.length, phase === 'start' ? 'the file is empty' : 'the file ends in the middle of the array (truncated?)');
}
