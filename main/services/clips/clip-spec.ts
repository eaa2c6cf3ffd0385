import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { list, type ReadEntry } from 'tar';
import { ApiError } from '../../../shared/api/errors';
import { csvFields } from '../../lib/csv-fields';

/** One clip to cut: the ref it is written as, the source video it comes from (a YouTube id or an Ego4D uid), its span. */
export interface ClipSpec {
  ref: string;
  video: string;
  /** Where the source's layout puts the raw video, without its extension (`raw_videos/<subset>/<recipe>/<ytid>`). */
  layout: string | null;
  start: number;
  end: number;
}

export interface SpecRead {
  clips: ClipSpec[];
  /** Entries that could not become a clip, each with where it is and why. */
  problems: string[];
}

const YOUCOOK_MEMBER = 'youcookii_annotations_trainval.json';

/** A spec file's text: the JSON itself, or the member of the tar.gz YouCook2 publishes it in. */
async function specText(path: string): Promise<string> {
  if (!/\.(tar\.gz|tgz)$/i.test(path)) return readFile(path, 'utf8');
  let found: string | null = null;
  await pipeline(
    createReadStream(path),
    list({
      onReadEntry: (entry: ReadEntry) => {
        if (basename(entry.path) !== YOUCOOK_MEMBER || found !== null) {
          entry.resume();
          return;
        }
        const chunks: Buffer[] = [];
        entry.on('data', (c: Buffer) => chunks.push(c));
        entry.on('end', () => {
          found = Buffer.concat(chunks).toString('utf8');
        });
      },
    }),
  );
  if (found === null) throw new ApiError('VALIDATION_ERROR', `${path} holds no ${YOUCOOK_MEMBER}: give the annotation file YouCook2 publishes (or its tar.gz)`);
  return found;
}

function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError('VALIDATION_ERROR', `${path}: not JSON (${(error as Error).message})`);
  }
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * A name that can be one step of a clip's path: not empty, not `.` or `..`, no slash, backslash, NUL or control
 * character — a spec is a file from elsewhere, and its names must not carry a clip out of the source's folder.
 */
export const isPathStep = (name: string) =>
  name !== '' && name !== '.' && name !== '..' && name.length <= 255 && ![...name].some((c) => c === '/' || c === '\\' || c.charCodeAt(0) < 0x20);

/**
 * YouCook2's `youcookii_annotations_trainval.json` (`database.<ytid>` with `subset`, `recipe_type`, `annotations`):
 * clip k of a video is `<subset>/<recipe_type>/<ytid>/split_<k>.mp4`, spanning annotation k's `segment` [start, end]
 * seconds (research/sources.md §11; k is the annotation's index, and its `id` where the file gives one, which must
 * agree). The raw video lies at `raw_videos/<subset>/<recipe_type>/<ytid>.<ext>`.
 */
export async function readYoucook2Spec(path: string): Promise<SpecRead> {
  const root = parseJson(path, await specText(path)) as { database?: unknown };
  const database = root?.database;
  if (!database || typeof database !== 'object') throw new ApiError('VALIDATION_ERROR', `${path}: no "database" object, so not YouCook2's annotation file`);
  const clips: ClipSpec[] = [];
  const problems: string[] = [];
  for (const [ytid, raw] of Object.entries(database as Record<string, unknown>)) {
    const video = raw as { subset?: unknown; recipe_type?: unknown; annotations?: unknown };
    const subset = video?.subset;
    const recipe = video?.recipe_type;
    if (!isPathStep(ytid) || ((typeof recipe === 'string' || typeof recipe === 'number') && !isPathStep(String(recipe)))) {
      problems.push(`${JSON.stringify(ytid).slice(0, 80)}: its id or recipe_type cannot be a folder name; skipped`);
      continue;
    }
    if ((subset !== 'training' && subset !== 'validation') || (typeof recipe !== 'string' && typeof recipe !== 'number') || !Array.isArray(video.annotations)) {
      // Test videos have no annotations and are no training clip.
      if (subset !== 'testing') problems.push(`${ytid}: no subset, recipe_type or annotations; skipped`);
      continue;
    }
    video.annotations.forEach((a: unknown, k: number) => {
      const annotation = a as { id?: unknown; segment?: unknown };
      const segment = annotation?.segment;
      if (annotation?.id !== undefined && annotation.id !== k) {
        problems.push(`${ytid} annotation ${k}: its id is ${JSON.stringify(annotation.id)}, not ${k}; split_${k} would not be the clip the refs mean`);
        return;
      }
      if (!Array.isArray(segment) || !finite(segment[0]) || !finite(segment[1]) || segment[1] <= segment[0] || segment[0] < 0) {
        problems.push(`${ytid} annotation ${k}: segment ${JSON.stringify(segment)} is not [start, end] seconds`);
        return;
      }
      clips.push({
        ref: `${subset}/${recipe}/${ytid}/split_${k}.mp4`,
        video: ytid,
        layout: `raw_videos/${subset}/${recipe}/${ytid}`,
        start: segment[0],
        end: segment[1],
      });
    });
  }
  return { clips, problems };
}

