import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, extname, join } from 'node:path';
import { type ClipBackends, WASM_MAX_INPUT_BYTES, type WasmTask } from '../../../shared/api/clip-models';
import { ApiError } from '../../../shared/api/errors';
import type { JobSnapshot, LocatedMedia } from '../../../shared/api/models';
import { subsetById } from '../../../shared/catalog/index';
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
import { type CutMode, type CutOutcome, clipsToCut, cutSource, HOW_TO_GET_FFMPEG } from './cut-native';
import { findNativeFfmpeg } from './native-ffmpeg';
import { PRECUT_FOLDER, PRECUT_SOURCE, planRecordClips } from './precut-records';
import { WasmCutQueue } from './wasm-queue';

/** The sources whose clips are cut from raw videos, and how each one's spec is read. */
export const CLIP_SOURCES = { youcook2: readYoucook2Spec, egoqa: readEgoqaSpec } as const;
/** A spec's source, or `records`: the ingested records' own start/end, pre-cut into the library's precut/ folder. */
export type ClipSource = keyof typeof CLIP_SOURCES | typeof PRECUT_SOURCE;

export interface ClipsParams {
  sourceId: ClipSource;
  spec: string;
  from: string;
  mode: CutMode;
  /** Source videos cut at once (each one ffmpeg process); null: one per core. */
  jobs: number | null;
  /** False: plan only (nothing is cut). */
  cut: boolean;
  /** native: ffmpeg here; wasm: ffmpeg.wasm in the app's window (the engine plans, hands out tasks, checks). */
  backend: 'native' | 'wasm';
  /** `records`: only this subset's records (null: every video subset's). */
  subsetId?: string | null;
}

/** Why a source video is refused for ffmpeg.wasm, and the way that cuts it. */
const WASM_TOO_BIG = `ffmpeg.wasm addresses at most 2 GiB (${WASM_MAX_INPUT_BYTES.toLocaleString('en-US')} bytes), so this video must be cut with the native backend: ${HOW_TO_GET_FFMPEG.replace(/; the app's window.*$/, '')}, then choose "ffmpeg on this machine" (or run vc2m clips cut)`;

export interface ClipRow {
  ref: string;
  video: string;
  sourcePath: string | null;
  start: number;
  end: number;
  reason: string | null;
  state: 'planned' | 'cut' | 'kept' | 'failed' | 'unusable';
  startOffset: number | null;
  clipSeconds: number | null;
  sourceSeconds: number | null;
  sourceBytes: number | null;
  error: string | null;
}

/**
 * Clips of the long video sources (#14): YouCook2's and EgoQA's clips cut from the raw videos a user has, named as
 * the annotations expect, into the source's root so verify sees them. The plan (each clip's source video, span and
 * why it cannot be cut) is stored before anything runs; the cut is a job that carries on from the clips not done.
 */
export class ClipsService {
  /** The ffmpeg.wasm cut in progress: its tasks for the app's windows. */
  private wasm: WasmCutQueue | null = null;

  constructor(
    private readonly library: LibraryService,
    private readonly jobs: JobRunner,
    private readonly sources: SourcesService,
    private readonly settings: SettingsService,
  ) {}

  async start(params: ClipsParams): Promise<JobSnapshot> {
    this.library.database();
    // The native backend is refused up front when there is no ffmpeg, not clip by clip once the job runs.
    if (params.cut && params.backend === 'native') {
      const native = await findNativeFfmpeg((await this.settings.get()).ffmpegPath);
      if (!native.available) throw new ApiError('NOT_FOUND', `cannot cut with the native backend: ${native.reason}`);
    }
    if (params.sourceId === PRECUT_SOURCE) {
      if (params.subsetId && !subsetById(params.subsetId)) throw new ApiError('NOT_FOUND', `unknown subset "${params.subsetId}"; vc2m status lists them`);
      return this.jobs.enqueue('clips.run', { ...params, spec: '', from: '', subsetId: params.subsetId ?? null });
    }
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
    const rows = this.library
      .database()
      .prepare(
        `SELECT ref, video, source_path AS sourcePath, start_s AS start, end_s AS end, reason, state, start_offset AS startOffset,
                clip_s AS clipSeconds, video_s AS sourceSeconds, error
         FROM clip_plan WHERE source_id = ? ORDER BY ref`,
      )
      .all(sourceId) as Array<Omit<ClipRow, 'sourceBytes'>>;
    const sizes = new Map<string, number | null>();
    for (const r of rows)
      if (r.sourcePath && !sizes.has(r.sourcePath)) sizes.set(r.sourcePath, statSync(r.sourcePath, { throwIfNoEntry: false })?.size ?? null);
    return rows.map((r) => ({ ...r, sourceBytes: r.sourcePath ? (sizes.get(r.sourcePath) ?? null) : null }));
  }

