import { join } from 'node:path';
import type { ApiResult } from '../../shared/api/errors';
import type { EventName, EventPayload } from '../../shared/api/events';
import type { Handlers } from '../../shared/api/handlers';
import type { AppInfo } from '../../shared/api/models';
import { ANNOTATIONS_FOLDER } from '../services/annotations/annotations-service';
import { AnnotationsService, annotationsHandlers, type FetchParams, type ImportParams } from '../services/annotations/index';
import { clipsHandlers } from '../services/clips/clips-handlers';
import { type ClipsParams, ClipsService } from '../services/clips/clips-service';
import { DownloadsService, downloadsHandlers, type GetParams, type ImportParams as MediaImportParams, MediaImportService } from '../services/downloads/index';
import { DownloadsWatch } from '../services/downloads-watch/downloads-watch';
import { type ExportParams, ExportService, exportHandlers } from '../services/export/index';
import { JobRunner, jobsHandlers } from '../services/jobs/index';
import { jobParamSchemas } from '../services/jobs/job-params';
import { LibraryService, libraryHandlers, measureUsage } from '../services/library/index';
import { manifestHandlers } from '../services/manifest/manifest-handlers';
import { type ManifestParams, ManifestService } from '../services/manifest/manifest-service';
import { relinkHandlers } from '../services/relink/relink-handlers';
import { type RelinkApplyParams, type RelinkScanParams, RelinkService } from '../services/relink/relink-service';
import { SearchService, searchHandlers } from '../services/search/index';
import { type SecretStore, SettingsService, settingsHandlers } from '../services/settings/index';
import { SourcesService, sourcesHandlers } from '../services/sources/index';
import { type VerifyParams, VerifyService, verifyHandlers } from '../services/verify/index';
import { MediaLocator, PreviewCache, SampleList, SampleReader, viewerHandlers } from '../services/viewer/index';
import { dispatch } from './dispatch';

export interface EngineOptions {
  configDir: string;
  secrets: SecretStore;
  host: AppInfo['host'];
  version: string;
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  env?: NodeJS.ProcessEnv;
  /** Folder of the bundled worker entries (ingest-worker.js), next to the engine's own bundle. */
  bundleDir: string;
}

const COUNTS_CHANGE: ReadonlySet<string> = new Set(['verify.run', 'annotations.import', 'annotations.fetch', 'media.import']);
const INGESTS: ReadonlySet<string> = new Set(['annotations.import', 'annotations.fetch']);

const PROGRAM_NAMES: Record<AppInfo['host'], string> = {
  electron: 'the VC2 Media Manager app',
  web: 'the VC2 Media Manager web host',
  cli: 'vc2m',
  test: 'a VC2 Media Manager test',
};

/** All services of one running app, wired together, plus the one handler table that serves the contract. */
export class Engine {
  readonly settings: SettingsService;
  readonly library: LibraryService;
  readonly jobs: JobRunner;
  readonly annotations: AnnotationsService;
  readonly sources: SourcesService;
  readonly verify: VerifyService;
  readonly downloads: DownloadsService;
  readonly imports: MediaImportService;
  readonly manifests: ManifestService;
  readonly relink: RelinkService;
  readonly clips: ClipsService;
  /** The opt-in watch of the Downloads folder for what the manual sources' cards ask for (not in the CLI). */
  readonly watch: DownloadsWatch;
  readonly exporter: ExportService;
  readonly viewer: MediaLocator;
  readonly samples: SampleReader;
  readonly sampleList: SampleList;
  readonly previews: PreviewCache;
  readonly search: SearchService;
  readonly handlers: Handlers;

  private readonly host: AppInfo['host'];

