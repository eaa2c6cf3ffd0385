import { readdir } from 'node:fs/promises';
import { extname, sep } from 'node:path';

/** Names a copy carries that are never media: macOS resource forks and folder settings, partial downloads. */
const isJunk = (name: string) => name === '.DS_Store' || name.startsWith('._') || name === '__MACOSX' || name.endsWith('.partial') || name.endsWith('.vc2part');

/** Folders read at once: directory reads wait on the disk (or a network share), so many in flight keep it busy. */
const PARALLEL_READS = 32;

/**
 * The YouTube id a file name carries, as the YouTube-keyed sources name their files: `v_<id>` (ActivityNet),
 * `<id>_000010_000020` (Kinetics), or the bare id.
 */
export function youtubeIdOf(name: string): string | null {
  const stem = stemOf(name);
  const m = /^v_([A-Za-z0-9_-]{11})$/.exec(stem) ?? /^([A-Za-z0-9_-]{11})_\d{6}_\d{6}$/.exec(stem) ?? /^([A-Za-z0-9_-]{11})$/.exec(stem);
  return m ? (m[1] as string) : null;
}

export const stemOf = (name: string) => {
  const ext = extname(name);
  return ext ? name.slice(0, -ext.length) : name;
};

type Postings = Map<string, number | number[]>;

function post(map: Postings, key: string, id: number): void {
  const had = map.get(key);
  if (had === undefined) map.set(key, id);
  else if (typeof had === 'number') map.set(key, [had, id]);
  else had.push(id);
}

const ids = (had: number | number[] | undefined): number[] => (had === undefined ? [] : typeof had === 'number' ? [had] : had);

/**
 * The files under some folders, by name — and, built the first time a ref needs them, by stem and by YouTube id:
 * most refs are found by path or name, and building every key of 200k files up front would cost more than the
 * directory reads. A key found once holds its file's number, not an array (one allocation per file saved).
 */
export class TreeIndex {
  readonly paths: string[] = [];
  private readonly names: Postings = new Map();
  private stems: Postings | null = null;
  private youtube: Postings | null = null;
  folders = 0;

  add(path: string, name: string): void {
    post(this.names, name, this.paths.push(path) - 1);
    this.stems = null;
    this.youtube = null;
  }

  byName(name: string): number[] {
    return ids(this.names.get(name));
  }

  byStem(stem: string): number[] {
    if (!this.stems) {
      this.stems = new Map();
      for (const [name, had] of this.names) for (const id of ids(had)) post(this.stems, stemOf(name), id);
    }
    return ids(this.stems.get(stem));
  }

  byYoutube(id: string): number[] {
    if (!this.youtube) {
      this.youtube = new Map();
      for (const [name, had] of this.names) {
        const yt = youtubeIdOf(name);
        if (yt) for (const i of ids(had)) post(this.youtube, yt, i);
      }
    }
    return ids(this.youtube.get(id));
  }
}

/**
 * Indexes folder trees with directory reads only — many at once, each entry's type from the read itself, no stat
 * per file (sizes are looked up later for the few files that match). Links are not followed: a link in the user's
 * tree could point anywhere, and a loop would never end.
 */
export async function indexTrees(
  roots: readonly string[],
  options: { signal?: AbortSignal; onProgress?: (files: number, folders: number) => void } = {},
): Promise<TreeIndex> {
  const index = new TreeIndex();
  const queue = [...roots];
  let active = 0;
  let failure: unknown = null;
  await new Promise<void>((resolve) => {
    const pump = () => {
      if (failure || (queue.length === 0 && active === 0)) {
        resolve();
        return;
      }
      while (active < PARALLEL_READS && queue.length > 0) {
        const dir = queue.pop() as string;
        active++;
        readdir(dir, { withFileTypes: true })
          .then(
            (entries) => {
              index.folders++;
              for (const entry of entries) {
                if (isJunk(entry.name)) continue;
                const path = `${dir}${sep}${entry.name}`;
                if (entry.isDirectory()) queue.push(path);
                else if (entry.isFile()) index.add(path, entry.name);
              }
              if (index.folders % 500 === 0) options.onProgress?.(index.paths.length, index.folders);
            },
            (error: NodeJS.ErrnoException) => {
              // A folder of the tree that cannot be read is skipped (named by the caller's count); a root that cannot is an error.
              if (roots.includes(dir)) failure ??= new Error(`${dir}: cannot be read (${error.code ?? error.message}); give a folder you can read`);
            },
          )
          .finally(() => {
            active--;
            if (options.signal?.aborted) failure ??= options.signal.reason;
            pump();
          });
      }
    };
    pump();
  });
  if (failure) throw failure;
  options.onProgress?.(index.paths.length, index.folders);
  return index;
}
