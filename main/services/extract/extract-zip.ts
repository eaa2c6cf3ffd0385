import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, symlink } from 'node:fs/promises';
import { dirname, join, posix, resolve, sep } from 'node:path';
import { PassThrough, type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, createInflateRaw } from 'node:zlib';
import yauzl, { type Entry, RandomAccessReader, type ZipFile } from 'yauzl';
import { ApiError } from '../../../shared/api/errors';
import { isNoSpace, noSpaceWhileExtracting } from './no-space';
import { isSpanned, spannedView } from './spanned-zip';

/**
 * Zip extraction with yauzl (3.x): it reads the central directory, so every entry is known — and checked — before
 * one byte is written; it handles Zip64 (the 17 GB and 60 GB archives); and its RandomAccessReader lets byte-split
 * parts (`.partaa`, `.partab`, made by `split`) be read as one archive without writing the joined copy.
 */
/** Entries written at once, and the size of inflated chunks (and so of each write). */
const ENTRIES_AT_ONCE = 4;
const INFLATE_CHUNK = 256 * 1024;

export interface ExtractProgress {
  entries: number;
  totalEntries: number;
  bytes: number;
  totalBytes: number;
}

export interface ExtractResult {
  written: number;
  /** Already there with the entry's size: not rewritten. */
  kept: number;
  /** __MACOSX/, .DS_Store, AppleDouble ._ files. */
  junk: number;
  bytes: number;
}

export interface ExtractOptions {
  signal?: AbortSignal;
  onProgress?: (p: ExtractProgress) => void;
}

/** Byte-split parts of one file, read as one byte range; then `tail`, bytes of the view's own (a spanned zip's rebuilt directory). */
class PartsReader extends RandomAccessReader {
  private readonly starts: number[] = [];
  private readonly partsEnd: number;

  constructor(
    private readonly parts: ReadonlyArray<{ path: string; size: number }>,
    private readonly tail: Buffer = Buffer.alloc(0),
  ) {
    super();
    let at = 0;
    for (const part of parts) {
      this.starts.push(at);
      at += part.size;
    }
    this.partsEnd = at;
  }

  override _readStreamForRange(start: number, end: number): Readable {
    const out = new PassThrough();
    const pieces: Array<{ path: string; start: number; end: number }> = [];
    this.parts.forEach((part, i) => {
      const partStart = this.starts[i] as number;
      const from = Math.max(start, partStart);
      const to = Math.min(end, partStart + part.size);
      if (from < to) pieces.push({ path: part.path, start: from - partStart, end: to - partStart - 1 });
    });
    const tail = end > this.partsEnd ? this.tail.subarray(Math.max(0, start - this.partsEnd), end - this.partsEnd) : null;
    (async () => {
      for (const piece of pieces) await pipeline(createReadStream(piece.path, { start: piece.start, end: piece.end }), out, { end: false });
      if (tail) out.write(tail);
      out.end();
    })().catch((error: unknown) => out.destroy(error as Error));
    return out;
  }
}

