import { readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import type { FoundFiles } from '../../../shared/api/found-models';
import type { M3itTaskStatus } from '../../../shared/api/m3it-models';
import type { JobSnapshot, SourceAcquisition } from '../../../shared/api/models';
import { catalog, sourceById } from '../../../shared/catalog/index';
import { mirroredUrl } from '../../../shared/catalog/mirror-url';
import type { ArchiveFormat, Route, Source } from '../../../shared/catalog/schema';
import type { TaskWorker } from '../../lib/worker-tasks';
import type { JobContext, JobOutcome, JobRunner } from '../jobs/job-runner';
import type { LibraryService } from '../library/library-service';
import { M3IT_SOURCE, M3itService } from '../m3it/m3it-service';
import type { SettingsService } from '../settings/settings-service';
import type { SourcesService } from '../sources/sources-service';
import { acquisitionOf } from './acquisition-status';
import { planClipRoute } from './clip-route';
import { tableFiles } from './clip-table';
import { checkSpace } from './disk-space';
import { DownloadLedger, type DownloadRow } from './download-ledger';
import { NO_SPACE_PREFIX, partialPathOf } from './fetch-file';
import { findRoot } from './find-root';
import type { MediaTasks } from './media-tasks';
import { extractOnWorker, withMediaWorker } from './media-worker-client';
import { fileNameOf, RoutePlanner } from './route-planner';
import { TransferProgress, transferAll } from './transfer-queue';

export const DOWNLOADS_FOLDER = 'downloads';

export interface GetParams {
  sources: string[];
  /** A glob on file names (`*` and `?`): only the matching files of the routes. */
  only: string | null;
  retryFailed: boolean;
  /** False: stop after the downloads; a later get extracts them. */
  extract: boolean;
  /** A per-clip route's metadata tables the user gave (files or folders); empty: the route's own, from the Hub. */
  tables: string[];
  /** M3IT tasks to fetch and decode; empty: those of the ingested subsets, else every task. */
  tasks: string[];
}

/** `--only`: a glob on file names, `*` and `?`. */
export const globToRegExp = (glob: string) =>
  new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );

/** Bytes of a file's partial download, null when there is none (a split one is sparse: its ranges say). */
function partialSize(target: string): number | null {
  try {
    const meta = JSON.parse(readFileSync(`${partialPathOf(target)}.json`, 'utf8')) as { ranges?: Array<{ done: number }> };
    if (meta.ranges) return meta.ranges.reduce((n, r) => n + r.done, 0);
  } catch {
    // no meta, or not a split one: the partial's size is what arrived
  }
  try {
    return statSync(partialPathOf(target)).size;
  } catch {
    return null;
  }
}

/** Why a route cannot be fetched by `get`, in words a user can act on; null when it can. */
export function notDownloadable(source: Source): string | null {
  const route: Route = source.acquire.route;
  if (route.kind === 'manual') {
    const steps = route.steps.map((s, i) => `${i + 1}. ${s}`).join(' ');
    return `${source.id} is fetched by hand${route.page ? ` from ${route.page}` : ` (start from ${source.homepage})`}: ${steps}`;
  }
  return null;
}

/** Media downloads: the routes' files into <library>/downloads/<source>, one ledger row each. */
export class DownloadsService {
  constructor(
    private readonly library: LibraryService,
    private readonly jobs: JobRunner,
    private readonly settings: SettingsService,
    private readonly sources: SourcesService,
    /** Folder of the bundled worker entries (media-worker.js). */
    private readonly bundleDir: string,
    /** How long a job stopped by a full disk waits before it looks again (and carries on when there is room). */
    private readonly diskRetryMs = 60_000,
  ) {
    this.planner = new RoutePlanner(settings);
    this.m3it = new M3itService(library, settings, bundleDir);
  }

  private readonly planner: RoutePlanner;
  private readonly m3it: M3itService;

  start(params: GetParams): JobSnapshot {
    this.library.database();
    for (const id of params.sources) {
      const source = sourceById(id);
      if (!source) throw new ApiError('NOT_FOUND', `unknown source "${id}". Known sources: ${catalog.sources.map((s) => s.id).join(', ')}`);
      const why = notDownloadable(source);
      if (why) throw new ApiError('VALIDATION_ERROR', why);
    }
    if (params.only !== null) globToRegExp(params.only);
    if (params.tasks.length > 0) {
      if (!params.sources.includes(M3IT_SOURCE)) throw new ApiError('VALIDATION_ERROR', `tasks are M3IT's (--task is for get ${M3IT_SOURCE})`);
      this.m3it.tasksFor(params.tasks);
    }
    // The user's tables are looked at now: a wrong path is answered at once, not by a failed job.
    if (params.tables.length > 0) {
      if (!params.sources.some((id) => sourceById(id)?.acquire.route.kind === 'per-file-http')) {
        throw new ApiError(
          'VALIDATION_ERROR',
          `metadata tables are for a per-clip route (${catalog.sources
            .filter((s) => s.acquire.route.kind === 'per-file-http')
            .map((s) => s.id)
            .join(', ')}); none of ${params.sources.join(', ')} has one`,
        );
      }
      tableFiles(params.tables);
    }
    // Refused at once when the sizes the ledger knows do not fit. A source not planned yet is checked in the job,
    // before its first transfer, with the sizes its servers give (the Hub listing, HEAD): the research's estimates
    // are only shown, never the reason for a refusal.
    this.checkSpace(params.sources[0] as string, new DownloadLedger(this.library.database()).forSources(params.sources));
    return this.jobs.enqueue('media.get', params);
  }

