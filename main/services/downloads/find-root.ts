import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
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
  let best: FoundRoot | null = null;
  for (const candidate of folders(under)) {
    let hits = 0;
    for (const ref of refs) if (existsSync(join(candidate, ref))) hits++;
    if (hits > 0 && (best === null || hits > best.hits)) best = { root: candidate, hits, sample: refs.length };
  }
  return best;
}
