import { link, lstat, mkdir, opendir, readdir, rename, stat, unlink } from 'node:fs/promises';
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

const SPLIT = /^(.*)\.(part[a-z]{2}|\d{3})$/;

function formatOf(name: string): ArchiveToImport['format'] | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('.zip')) return 'zip';
  if (lower.endsWith('.tar.gz') || lower.endsWith('.tgz')) return 'tar.gz';
  if (lower.endsWith('.tar')) return 'tar';
  return null;
}

/**
 * The archive a picked file belongs to: itself, or — for a byte-split part (`x.zip.partaa`, `x.zip.001`) — every
 * part beside it with the same stem, in name order (the order `split` writes them). Null when the name is not an
 * archive the app reads.
 */
export async function archiveOf(path: string): Promise<ArchiveToImport | null> {
  const name = basename(path);
  const split = SPLIT.exec(name);
  const whole = split ? (split[1] as string) : name;
  const format = formatOf(whole);
  if (!format) return null;
  if (!split) return { parts: [path], format };
  const suffix = /^\d{3}$/.test(split[2] as string) ? /^\d{3}$/ : /^part[a-z]{2}$/;
  const dir = dirname(path);
  const parts = (await readdir(dir))
    .filter((n) => n.startsWith(`${whole}.`) && suffix.test(n.slice(whole.length + 1)))
    .sort()
    .map((n) => join(dir, n));
  return { parts, format };
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