  constructor(options: EngineOptions) {
    const { emit } = options;
    this.host = options.host;
    this.settings = new SettingsService({
      configDir: options.configDir,
      secrets: options.secrets,
      ...(options.env ? { env: options.env } : {}),
      onChange: (s) => {
        emit('settings.changed', s);
        if (options.host !== 'cli') void this.watch.configure();
      },
    });
    this.jobs = new JobRunner({
      emit: (s) => {
        // A job that changed which media exist or were checked: the Sources page's counts are read again.
        if (COUNTS_CHANGE.has(s.kind) && s.state !== 'queued' && s.state !== 'running') {
          this.verify?.forgetCounts();
          this.sampleList?.forget();
        }
        // New annotation versions go into the full-text index once there is one.
        if (INGESTS.has(s.kind) && s.state === 'finished') this.search?.afterIngest();
        emit('job.progress', s);
      },
      lanes: {
        // Ingests replace annotation versions and collect the old copies; an export reads those copies. One at a time.
        annotations: { kinds: ['annotations.import', 'annotations.fetch', 'export.run'], limit: 1 },
        // One verify at a time: two would check the same files twice. It runs beside an ingest or an export.
        verify: { kinds: ['verify.run', 'manifest.write', 'relink.scan', 'relink.apply'], limit: 1 },
        // One download job at a time (it runs many transfers itself), never waiting behind a verify or an ingest.
        downloads: { kinds: ['media.get'], limit: 1 },
        // An import writes one source's folder (extract, link, copy, move) and may set its root: one at a time.
        imports: { kinds: ['media.import'], limit: 1 },
        // The full-text index is written by one build at a time, beside everything else.
        search: { kinds: ['search.build'], limit: 1 },
        // A cut runs one ffmpeg per core itself: one cut at a time.
        clips: { kinds: ['clips.run'], limit: 1 },
      },
      params: jobParamSchemas,
      // vc2m runs beside the app: it runs the jobs it starts, never the queue the app serves.
      claim: options.host === 'cli' ? 'own' : 'all',
      kinds: {
        'library.measure': async (_params, context) => {
          const info = this.library.current();
          if (!info) return { status: 'finished', message: 'no library open' };
          const usage = await measureUsage(info.path, context);
          this.library.saveUsage(usage);
          return { status: 'finished', message: `${usage.files.toLocaleString('en-US')} files measured` };
        },
        'annotations.import': (params, context) => this.annotations.runImport(params as ImportParams, context),
        'annotations.fetch': (params, context) => this.annotations.runFetch(params as FetchParams, context),
        'verify.run': (params, context) => this.verify.run(params as VerifyParams, context),
        'media.get': (params, context) => this.downloads.run(params as GetParams, context),
        'media.import': (params, context) => this.imports.run(params as MediaImportParams, context),
        'export.run': (params, context) => this.exporter.run(params as ExportParams, context),
        'search.build': (_params, context) => this.search.run(context),
        'manifest.write': (params, context) => this.manifests.run(params as ManifestParams, context),
        'relink.scan': (params, context) => this.relink.runScan(params as RelinkScanParams, context),
        'relink.apply': (params, context) => this.relink.runApply(params as RelinkApplyParams, context),
        'clips.run': (params, context) => this.clips.run(params as ClipsParams, context),
      },
    });
    this.library = new LibraryService(
      {
        opened: (db) => {
          this.annotations.recover();
          this.jobs.attach(db);
        },
        closing: () => this.jobs.detach(),
        changed: (current) => emit('library.changed', { current }),
      },
      // Named in the refusal another program gets while this one holds a library on a network file system.
      { program: PROGRAM_NAMES[options.host], bundleDir: options.bundleDir },
    );
    this.sources = new SourcesService(this.library);
    this.verify = new VerifyService(this.library, this.jobs, this.sources, this.settings);
    // VC2M_DISK_RETRY_MS: how often a download stopped by a full disk looks for room again (a minute by default).
    const diskRetryMs = Number(options.env?.VC2M_DISK_RETRY_MS) || undefined;
    this.downloads = new DownloadsService(this.library, this.jobs, this.settings, this.sources, options.bundleDir, diskRetryMs);
    this.imports = new MediaImportService(this.library, this.jobs, this.sources, options.bundleDir);
    this.watch = new DownloadsWatch(this.settings, (found) => emit('media.found', found));
    this.exporter = new ExportService(this.library, this.jobs, this.sources);
    this.relink = new RelinkService(this.library, this.jobs, this.sources, this.settings);
    this.clips = new ClipsService(this.library, this.jobs, this.sources, this.settings);
    this.manifests = new ManifestService(this.library, this.jobs, this.sources, this.settings, options.bundleDir, options.version);
    this.viewer = new MediaLocator(this.library, this.sources);
    this.samples = new SampleReader(this.library, this.viewer);
    this.sampleList = new SampleList(
      () => this.library.database(),
      () => join(this.library.current()?.path ?? '', ANNOTATIONS_FOLDER),
    );
    // VC2M_PREVIEW_CACHE_BYTES: the previews' cache limit (2 GiB by default).
    this.previews = new PreviewCache(this.library, this.viewer, this.settings, Number(options.env?.VC2M_PREVIEW_CACHE_BYTES) || undefined);
    this.search = new SearchService(this.library, this.jobs, this.sampleList, options.bundleDir);
    this.annotations = new AnnotationsService(this.library, this.jobs, this.settings, options.bundleDir, options.env);
    const info: AppInfo = { name: 'VC2 Media Manager', version: options.version, host: options.host, platform: process.platform };
    this.handlers = {
      'app.info': () => info,
      ...libraryHandlers(this.library, this.settings, this.jobs),
      ...settingsHandlers(this.settings),
      ...annotationsHandlers(this.annotations),
      ...sourcesHandlers(this.sources),
      ...verifyHandlers(this.verify),
      ...downloadsHandlers(this.downloads, this.imports, this.verify, this.watch),
      ...exportHandlers(this.exporter),
      ...manifestHandlers(this.manifests),
      ...relinkHandlers(this.relink),
      ...clipsHandlers(this.clips),
      ...viewerHandlers(this.viewer, this.samples, this.sampleList, this.previews),
      ...searchHandlers(this.search),
      ...jobsHandlers(this.jobs),
    };
  }

  /** Reopens the library that was open when the app last quit; a library that has gone missing is only reported. */
  async start(): Promise<void> {
    if (this.host !== 'cli') await this.watch.configure();
    const last = this.settings.lastLibrary();
    if (!last) return;
    try {
      await this.library.open(last);
    } catch (error) {
      console.warn(`[engine] could not reopen the last library ${last}: ${(error as Error).message}`);
    }
  }

  call(method: string, args: unknown): Promise<ApiResult<unknown>> {
    return dispatch(this.handlers, method, args);
  }

  async close(): Promise<void> {
    this.watch.stop();
    this.previews.close();
    await this.library.close();
  }
}
