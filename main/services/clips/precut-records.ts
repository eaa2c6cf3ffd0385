import { availableParallelism } from 'node:os';
import { catalog } from '../../../shared/catalog/index';
import { mapLimit } from '../../lib/map-limit';
import type { LibraryDatabase } from '../library/db';
import { END_SLACK_S, type PlannedClip, probeDuration } from './clip-plan';

/** The plan's source id for clips cut from records' own `start`/`end`, and the library folder they go to. */
export const PRECUT_SOURCE = 'records';
export const PRECUT_FOLDER = 'precut';

const seconds = (s: number) => s.toFixed(3).replace(/\.?0+$/, '');

/**
 * The pre-cut clip of a record whose `start`/`end` (seconds: the loader's `clip=[start, end]`) pick a part of its
 * video: `<subset>/<ref without its extension>.<start>-<end>.mp4` under the library's `precut/` folder, never beside
 * the source's own media (a clip must not pass for the video it is cut from).
 */
export function precutRef(subsetId: string, ref: string, start: number, end: number): string {
  return `${subsetId}/${ref.replace(/\.[^./]*$/, '')}.${seconds(start)}-${seconds(end)}.mp4`;
}

/**
 * The clips the ingested records ask for (a video subset's records with both `start` and `end`), each with its
 * video where verify found it — or why it cannot be cut (not verified present, span past the video's end).
 */
export async function planRecordClips(db: LibraryDatabase, subsetId: string | null, ffprobe: string | null): Promise<PlannedClip[]> {
  const query = db.prepare(
    `SELECT r.ref AS ref, r.start_s AS start, r.end_s AS end, s.path AS path, s.status AS status
     FROM records r JOIN annotation_files f ON f.id = r.file_id AND f.state = 'current' AND f.subset_id = ?
     LEFT JOIN media_refs m ON m.source_id = ? AND m.subdir = ? AND m.ref = r.ref
     LEFT JOIN media_status s ON s.media_id = m.id
     WHERE r.start_s IS NOT NULL AND r.end_s IS NOT NULL AND r.ref IS NOT NULL`,
  );
  const clips: PlannedClip[] = [];
  for (const subset of catalog.subsets.filter((s) => s.mediaKey === 'video' && s.source && (subsetId === null || s.id === subsetId))) {
    const rows = query.all(subset.id, subset.source, subset.subdir) as Array<{
      ref: string;
      start: number;
      end: number;
      path: string | null;
      status: string | null;
    }>;
    const seen = new Set<string>();
    for (const row of rows) {
      const ref = precutRef(subset.id, row.ref, row.start, row.end);
      if (seen.has(ref)) continue;
      seen.add(ref);
      const present = row.status === 'ok' && row.path !== null;
      clips.push({
        ref,
        video: row.ref,
        layout: null,
        start: row.start,
        end: row.end,
        source: present ? row.path : null,
        duration: null,
        reason:
          row.end <= row.start || row.start < 0
            ? `start ${row.start} and end ${row.end} are not a span in seconds`
            : present
              ? null
              : `${subset.id}: ${row.ref} is not verified present (${row.status ?? 'not verified'}); run vc2m verify, or get the source first`,
      });
    }
  }
  const durations = new Map<string, Awaited<ReturnType<typeof probeDuration>>>();
  const paths = [...new Set(clips.flatMap((c) => (c.source && !c.reason ? [c.source] : [])))];
  await mapLimit(paths, Math.max(1, availableParallelism()), async (path) => {
    durations.set(path, await probeDuration(ffprobe, path));
  });
  return clips.map((clip) => {
    if (clip.reason || !clip.source) return clip;
    const probed = durations.get(clip.source);
    if (!probed || 'error' in probed) return { ...clip, reason: probed && 'error' in probed ? probed.error : 'not probed' };
    const reason =
      clip.start >= probed.duration || clip.end > probed.duration + END_SLACK_S
        ? `span [${clip.start}, ${clip.end}] s ends past the video's ${probed.duration.toFixed(2)} s; not cut`
        : null;
    return { ...clip, duration: probed.duration, reason };
  });
}