const JUNK = (name: string) => name.startsWith('__MACOSX/') || name.split('/').some((part) => part === '.DS_Store' || part.startsWith('._'));
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const isSymlink = (entry: Entry) => ((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK;
const isDirectory = (entry: Entry) => entry.fileName.endsWith('/');

async function openZip(archive: string | ReadonlyArray<string>): Promise<ZipFile> {
  const options = { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true, strictFileNames: true };
  try {
    if (typeof archive === 'string') return await yauzl.openPromise(archive, options);
    const parts = await Promise.all(archive.map(async (path) => ({ path, size: (await stat(path)).size })));
    const total = parts.reduce((sum, p) => sum + p.size, 0);
    // Info-ZIP's spanned parts (x.z01 … x.zip) are read through a rebuilt directory; byte-split ones as they are.
    const tail = (await isSpanned(parts)) ? (await spannedView(parts)).tail : Buffer.alloc(0);
    return await yauzl.fromRandomAccessReaderPromise(new PartsReader(parts, tail), total + tail.length, options);
  } catch (error) {
    throw refusal(archive, (error as Error).message);
  }
}

function refusal(archive: string | ReadonlyArray<string>, why: string): ApiError {
  const name = typeof archive === 'string' ? archive : `${archive[0]} (+${archive.length - 1} parts)`;
  return new ApiError('BAD_ARCHIVE', `${name}: ${why}; nothing was extracted.`);
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Lists every entry and refuses the whole archive, naming the entry, when one would land outside `dest`: `..` or an
 * absolute path (yauzl refuses those itself), a symlink pointing out of `dest`, or anything under a symlink entry.
 */
async function checkedEntries(zip: ZipFile, archive: string | ReadonlyArray<string>, dest: string): Promise<{ entries: Entry[]; links: Map<string, string> }> {
  const entries: Entry[] = [];
  const links = new Map<string, string>();
  try {
    for await (const entry of zip.eachEntry()) entries.push(entry);
  } catch (error) {
    throw refusal(archive, `an entry cannot be extracted safely (${(error as Error).message})`);
  }
  const root = resolve(dest);
  for (const entry of entries) {
    if (!isSymlink(entry)) continue;
    const target = await readAll(await zip.openReadStreamPromise(entry));
    const resolved = resolve(root, dirname(entry.fileName), target);
    if (posix.isAbsolute(target) || (resolved !== root && !resolved.startsWith(root + sep))) {
      throw refusal(archive, `the entry ${entry.fileName} is a link to ${target}, outside the folder it extracts to`);
    }
    links.set(entry.fileName.replace(/\/$/, ''), target);
  }
  for (const entry of entries) {
    const parts = entry.fileName.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      if (links.has(parent)) throw refusal(archive, `the entry ${entry.fileName} would be written through the link ${parent}`);
    }
  }
  return { entries, links };
}

/** Extracts `archive` (a zip, or its byte-split parts in order) into `dest`; each file appears only once complete. */
export async function extractZip(archive: string | ReadonlyArray<string>, dest: string, options: ExtractOptions = {}): Promise<ExtractResult> {
  const zip = await openZip(archive);
  try {
    const { entries } = await checkedEntries(zip, archive, dest);
    const files = entries.filter((e) => !isDirectory(e) && !JUNK(e.fileName));
    const result: ExtractResult = { written: 0, kept: 0, junk: entries.filter((e) => JUNK(e.fileName) && !isDirectory(e)).length, bytes: 0 };
    const totalBytes = files.reduce((sum, e) => sum + e.uncompressedSize, 0);
    let done = 0;
    let bytes = 0;
    const made = new Set<string>();
    // A few entries at once: one inflates while another waits on its fsync (each file is fsynced before its rename).
    // After a failure no lane starts another entry, and all of them settle before the archive is closed.
    let failure: unknown = null;
    let next = 0;
    const one = async (entry: Entry) => {
      options.signal?.throwIfAborted();
      const target = join(dest, ...entry.fileName.split('/'));
      const folder = dirname(target);
      if (!made.has(folder)) {
        await mkdir(folder, { recursive: true });
        made.add(folder);
      }
      if (isSymlink(entry)) {
        const linkTarget = await readAll(await zip.openReadStreamPromise(entry));
        await rm(target, { force: true });
        await symlink(linkTarget, target);
        result.written++;
      } else {
        const existing = await stat(target).catch(() => null);
        if (existing?.isFile() && existing.size === entry.uncompressedSize) {
          // Already extracted (or imported and verified): left as it is, never rewritten.
          result.kept++;
        } else {
          await writeEntry(zip, entry, target);
          result.written++;
          result.bytes += entry.uncompressedSize;
        }
      }
      done++;
      bytes += entry.uncompressedSize;
      options.onProgress?.({ entries: done, totalEntries: files.length, bytes, totalBytes });
    };
    const lane = async () => {
      while (failure === null && next < files.length) {
        try {
          await one(files[next++] as Entry);
        } catch (error) {
          failure ??= error;
        }
      }
    };
    await Promise.all(Array.from({ length: ENTRIES_AT_ONCE }, lane));
    if (failure !== null) throw failure;
    return result;
  } finally {
    zip.close();
  }
}

async function writeEntry(zip: ZipFile, entry: Entry, target: string): Promise<void> {
  const temporary = join(dirname(target), `.${entry.fileName.split('/').at(-1)}.vc2part`);
  try {
    // yauzl checks each entry's size as it inflates, not its CRC-32: that is checked here, before the rename.
    let crc = 0;
    const check = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        crc = crc32(chunk, crc);
        callback(null, chunk);
      },
    });
    // The raw bytes, inflated here in large chunks (zlib's default of 16 kB meant 64 writes per megabyte).
    // (yauzl takes the option only for a compressed entry; a stored one is raw already.)
    const raw = await zip.openReadStreamPromise(entry, entry.compressionMethod === 0 ? {} : { decompress: false });
    let size = 0;
    const count = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        callback(null, chunk);
      },
    });
    const out = createWriteStream(temporary, { highWaterMark: INFLATE_CHUNK });
    if (entry.compressionMethod === 8) await pipeline(raw, createInflateRaw({ chunkSize: INFLATE_CHUNK }), count, check, out);
    else if (entry.compressionMethod === 0) await pipeline(raw, count, check, out);
    else throw new Error(`compression method ${entry.compressionMethod} is not supported (only stored and deflate)`);
    if (size !== entry.uncompressedSize) throw new Error(`${size} bytes where the archive says ${entry.uncompressedSize}`);
    if (crc >>> 0 !== entry.crc32 >>> 0) throw new Error(`CRC-32 ${(crc >>> 0).toString(16)} where the archive says ${(entry.crc32 >>> 0).toString(16)}`);
    const handle = await open(temporary, 'r+');
    await handle.sync();
    await handle.close();
  } catch (error) {
    await rm(temporary, { force: true });
    if (isNoSpace(error)) throw noSpaceWhileExtracting(entry.fileName, dirname(target), 'every file written before it is kept');
    throw new ApiError(
      'BAD_ARCHIVE',
      `${entry.fileName}: the entry could not be read (${(error as Error).message}); the archive may be damaged or incomplete.`,
    );
  }
  await rename(temporary, target);
}