  /**
   * Per source, where its media stand: the ledger, the download jobs (this process's and others'), the last verify.
   * `verified`: per source, media named, checked and present (VerifyService.mediaBySource).
   */
  status(verified: ReadonlyMap<string, { media: number; checked: number; present: number }>, found: readonly FoundFiles[] = []): SourceAcquisition[] {
    const summaries = new Map(new DownloadLedger(this.library.database()).summaries().map((s) => [s.sourceId, s]));
    const jobs = this.jobs.list().filter((j) => j.kind === 'media.get' && (j.state === 'running' || j.state === 'queued' || j.state === 'paused'));
    const sourcesOf = new Map(jobs.map((j) => [j.id, ((this.jobs.params(j.id) as Partial<GetParams>).sources ?? []) as string[]]));
    const jobFor = (sourceId: string, states: readonly string[]) =>
      jobs.find((j) => states.includes(j.state) && sourcesOf.get(j.id)?.includes(sourceId))?.id ?? null;
    const roots = new Map(this.sources.list().map((s) => [s.id, s]));
    return catalog.sources.map((source) => {
      const report = verified.get(source.id);
      const root = roots.get(source.id);
      return acquisitionOf({
        source,
        ledger: summaries.get(source.id) ?? null,
        runningJobId: jobFor(source.id, ['running', 'queued']),
        pausedJobId: jobFor(source.id, ['paused']),
        media: report && report.media > 0 && report.checked > 0 ? { expected: report.media, present: report.present } : null,
        mirror: this.settings.mirror(source.id),
        root: root?.root ?? this.sources.defaultRoot(source.id),
        rootIsDefault: root?.rootIsDefault ?? true,
        blocked: notDownloadable(source),
        found: found.find((f) => f.sourceId === source.id) ?? null,
      });
    });
  }

  /** M3IT, per task: its file in the ledger, its decode and the check (the M3IT panel, `vc2m get m3it`). */
  m3itStatus(): M3itTaskStatus[] {
    return this.m3it.status(new DownloadLedger(this.library.database()));
  }

  ledger(failedOnly: boolean): DownloadRow[] {
    const ledger = new DownloadLedger(this.library.database());
    return failedOnly ? ledger.failed() : ledger.all();
  }

  folder(sourceId: string): string {
    const info = this.library.current();
    if (!info) throw new ApiError('LIBRARY_NOT_OPEN', 'open a library first');
    return join(info.path, DOWNLOADS_FOLDER, sourceId);
  }

  run(params: GetParams, context: JobContext): Promise<JobOutcome> {
    return withMediaWorker(this.bundleDir, (worker) => this.runOn(worker, params, context));
  }

