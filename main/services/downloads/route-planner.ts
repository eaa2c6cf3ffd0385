import { basename, join } from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import { sourceById } from '../../../shared/catalog/index';
import { mirroredUrl } from '../../../shared/catalog/mirror-url';
import type { Route } from '../../../shared/catalog/schema';
import { mapLimit } from '../../lib/map-limit';
import { HubClient } from '../hub/hub-client';
import type { SettingsService } from '../settings/settings-service';
import type { DownloadLedger, DownloadRow, PlannedFile } from './download-ledger';

export const fileNameOf = (url: string) => decodeURIComponent(basename(new URL(url).pathname));

/** Where a per-clip route's metadata tables go, under <library>/downloads/<source>. */
export const TABLES_FOLDER = 'tables';

/** A glob on repo paths: `*` within a folder, `**` across folders, `{a,b}` either. */
export function pathGlobToRegExp(glob: string): RegExp {
  let out = '';
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*' && glob[i + 1] === '*') {
      out += '.*';
      i++;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '{') {
      out += '(?:';
      depth++;
    } else if (c === '}' && depth > 0) {
      out += ')';
      depth--;
    } else if (c === ',' && depth > 0) out += '|';
    else out += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** What a route's download consists of: its files (from the catalog, a published list or the Hub), their sizes, headers. */
export class RoutePlanner {
  constructor(private readonly settings: SettingsService) {}

  /** The route's files for one source (a URL list, as Kinetics publishes, is read first). */
  async plan(sourceId: string, signal: AbortSignal): Promise<PlannedFile[]> {
    const source = sourceById(sourceId);
    const route = source?.acquire.route;
    if (route?.kind === 'hf') return this.planHub(sourceId, route, signal);
    if (route?.kind !== 'http') return [];
    const files: PlannedFile[] = [];
    for (const file of route.files) {
      const single = file.parts.length === 1;
      for (const url of file.parts) {
        files.push({
          sourceId,
          url,
          target: join(file.into, fileNameOf(url)),
          expectedSize: single ? (file.size?.bytes ?? null) : null,
          sizeIsExact: single && file.size?.exact === true,
          expectedSha256: single ? file.sha256 : null,
        });
      }
    }
    for (const list of route.lists) {
      const response = await fetch(mirroredUrl(list.list, this.settings.mirror(sourceId)), { signal });
      if (!response.ok) throw new ApiError('DOWNLOAD_FAILED', `${list.list}: the list of archives could not be read (${response.status})`);
      for (const line of (await response.text()).split('\n').map((l) => l.trim())) {
        if (!/^https?:\/\//.test(line)) continue;
        files.push({ sourceId, url: line, target: join(list.into, fileNameOf(line)), expectedSize: null, sizeIsExact: false, expectedSha256: null });
      }
    }
    return files;
  }

  /**
   * A Hugging Face route: the revision pinned to a commit, and the Hub's tree listing as the authority on each
   * file's size and sha256 (the research's figures are only what was seen once).
   */
  async planHub(sourceId: string, route: Extract<Route, { kind: 'hf' }>, signal: AbortSignal): Promise<PlannedFile[]> {
    const settings = await this.settings.get();
    const client = new HubClient({ endpoint: settings.hfEndpoint, repo: route.repo, token: await this.settings.hfToken() });
    const commit = await client.resolveRevision(route.revision ?? 'main', signal);
    const listing = new Map((await client.listFiles(commit, signal)).map((f) => [f.path, f]));
    const files: PlannedFile[] = [];
    for (const file of route.files) {
      for (const part of file.parts) {
        const listed = listing.get(part);
        if (!listed) {
          throw new ApiError(
            'DOWNLOAD_FAILED',
            `${part} is not in ${route.repo} at ${commit.slice(0, 12)} (${settings.hfEndpoint}); the repo may have moved it. Check the revision or fetch it by hand and import it.`,
          );
        }
        files.push({
          sourceId,
          url: client.resolveUrl(commit, part),
          target: join(file.into, basename(part)),
          expectedSize: listed.size,
          sizeIsExact: true,
          expectedSha256: listed.sha256,
        });
      }
    }
    return files;
  }

  /** A per-clip route's metadata tables on the Hub (the route's glob over the repo's listing), as ledger rows. */
  async planTables(sourceId: string, route: Extract<Route, { kind: 'per-file-http' }>, signal: AbortSignal): Promise<PlannedFile[]> {
    const hub = route.table.hub;
    if (!hub)
      throw new ApiError('VALIDATION_ERROR', `${sourceId}: its metadata table is not on the Hub; give the CSV files you have with --table <file-or-folder>`);
    const settings = await this.settings.get();
    const client = new HubClient({ endpoint: settings.hfEndpoint, repo: hub.repo, token: await this.settings.hfToken() });
    const commit = await client.resolveRevision('main', signal);
    const glob = pathGlobToRegExp(hub.glob);
    const files = (await client.listFiles(commit, signal)).filter((f) => glob.test(f.path));
    if (files.length === 0) {
      throw new ApiError(
        'DOWNLOAD_FAILED',
        `${hub.repo} at ${commit.slice(0, 12)} (${settings.hfEndpoint}) has no file matching ${hub.glob}; give the tables you have with --table`,
      );
    }
    return files.map((f) => ({
      sourceId,
      url: client.resolveUrl(commit, f.path),
      target: join(TABLES_FOLDER, f.path),
      expectedSize: f.size,
      sizeIsExact: true,
      expectedSha256: f.sha256,
    }));
  }

  /** The token goes only to the Hub's own origin (fetch drops it on a redirect to the CDN). */
  async headersFor(): Promise<(url: string) => Record<string, string>> {
    // Read once per job: the token may come from the OS keychain (in the app, over the engine's channel).
    const origin = new URL((await this.settings.get()).hfEndpoint).origin;
    const token = await this.settings.hfToken();
    return (url) => (token && new URL(url).origin === origin ? { Authorization: `Bearer ${token}` } : {});
  }

  /**
   * The server's own size of each file not started yet (HEAD), which then replaces the research's estimate for the
   * disk check and the progress bar. A server that refuses HEAD leaves the estimate.
   */
  async learnSizes(ledger: DownloadLedger, todo: DownloadRow[], signal: AbortSignal): Promise<void> {
    // Many at once (a route can list thousands of files), each answered by its host in a round trip. Not the clips
    // of a per-clip route: half a million HEADs would double its requests for a few MB each.
    const unknown = todo.filter((r) => r.total === null && !r.sizeIsExact && r.place !== 'root');
    await mapLimit(unknown, 16, async (row) => {
      try {
        const response = await fetch(mirroredUrl(row.url, this.settings.mirror(row.sourceId)), {
          method: 'HEAD',
          signal,
          headers: { 'Accept-Encoding': 'identity' },
        });
        const length = Number(response.headers.get('content-length'));
        if (response.ok && Number.isFinite(length) && length > 0) {
          ledger.progress(row.id, row.bytes, length);
          row.total = length;
        }
      } catch {
        if (signal.aborted) throw signal.reason;
      }
    });
  }
}
