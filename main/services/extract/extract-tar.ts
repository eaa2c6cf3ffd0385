import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { isAbsolute, join, posix, resolve, sep } from 'node:path';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract, list, type ReadEntry } from 'tar';
import { ApiError } from '../../../shared/api/errors';
import type { ExtractOptions, ExtractResult } from './extract-zip';
import { isNoSpace, noSpaceWhileExtracting } from './no-space';

/**
 * tar and tar.gz extraction with node-tar (7.x, streaming; gzip is detected by itself). A tar has no central
 * directory, so the archive is read twice: once to check every entry (the whole archive is refused, naming the
 * entry, before anything is written), then to extract it into a hidden folder beside the destination, from which
 * each file is renamed into place — so no half-written file is ever where the media belong. Byte-split parts
 * (ssv2's `20bn-something-something-v2-00` … `-19`) are read as one stream, without a joined copy.
 */

const JUNK = (path: string) => path.startsWith('__MACOSX/') || path.split('/').some((part) => part === '.DS_Store' || part.startsWith('._'));

/** The parts, in order, as one stream. */
function partsStream(parts: readonly string[]): Readable {
  const out = new PassThrough();
  (async () => {
    for (const part of parts) await pipeline(createReadStream(part), out, { end: false });
    out.end();
  })().catch((error: unknown) => out.destroy(error as Error));
  return out;
}

const shown = (archive: string | readonly string[]) => (typeof archive === 'string' ? archive : `${archive[0]} (+${archive.length - 1} parts)`);
const refusal = (archive: string | readonly string[], why: string) => new ApiError('BAD_ARCHIVE', `${shown(archive)}: ${why}; nothing was extracted.`);

async function readWith(archive: string | readonly string[], sink: Writable): Promise<void> {
  await pipeline(partsStream(typeof archive === 'string' ? [archive] : archive), sink);
}

/** Pass one: every entry checked; returns the files' total size. */
async function check(archive: string | readonly string[], dest: string): Promise<{ bytes: number; files: number }> {
  const root = resolve(dest);
  const inside = (path: string) => path === root || path.startsWith(root + sep);
  const links = new Set<string>();
  let problem: string | null = null;
  let bytes = 0;
  let files = 0;
  const onReadEntry = (entry: ReadEntry) => {
    const path = entry.path.replace(/\/+$/, '');
    if (problem) return entry.resume();
    if (isAbsolute(path) || /^[A-Za-z]:/.test(path) || path.split('/').includes('..') || path.includes('\\')) {
      problem = `the entry ${entry.path} would land outside the folder it extracts to`;
    } else if (links.size > 0 && path.split('/').some((_, i, parts) => i > 0 && links.has(parts.slice(0, i).join('/')))) {
      problem = `the entry ${entry.path} would be written through a link in the archive`;
    } else if (entry.type === 'SymbolicLink' || entry.type === 'Link') {
      const target = entry.linkpath ?? '';
      const resolved = entry.type === 'Link' ? resolve(root, target) : resolve(root, posix.dirname(path), target);
      if (posix.isAbsolute(target) || !inside(resolved)) problem = `the entry ${entry.path} is a link to ${target}, outside the folder it extracts to`;
      links.add(path);
    } else if (entry.type === 'File' || entry.type === 'OldFile' || entry.type === 'ContiguousFile') {
      if (!JUNK(path)) {
        bytes += entry.size;
        files++;
      }
    } else if (entry.type !== 'Directory') {
      problem = `the entry ${entry.path} is a ${entry.type}, which a media archive has no reason to hold`;
    }
    entry.resume();
  };
  try {
    await readWith(archive, list({ onReadEntry, strict: true }) as unknown as Writable);
  } catch (error) {
    throw refusal(archive, `it cannot be read (${(error as Error).message})`);
  }
  if (problem) throw refusal(archive, problem);
  return { bytes, files };
}

/** Every file under `dir`, relative, depth first. */
async function walk(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await walk(dir, rel)));
    else out.push(rel);
  }
  return out;
}

export async function extractTar(archive: string | readonly string[], dest: string, options: ExtractOptions = {}): Promise<ExtractResult> {
  const { bytes: totalBytes, files: totalEntries } = await check(archive, dest);
  await mkdir(dest, { recursive: true });
  const staging = join(dest, `.vc2-extracting-${randomBytes(4).toString('hex')}`);
  await mkdir(staging);
  const result: ExtractResult = { written: 0, kept: 0, junk: 0, bytes: 0 };
  try {
    let entries = 0;
    let bytes = 0;
    const unpack = extract({
      cwd: staging,
      strict: true,
      preservePaths: false,
      filter: (path) => {
        if (JUNK(path.replace(/^\.\//, ''))) {
          result.junk++;
          return false;
        }
        return true;
      },
      onReadEntry: (entry) => {
        options.signal?.throwIfAborted();
        if (entry.type !== 'Directory') {
          entries++;
          bytes += entry.size;
          options.onProgress?.({ entries, totalEntries, bytes, totalBytes });
        }
      },
    });
    try {
      await readWith(archive, unpack as unknown as Writable);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (isNoSpace(error)) throw noSpaceWhileExtracting(shown(archive), dest, 'what was extracted of it was removed');
      throw new ApiError('BAD_ARCHIVE', `${shown(archive)}: extraction stopped (${(error as Error).message}); what was extracted of it was removed.`);
    }
    for (const rel of await walk(staging)) {
      const from = join(staging, rel);
      const to = join(dest, rel);
      const [had, made] = await Promise.all([stat(to).catch(() => null), lstat(from)]);
      if (had?.isFile() && had.size === made.size) {
        result.kept++;
        continue;
      }
      await mkdir(join(to, '..'), { recursive: true });
      if (made.isFile()) {
        // node-tar does not fsync what it writes: each file is, before it is renamed into place.
        const handle = await open(from, 'r+');
        await handle.sync();
        await handle.close();
      }
      await rename(from, to);
      result.written++;
      result.bytes += made.size;
    }
    return result;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
