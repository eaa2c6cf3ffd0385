// over 400 lines: the array scanner and the record checker share one hot loop's constants and state, and are read together.
import { isUtf8 } from 'node:buffer';
import { open } from 'node:fs/promises';

/** A JSON problem at a known place, so the user can open the file at that byte. */
export class AnnotationFormatError extends Error {
  override readonly name = 'AnnotationFormatError';
  constructor(
    readonly file: string,
    readonly offset: number,
    detail: string,
    problem = 'invalid JSON',
  ) {
    super(`${file}: ${problem} at byte ${offset}: ${detail}. The file is damaged or not a VideoChat2-IT annotation file; download or copy it again.`);
  }
}

export interface ArrayElement {
  value: unknown;
  /** Position in the array, from 0. */
  index: number;
  /** Byte offset of the element's first byte in the file. */
  offset: number;
  /** Its length in bytes. */
  length: number;
}

/**
 * Which top-level keys of object elements to return. The others are checked to be valid JSON but not built, and
 * they are most of the bytes (a record's QA texts), so this is several times cheaper than JSON.parse (issue 11).
 */
export interface FieldPick {
  /** Parsed whole. */
  full: readonly string[];
  /** For code that only asks how long they are: an array comes back as an empty array of its length, an object as {}. */
  shallow: readonly string[];
}

export interface ReadOptions {
  /** Bytes per read; default 1 MiB. */
  chunkBytes?: number;
  /** Default MAX_RECORD_BYTES. */
  maxRecordBytes?: number;
  /** Elements that are objects come back with only these keys (as JSON.parse would give them); others whole. */
  pick?: FieldPick;
}

/** A real record is a few KB. One far larger means a damaged file, and holding it whole would use up the process's memory (issue 9). */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;
/** Real records nest four levels. Deeper nesting is refused while scanning, before anything recurses into it (issue 10). */
export const MAX_DEPTH = 1000;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

const START = 0;
const VALUE_OR_END = 1;
const VALUE = 2;
const COMMA_OR_END = 3;
const DONE = 4;

const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
// ignoreBOM: a byte order mark inside the array is not whitespace and must not vanish before JSON.parse sees it.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const sizeText = (bytes: number) => (bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`);

/** Index of the first byte of the first sequence TextDecoder rejects (overlong forms, surrogates, > U+10FFFF, cut short), or -1. */
function invalidUtf8At(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let more: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) more = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      more = 2;
      if (b === 0xe0) low = 0xa0;
      else if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      more = 3;
      if (b === 0xf0) low = 0x90;
      else if (b === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k <= more; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? low : 0x80) || c > (k === 1 ? high : 0xbf)) return i;
    }
    i += more + 1;
  }
  return -1;
}

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

interface PickedKey {
  name: string;
  bytes: Buffer;
  shallow: boolean;
}

const OBJECT = 1;
const KEY_OR_CLOSE = 0;
const KEY = 1;
const VALUE_OR_CLOSE = 2;
const ANY_VALUE = 3;
const COMMA_OR_CLOSE = 4;
/** The container kind at each depth while a record is checked (one record at a time, never re-entered). */
const containers = new Uint8Array(MAX_DEPTH + 2);

const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;
const isHex = (c: number | undefined) => c !== undefined && ((c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66));

/** Index after the closing quote of the string whose content starts at i, or -1 when it is not a valid JSON string. */
function skipString(buf: Buffer, i: number, end: number): number {
  while (i < end) {
    const c = buf[i++] as number;
    if (c === QUOTE) return i;
    if (c === BACKSLASH) {
      const e = buf[i++];
      if (e === 0x75) {
        if (!(isHex(buf[i]) && isHex(buf[i + 1]) && isHex(buf[i + 2]) && isHex(buf[i + 3]))) return -1;
        i += 4;
      } else if (!(e === QUOTE || e === BACKSLASH || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74)) return -1;
    } else if (c < 0x20) return -1;
  }
  return -1;
}