  private async runOn(worker: TaskWorker<MediaTasks>, params: GetParams, context: JobContext): Promise<JobOutcome> {
    const ledger = new DownloadLedger(this.library.database());
    ledger.requeueInterrupted();
    const settings = await this.settings.get();
    const headersFor = await this.planner.headersFor();
    const hubOrigin = new URL(settings.hfEndpoint).origin;
    const roots = new Map(this.sources.list().map((s) => [s.id, s.root]));
    const rootOf = (sourceId: string) => roots.get(sourceId) ?? this.sources.defaultRoot(sourceId);
    const targetOf = (row: DownloadRow) => join(row.place === 'root' ? rootOf(row.sourceId) : this.folder(row.sourceId), row.target);
    const transfers = (rows: readonly DownloadRow[], progress: TransferProgress) =>
      transferAll({
        worker,
        ledger,
        rows,
        context,
        limit: Math.max(1, settings.downloadConcurrency),
        progress,
        targetOf,
        // A mirror stands in for the route's own hosts, never for the Hub (a per-clip route's tables come from it).
        urlOf: (row) => (new URL(row.url).origin === hubOrigin ? row.url : mirroredUrl(row.url, this.settings.mirror(row.sourceId))),
        headersFor,
        bandwidth: () => this.bandwidth(),
      });
    const notes: string[] = [];
    // M3IT: the tasks asked for (or those the library's subsets use); another task's rows are not this job's.
    const m3itTasks = params.sources.includes(M3IT_SOURCE) ? new Set(this.m3it.tasksFor(params.tasks)) : new Set<string>();
    const ofThisJob = (row: DownloadRow) => row.sourceId !== M3IT_SOURCE || m3itTasks.has(row.target.split('/')[0] as string);
    for (const id of params.sources) {
      const route = sourceById(id)?.acquire.route;
      if (id === M3IT_SOURCE) {
        const planned = await this.m3it.plan([...m3itTasks], context.signal);
        ledger.plan(planned.files);
        for (const { task, reason } of planned.missing) ledger.planUnmatched(id, [`${task}/train.jsonl`], reason, 'downloads');
        continue;
      }
      if (route?.kind !== 'per-file-http') {
        ledger.plan(await this.planner.plan(id, context.signal));
        continue;
      }
      // A per-clip route: its tables first (the user's, or the route's from the Hub), then the clips they list.
      let tables = params.tables;
      if (tables.length === 0) {
        const planned = await this.planner.planTables(id, route, context.signal);
        ledger.plan(planned);
        const targets = new Set(planned.map((f) => f.target));
        const rows = ledger.forSources([id]).filter((r) => targets.has(r.target));
        const todo = rows.filter((r) => r.state !== 'done');
        const progress = new TransferProgress(
          context,
          todo.reduce((n, r) => n + (r.expectedSize ?? 0), 0),
          rows.length,
          rows.length - todo.length,
        );
        const outcome = await transfers(todo, progress);
        context.signal.throwIfAborted();
        if (outcome.diskFull) return this.pausedForRoom(outcome.diskFull);
        if (outcome.failures.length > 0) {
          throw new ApiError(
            'DOWNLOAD_FAILED',
            `${id}'s metadata tables could not all be fetched (${outcome.failures.length} failed: ${outcome.failures.slice(0, 3).join(' | ')}); get ${id} again`,
          );
        }
        tables = rows.map((r) => targetOf(r));
      }
      notes.push(await planClipRoute({ worker, db: this.library.database(), ledger, sourceId: id, route, tables, root: rootOf(id), context }));
      // The Hub's tables were read: nothing of them is left to extract (and no room is kept for it).
      if (params.tables.length === 0) {
        const read = new Set(tables);
        ledger.markExtracted(
          ledger
            .forSources([id])
            .filter((r) => r.place === 'downloads' && r.extractedAt === null && read.has(targetOf(r)))
            .map((r) => r.id),
        );
      }
    }
    const only = params.only === null ? null : globToRegExp(params.only);
    const rows = ledger.forSources(params.sources).filter((r) => ofThisJob(r) && (only === null || only.test(basename(r.target))));
    // A clip no table names has no URL: it stays failed, with its reason, until a table gives one.
    const todo = rows.filter((r) => r.state !== 'done' && r.url !== '' && (r.state !== 'failed' || params.retryFailed));
    const skippedFailed = rows.filter((r) => r.state === 'failed' && !params.retryFailed).length;
    await this.planner.learnSizes(ledger, todo, context.signal);
    // What is on disk is the truth about how far each file got (the ledger's count is saved once a second).
    for (const row of todo) row.bytes = partialSize(targetOf(row)) ?? row.bytes;
    try {
      this.checkSpace(
        params.sources[0] as string,
        rows.filter((r) => r.state !== 'failed' || params.retryFailed),
      );
    } catch (error) {
      // A job stopped by a full disk keeps waiting for room rather than failing on its next look.
      const waiting = rows.some((r) => (r.state === 'paused' || (r.state === 'done' && r.extractedAt === null)) && r.error?.startsWith(NO_SPACE_PREFIX));
      if (waiting && error instanceof ApiError && error.code === 'DISK_FULL') {
        return { status: 'rate-limited', pauseMs: this.diskRetryMs, message: `paused until there is room: ${error.message}` };
      }
      throw error;
    }

    const totalBytes = todo.reduce((sum, r) => sum + (r.total ?? r.expectedSize ?? 0), 0);
    const progress = new TransferProgress(context, totalBytes, rows.length, rows.filter((r) => r.state === 'done').length);
    const { failures, diskFull } = await transfers(todo, progress);
    context.signal.throwIfAborted();
    // Paused, not failed: the job comes back by itself and resumes the partial files once space is freed.
    if (diskFull) return this.pausedForRoom(diskFull);
    const placed: string[] = [...notes];
    try {
      if (params.extract) {
        for (const id of params.sources) {
          if (id !== M3IT_SOURCE) placed.push(...(await this.extractAndPlace(worker, id, ledger, context)));
          else {
            placed.push(...(await this.m3it.decodeAndCheck({ ledger, tasks: [...m3itTasks], root: rootOf(id), downloadsFolder: this.folder(id), context })));
          }
        }
      }
    } catch (error) {
      if (error instanceof ApiError && error.code === 'DISK_FULL') return this.pausedForRoom(error);
      throw error;
    }
    const summary = `${progress.finished} of ${rows.length} files downloaded${skippedFailed ? ` (${skippedFailed} failed before: retry them with --retry-failed)` : ''}${placed.length ? `; ${placed.join('; ')}` : ''}`;
    if (failures.length > 0) throw new ApiError('DOWNLOAD_FAILED', `${summary}; ${failures.length} failed: ${failures.slice(0, 5).join(' | ')}`);
    return { status: 'finished', message: summary };
  }

