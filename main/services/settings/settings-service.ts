import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import { HF_DEFAULT_ENDPOINT, type RecentLibrary, type Settings, type SettingsPatch } from '../../../shared/api/models';
import { catalog, sourceById } from '../../../shared/catalog/index';
import { routeTakesMirror } from '../../../shared/catalog/mirror-url';
import { defaultLibraryPath } from '../../lib/paths';
import type { SecretStore } from './secret-store';
import { loadSettingsFile, MAX_RECENT, type SettingsFile, saveSettingsFile } from './settings-file';

export interface SettingsServiceOptions {
  configDir: string;
  secrets: SecretStore;
  env?: NodeJS.ProcessEnv;
  warn?: (message: string) => void;
  onChange?: (settings: Settings) => void;
}

/** App-wide settings (not per library): endpoint, concurrency, ffmpeg, the token, and the recent-libraries list. */
export class SettingsService {
  private file: SettingsFile;
  private tokenSaved: boolean | null = null;
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly options: SettingsServiceOptions) {
    this.env = options.env ?? process.env;
    this.file = loadSettingsFile(options.configDir, options.warn ?? ((m) => console.warn(m)));
  }

  /** Current settings as the UI sees them: whether a token is set, never its value. */
  async get(): Promise<Settings> {
    this.tokenSaved ??= (await this.options.secrets.read()) !== null;
    const envEndpoint = this.env.HF_ENDPOINT?.trim();
    const envToken = this.env.HF_TOKEN?.trim();
    return {
      defaultLibraryPath: defaultLibraryPath(),
      hfEndpoint: this.file.hfEndpoint || envEndpoint || HF_DEFAULT_ENDPOINT,
      hfEndpointSource: this.file.hfEndpoint ? 'settings' : envEndpoint ? 'env' : 'default',
      hfTokenSet: this.tokenSaved || Boolean(envToken),
      hfTokenSource: this.tokenSaved ? 'settings' : envToken ? 'env' : null,
      hfTokenStorage: this.options.secrets.storage,
      downloadConcurrency: this.file.downloadConcurrency,
      bandwidthLimitMBps: this.file.bandwidthLimitMBps,
      deleteArchivesAfterExtract: this.file.deleteArchivesAfterExtract,
      watchDownloads: this.file.watchDownloads,
      downloadsFolder: this.file.downloadsFolder,
      ffmpegPath: this.file.ffmpegPath,
      mirrors: { ...this.file.mirrors },
    };
  }

  async update(patch: SettingsPatch): Promise<Settings> {
    const next = { ...this.file };
    if (patch.hfEndpoint !== undefined) next.hfEndpoint = patch.hfEndpoint.replace(/\/+$/, '');
    if (patch.downloadConcurrency !== undefined) next.downloadConcurrency = patch.downloadConcurrency;
    if (patch.ffmpegPath !== undefined) next.ffmpegPath = patch.ffmpegPath;
    if (patch.bandwidthLimitMBps !== undefined) next.bandwidthLimitMBps = patch.bandwidthLimitMBps;
    if (patch.deleteArchivesAfterExtract !== undefined) next.deleteArchivesAfterExtract = patch.deleteArchivesAfterExtract;
    if (patch.watchDownloads !== undefined) next.watchDownloads = patch.watchDownloads;
    if (patch.downloadsFolder !== undefined) next.downloadsFolder = patch.downloadsFolder;
    await this.save(next);
    return this.changed();
  }

  /** Sets (or, with null, clears) the mirror of one source; only sources fetched over plain HTTP take one. */
  async setMirror(sourceId: string, baseUrl: string | null): Promise<Settings> {
    const source = sourceById(sourceId);
    if (!source) throw new ApiError('NOT_FOUND', `unknown source "${sourceId}". Known sources: ${catalog.sources.map((s) => s.id).join(', ')}`);
    if (baseUrl !== null && !routeTakesMirror(source.acquire.route)) {
      const why =
        source.acquire.route.kind === 'hf'
          ? 'it comes from Hugging Face, which follows the Hugging Face endpoint setting (HF_ENDPOINT)'
          : 'it is fetched by hand, so there is no URL to redirect';
      throw new ApiError('VALIDATION_ERROR', `${sourceId} takes no mirror: ${why}.`);
    }
    const mirrors = { ...this.file.mirrors };
    if (baseUrl === null) delete mirrors[sourceId];
    else mirrors[sourceId] = baseUrl;
    await this.save({ ...this.file, mirrors });
    return this.changed();
  }

  /** The mirror base URL for a source, if one is set. */
  mirror(sourceId: string): string | null {
    return this.file.mirrors[sourceId] ?? null;
  }

  async setHfToken(token: string): Promise<Settings> {
    await this.options.secrets.write(token);
    this.tokenSaved = true;
    return this.changed();
  }

  async clearHfToken(): Promise<Settings> {
    await this.options.secrets.clear();
    this.tokenSaved = false;
    return this.changed();
  }

  /** The token downloads use: the saved one first, then `HF_TOKEN` from the environment. */
  async hfToken(): Promise<string | null> {
    return (await this.options.secrets.read()) ?? (this.env.HF_TOKEN?.trim() || null);
  }

  recent(): RecentLibrary[] {
    return this.file.recent.map((r) => ({ ...r, available: existsSync(join(r.path, 'library.sqlite')) }));
  }

  async rememberLibrary(path: string, name: string = basename(path)): Promise<void> {
    const rest = this.file.recent.filter((r) => r.path !== path);
    const recent = [{ path, name, lastOpenedAt: new Date().toISOString() }, ...rest].slice(0, MAX_RECENT);
    await this.save({ ...this.file, recent, lastLibrary: path });
  }

  async forgetLibrary(path: string): Promise<RecentLibrary[]> {
    const recent = this.file.recent.filter((r) => r.path !== path);
    const lastLibrary = this.file.lastLibrary === path ? null : this.file.lastLibrary;
    await this.save({ ...this.file, recent, lastLibrary });
    return this.recent();
  }

  /** Closing a library means the next start opens none, until the user picks one again. */
  async clearLastLibrary(): Promise<void> {
    await this.save({ ...this.file, lastLibrary: null });
  }

  lastLibrary(): string | null {
    return this.file.lastLibrary;
  }

  private async save(next: SettingsFile): Promise<void> {
    await saveSettingsFile(this.options.configDir, next);
    this.file = next;
  }

  private async changed(): Promise<Settings> {
    const settings = await this.get();
    this.options.onChange?.(settings);
    return settings;
  }
}