/** Index after the number or literal at i, or -1 when it is none (JSON's grammar: no leading zeros, "+", ".5", NaN). */
function skipScalar(buf: Buffer, i: number, end: number): number {
  const literal = (text: string) => {
    for (let k = 0; k < text.length; k++) if (buf[i + k] !== text.charCodeAt(k)) return -1;
    return i + text.length;
  };
  const b = buf[i];
  if (b === 0x74) return literal('true');
  if (b === 0x66) return literal('false');
  if (b === 0x6e) return literal('null');
  if (b === 0x2d) i++;
  if (buf[i] === 0x30) i++;
  else if (isDigit(buf[i])) while (isDigit(buf[i])) i++;
  else return -1;
  if (buf[i] === 0x2e) {
    if (!isDigit(buf[++i])) return -1;
    while (isDigit(buf[i])) i++;
  }
  if (buf[i] === 0x65 || buf[i] === 0x45) {
    i++;
    if (buf[i] === 0x2b || buf[i] === 0x2d) i++;
    if (!isDigit(buf[i])) return -1;
    while (isDigit(buf[i])) i++;
  }
  return i > end ? -1 : i;
}

/** The picked key whose name is buf[start, end) (a key's text between its quotes), if any. */
function matchKey(buf: Buffer, start: number, end: number, keys: readonly PickedKey[]): PickedKey | undefined {
  const length = end - start;
  let escaped = false;
  for (const key of keys) {
    if (key.bytes.length !== length) continue;
    let k = 0;
    while (k < length && buf[start + k] === key.bytes[k]) k++;
    if (k === length) return key;
  }
  for (let k = start; k < end && !escaped; k++) escaped = buf[k] === BACKSLASH;
  if (!escaped) return undefined;
  const name = JSON.parse(`"${buf.toString('utf8', start, end)}"`) as string;
  return keys.find((key) => key.name === name);
}

/** JSON.parse of buf[start, end), the bytes known to be valid; a plain ASCII string (a ref) needs no parser at all. */
function parseValue(buf: Buffer, start: number, end: number): unknown {
  if (buf[start] === QUOTE) {
    let k = start + 1;
    while (k < end - 1 && (buf[k] as number) < 0x80 && buf[k] !== BACKSLASH) k++;
    if (k === end - 1) return buf.toString('latin1', start + 1, end - 1);
  }
  return JSON.parse(buf.toString('utf8', start, end));
}

/** Where the object pickFields last returned ends (the index after its "}"). */
let pickedEnd = 0;

/**
 * Checks that the bytes from `start` begin with one valid JSON object that ends before `end`, and returns its picked
 * keys as JSON.parse would (the last of duplicate keys wins; pickedEnd says where it ended). Null when it is not an
 * object, not valid, nested too deeply or not complete before `end`: the caller then leaves it to the scanner and
 * JSON.parse, so anything this gets wrong would cost time, never give a different answer. UTF-8 is checked apart.
 */
function pickFields(buf: Buffer, start: number, end: number, keys: readonly PickedKey[]): Record<string, unknown> | null {
  if (buf[start] !== OPEN_BRACE) return null;
  const picked: Record<string, unknown> = {};
  let i = start + 1;
  let depth = 1;
  containers[1] = OBJECT;
  let state = KEY_OR_CLOSE;
  let key: PickedKey | undefined;
  let valueStart = 0;
  let items = 0; // values directly inside the current top-level value
  while (depth > 0) {
    let b = buf[i] as number;
    while (isSpace(b)) b = buf[++i] as number;
    if (i >= end) return null;
    if (state === COMMA_OR_CLOSE) {
      const inObject = containers[depth] === OBJECT;
      if (b === COMMA) {
        i++;
        state = inObject ? KEY : ANY_VALUE;
        continue;
      }
      if (b !== (inObject ? CLOSE_BRACE : CLOSE_BRACKET)) return null;
      i++;
      depth--;
    } else if (state === KEY_OR_CLOSE && b === CLOSE_BRACE) {
      i++;
      depth--;
    } else if (state === KEY_OR_CLOSE || state === KEY) {
      if (b !== QUOTE) return null;
      const keyStart = i + 1;
      i = skipString(buf, keyStart, end);
      if (i < 0) return null;
      if (depth === 1) key = matchKey(buf, keyStart, i - 1, keys);
      b = buf[i] as number;
      while (isSpace(b)) b = buf[++i] as number;
      if (b !== 0x3a) return null;
      i++;
      state = ANY_VALUE;
      continue;
    } else if (state === VALUE_OR_CLOSE && b === CLOSE_BRACKET) {
      i++;
      depth--;
    } else {
      if (depth === 1) valueStart = i;
      else if (depth === 2) items++;
      if (b === OPEN_BRACE || b === OPEN_BRACKET) {
        if (depth === MAX_DEPTH) return null;
        if (depth === 1) items = 0;
        containers[++depth] = b === OPEN_BRACE ? OBJECT : 0;
        state = b === OPEN_BRACE ? KEY_OR_CLOSE : VALUE_OR_CLOSE;
        i++;
        continue;
      }
      i = b === QUOTE ? skipString(buf, i + 1, end) : skipScalar(buf, i, end);
      if (i < 0) return null;
    }
    // A value has just ended at i; at depth 1 it is a top-level one.
    state = COMMA_OR_CLOSE;
    if (depth === 1 && key !== undefined) {
      const first = buf[valueStart];
      if (key.shallow && first === OPEN_BRACKET) picked[key.name] = new Array(items);
      else if (key.shallow && first === OPEN_BRACE) picked[key.name] = {};
      else picked[key.name] = parseValue(buf, valueStart, i);
      key = undefined;
    }
  }
  pickedEnd = i;
  return picked;
}

