import { link, lstat, mkdir, open, opendir, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import type { ArchiveFormat } from '../../../shared/catalog/schema';
import { copyFileAtomic } from '../../lib/atomic-write';

/** How a folder the user already has becomes a source's media (#11 item 6). */
export type ImportMode = 'root' | 'link' | 'copy' | 'move';

export interface ArchiveToImport {
  /** One path, or the byte-split parts of one archive in order. */
  parts: string[];
  format: Extract<ArchiveFormat, 'zip' | 'tar' | 'tar.gz'>;
}

/** Byte-split parts as split(1) and the maintainers name them: `x.zip.partaa`, `x.zip.001`, and SSv2's `x-00`… `x-19`. */
const SPLIT = /^(.*)\.(part[a-z]{2}|\d{3})$/;
const NUMBERED = /^(.*)-(\d{2})$/;
/** Info-ZIP's spanned archives: `x.z01`, `x.z02`… and `x.zip` last, each part's offsets its own (not byte-split). */
const SPANNED = /^(.*)\.z(\d{2,3})$/i;

function formatOfName(name: string): ArchiveToImport['format'] | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('.zip')) return 'zip';
  if (lower.endsWith('.tar.gz') || lower.endsWith('.tgz')) return 'tar.gz';
  if (lower.endsWith('.tar')) return 'tar';
  return null;
}

/** What an archive is by its first bytes, for a part or a download whose name says nothing (Drive, SSv2's parts). */
async function formatOfBytes(path: string): Promise<ArchiveToImport['format'] | null> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(512);
    const { bytesRead } = await handle.read(head, 0, 512, 0);
    if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'tar.gz';
    if (bytesRead >= 4 && head.readUInt32LE(0) === 0x04034b50) return 'zip';
    if (bytesRead >= 262 && head.toString('latin1', 257, 262) === 'ustar') return 'tar';
    return null;
  } finally {
    await handle.close();
  }
}

/** The siblings of a part in name order (the order split(1) writes them): every file with the stem and a suffix of the same shape. */
async function siblings(path: string, stem: string, separator: string, suffix: RegExp): Promise<string[]> {
  const dir = dirname(path);
  return (await readdir(dir))
    .filter((n) => n.startsWith(`${stem}${separator}`) && suffix.test(n.slice(stem.length + separator.length)))
    .sort()
    .map((n) => join(dir, n));
}

/**
 * The archive a picked file belongs to: itself, or — for a byte-split part (`x.zip.partaa`, `x.zip.001`, SSv2's
 * `20bn-something-something-v2-00`) — every part beside it with the same stem, in name order, so that picking any
 * one part takes them all. A name without an archive extension is read by its first bytes. Null when the file is
 * not an archive the app reads. Info-ZIP's spanned zips (`x.z01`, `x.z02`, … `x.zip`) are taken as one too: their
 * parts are read through a rebuilt directory (extract/spanned-zip.ts).
 */
