import { basename, extname, sep } from 'node:path';
import type { Resolution } from '../../../shared/catalog/resolution';
import { stemOf, type TreeIndex, youtubeIdOf } from './tree-index';

/** How a found file was matched to a ref, strongest first. */
export type MatchRule = 'path' | 'name' | 'stem' | 'youtube-id';

/** A still-missing ref, where its file belongs (verify looks there first), and its source's rules. */
export interface MissingRef {
  mediaId: number;
  sourceId: string;
  ref: string;
  /** The ref's path under its source's folder (subdir included), and the absolute place the file goes. */
  relative: string;
  target: string;
  resolution: Resolution;
  /**
   * Whether the ref's file name (and so its stem, its YouTube id) names one ref only among its source's: EgoQA's
   * `<uid>/split_0.mp4` does not, so a `split_0.mp4` found elsewhere says nothing about which clip it is.
   */
  nameIsUnique: boolean;
}

export interface Proposal {
  mediaId: number;
  sourceId: string;
  ref: string;
  rule: MatchRule;
  /** Every file the rule found; more than one is an ambiguity the user settles, never a pick. */
  candidates: string[];
  /** Where the file goes: the ref's place, or its stem with the found file's extension (a fallback the source's rules accept). */
  target: string;
  /**
   * Whether a single candidate may be taken without a look: not for a Kinetics clip matched to a file without a span
   * in its name (likely the whole YouTube video, not the clip).
   */
  sure: boolean;
}

/** Sources whose files are named by YouTube id (and may be renamed around it). */
const YOUTUBE_SOURCES = new Set(['kinetics', 'activitynet']);
const MAX_CANDIDATES = 20;

/** The `_000010_000020` time span a Kinetics clip's name carries, or null. */
const spanOf = (name: string) => /_(\d{6}_\d{6})\.[A-Za-z0-9]+$/.exec(name)?.[1] ?? null;

const ids = (index: TreeIndex, list: number[]) => list.map((i) => index.paths[i] as string);

/**
 * Proposes a file for each missing ref, by the strongest rule that finds any: the ref's own path at the end of a
 * found path; its file name; its stem with an extension the source's rules accept (ActivityNet `.mkv` for an `.mp4`
 * ref); the YouTube id of a YouTube-keyed source. The rules below the path apply only to refs whose file name is
 * their source's alone. Files already under `exclude` (the library's own roots) are not offered.
 */
export function proposeMatches(index: TreeIndex, missing: readonly MissingRef[], exclude: readonly string[] = []): Proposal[] {
  const outside = (path: string) => !exclude.some((root) => path === root || path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`));
  const out: Proposal[] = [];
  for (const m of missing) {
    const name = basename(m.relative);
    const ext = extname(name);
    const stem = stemOf(name);
    const sameName = ids(index, index.byName(name)).filter(outside);
    const tail = `${sep}${m.relative.split('/').join(sep)}`;
    const byPath = m.relative.includes('/') ? sameName.filter((p) => p.endsWith(tail)) : [];
    const propose = (rule: MatchRule, candidates: string[], target = m.target, sure = true) => {
      out.push({ mediaId: m.mediaId, sourceId: m.sourceId, ref: m.ref, rule, candidates: candidates.slice(0, MAX_CANDIDATES), target, sure });
    };
    if (byPath.length > 0) {
      propose('path', byPath);
      continue;
    }
    // Below the path, a name identifies a file only when no other ref of the source has that name.
    if (!m.nameIsUnique) continue;
    if (sameName.length > 0) {
      propose('name', sameName);
      continue;
    }
    const fallbacks = m.resolution.extensionFallbacks;
    const byStem = ids(index, index.byStem(stem)).filter((p) => outside(p) && fallbacks.includes(extname(p).toLowerCase()));
    if (byStem.length > 0) {
      // Placed under the ref's stem with the found file's own extension: verify's fallback finds it there.
      const extOf = extname(byStem[0] as string);
      const sameExt = byStem.every((p) => extname(p) === extOf);
      propose('stem', byStem, sameExt ? `${m.target.slice(0, m.target.length - ext.length)}${extOf}` : m.target);
      continue;
    }
    if (YOUTUBE_SOURCES.has(m.sourceId)) {
      const id = youtubeIdOf(name);
      const byId = id ? ids(index, index.byYoutube(id)).filter(outside) : [];
      // A Kinetics clip is its span of the video: a file named with another span is another clip.
      const span = spanOf(name);
      const usable = byId.filter(
        (p) => (extname(p) === ext || fallbacks.includes(extname(p).toLowerCase())) && (spanOf(basename(p)) === null || spanOf(basename(p)) === span),
      );
      if (usable.length > 0) {
        const extOf = extname(usable[0] as string);
        const sure = span === null || usable.every((p) => spanOf(basename(p)) === span);
        propose('youtube-id', usable, extOf === ext ? m.target : `${m.target.slice(0, m.target.length - ext.length)}${extOf}`, sure);
      }
    }
  }
  return out;
}