type Fail = (at: number, detail: string, problem?: string) => never;

/** Stands for "parse this element later" among the values the scanner already has. */
const UNPARSED = Symbol('unparsed');

/**
 * Finds where each element of the top-level array starts and ends. With picked keys, an object element is checked
 * and picked in the same pass (pickFields); anything else, or one cut off by the end of the read, goes through the
 * byte scanner: strings skipped with indexOf, brackets counted, state kept between reads so an element may span them.
 */
class ArrayScanner {
  phase = START;
  depth = 0;
  inString = false;
  /** A number/true/false/null element, which ends at a comma, bracket or space. */
  scalar = false;
  /** Buffer index where the unfinished element began, or -1. */
  elementStart = -1;
  /** Elements completed so far. */
  elements = 0;
  /** Elements completed since they were last taken: buffer indexes, and the value when it is already known. */
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  readonly values: unknown[] = [];

  constructor(
    private readonly fail: Fail,
    private readonly maxRecordBytes: number,
    private readonly keys: readonly PickedKey[] | null,
  ) {}

  private complete(start: number, end: number, value: unknown): void {
    if (end - start > this.maxRecordBytes) this.tooLarge(start);
    this.starts.push(start);
    this.ends.push(end);
    this.values.push(value);
    this.elements++;
  }

  tooLarge(start: number): never {
    return this.fail(
      start,
      `the record that starts here is over the limit of ${sizeText(this.maxRecordBytes)} per record (real records are a few KB)`,
      'record too large',
    );
  }

  private tooDeep(at: number): never {
    return this.fail(at, `records nest deeper than ${MAX_DEPTH} levels of [ ] and { } here (real records nest four)`, 'record nested too deeply');
  }

