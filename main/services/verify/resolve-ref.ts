import { lstatSync, realpathSync, type Stats, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { isInternalStorageRef, type Resolution } from '../../../shared/catalog/resolution';
import { isInside } from '../../lib/user-path';
import { isUnsafeRef } from '../annotations/record-fields';
import { boundedText, errorReason } from './bounded-text';
import type { DirectoryListing } from './directory-listing';
import type { FileIndex } from './file-index';

export type ResolveRule = 'join' | 'extension' | 'basename' | 'kinetics-path' | 'kinetics-basename' | 'kinetics-ytid';

export type Resolved =
  | { status: 'found'; path: string; rule: ResolveRule; stats: Stats }
  | { status: 'not-found'; expected: string }
  | { status: 'internal-storage-ref' }
  | { status: 'unsafe-ref'; detail: string };

export interface ResolveContext {
  root: string;
  /** The root with its links resolved, to check that what we found really lies inside it. */
  realRoot: string;
  subdir: string;
  resolution: Resolution;
  index: FileIndex | null;
  /** Folder listings that rule out missing files without a stat each; none means every candidate is stat'ed. */
  listing?: DirectoryListing | null;
  /** lstat results fetched ahead, many at once (null: nothing there); a path not in it is stat'ed when needed. */
  stats?: ReadonlyMap<string, Stats | null> | null;
  /**
   * Each folder a file was found in, with its links resolved: filled as the run goes (one lstat per folder, not one
   * realpath per file), to refuse a file behind a folder link that leads out of the root.
   */
  realFolders?: Map<string, string>;
}

const KINETICS_PART = /^(k400|k600|k700)(?:[/_]|$)/;

/**
 * The folder with every link on its way resolved, from its parent's: a folder that is not a link itself lies where
 * its parent really is. Throws what lstat throws (the folder went meanwhile).
 */
function realFolder(context: ResolveContext, folder: string): string {
  context.realFolders ??= new Map([[resolve(context.root), context.realRoot]]);
  const known = context.realFolders.get(folder);
  if (known !== undefined) return known;
  const parent = dirname(folder);
  const real = parent === folder || lstatSync(folder).isSymbolicLink() ? realpathSync(folder) : join(realFolder(context, parent), basename(folder));
  context.realFolders.set(folder, real);
  return real;
}

type Found = { stats: Stats } | { refused: Resolved } | null;

function statInside(context: ResolveContext, path: string): Found {
  if (context.listing && !context.listing.mayExist(path)) return null;
  try {
    // No exception for a missing file: with millions of refs and most media not downloaded yet, throwing costs more than the stat.
    let info = context.stats?.has(path) ? context.stats.get(path) : lstatSync(path, { throwIfNoEntry: false });
    if (!info) return null;
    if (info.isSymbolicLink()) {
      // A link is followed only when its target stays inside the source's root.
      let real: string;
      try {
        real = realpathSync(path);
      } catch {
        return null;
      }
      if (!isInside(real, context.realRoot))
        return { refused: { status: 'unsafe-ref', detail: `${boundedText(path)} is a link that leads out of ${context.root}` } };
      // The target may go between the two calls: then there is nothing there.
      info = statSync(real, { throwIfNoEntry: false });
      if (!info) return null;
    } else if (!isInside(realFolder(context, dirname(path)), context.realRoot)) {
      // The file itself is no link, but a folder on its way is one that leads out of the root.
      return { refused: { status: 'unsafe-ref', detail: `${boundedText(path)} is behind a folder link that leads out of ${context.root}` } };
    }
    return { stats: info };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    // A name too long, a link loop, no permission, an I/O error: a verdict for this ref, not a failed verify.
    return { refused: { status: 'not-found', expected: `${boundedText(path)} (${errorReason(error)})` } };
  }
}

function withFallbacks(path: string, fallbacks: readonly string[]): Array<{ path: string; fallback: boolean }> {
  const ext = extname(path);
  const stem = ext ? path.slice(0, -ext.length) : path;
  return [{ path, fallback: false }, ...fallbacks.filter((f) => f !== ext).map((f) => ({ path: `${stem}${f}`, fallback: true }))];
}

/**
 * Where a ref's file belongs under its source's root (the first place resolveRef looks), or why it has none: the
 * one rule for verify and for relink, which puts a found file there.
 */
export function expectedPath(
  ref: string,
  context: Pick<ResolveContext, 'root' | 'subdir' | 'resolution'>,
): { relative: string; expected: string } | Extract<Resolved, { status: 'internal-storage-ref' | 'unsafe-ref' }> {
  let relative = ref;
  if (context.resolution.strategy === 'kinetics' && isInternalStorageRef(ref)) relative = ref.replace(/^[a-z0-9]+:(s3:)?\/\//, '');
  else if (isInternalStorageRef(ref)) return { status: 'internal-storage-ref' };
  if (isUnsafeRef(relative)) return { status: 'unsafe-ref', detail: 'the ref is absolute or climbs out of the source folder with ..' };
  const base = context.subdir ? join(context.root, context.subdir) : context.root;
  return { relative, expected: join(base, relative) };
}

/** The paths resolveRef tries first for a ref (its own and its extension fallbacks), to stat them ahead in bulk. */
export function firstCandidates(ref: string, context: ResolveContext): string[] {
  const where = expectedPath(ref, context);
  return 'relative' in where ? withFallbacks(where.expected, context.resolution.extensionFallbacks).map((c) => c.path) : [];
}

/**
 * Finds the file (or frame folder) a ref names under its source's root, with the source's rule; never follows a
 * ref or a link out of the root. Returns why not when it cannot.
 */
export function resolveRef(ref: string, context: ResolveContext): Resolved {
  const { resolution } = context;
  const where = expectedPath(ref, context);
  if (!('relative' in where)) return where;
  const { relative, expected } = where;
  const attempt = (path: string, rule: ResolveRule, fallbackRule: ResolveRule): Resolved | null => {
    for (const candidate of withFallbacks(path, resolution.extensionFallbacks)) {
      const found = statInside(context, candidate.path);
      if (found && 'refused' in found) return found.refused;
      if (found) return { status: 'found', path: candidate.path, rule: candidate.fallback ? fallbackRule : rule, stats: found.stats };
    }
    return null;
  };

  const direct = attempt(expected, resolution.strategy === 'kinetics' ? 'kinetics-path' : 'join', 'extension');
  if (direct) return direct;
  if (resolution.strategy === 'join' || !context.index) return { status: 'not-found', expected: boundedText(expected) };

  const name = basename(relative);
  const part = KINETICS_PART.exec(relative)?.[1];
  // Every indexed match is tried, those in the ref's Kinetics part (k400/k600/k700) first: a dangling link or one
  // that leaves the root must not hide a real file of the same name elsewhere.
  const firstFound = (paths: string[], rule: ResolveRule, fallbackRule: ResolveRule): Resolved | null => {
    const ordered = part ? [...paths.filter((p) => p.split('/').includes(part)), ...paths.filter((p) => !p.split('/').includes(part))] : paths;
    let refused: Resolved | null = null;
    for (const path of ordered) {
      const found = attempt(join(context.root, path), rule, fallbackRule);
      if (found?.status === 'found') return found;
      refused ??= found;
    }
    return refused;
  };
  const byName = firstFound(context.index.byBasename(context.root, name), resolution.strategy === 'kinetics' ? 'kinetics-basename' : 'basename', 'extension');
  if (byName?.status === 'found') return byName;
  let refused = byName;
  if (resolution.strategy === 'kinetics') {
    // Public K400 files are named <ytid>_<start>_<end>.mp4; the ref knows only the 11-character YouTube id.
    const ytid = name.slice(0, 11);
    if (/^[A-Za-z0-9_-]{11}$/.test(ytid)) {
      const byId = firstFound(context.index.byPrefix(context.root, ytid), 'kinetics-ytid', 'kinetics-ytid');
      if (byId?.status === 'found') return byId;
      refused ??= byId;
    }
  }
  if (refused) return refused;
  return { status: 'not-found', expected: boundedText(expected) };
}