  /** The native ffmpeg found or why there is none, and the backend a cut uses unless one is chosen. */
  async backends(): Promise<ClipBackends> {
    const native = await findNativeFfmpeg((await this.settings.get()).ffmpegPath);
    return {
      native: { available: native.available, path: native.path, version: native.version, reason: native.reason },
      recommended: native.available ? 'native' : 'wasm',
      why: native.available
        ? `ffmpeg${native.version ? ` ${native.version}` : ''} ${native.path === 'ffmpeg' ? 'on PATH' : `at ${native.path}`} is found: one process per source video, on every core`
        : `no native ffmpeg (${native.said}): ffmpeg.wasm in this window cuts instead, one source video at a time, slower and up to 2 GiB per video`,
    };
  }

  /** The window's next ffmpeg.wasm task, or null when no wasm cut waits for one. */
  wasmTask(): WasmTask | null {
    return this.wasm?.next() ?? null;
  }

  wasmProgress(taskId: string, fraction: number): boolean {
    return this.wasm?.progress(taskId, fraction) ?? false;
  }

  wasmChunk(taskId: string, ref: string, offset: number, bytes: Uint8Array): null {
    if (!this.wasm) throw new ApiError('NOT_FOUND', 'no ffmpeg.wasm cut is running');
    this.wasm.chunk(taskId, ref, offset, bytes);
    return null;
  }

  wasmFinish(taskId: string, result: Parameters<WasmCutQueue['finish']>[1]): Promise<{ cut: number; failed: number }> {
    if (!this.wasm) throw new ApiError('NOT_FOUND', 'no ffmpeg.wasm cut is running');
    return this.wasm.finish(taskId, result);
  }

  /** The source video behind an ffmpeg.wasm task's media token (the media route serves it to the window), or null. */
  locateWasmSource(token: string): LocatedMedia {
    const path = this.wasm?.locate(token);
    const stats = path ? statSync(path, { throwIfNoEntry: false }) : undefined;
    if (!path || !stats?.isFile()) throw new ApiError('NOT_FOUND', 'no open ffmpeg.wasm task has that token');
    const type = { '.webm': 'video/webm', '.mkv': 'video/x-matroska', '.mov': 'video/quicktime', '.avi': 'video/x-msvideo' }[extname(path).toLowerCase()];
    return { path, size: stats.size, mtimeMs: stats.mtimeMs, contentType: type ?? 'video/mp4', rule: 'clip source' };
  }

  async run(params: ClipsParams, context: JobContext): Promise<JobOutcome> {
    const db = this.library.database();
    const native = await findNativeFfmpeg((await this.settings.get()).ffmpegPath);
    // Without ffprobe (ffmpeg.wasm on a machine with no ffmpeg) the app's own container reader measures.
    const ffprobe = native.available ? native.ffprobe : null;
    const wasm = params.backend === 'wasm';
    const precut = params.sourceId === PRECUT_SOURCE;
    context.report({ done: 0, total: null, message: precut ? 'finding the records with start and end' : `reading ${params.spec}` });
    const read: SpecRead = params.sourceId === PRECUT_SOURCE ? { clips: [], problems: [] } : await CLIP_SOURCES[params.sourceId](params.spec);
    // Only the clips the annotations use, when they are ingested; every clip of the spec otherwise.
    const used = new Set(db.prepare('SELECT ref FROM media_refs WHERE source_id = ?').pluck().all(params.sourceId) as string[]);
    const specs = used.size > 0 ? read.clips.filter((c) => used.has(c.ref)) : read.clips;
    const named = new Set(read.clips.map((c) => c.ref));
    const unnamed = used.size > 0 ? [...used].filter((ref) => !named.has(ref)).length : 0;
    context.report({
      done: 0,
      total: specs.length,
      message: `finding the source videos of ${specs.length.toLocaleString('en-US')} clips under ${params.from}`,
    });
    const plan = precut
      ? await planRecordClips(db, params.subsetId ?? null, ffprobe)
      : await planClips(specs, params.from, {
          ffprobe,
          signal: context.signal,
          ...(wasm ? { maxInput: { bytes: WASM_MAX_INPUT_BYTES, why: WASM_TOO_BIG } } : {}),
        });
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
    const planSaid =
      precut && plan.length === 0
        ? `no ingested record of a video subset${params.subsetId ? ` (${params.subsetId})` : ''} carries both start and end: nothing to pre-cut`
        : `${plan.length.toLocaleString('en-US')} clips planned from ${precut ? 'the records with start and end' : basename(params.spec)}${unusable.length ? `, ${unusable.length} cannot be cut (${unusable[0]?.reason})` : ''}${unnamed ? `; ${unnamed} refs of the annotations are not in the spec` : ''}${read.problems.length ? `; ${read.problems.length} spec entries unreadable (${read.problems[0]})` : ''}`;
    if (!params.cut) return { status: 'finished', message: planSaid };

    const libraryPath = this.library.current()?.path;
    if (!libraryPath) throw new ApiError('LIBRARY_NOT_OPEN', 'the library was closed');
    const root = precut ? join(libraryPath, PRECUT_FOLDER) : this.sources.root(params.sourceId);
    const bySource = new Map<string, PlannedClip[]>();
    for (const c of plan) if (!c.reason && c.source) bySource.set(c.source, [...(bySource.get(c.source) ?? []), c]);
    const update = db.prepare('UPDATE clip_plan SET state = ?, start_offset = ?, clip_s = ?, error = ?, updated_at = ? WHERE source_id = ? AND ref = ?');
    const total = [...bySource.values()].reduce((n, g) => n + g.length, 0);
    let done = 0;
    const counts = { cut: 0, kept: 0, failed: 0 };
    const started = Date.now();
    const backendSaid = wasm ? 'ffmpeg.wasm in the app window' : `ffmpeg ${native.version ?? ''}`.trim();
    const report = (inFlight = 0) => {
      const seconds = (Date.now() - started) / 1000;
      const rate = (done + inFlight) / Math.max(0.001, seconds);
      const left = rate > 0 && done + inFlight > 0 ? (total - done - inFlight) / rate : null;
      context.report({
        done,
        total,
        message: `${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} clips (${rate.toFixed(2)} clips/s${left !== null && done < total ? `, about ${formatSeconds(left)} left` : ''}) · ${backendSaid}, ${params.mode}`,
      });
    };
    const settled = (outcomes: CutOutcome[]) => {
      for (const o of outcomes) {
        const state = o.error ? 'failed' : o.kept ? 'kept' : 'cut';
        counts[state]++;
        update.run(state, o.startOffset, o.duration, o.error, Date.now(), params.sourceId, o.ref);
      }
      done += outcomes.length;
      report();
    };
    report();
    if (wasm) await this.cutInWindows(bySource, root, params, ffprobe, settled, context, () => report(this.wasm?.inFlight() ?? 0));
    else
      await mapLimit([...bySource.values()], Math.max(1, params.jobs ?? availableParallelism()), async (group) => {
        context.signal.throwIfAborted();
        settled(await cutSource(group, root, { ffmpeg: native.path, ffprobe: native.ffprobe, mode: params.mode, signal: context.signal }));
      });
    // What the Dashboard and the reports show: the source verified (quick) with its new clips. Pre-cut clips are
    // no source's media: the export points records at them (export --precut).
    if (!precut) await buildFileMedia(db);
    if (!precut)
      await runVerify(
        db,
        (id) => this.sources.root(id),
        { level: 'quick', ffmpeg: native.path, sourceId: params.sourceId, subsetId: null, force: false },
        context,
      );
    return {
      status: 'finished',
      message: `${counts.cut.toLocaleString('en-US')} clips cut (${params.mode}, ${backendSaid}), ${counts.kept.toLocaleString('en-US')} already there${counts.failed ? `, ${counts.failed} failed` : ''}; ${planSaid}`,
    };
  }

