import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../lib/atomic-write';
import { readJsonlLines } from './jsonl-lines';

/** What a record's image bytes are, by their first bytes. */
export function imageFormat(bytes: Uint8Array): 'jpeg' | 'png' | 'gif' | 'webp' | 'unknown' {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46) return 'gif';
  if (bytes[0] === 0x52 && bytes[1] === 0x49 && bytes[2] === 0x46 && bytes[3] === 0x46 && bytes[8] === 0x57) return 'webp';
  return 'unknown';
}

/** Standard base64 (what M3IT writes), padding optional; Buffer.from would skip anything else without a word. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

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
  /** Records (non-empty lines) in the file. */
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

/**
 * One M3IT task's JSONL into images: record i's `image_base64_str[0]` decoded as it is (never re-encoded) to
 * `<outDir>/train/<i>.jpg`, the name VideoChat2-IT's refs use (the enumeration index of the train split), each
 * written to a temporary name, synced and renamed. A record that cannot be read is a problem with its line and byte
 * offset, and the records after it are still decoded; an image already there with the right size is left alone, so
 * a rerun after an interruption writes only what is missing.
 */
export async function decodeM3itTask(options: {
  file: string;
  outDir: string;
  keep?: ReadonlySet<number>;
  signal?: AbortSignal;
  onProgress?: (records: number) => void;
}): Promise<DecodeSummary> {
  const summary: DecodeSummary = { records: 0, written: 0, unchanged: 0, notJpeg: [], problems: [], kept: new Map() };
  const folder = join(options.outDir, 'train');
  await mkdir(folder, { recursive: true });
  for await (const line of readJsonlLines(options.file)) {
    options.signal?.throwIfAborted();
    summary.records = line.index + 1;
    const problem = (reason: string) => summary.problems.push({ index: line.index, offset: line.offset, reason });
    let record: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(line.text);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
        problem('the line is not a JSON object');
        continue;
      }
      record = parsed as Record<string, unknown>;
    } catch (error) {
      problem(line.terminated ? `invalid JSON (${(error as Error).message})` : 'the last line is cut short (the download ended early?)');
      continue;
    }
    if (options.keep?.has(line.index)) {
      summary.kept.set(line.index, { instruction: str(record.instruction), inputs: str(record.inputs), outputs: str(record.outputs) });
    }
    const images = record.image_base64_str;
    const encoded = Array.isArray(images) ? images[0] : undefined;
    if (typeof encoded !== 'string' || encoded === '') {
      problem('no image_base64_str[0]');
      continue;
    }
    if (!BASE64.test(encoded)) {
      problem('image_base64_str[0] is not valid base64');
      continue;
    }
    const bytes = Buffer.from(encoded, 'base64');
    const format = imageFormat(bytes);
    if (format !== 'jpeg') summary.notJpeg.push({ index: line.index, format });
    const target = join(folder, `${line.index}.jpg`);
    const existing = await stat(target).catch(() => null);
    if (existing?.isFile() && existing.size === bytes.length) summary.unchanged++;
    else {
      await writeFileAtomic(target, bytes);
      summary.written++;
    }
    options.onProgress?.(summary.records);
  }
  return summary;
}
