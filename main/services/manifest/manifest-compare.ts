import { type ManifestRow, rowKey } from './manifest-format';

const EXAMPLES = 5;

export interface Examples<T> {
  count: number;
  examples: T[];
}

/** One subset compared between this copy and another (a colleague's, or a published manifest). */
export interface SubsetComparison {
  subset: string;
  /** Refs the other copy has a good file for and this one does not (missing here, unchecked, corrupt, or not in its annotations). */
  theyHave: Examples<{ ref: string; here: string }>;
  /** Refs only this copy has a good file for. */
  onlyHere: Examples<{ ref: string; there: string }>;
  /** Refs both have whose files differ: size, or sha256 where both manifests carry one. */
  differ: Examples<{ ref: string; what: 'size' | 'sha256'; here: string; there: string }>;
  /** Refs both have with the same size (and the same sha256 where both carry one). */
  same: number;
  /** Refs of the pairs compared by size only: one side has no sha256. */
  sizeOnly: number;
}

export interface ManifestComparison {
  subsets: SubsetComparison[];
  /** Whether both sides carried hashes (otherwise files are compared by size). */
  hashesCompared: boolean;
}

const push = <T>(into: Examples<T>, example: T) => {
  into.count++;
  if (into.examples.length < EXAMPLES) into.examples.push(example);
};

const label = (row: ManifestRow | undefined) => (row ? row.status : 'not in its annotations');

/**
 * Two copies compared without moving any media: per subset (a ref counts in each subset that uses it, on either
 * side), what the other copy has that this one lacks, what differs, and what only this one has.
 */
export async function compareManifests(ours: Iterable<ManifestRow>, theirs: AsyncIterable<ManifestRow>): Promise<ManifestComparison> {
  const here = new Map<string, ManifestRow>();
  for (const row of ours) here.set(rowKey(row), row);
  const bySubset = new Map<string, SubsetComparison>();
  const subset = (id: string) => {
    let s = bySubset.get(id);
    if (!s) {
      s = { subset: id, theyHave: { count: 0, examples: [] }, onlyHere: { count: 0, examples: [] }, differ: { count: 0, examples: [] }, same: 0, sizeOnly: 0 };
      bySubset.set(id, s);
    }
    return s;
  };
  let hashesHere = false;
  let hashesThere = false;
  const seen = new Set<string>();
  for await (const there of theirs) {
    const key = rowKey(there);
    seen.add(key);
    const mine = here.get(key);
    if (there.sha256) hashesThere = true;
    if (mine?.sha256) hashesHere = true;
    const subsets = new Set([...there.subsets, ...(mine?.subsets ?? [])]);
    const ref = there.subdir ? `${there.subdir}/${there.ref}` : there.ref;
    for (const id of subsets) {
      const s = subset(id);
      const theirsOk = there.status === 'ok' && there.subsets.includes(id);
      const oursOk = mine?.status === 'ok' && mine.subsets.includes(id);
      if (theirsOk && !oursOk) push(s.theyHave, { ref, here: mine?.subsets.includes(id) ? mine.status : 'not in its annotations' });
      else if (oursOk && !theirsOk) push(s.onlyHere, { ref, there: there.subsets.includes(id) ? there.status : 'not in its annotations' });
      else if (theirsOk && oursOk && mine) {
        if (mine.size !== there.size) push(s.differ, { ref, what: 'size', here: String(mine.size), there: String(there.size) });
        else if (mine.sha256 && there.sha256 && mine.sha256 !== there.sha256) push(s.differ, { ref, what: 'sha256', here: mine.sha256, there: there.sha256 });
        else {
          s.same++;
          if (!mine.sha256 || !there.sha256) s.sizeOnly++;
        }
      }
    }
  }
  for (const [key, mine] of here) {
    if (seen.has(key) || mine.status !== 'ok') continue;
    const ref = mine.subdir ? `${mine.subdir}/${mine.ref}` : mine.ref;
    for (const id of mine.subsets) push(subset(id).onlyHere, { ref, there: label(undefined) });
  }
  return { subsets: [...bySubset.values()].sort((a, b) => a.subset.localeCompare(b.subset)), hashesCompared: hashesHere && hashesThere };
}
