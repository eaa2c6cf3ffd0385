import { readdir, readdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { runInFlight } from '../../lib/run-in-flight';

function outcome(error: NodeJS.ErrnoException): null | undefined {
  return error.code === 'ENOENT' || error.code === 'ENOTDIR' ? null : undefined;
}

/**
 * Names are compared folded (lower case, NFC): a folded match only means "stat it", and the stat settles it. So a
 * case-insensitive or normalising file system (macOS, exFAT drives) never has a present file ruled out.
 */
function fold(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
  return (/[^\x00-\x7f]/.test(name) ? name.normalize('NFC') : name).toLowerCase();
}

function folded(names: readonly string[]): Set<string> {
  return new Set(names.map(fold));
}

/** Names kept across all listed folders before the oldest listings are dropped (a few tens of MB). */
const MAX_NAMES = 2_000_000;

/**
 * Answers "is there anything at this path?" from folder listings, one readdir per folder, instead of one failed
 * stat per missing file: most refs of a library being built are not on disk yet, and a listing of a folder
 * answers for every ref in it. Only a path that may exist is stat'ed by the caller.
 */
export class DirectoryListing {
  private readonly folders = new Map<string, { names: Set<string> | null; at: number }>();
  private names = 0;

  /** A listing older than this is taken again: a long container or decode run must see files that arrived meanwhile. */
  constructor(private readonly maxAgeMs = 60_000) {}

  /** False only when the folder was listed and the name is not in it (or the folder does not exist). */
  mayExist(path: string): boolean {
    const folder = dirname(path);
    let entry = this.fresh(folder, Date.now());
    if (entry === undefined) {
      const names = this.list(folder);
      if (names === undefined) return true;
      entry = this.remember(folder, names);
    }
    return entry.names?.has(fold(basename(path))) ?? false;
  }

  /** Lists the folders not listed yet, `inFlight` at a time (for storage where each listing is a round trip). */
  async prefetch(folders: readonly string[], inFlight: number): Promise<void> {
    const now = Date.now();
    const wanted = [...new Set(folders)].filter((f) => this.fresh(f, now) === undefined);
    await runInFlight(wanted, inFlight, (folder, done) =>
      readdir(folder, (error, names) => {
        const listed = error ? outcome(error) : folded(names);
        if (listed !== undefined) this.remember(folder, listed);
        done();
      }),
    );
  }

  /** The folder's listing, unless it was never taken or is too old to trust. */
  private fresh(folder: string, now: number): { names: Set<string> | null; at: number } | undefined {
    const entry = this.folders.get(folder);
    return entry && now - entry.at <= this.maxAgeMs ? entry : undefined;
  }

  /** Null: no such folder. Undefined: it could not be listed (permissions), so the caller must stat to know. */
  private list(folder: string): Set<string> | null | undefined {
    try {
      return folded(readdirSync(folder));
    } catch (error) {
      return outcome(error as NodeJS.ErrnoException);
    }
  }

  private remember(folder: string, names: Set<string> | null): { names: Set<string> | null; at: number } {
    const previous = this.folders.get(folder);
    if (previous) {
      this.folders.delete(folder);
      this.names -= previous.names?.size ?? 0;
    }
    this.names += names?.size ?? 0;
    for (const [old, entry] of this.folders) {
      if (this.names <= MAX_NAMES) break;
      this.folders.delete(old);
      this.names -= entry.names?.size ?? 0;
    }
    const entry = { names, at: Date.now() };
    this.folders.set(folder, entry);
    return entry;
  }
}
