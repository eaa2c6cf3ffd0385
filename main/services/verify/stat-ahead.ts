import { lstat, lstatSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { runInFlight } from '../../lib/run-in-flight';
import { firstCandidates, type ResolveContext } from './resolve-ref';
import type { RefRow } from './verify-store';

/** Stats (and listings) at once: on cold or network storage each waits for the disk or a round trip. */
const IN_FLIGHT = 32;

/** Below this many microseconds per stat (a warm local disk) one at a time is cheaper than many in flight. */
const SLOW_STAT_US = 50;
const SAMPLE = 16;

/**
 * lstat of every path the page's refs may be at (the folder listings rule out the rest). A few are timed first:
 * on network or cold storage, where each stat waits for a round trip, the rest are fetched many at a time; on a
 * warm local disk they are left to the resolver, one by one, which costs less there.
 */
export class StatAhead {
  /** Decided on a folder's first page that has something to stat. */
  private parallel: boolean | null = null;

  constructor(private readonly slowStatUs = SLOW_STAT_US) {}

  async page(page: readonly RefRow[], context: ResolveContext): Promise<Map<string, Stats | null> | null> {
    if (this.parallel === false) return null;
    const all = page.flatMap(({ ref }) => firstCandidates(ref, context));
    // On slow storage the folders are listed many at a time too, before the listings are asked.
    if (this.parallel && context.listing)
      await context.listing.prefetch(
        all.map((path) => dirname(path)),
        IN_FLIGHT,
      );
    const candidates = all.filter((path) => context.listing?.mayExist(path) ?? true);
    const stats = new Map<string, Stats | null>();
    let rest = candidates;
    if (this.parallel === null && candidates.length > 0) {
      const started = performance.now();
      const sample = candidates.slice(0, SAMPLE);
      for (const path of sample) statOne(path, stats);
      this.parallel = ((performance.now() - started) * 1000) / sample.length >= this.slowStatUs;
      rest = this.parallel ? candidates.slice(SAMPLE) : [];
    }
    for (const [path, info] of await statMany(rest)) stats.set(path, info);
    return stats;
  }
}

/** As statMany, one path at once: a name too long or a link loop is the resolver's to report, never a failed page. */
function statOne(path: string, stats: Map<string, Stats | null>): void {
  try {
    stats.set(path, lstatSync(path, { throwIfNoEntry: false }) ?? null);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') stats.set(path, null);
  }
}

async function statMany(paths: readonly string[]): Promise<Map<string, Stats | null>> {
  const stats = new Map<string, Stats | null>();
  await runInFlight(paths, IN_FLIGHT, (path, done) =>
    lstat(path, (error, info) => {
      // Only "no such file" means nothing there; other errors (EIO, ESTALE, EACCES) are left to the resolver's
      // own stat, which reports them as they are.
      if (!error) stats.set(path, info);
      else if (error.code === 'ENOENT' || error.code === 'ENOTDIR') stats.set(path, null);
      done();
    }),
  );
  return stats;
}
