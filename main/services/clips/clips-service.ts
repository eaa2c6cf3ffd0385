import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import type { JobSnapshot } from '../../../shared/api/models';
import { mapLimit } from '../../lib/map-limit';
import { resolveUserPath } from '../../lib/user-path';
import type { JobContext, JobOutcome, JobRunner } from '../jobs/job-runner';
import type { LibraryService } from '../library/library-service';
import type { SettingsService } from '../settings/settings-service';
import type { SourcesService } from '../sources/sources-service';
import { buildFileMedia } from '../verify/file-media';
import { runVerify } from '../verify/verify-run';
import { type PlannedClip, planClips } from './clip-plan';
import { readEgoqaSpec, readYoucook2Spec, type SpecRead } from './clip-spec';
import { type CutMode, cutSource } from './cut-native';

/** The sources whose clips are cut from raw videos, and how each one's spec is read. */
export const CLIP_SOURCES = { youcook2: readYoucook2Spec, egoqa: readEgoqaSpec } as const;
export type ClipSource = keyof typeof CLIP_SOURCES;

export interface ClipsParams {
  sourceId: ClipSource;
  spec: string;
  from: string;
  mode: CutMode;
  /** Source videos cut at once (each one ffmpeg process); null: one per core. */
  jobs: number | null;
  /** False: plan only (nothing is cut). */
  cut: boolean;
}

export interface ClipRow {
  ref: string;
  video: string;
  sourcePath: string | null;
  start: number;
  end: number;
  reason: string | null;
  state: 'planned' | 'cut' | 'kept' | 'failed' | 'unusable';
  startOffset: number | null;
  error: string | null;
}

/** ffprobe beside the configured ffmpeg, else the one on PATH. */
const ffprobeOf = (ffmpeg: string) => (ffmpeg && ffmpeg !== 'ffmpeg' ? join(dirname(ffmpeg), basename(ffmpeg).replace(/ffmpeg/, 'ffprobe')) : 'ffprobe');

/**
 * Clips of the long video sources (#14): YouCook2's and EgoQA's clips cut from the raw videos a user has, named as
 * the annotations expect, into the source's root so verify sees them. The plan (each clip's source video, span and
 * why it cannot be cut) is stored before anything runs; the cut is a job that carries on from the clips not done.
 */
export class ClipsService {
  constructor(
    private readonly library: LibraryService,
    private readonly jobs: JobRunner,
    private readonly sources: SourcesService,
    private readonly settings: SettingsService,
  ) {}

  start(params: ClipsParams): JobSnapshot {
    this.library.database();
    if (!(params.sourceId in CLIP_SOURCES))
      throw new ApiError('VALIDATION_ERROR', `clips are cut for ${Object.keys(CLIP_SOURCES).join(' and ')}, not ${params.sourceId}`);
    const spec = resolveUserPath(params.spec, 'the clip spec').path;
    const from = resolveUserPath(params.from, 'the folder of raw videos').path;
    const isFile = (p: string) => statSync(p, { throwIfNoEntry: false })?.isFile() ?? false;
    const isDir = (p: string) => statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
    if (!isFile(spec))
      throw new ApiError(
        'NOT_FOUND',
        `${spec} does not exist: give the annotation file (YouCook2's youcookii_annotations_trainval.json or its tar.gz; an EgoQA clip list)`,
      );
    if (!isDir(from)) throw new ApiError('NOT_FOUND', `${from} is not a folder: give the folder that holds the raw videos`);
    return this.jobs.enqueue('clips.run', { ...params, spec, from } satisfies ClipsParams);
  }

  rows(sourceId: string): ClipRow[] {
    return this.library
      .database()
      .prepare(
        `SELECT ref, video, source_path AS sourcePath, start_s AS start, end_s AS end, reason, state, start_offset AS startOffset, error
         FROM clip_plan WHERE source_id = ? ORDER BY ref`,
      )
      .all(sourceId) as ClipRow[];
  }