export async function archiveOf(path: string): Promise<ArchiveToImport | null> {
  const name = basename(path);
  const spanned = SPANNED.exec(name);
  if (spanned || (await spannedZipBeside(path))) {
    // x.z01, x.z02, … then x.zip last: the order the disks were written in.
    const stem = spanned ? (spanned[1] as string) : name.replace(/\.zip$/i, '');
    const dir = dirname(path);
    const names = await readdir(dir);
    const numbered = names
      .filter((n) => n.toLowerCase().startsWith(`${stem.toLowerCase()}.`) && /^z\d{2,3}$/i.test(n.slice(stem.length + 1)))
      .sort((a, b) => Number(a.slice(stem.length + 2)) - Number(b.slice(stem.length + 2)));
    const last = names.find((n) => n.toLowerCase() === `${stem.toLowerCase()}.zip`);
    if (!last) {
      throw new ApiError(
        'BAD_ARCHIVE',
        `${path} is one part of a spanned zip whose last part ${stem}.zip is not beside it; put every part (${stem}.z01 … ${stem}.zip) in one folder and import again`,
      );
    }
    return { parts: [...numbered, last].map((n) => join(dir, n)), format: 'zip' };
  }
  const split = SPLIT.exec(name);
  if (split) {
    const whole = split[1] as string;
    const suffix = /^\d{3}$/.test(split[2] as string) ? /^\d{3}$/ : /^part[a-z]{2}$/;
    const parts = await siblings(path, whole, '.', suffix);
    const format = formatOfName(whole) ?? (await formatOfBytes(parts[0] as string));
    return format ? { parts, format } : null;
  }
  const byName = formatOfName(name);
  if (byName) return { parts: [path], format: byName };
  const numbered = NUMBERED.exec(name);
  if (numbered) {
    const parts = await siblings(path, numbered[1] as string, '-', /^\d{2}$/);
    // Parts count from 00 (or 01) without a gap; otherwise it is a file that happens to end in -NN.
    const first = Number((parts[0] as string).slice(-2));
    const contiguous = parts.every((p, i) => Number(p.slice(-2)) === first + i);
    if (parts.length > 1 && first <= 1 && contiguous) {
      const format = await formatOfBytes(parts[0] as string);
      if (format) return { parts, format };
    }
  }
  const format = await formatOfBytes(path);
  return format ? { parts: [path], format } : null;
}

/** Whether a picked `x.zip` is the last part of a spanned zip (an `x.z01` beside it). */
async function spannedZipBeside(path: string): Promise<boolean> {
  if (!/\.zip$/i.test(path)) return false;
  const stem = basename(path).replace(/\.zip$/i, '');
  return (await readdir(dirname(path))).some((n) => n.toLowerCase() === `${stem.toLowerCase()}.z01`);
}

/** Files a copy never carries: macOS resource forks and folder settings. */
const isJunk = (name: string) => name === '.DS_Store' || name.startsWith('._') || name === '__MACOSX';

export interface PlaceResult {
  placed: number;
  /** Already at the destination with the same size: left as it is. */
  kept: number;
  bytes: number;
}

/**
 * Places every file under `from` at the same relative path under `to`: hard links (the same file system; nothing
 * is copied), copies (written under a temporary name, fsynced, renamed) or moves. Symbolic links are not followed:
 * a link in the user's tree could point anywhere. A file already there with the same size is kept.
 */
export async function placeTree(
  from: string,
  to: string,
  mode: Exclude<ImportMode, 'root'>,
  options: { signal?: AbortSignal; onProgress?: (files: number, bytes: number) => void } = {},
): Promise<PlaceResult> {
  const result: PlaceResult = { placed: 0, kept: 0, bytes: 0 };
  const walk = async (dir: string): Promise<void> => {
    for await (const entry of await opendir(dir)) {
      options.signal?.throwIfAborted();
      if (isJunk(entry.name)) continue;
      const source = join(dir, entry.name);
      if (entry.isDirectory()) {
        await walk(source);
        continue;
      }
      if (!entry.isFile()) continue;
      const target = join(to, relative(from, source));
      const size = (await lstat(source)).size;
      const existing = await stat(target).catch(() => null);
      if (existing?.isFile() && existing.size === size) {
        result.kept++;
        if (mode === 'move') await unlink(source);
        continue;
      }
      await mkdir(dirname(target), { recursive: true });
      if (existing) await unlink(target);
      await placeFile(source, target, mode);
      result.placed++;
      result.bytes += size;
      options.onProgress?.(result.placed + result.kept, result.bytes);
    }
  };
  await walk(from);
  return result;
}

async function placeFile(source: string, target: string, mode: Exclude<ImportMode, 'root'>): Promise<void> {
  if (mode === 'copy') return copyFileAtomic(source, target);
  try {
    if (mode === 'link') await link(source, target);
    else await rename(source, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    if (mode === 'link') {
      throw new ApiError(
        'VALIDATION_ERROR',
        `${source} is on another file system than the library, so it cannot be hard-linked; import it with mode copy, or use the folder in place (mode root)`,
      );
    }
    // A move across file systems is a copy, then the original goes.
    await copyFileAtomic(source, target);
    await unlink(source);
  }
}
