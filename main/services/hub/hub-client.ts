import { z } from 'zod';
import { ApiError } from '../../../shared/api/errors';
import { backoffMs, REQUEST_BACKOFF, retryAfterMs, sleep } from '../../lib/backoff';
import { hubError } from './hub-errors';

export interface HubFile {
  path: string;
  size: number;
  /** git blob id (sha1) of the file as stored in the repo. */
  oid: string;
  /** sha256 of the content for LFS files (all large annotation JSONs); null for small files kept in git. */
  sha256: string | null;
}

export interface HubClientOptions {
  endpoint: string;
  repo: string;
  token: string | null;
  /** Retries for 429, 5xx and dropped connections before giving up. */
  maxAttempts?: number;
  /** Longest pause honoured from Retry-After, so a misbehaving mirror cannot park a job for hours silently. */
  maxPauseMs?: number;
  userAgent?: string;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const TreeEntrySchema = z.object({
  type: z.string(),
  path: z.string(),
  size: z.number().optional(),
  oid: z.string().optional(),
  lfs: z.object({ oid: z.string(), size: z.number() }).optional(),
});

/** The app's one sleep (main/lib/backoff.ts); injectable in tests. */
export const defaultSleep = sleep;

/**
 * The parts of the Hugging Face Hub HTTP API the app uses: revision → commit, recursive tree listing with
 * LFS metadata, and `resolve/` for content. Works against huggingface.co or any mirror (HF_ENDPOINT).
 */
export class HubClient {
  readonly endpoint: string;

  constructor(private readonly options: HubClientOptions) {
    this.endpoint = options.endpoint.replace(/\/+$/, '');
  }

  get repo(): string {
    return this.options.repo;
  }

  /** The commit a branch, tag or sha points at now; pinning it keeps a fetch consistent while the repo changes. */
  async resolveRevision(revision: string, signal?: AbortSignal): Promise<string> {
    const url = `${this.endpoint}/api/datasets/${this.options.repo}/revision/${encodeURIComponent(revision)}`;
    const response = await this.request(url, { signal });
    const body = (await response.json()) as { sha?: unknown };
    if (typeof body.sha !== 'string' || !/^[0-9a-f]{40}$/.test(body.sha)) throw new ApiError('HUB_UNAVAILABLE', `${url}: the answer has no commit sha`);
    return body.sha;
  }

  /** Every file of the repo at a commit, following the listing's pagination (Link: rel="next"). */
  async listFiles(commit: string, signal?: AbortSignal): Promise<HubFile[]> {
    const files: HubFile[] = [];
    let url: string | null = `${this.endpoint}/api/datasets/${this.options.repo}/tree/${encodeURIComponent(commit)}?recursive=true&expand=false`;
    while (url) {
      const response = await this.request(url, { signal });
      const page = (await response.json()) as unknown;
      if (!Array.isArray(page)) throw new ApiError('HUB_UNAVAILABLE', `${url}: expected a JSON list of files`);
      for (const raw of page) {
        const parsed = TreeEntrySchema.safeParse(raw);
        if (!parsed.success) throw new ApiError('HUB_UNAVAILABLE', `${url}: unexpected entry in the file listing: ${JSON.stringify(raw).slice(0, 200)}`);
        const entry = parsed.data;
        if (entry.type !== 'file') continue;
        files.push({ path: entry.path, size: entry.lfs?.size ?? entry.size ?? 0, oid: entry.oid ?? '', sha256: entry.lfs?.oid ?? null });
      }
      url = nextLink(response.headers.get('link'), url);
    }
    return files;
  }

  resolveUrl(commit: string, path: string): string {
    return `${this.endpoint}/datasets/${this.options.repo}/resolve/${encodeURIComponent(commit)}/${path.split('/').map(encodeURIComponent).join('/')}`;
  }

  /**
   * GET with the token, retrying 429 (after Retry-After), 5xx and network failures with backoff.
   * Redirects are followed by fetch, which drops the Authorization header when they leave the Hub's origin (CDN).
   */
  async request(url: string, init: { signal?: AbortSignal | undefined; headers?: Record<string, string> } = {}): Promise<Response> {
    const attempts = this.options.maxAttempts ?? 5;
    const sleep = this.options.sleep ?? defaultSleep;
    let lastError: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let response: Response;
      try {
        response = await fetch(url, {
          headers: { ...this.headers(), ...init.headers },
          redirect: 'follow',
          ...(init.signal ? { signal: init.signal } : {}),
        });
      } catch (error) {
        if (init.signal?.aborted) throw init.signal.reason;
        lastError = new ApiError(
          'HUB_UNAVAILABLE',
          `${url}: cannot reach the Hub (${(error as Error).cause ?? (error as Error).message}); check the endpoint and the network.`,
        );
        await sleep(backoff(attempt), init.signal);
        continue;
      }
      if (response.ok || response.status === 206) return response;
      const error = hubError(response, url, this.options.repo, this.endpoint, this.options.token !== null);
      await response.body?.cancel();
      if (response.status === 429) {
        lastError = error;
        await sleep(Math.min(retryAfterMs(response.headers.get('retry-after'), backoff(attempt)), this.options.maxPauseMs ?? 600_000), init.signal);
        continue;
      }
      if (response.status >= 500) {
        lastError = error;
        await sleep(backoff(attempt), init.signal);
        continue;
      }
      throw error;
    }
    throw lastError;
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = { 'User-Agent': this.options.userAgent ?? 'vc2-media-manager' };
    if (this.options.token) headers.Authorization = `Bearer ${this.options.token}`;
    return headers;
  }
}

const backoff = (attempt: number) => backoffMs(attempt, REQUEST_BACKOFF);

/** The next page of a listing from an RFC 8288 Link header, resolved against the current URL. */
export function nextLink(header: string | null, current: string): string | null {
  if (!header) return null;
  for (const part of header.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part.trim());
    if (match?.[1]) return new URL(match[1], current).toString();
  }
  return null;
}
