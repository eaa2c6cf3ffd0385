import { mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { mapLimit } from '../../lib/map-limit';
import { isNoSpace, noSpaceWhileExtracting } from '../extract/no-space';
import { ImageWriter } from './image-writer';
import { type LineRange, readJsonlLines } from './jsonl-lines';
/** What a record's image bytes are, by their first bytes. */
export function imageFormat(bytes: Uint8Array): 'jpeg' | 'png' | 'gif' | 'webp' | 'unknown' {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46) return 'gif';
  if (bytes[0] === 0x52 && bytes[1] === 0x49 && bytes[2] === 0x46 && bytes[3] === 0x46 && bytes[8] === 0x57) return 'webp';
  return 'unknown';
}

/**
 * Base64 decoded, or null when the text is not base64: Buffer.from skips what is not base64 without a word, so
 * the decoded length is held against what the text's length says it must be (a skipped character shortens it).
 */
export function decodeBase64(text: string): Buffer | null {
  let padding = 0;
  while (padding < 2 && text.charCodeAt(text.length - 1 - padding) === 0x3d) padding++;
  const chars = text.length - padding;
  if (chars % 4 === 1) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === Math.floor((chars * 3) / 4) ? bytes : null;
}

const IMAGE_KEY = Buffer.from('"image_base64_str"');
const isSpace = (c: number | undefined) => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;

/**
 * Where `image_base64_str[0]`'s text lies in a record's bytes, found without parsing the line: base64 has no
 * quote and no escape, so the string ends at the next quote. Null when the line is laid out otherwise (the caller
 * then parses it whole).
 */
function imageSpan(line: Buffer): { start: number; end: number } | null {
  const key = line.indexOf(IMAGE_KEY);
  if (key === -1) return null;
  let p = key + IMAGE_KEY.length;
  const skip = () => {
    while (isSpace(line[p])) p++;
  };
  skip();
  if (line[p++] !== 0x3a) return null;
  skip();
  if (line[p++] !== 0x5b) return null;
  skip();
  if (line[p++] !== 0x22) return null;
  const end = line.indexOf(0x22, p);
  if (end === -1 || line.subarray(p, end).indexOf(0x5c) !== -1) return null;
  return { start: p, end };
}

/** A record's fields and its image's base64 text; the image's text is cut out before the rest is parsed. */
function parseRecord(line: Buffer): { record: Record<string, unknown>; encoded: unknown } | { error: string } {
  const span = imageSpan(line);
  if (span) {
    try {
      const rest: unknown = JSON.parse(Buffer.concat([line.subarray(0, span.start), line.subarray(span.end)]).toString('utf8'));
      const images = (rest as { image_base64_str?: unknown } | null)?.image_base64_str;
      if (rest && typeof rest === 'object' && !Array.isArray(rest) && Array.isArray(images) && images[0] === '') {
        return { record: rest as Record<string, unknown>, encoded: line.toString('latin1', span.start, span.end) };
      }
    } catch {
      // parsed whole below, for the error's words
    }
  }
  try {
    const parsed: unknown = JSON.parse(line.toString('utf8'));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { error: 'the line is not a JSON object' };
    const images = (parsed as { image_base64_str?: unknown }).image_base64_str;
    return { record: parsed as Record<string, unknown>, encoded: Array.isArray(images) ? images[0] : undefined };
  } catch (error) {
    return { error: `invalid JSON (${(error as Error).message})` };
  }
}

export interface M3itRecordText {
  instruction: string;
  inputs: string;
  outputs: string;
}

export interface DecodeProblem {
  index: number | null;
  offset: number;
  reason: string;
}

export interface DecodeSummary {
  /** Records (non-blank lines) read. */
  records: number;
  written: number;
  /** Images already there with the size their record decodes to: not written again. */
  unchanged: number;
  /** Images whose bytes are not JPEG, written under the `.jpg` name the annotations use, with what they are. */
  notJpeg: Array<{ index: number; format: string }>;
  problems: DecodeProblem[];
  /** The texts of the records asked for (`keep`), for the check against the annotations. */
  kept: Map<number, M3itRecordText>;
}