/** A CSV line's fields, trimmed (a hand-made clip list may have spaces after its commas). */
const trimmedFields = (line: string) => csvFields(line).map((f) => f.trim());

/**
 * An EgoQA clip list. Accepted shapes (documented in the README):
 * - a JSON array of `{ "video_uid" | "uid": "<ego4d uid>", "start": s, "end": s | "duration": s, "k"?: n }`;
 * - a JSON object `{ "<uid>": [{ "start": s, "end" | "duration": s }, …] }`;
 * - a CSV with a header naming `video_uid` (or `uid`), `start`, `end` (or `duration`) and optionally `k`.
 * Without `k`, a clip's k is its order of appearance among its uid's entries, as the maintainers cut them (#86:
 * `ffmpeg -ss <start> -t <duration>`). The clip is `<uid>/split_<k>.mp4`; the raw video is found by its uid.
 */
export async function readEgoqaSpec(path: string): Promise<SpecRead> {
  const text = await readFile(path, 'utf8');
  const rows: Array<{ where: string; uid: unknown; start: unknown; end: unknown; duration: unknown; k: unknown }> = [];
  if (/^\s*[[{]/.test(text)) {
    const value = parseJson(path, text);
    if (Array.isArray(value)) {
      value.forEach((r, i) => {
        const o = r as Record<string, unknown>;
        rows.push({ where: `${path} [${i}]`, uid: o?.video_uid ?? o?.uid, start: o?.start, end: o?.end, duration: o?.duration, k: o?.k });
      });
    } else if (value && typeof value === 'object') {
      for (const [uid, list] of Object.entries(value as Record<string, unknown>)) {
        if (!Array.isArray(list)) continue;
        list.forEach((r, i) => {
          const o = r as Record<string, unknown>;
          rows.push({ where: `${path} ${uid}[${i}]`, uid, start: o?.start, end: o?.end, duration: o?.duration, k: o?.k });
        });
      }
    }
  } else {
    const lines = text.split(/\r?\n/);
    const header = trimmedFields(lines[0] ?? '').map((h) => h.toLowerCase());
    const col = (...names: string[]) => header.findIndex((h) => names.includes(h));
    const [uidAt, startAt, endAt, durationAt, kAt] = [col('video_uid', 'uid'), col('start'), col('end'), col('duration'), col('k')];
    if (uidAt < 0 || startAt < 0 || (endAt < 0 && durationAt < 0)) {
      throw new ApiError(
        'VALIDATION_ERROR',
        `${path}, line 1: a clip list needs columns video_uid (or uid), start and end (or duration); it has ${header.join(', ')}`,
      );
    }
    lines.slice(1).forEach((line, i) => {
      if (line.trim() === '') return;
      const f = trimmedFields(line);
      const num = (at: number) => (at < 0 || f[at] === '' ? undefined : Number(f[at]));
      rows.push({ where: `${path}, line ${i + 2}`, uid: f[uidAt], start: num(startAt), end: num(endAt), duration: num(durationAt), k: num(kAt) });
    });
  }
  const clips: ClipSpec[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    if (typeof row.uid !== 'string' || !isPathStep(row.uid)) {
      problems.push(
        `${row.where}: ${typeof row.uid === 'string' && row.uid !== '' ? `video uid ${JSON.stringify(row.uid).slice(0, 80)} cannot be a folder name` : 'no video uid'}`,
      );
      continue;
    }
    const k = finite(row.k) ? row.k : (seen.get(row.uid) ?? 0);
    seen.set(row.uid, k + 1);
    const start = row.start;
    const end = finite(row.end) ? row.end : finite(row.duration) && finite(start) ? start + row.duration : undefined;
    if (!finite(start) || !finite(end) || start < 0 || end <= start) {
      problems.push(`${row.where}: start ${JSON.stringify(row.start)} and end/duration ${JSON.stringify(row.end ?? row.duration)} are not a span in seconds`);
      continue;
    }
    clips.push({ ref: `${row.uid}/split_${k}.mp4`, video: row.uid, layout: null, start, end });
  }
  return { clips, problems };
}