  private pausedForRoom(diskFull: ApiError): JobOutcome {
    return {
      status: 'rate-limited',
      pauseMs: this.diskRetryMs,
      message: `paused: ${diskFull.message} It looks again every ${(this.diskRetryMs / 1000).toFixed(this.diskRetryMs < 10_000 ? 1 : 0)} s and carries on once there is room.`,
    };
  }

  /**
   * Extracts each archive of the source's route whose parts are all downloaded and not extracted yet, into the
   * source's folder, then finds the folder its refs resolve under and makes it the source's root.
   */
  private async extractAndPlace(worker: TaskWorker<MediaTasks>, sourceId: string, ledger: DownloadLedger, context: JobContext): Promise<string[]> {
    const route = sourceById(sourceId)?.acquire.route;
    if (!route || (route.kind !== 'http' && route.kind !== 'hf')) return [];
    const rows = ledger.forSources([sourceId]);
    const dest = this.sources.defaultRoot(sourceId);
    const said: string[] = [];
    let extracted = false;
    // Each archive of the route: a file (all its parts), or one line of a published list of archives.
    const archives: Array<{ names: string[]; format: ArchiveFormat; into: string }> = route.files.map((file) => ({
      names: file.parts.map((p) => join(file.into, route.kind === 'hf' ? basename(p) : fileNameOf(p))),
      format: file.format,
      into: file.into,
    }));
    if (route.kind === 'http') {
      for (const list of route.lists) {
        for (const row of rows.filter(
          (r) => r.target.startsWith(`${list.into}/`) && !route.files.some((f) => f.parts.some((p) => join(f.into, fileNameOf(p)) === r.target)),
        )) {
          archives.push({ names: [row.target], format: list.format, into: list.into });
        }
      }
    }
    for (const { names, format, into } of archives) {
      if (format !== 'zip' && format !== 'tar' && format !== 'tar.gz') continue;
      const parts = names.map((n) => rows.find((r) => r.target === n));
      if (parts.some((r) => r?.state !== 'done') || parts.every((r) => r?.extractedAt !== null)) continue;
      const paths = names.map((n) => join(this.folder(sourceId), n));
      const label = `${names[0]}${names.length > 1 ? ` (+${names.length - 1} parts)` : ''}`;
      const archive = paths.length === 1 ? (paths[0] as string) : paths;
      let result: Awaited<ReturnType<typeof extractOnWorker>>;
      try {
        result = await extractOnWorker(worker, format, archive, join(dest, into), label, context);
      } catch (error) {
        // Kept on the archive's rows: the job waits for room and extracts again (files already out are kept).
        if (error instanceof ApiError && error.code === 'DISK_FULL')
          ledger.note(
            parts.map((r) => (r as DownloadRow).id),
            error.message,
          );
        throw error;
      }
      ledger.markExtracted(parts.map((r) => (r as DownloadRow).id));
      // Every entry was checked (CRC-32 for zip, gzip's own check for tar.gz) before this point: the archive may go.
      const drop = (await this.settings.get()).deleteArchivesAfterExtract;
      if (drop) for (const path of paths) await rm(path, { force: true });
      said.push(`${label}: ${result.written} files extracted${result.kept ? `, ${result.kept} already there` : ''}${drop ? ' (archive deleted)' : ''}`);
      extracted = true;
    }
    if (extracted) {
      const found = findRoot(this.library.database(), sourceId, dest);
      if (found) {
        this.sources.setRoot(sourceId, found.root);
        said.push(`${sourceId}'s media found under ${found.root} (${found.hits} of ${found.sample} sampled refs there)`);
      } else said.push(`${sourceId}: no ingested ref was found in what was extracted (import the annotations, then verify)`);
    }
    return said;
  }

  private checkSpace(sourceId: string, rows: readonly DownloadRow[]): void {
    checkSpace(this.folder(sourceId), this.sources.defaultRoot(sourceId), rows);
  }

  /** The bandwidth limit in bytes a second, null for none. */
  private async bandwidth(): Promise<number | null> {
    const mbps = (await this.settings.get()).bandwidthLimitMBps;
    return mbps > 0 ? mbps * 1e6 : null;
  }
}