const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));

/** Temporary files an interrupted decode left in a task's image folder; the caller sweeps them before decoding. */
export async function sweepPartials(folder: string): Promise<number> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const stale = names.filter((n) => n.startsWith('.') && n.endsWith('.jpg.partial'));
  await Promise.all(stale.map((n) => unlink(join(folder, n)).catch(() => undefined)));
  return stale.length;
}

/** The images a task's folder holds already, their sizes by record index: read once, before its decode. */
export async function existingImages(folder: string): Promise<Map<number, number>> {
  const names = (await readdir(folder).catch(() => [] as string[])).filter((n) => /^(0|[1-9]\d*)\.jpg$/.test(n));
  const sizes = new Map<number, number>();
  await mapLimit(names, 32, async (name) => {
    const info = await stat(join(folder, name)).catch(() => null);
    if (info?.isFile()) sizes.set(Number.parseInt(name, 10), info.size);
  });
  return sizes;
}

/**
 * One M3IT task's JSONL (or a range of it) into images: record i's `image_base64_str[0]` decoded as it is (never
 * re-encoded) to `<outDir>/train/<i>.jpg`, the name VideoChat2-IT's refs use (the enumeration index of the train
 * split). Each image is written to a temporary name, synced and renamed, so no half-written image ever has its
 * name; the folder itself is synced by the caller once the task is done. A record that cannot be read is a
 * problem with its line and byte offset, and the records after it are still decoded; an image already there with
 * the right size is left alone (`existing`: the folder's sizes by index, read once), so a rerun writes only what is
 * missing.
 */
export async function decodeM3itTask(options: {
  file: string;
  outDir: string;
  range?: LineRange;
  keep?: ReadonlySet<number>;
  existing?: ReadonlyMap<number, number>;
  signal?: AbortSignal;
  onProgress?: (records: number) => void;
}): Promise<DecodeSummary> {
  const summary: DecodeSummary = { records: 0, written: 0, unchanged: 0, notJpeg: [], problems: [], kept: new Map() };
  const folder = join(options.outDir, 'train');
  await mkdir(folder, { recursive: true });
  const writer = new ImageWriter(folder);
  // A full disk pauses the download job (it carries on once there is room), as an extraction's does.
  const noSpace = (error: unknown): never => {
    throw isNoSpace(error) ? noSpaceWhileExtracting(options.file, folder, 'the images written so far are kept') : error;
  };
  for await (const line of readJsonlLines(options.file, options.range ? { range: options.range } : {})) {
    options.signal?.throwIfAborted();
    summary.records++;
    const problem = (reason: string) => summary.problems.push({ index: line.index, offset: line.offset, reason });
    const parsed = parseRecord(line.bytes);
    if ('error' in parsed) {
      problem(line.terminated ? parsed.error : 'the last line is cut short (the download ended early?)');
      continue;
    }
    const { record, encoded } = parsed;
    if (options.keep?.has(line.index)) {
      summary.kept.set(line.index, { instruction: str(record.instruction), inputs: str(record.inputs), outputs: str(record.outputs) });
    }
    if (typeof encoded !== 'string' || encoded === '') {
      problem('no image_base64_str[0]');
      continue;
    }
    const bytes = decodeBase64(encoded);
    if (!bytes) {
      problem('image_base64_str[0] is not valid base64');
      continue;
    }
    const format = imageFormat(bytes);
    if (format !== 'jpeg') summary.notJpeg.push({ index: line.index, format });
    if (options.existing?.get(line.index) === bytes.length) {
      summary.unchanged++;
    } else {
      await writer.add(line.index, bytes).catch(noSpace);
    }
    options.onProgress?.(summary.records);
  }
  await writer.finish().catch(noSpace);
  summary.written = writer.written;
  return summary;
}