  scan(buf: Buffer, from: number, to: number): void {
    let { phase, depth, inString, scalar, elementStart } = this;
    let i = from;
    while (i < to) {
      if (phase === VALUE) {
        if (inString) {
          const quote = buf.indexOf(QUOTE, i);
          if (quote < 0 || quote >= to) {
            i = to;
            break;
          }
          // Escaped when an odd number of backslashes stands before it; they are all still in the buffer.
          let slashes = 0;
          for (let k = quote - 1; k > elementStart && buf[k] === BACKSLASH; k--) slashes++;
          i = quote + 1;
          if (slashes % 2 === 1) continue;
          inString = false;
          if (depth === 0) {
            this.complete(elementStart, i, UNPARSED);
            elementStart = -1;
            phase = COMMA_OR_END;
          }
          continue;
        }
        if (scalar) {
          const c = buf[i] as number;
          if (c === COMMA || c === CLOSE_BRACKET || isSpace(c)) {
            this.complete(elementStart, i, UNPARSED);
            elementStart = -1;
            scalar = false;
            phase = COMMA_OR_END;
          } else i++;
          continue;
        }
        const b = buf[i++] as number;
        if (b === QUOTE) inString = true;
        else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
          if (++depth > MAX_DEPTH) this.tooDeep(i - 1);
        } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
          if (--depth === 0) {
            this.complete(elementStart, i, UNPARSED);
            elementStart = -1;
            phase = COMMA_OR_END;
          }
        }
        continue;
      }
      const b = buf[i] as number;
      if (isSpace(b)) {
        i++;
        continue;
      }
      if (phase === VALUE_OR_END && b === OPEN_BRACE && this.keys !== null) {
        // The common case, a whole record inside this read: checked and picked in one pass over its bytes.
        const picked = pickFields(buf, i, to, this.keys);
        if (picked !== null) {
          this.complete(i, pickedEnd, picked);
          i = pickedEnd;
          phase = COMMA_OR_END;
          continue;
        }
      }
      if (phase === START) {
        if (b !== OPEN_BRACKET) this.fail(i, 'the file must be a JSON array of records (it should start with "[")');
        phase = VALUE_OR_END;
      } else if (phase === VALUE_OR_END) {
        if (b === CLOSE_BRACKET && this.elements === 0) phase = DONE;
        else if (b === COMMA || b === CLOSE_BRACKET || b === CLOSE_BRACE) this.fail(i, `unexpected "${String.fromCharCode(b)}" where a record should start`);
        else {
          elementStart = i;
          phase = VALUE;
          if (b === QUOTE) inString = true;
          else if (b === OPEN_BRACE || b === OPEN_BRACKET) depth = 1;
          else scalar = true;
          if (scalar) continue; // the scalar's first byte is looked at again above
        }
      } else if (phase === COMMA_OR_END) {
        if (b === COMMA) phase = VALUE_OR_END;
        else if (b === CLOSE_BRACKET) phase = DONE;
        else this.fail(i, `expected "," or "]" after record ${this.elements - 1}, found "${String.fromCharCode(b)}"`);
      } else {
        this.fail(i, 'unexpected data after the end of the array');
      }
      i++;
    }
    Object.assign(this, { phase, depth, inString, scalar, elementStart });
  }

  /** At the end of the file: a scalar ends there; anything else unfinished is an error. */
  finish(end: number): void {
    if (this.scalar && this.phase === VALUE) {
      this.complete(this.elementStart, end, UNPARSED);
      this.elementStart = -1;
      this.scalar = false;
      this.phase = COMMA_OR_END;
    }
    if (this.phase !== DONE) this.fail(end, this.phase === START ? 'the file is empty' : 'the file ends in the middle of the array (truncated?)');
  }
}

/** Parses one element on its own, to name the exact byte of what is wrong with it. */
function parseOne(buf: Buffer, start: number, end: number, fail: Fail): unknown {
  const bytes = buf.subarray(start, end);
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return fail(start + Math.max(0, invalidUtf8At(bytes)), 'the bytes here are not valid UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const at = Buffer.byteLength(text.slice(0, syntaxErrorPosition(text, error as Error)));
    return fail(start + at, (error as Error).message.replace(/ in JSON at position \d+.*$/, ''));
  }
}

/**
 * The elements completed in one read, taken from the scanner. Without picked keys, the span from the first one's
 * start to the last one's end is "e1, e2, …": it is decoded and parsed as one array, which costs less than a decode
 * and a JSON.parse per record. With them, most values are known already and the span only needs its UTF-8 checked.
 * When either fails, each element is parsed alone, so the first bad one is reported at its own byte.
 */
function takeElements(buf: Buffer, scanner: ArrayScanner, firstIndex: number, base: number, fail: Fail, keys: readonly PickedKey[] | null): ArrayElement[] {
  const { starts, ends } = scanner;
  const count = starts.length;
  const span = buf.subarray(starts[0], ends[count - 1]);
  let values: unknown[] | null = null;
  if (keys !== null) {
    if (isUtf8(span)) values = scanner.values;
  } else {
    try {
      const parsed: unknown = JSON.parse(`[${decoder.decode(span)}]`);
      if (Array.isArray(parsed) && parsed.length === count) values = parsed;
    } catch {
      // Found below, with its place.
    }
  }
  const out: ArrayElement[] = new Array(count);
  for (let k = 0; k < count; k++) {
    const start = starts[k] as number;
    const end = ends[k] as number;
    let value = values ? values[k] : UNPARSED;
    if (value === UNPARSED && values && keys) {
      // One the scanner finished (it spanned reads, or is not a valid object) is picked now if it can be.
      const picked = pickFields(buf, start, end, keys);
      if (picked !== null && pickedEnd === end) value = picked;
    }
    if (value === UNPARSED) value = parseOne(buf, start, end, fail);
    out[k] = { value, index: firstIndex + k, offset: base + start, length: end - start };
  }
  starts.length = 0;
  ends.length = 0;
  scanner.values.length = 0;
  return out;
}

