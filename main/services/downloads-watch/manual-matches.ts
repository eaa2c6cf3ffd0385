import { readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { catalog } from '../../../shared/catalog/index';

/** A file in the watched folder, as the scan saw it. */
export interface FolderEntry {
  name: string;
  size: number;
}

/** Files in the Downloads folder that are what a manual source's card asks for: the set's first part and all its names. */
export interface ManualMatch {
  sourceId: string;
  /** The file to import: the only one, or the first of the parts (the import takes its siblings with it). */
  path: string;
  names: string[];
  bytes: number;
}

/** A card's name glob (`?`, `*`) as a case-insensitive test on file names. */
function nameTest(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

const expectations = () =>
  catalog.sources.flatMap((source) => {
    const route = source.acquire.route;
    return route.kind === 'manual' ? route.expect.map((e) => ({ sourceId: source.id, test: nameTest(e.name), ...e })) : [];
  });

/** Whether a name could be one a card asks for: only those are looked at (a Downloads folder holds thousands of files). */
export function mayMatch(name: string): boolean {
  return expectations().some((e) => e.test.test(name));
}

/**
 * What the manual sources' cards ask for, among a folder's files: every expected name present, as many parts as
 * the set has (SSv2's 20), and the size where the card knows it. A set still missing parts is not offered.
 */
export function manualMatches(folder: string, entries: readonly FolderEntry[]): ManualMatch[] {
  const out: ManualMatch[] = [];
  for (const e of expectations()) {
    const hits = entries.filter((f) => e.test.test(f.name)).sort((a, b) => a.name.localeCompare(b.name));
    if (hits.length < e.parts) continue;
    const set = e.parts === 1 ? hits.slice(0, 1) : hits;
    const bytes = set.reduce((n, f) => n + f.size, 0);
    if (e.size?.exact && bytes !== e.size.bytes) continue;
    out.push({ sourceId: e.sourceId, path: join(folder, (set[0] as FolderEntry).name), names: set.map((f) => f.name), bytes });
  }
  return out;
}

/** The user's Downloads folder: the setting, else XDG_DOWNLOAD_DIR, else ~/Downloads. */
export function downloadsFolderOf(setting: string, env: NodeJS.ProcessEnv = process.env): string {
  return setting || env.XDG_DOWNLOAD_DIR || join(homedir(), 'Downloads');
}

/** The names browsers write a download under until it is complete, beside (Firefox) or instead of the final one. */
const IN_PROGRESS = ['.part', '.crdownload', '.download', '.partial'];

/**
 * One look at a folder: the files whose names a card may ask for, with their sizes. A file still being downloaded
 * is left out: empty (Firefox's placeholder under the final name) or with a browser's in-progress file beside it.
 * A folder that is not there has none.
 */
export async function scanFolder(folder: string): Promise<FolderEntry[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  const names = new Set(entries.map((e) => e.name));
  const out: FolderEntry[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !mayMatch(entry.name) || IN_PROGRESS.some((s) => names.has(`${entry.name}${s}`))) continue;
    const info = await stat(join(folder, entry.name)).catch(() => null);
    if (info && info.size > 0) out.push({ name: entry.name, size: info.size });
  }
  return out;
}
