import { type Dirent, existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { resolutionFor } from '../../../shared/catalog/resolution';
import type { LibraryDatabase } from '../library/db';

/**
 * Where a source's refs resolve after an extraction. The archives' top folders are undocumented (users of the same
 * zip disagree), so the folder is found, not assumed: a sample of the source's refs is looked up under the
 * extraction folder and each folder below it (three levels deep), and the one where most of them are wins.
 */
export interface FoundRoot {
  root: string;
  /** Refs of the sample found there, and the sample's size. */
  hits: number;
  sample: number;
}

const MAX_DEPTH = 3;
const MAX_FOLDERS = 2000;

function folders(start: string): string[] {
  const out = [start];
  for (let i = 0; i < out.length && out.length < MAX_FOLDERS; i++) {
    const dir = out[i] as string;
    if (dir.slice(start.length).split('/').length > MAX_DEPTH) continue;
    try {
      for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory() && !entry.name.startsWith('.')) out.push(join(dir, entry.name));
    } catch {
      // an unreadable folder holds no root
    }
  }
  return out;
}

/** Files met while walking a tree for the name rules; a source's tree is far smaller than this, a disk is not. */
const MAX_FILES = 2_000_000;

/** Every file below `start` by name (and by the YouTube id its name starts with, for the Kinetics rules). */
function filesByName(start: string): { byName: Map<string, string>; byYtid: Map<string, string> } {
  const byName = new Map<string, string>();
  const byYtid = new Map<string, string>();
  const stack = [start];
  let seen = 0;
  while (stack.length > 0 && seen < MAX_FILES) {
    const dir = stack.pop() as string;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === '__MACOSX') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) stack.push(path);
      else if (entry.isFile()) {
        seen++;
        if (!byName.has(entry.name)) byName.set(entry.name, path);
        const ytid = entry.name.slice(0, 11);
        if (entry.name.length > 11 && !byYtid.has(ytid)) byYtid.set(ytid, path);
      }
    }
  }
  return { byName, byYtid };
}

/** The deepest folder holding every one of `paths` (all below `start`). */
function commonFolder(paths: readonly string[], start: string): string {
  let common = dirname(paths[0] as string).split(sep);
  for (const path of paths.slice(1)) {
    const parts = dirname(path).split(sep);
    let i = 0;
    while (i < common.length && i < parts.length && common[i] === parts[i]) i++;
    common = common.slice(0, i);
  }
  const folder = common.join(sep) || sep;
  return folder.length < start.length ? start : folder;
}

/**
 * For sources whose refs name a file but not its folder (CLEVRER's buckets; the Kinetics rules): the sampled refs
 * are looked up by name below `under`, and the root is the deepest folder holding all that were found — verify
 * looks by name anywhere below it.
 */
function findRootByName(refs: readonly string[], under: string, strategy: 'basename' | 'kinetics'): FoundRoot | null {
  const { byName, byYtid } = filesByName(under);
  const found: string[] = [];
  for (const ref of refs) {
    const name = basename(ref.replace(/^[a-z0-9]+:(s3:)?\/\//, ''));
    const hit = byName.get(name) ?? (strategy === 'kinetics' ? byYtid.get(name.slice(0, 11)) : undefined);
    if (hit) found.push(hit);
  }
  if (found.length === 0) return null;
  return { root: commonFolder(found, under), hits: found.length, sample: refs.length };
}

/** Null when the library has no refs for the source (no annotations yet) or none of them is found. */
export function findRoot(db: LibraryDatabase, sourceId: string, under: string, sampleSize = 200): FoundRoot | null {
  // Spread over the source's refs (every n-th by id), so one subset's folder does not decide alone.
  const total = db.prepare("SELECT count(*) FROM media_refs WHERE source_id = ? AND subdir = ''").pluck().get(sourceId) as number;
  if (total === 0) return null;
  const step = Math.max(1, Math.floor(total / sampleSize));
  const refs = db
    .prepare("SELECT ref FROM (SELECT ref, row_number() OVER (ORDER BY id) AS n FROM media_refs WHERE source_id = ? AND subdir = '') WHERE n % ? = 0 LIMIT ?")
    .pluck()
    .all(sourceId, step, sampleSize) as string[];
  const { strategy } = resolutionFor(sourceId);
  if (strategy !== 'join') return findRootByName(refs, under, strategy);
  let best: FoundRoot | null = null;
  for (const candidate of folders(under)) {
    let hits = 0;
    for (const ref of refs) if (existsSync(join(candidate, ref))) hits++;
    if (hits > 0 && (best === null || hits > best.hits)) best = { root: candidate, hits, sample: refs.length };
  }
  return best;
}