/**
 * Yields the elements of a top-level JSON array, one batch per read. Memory stays at one read plus one element
 * however large the file is, and an element over `maxRecordBytes` fails the file instead of being held.
 */
export async function* readJsonArrayBatches(file: string, options: ReadOptions = {}): AsyncGenerator<ArrayElement[]> {
  const chunkBytes = Math.max(1, options.chunkBytes ?? 1 << 20);
  const maxRecordBytes = options.maxRecordBytes ?? MAX_RECORD_BYTES;
  let base = 0; // file offset of buf[0]
  const fail: Fail = (at, detail, problem) => {
    throw new AnnotationFormatError(file, base + at, detail, problem);
  };
  const pick = options.pick;
  const key = (name: string, shallow: boolean): PickedKey => ({ name, shallow, bytes: Buffer.from(name) });
  const keys = pick ? [...pick.full.map((name) => key(name, false)), ...pick.shallow.map((name) => key(name, true))] : null;
  const scanner = new ArrayScanner(fail, maxRecordBytes, keys);
  // One buffer, grown by doubling and compacted in place: joining the unfinished element with every new chunk
  // copied it once per chunk, which made a 200 MB element take 14 s (issue 9).
  let buf = Buffer.allocUnsafe(2 * chunkBytes);
  let length = 0;
  let scanned = 0;
  let index = 0;
  const handle = await open(file, 'r');
  try {
    for (;;) {
      const keep = scanner.elementStart >= 0 ? scanner.elementStart : scanned;
      if (keep > 0) {
        buf.copyWithin(0, keep, length);
        length -= keep;
        scanned -= keep;
        base += keep;
        if (scanner.elementStart >= 0) scanner.elementStart -= keep;
      }
      if (buf.length - length < chunkBytes) {
        // Doubling keeps the copies of one large element linear in its size; never much past the limit it may reach.
        const grown = Buffer.allocUnsafe(Math.max(length + chunkBytes, Math.min(2 * buf.length, maxRecordBytes + 2 * chunkBytes)));
        buf.copy(grown, 0, 0, length);
        buf = grown;
      } else if (buf.length > 4 * chunkBytes && length < chunkBytes) {
        // Shrunk back once the large element has gone.
        const shrunk = Buffer.allocUnsafe(2 * chunkBytes);
        buf.copy(shrunk, 0, 0, length);
        buf = shrunk;
      }
      const { bytesRead } = await handle.read(buf, length, chunkBytes, base + length);
      length += bytesRead;
      const atEnd = bytesRead === 0;
      if (base === 0 && scanned === 0) {
        if (length < 3 && !atEnd) continue; // the byte order mark check needs three bytes
        if (length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) scanned = 3; // UTF-8 byte order mark, written by some Windows tools
      }
      scanner.scan(buf, scanned, length);
      scanned = length;
      if (atEnd) scanner.finish(length);
      else if (scanner.elementStart >= 0 && length - scanner.elementStart > maxRecordBytes) scanner.tooLarge(scanner.elementStart);
      if (scanner.starts.length > 0) {
        const batch = takeElements(buf, scanner, index, base, fail, keys);
        index += batch.length;
        yield batch;
      }
      if (atEnd) break;
    }
  } finally {
    await handle.close();
  }
}

/** The elements of a top-level JSON array one at a time (see readJsonArrayBatches). */
export async function* readJsonArray(file: string, options: ReadOptions = {}): AsyncGenerator<ArrayElement> {
  for await (const batch of readJsonArrayBatches(file, options)) yield* batch;
}