  /**
   * The ffmpeg.wasm cut: clips already in place are kept here, the rest become one task per source video for the
   * app's windows to take (clips.wasmTask); the job waits until every task is finished, or is stopped.
   */
  private async cutInWindows(
    bySource: Map<string, PlannedClip[]>,
    root: string,
    params: ClipsParams,
    ffprobe: string | null,
    settled: (outcomes: CutOutcome[]) => void,
    context: JobContext,
    report: () => void,
  ): Promise<void> {
    const groups = [];
    for (const [source, clips] of bySource) {
      const { kept, todo } = await clipsToCut(clips, root, ffprobe, params.mode);
      if (kept.length) settled(kept);
      const size = statSync(source, { throwIfNoEntry: false })?.size;
      if (size === undefined)
        settled(todo.map((t) => ({ ref: t.clip.ref, path: null, startOffset: null, duration: null, error: `${source} is gone since the plan`, kept: false })));
      else if (todo.length) groups.push({ sourceId: params.sourceId, video: clips[0]?.video ?? source, source, size, todo });
    }
    const queue = new WasmCutQueue(groups, { mode: params.mode, ffprobe, onSettled: settled });
    this.wasm = queue;
    // No window has asked yet (the web host with no page open): the job says what it waits for.
    const ticker = setInterval(() => (queue.waiting() ? context.report({ done: 0, total: null, message: WAITING_FOR_WINDOW }) : report()), 1000);
    try {
      await new Promise<void>((resolve, reject) => {
        const stop = () => reject(context.signal.reason ?? new Error('cancelled'));
        if (context.signal.aborted) return stop();
        context.signal.addEventListener('abort', stop, { once: true });
        void queue.finished.then(() => {
          context.signal.removeEventListener('abort', stop);
          resolve();
        });
      });
    } finally {
      clearInterval(ticker);
      this.wasm = null;
      await queue.close();
    }
  }
}

/** What a wasm cut says until a window takes its first task. */
const WAITING_FOR_WINDOW = 'waiting for an app window to cut with ffmpeg.wasm: open the app (any page) and keep it open';

/** 75 → "1 min 15 s"; 4000 → "1 h 7 min". */
function formatSeconds(s: number): string {
  if (s < 60) return `${Math.max(1, Math.round(s))} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}