  async run(params: ClipsParams, context: JobContext): Promise<JobOutcome> {
    const db = this.library.database();
    const ffmpeg = (await this.settings.get()).ffmpegPath || 'ffmpeg';
    const ffprobe = ffprobeOf(ffmpeg);
    context.report({ done: 0, total: null, message: `reading ${params.spec}` });
    const read: SpecRead = await CLIP_SOURCES[params.sourceId](params.spec);
    // Only the clips the annotations use, when they are ingested; every clip of the spec otherwise.
    const used = new Set(db.prepare('SELECT ref FROM media_refs WHERE source_id = ?').pluck().all(params.sourceId) as string[]);
    const specs = used.size > 0 ? read.clips.filter((c) => used.has(c.ref)) : read.clips;
    const unnamed = used.size > 0 ? [...used].filter((ref) => !read.clips.some((c) => c.ref === ref)).length : 0;
    context.report({
      done: 0,
      total: specs.length,
      message: `finding the source videos of ${specs.length.toLocaleString('en-US')} clips under ${params.from}`,
    });
    const plan = await planClips(specs, params.from, { ffprobe, signal: context.signal });
    const now = Date.now();
    db.transaction(() => {
      db.prepare('DELETE FROM clip_plan WHERE source_id = ?').run(params.sourceId);
      const insert = db.prepare(
        `INSERT INTO clip_plan (source_id, ref, video, source_path, start_s, end_s, video_s, reason, state, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const c of plan) insert.run(params.sourceId, c.ref, c.video, c.source, c.start, c.end, c.duration, c.reason, c.reason ? 'unusable' : 'planned', now);
      db.prepare('INSERT OR REPLACE INTO clip_plan_meta (source_id, spec, from_dir, problems, planned_at) VALUES (?, ?, ?, ?, ?)').run(
        params.sourceId,
        params.spec,
        params.from,
        JSON.stringify(read.problems.slice(0, 100)),
        now,
      );
    })();
    const unusable = plan.filter((c) => c.reason);
    const planSaid = `${plan.length.toLocaleString('en-US')} clips planned from ${basename(params.spec)}${unusable.length ? `, ${unusable.length} cannot be cut (${unusable[0]?.reason})` : ''}${unnamed ? `; ${unnamed} refs of the annotations are not in the spec` : ''}${read.problems.length ? `; ${read.problems.length} spec entries unreadable (${read.problems[0]})` : ''}`;
    if (!params.cut) return { status: 'finished', message: planSaid };

    const root = this.sources.root(params.sourceId);
    const bySource = new Map<string, PlannedClip[]>();
    for (const c of plan) if (!c.reason && c.source) bySource.set(c.source, [...(bySource.get(c.source) ?? []), c]);
    const update = db.prepare('UPDATE clip_plan SET state = ?, start_offset = ?, clip_s = ?, error = ?, updated_at = ? WHERE source_id = ? AND ref = ?');
    const total = [...bySource.values()].reduce((n, g) => n + g.length, 0);
    let done = 0;
    const counts = { cut: 0, kept: 0, failed: 0 };
    const started = Date.now();
    await mapLimit([...bySource.values()], Math.max(1, params.jobs ?? availableParallelism()), async (group) => {
      context.signal.throwIfAborted();
      const outcomes = await cutSource(group, root, { ffmpeg, ffprobe, mode: params.mode, signal: context.signal });
      for (const o of outcomes) {
        const state = o.error ? 'failed' : o.kept ? 'kept' : 'cut';
        counts[state]++;
        update.run(state, o.startOffset, o.duration, o.error, Date.now(), params.sourceId, o.ref);
      }
      done += group.length;
      const rate = done / Math.max(0.001, (Date.now() - started) / 1000);
      context.report({ done, total, message: `${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} clips (${rate.toFixed(1)} clips/s)` });
    });
    // What the Dashboard and the reports show: the source verified (quick) with its new clips.
    await buildFileMedia(db);
    await runVerify(db, (id) => this.sources.root(id), { level: 'quick', ffmpeg, sourceId: params.sourceId, subsetId: null, force: false }, context);
    return {
      status: 'finished',
      message: `${counts.cut.toLocaleString('en-US')} clips cut (${params.mode}), ${counts.kept.toLocaleString('en-US')} already there${counts.failed ? `, ${counts.failed} failed` : ''}; ${planSaid}`,
    };
  }
}
