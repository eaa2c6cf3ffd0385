import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import { backoffMs, sleep as defaultSleep, REQUEST_BACKOFF, retryAfterMs } from '../../lib/backoff';
import type { RateLimiter } from '../../lib/rate-limit';
import { NO_SPACE_PREFIX } from '../extract/no-space';
import { fetchSplit, SPLIT_MIN_BYTES, SplitChanged, type SplitMeta, SplitRetry, SplitUnsupported } from './fetch-split';

/**
 * One file over plain HTTP(S), as a download should be: into a hidden partial file beside the target, resumed with
 * Range guarded by If-Range (so a file that changed on the server restarts instead of splicing old and new bytes),
 * checked against the expected size and sha256 before it is fsynced and renamed into place. Node's fetch (undici)
 * is the HTTP client.
 */
export interface FetchFileOptions {
  url: string;
  /** The final path; nothing is written there until the content is checked. */
  target: string;
  /** Exact size and sha256 when the route or the Hub gives them; null = unknown (then the server's length is used). */
  expectedSize: number | null;
  expectedSha256: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  onProgress?: (bytes: number, total: number | null) => void;
  /** Shared by the transfers of a job to hold them to a bandwidth limit. */
  limiter?: RateLimiter | null;
  maxAttempts?: number;
  /** Connections for this one file (byte ranges at once, fetch-split.ts) when it is large; 1 or absent: one. */
  connections?: number;
  /** The file's size as a server said it (a HEAD), when the route gives no exact one: lets a large file be split. */
  knownSize?: number | null;
  /** Longest pause honoured from Retry-After. */
  maxPauseMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface FetchFileResult {
  bytes: number;
  sha256: string;
  etag: string | null;
  lastModified: string | null;
  attempts: number;
  /** Bytes received over the network in all (more than `bytes` when something was fetched twice). */
  received: number;
  /** The last HTTP status seen. */
  status: number;
}

/** What a partial file is a part of: resumed only when all of it still matches (with its ranges, when split). */
type PartialMeta = SplitMeta;

/** A failure the next attempt could get past (a drop, a short body, a 5xx); the partial is kept for it. */
class Retryable extends Error {
  constructor(
    message: string,
    readonly pauseMs: number | null = null,
    readonly status: number | null = null,
  ) {
    super(message);
  }
}

export { NO_SPACE_PREFIX };

/** How much of a body is gathered before it is written. */
const WRITE_BYTES = 1 << 20;

/** The HTTP status rides on the error to the ledger (last_status). */
const withStatus = (error: ApiError, status: number) => Object.assign(error, { status });

export const partialPathOf = (target: string) => join(dirname(target), `.${basename(target)}.vc2part`);

const sizeOf = (path: string) =>
  stat(path).then(
    (s) => s.size,
    () => 0,
  );

/** A strong ETag can guard a resume (If-Range); a weak one (W/"…") cannot, by RFC 9110 §13.1.5. */
const strongEtag = (etag: string | null) => (etag && !etag.startsWith('W/') ? etag : null);

async function hashOfPrefix(path: string, bytes: number): Promise<Hash> {
  const hash = createHash('sha256');
  if (bytes > 0) for await (const chunk of createReadStream(path, { start: 0, end: bytes - 1, highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash;
}

function diskFull(target: string, error: unknown): never {
  throw new ApiError(
    'DISK_FULL',
    `${NO_SPACE_PREFIX} on the disk holding ${dirname(target)} (${(error as Error).message}); the part downloaded so far is kept: free some space and resume.`,
  );
}

const readMeta = (path: string): Promise<PartialMeta | null> =>
  readFile(path, 'utf8').then(
    (t) => JSON.parse(t) as PartialMeta,
    () => null,
  );

/** 401/403 (a login or a licence) and 404/410 (gone): not retried, with what to do; anything else unexpected. */
async function refusal(url: string, response: Response): Promise<never> {
  const status = response.status;
  await response.body?.cancel();
  if (status === 401 || status === 403) {
    throw withStatus(
      new ApiError(
        'DOWNLOAD_REFUSED',
        `${url}: the server refused the download (${status}); this source may need a login or an accepted licence — see its route's steps, or fetch it by hand and import it.`,
      ),
      status,
    );
  }
  if (status === 404 || status === 410) {
    throw withStatus(
      new ApiError(
        'DOWNLOAD_REFUSED',
        `${url}: not on the server (${status}); the file may have moved. Check the source's mirror setting, or fetch it by hand and import it.`,
      ),
      status,
    );
  }
  throw withStatus(new ApiError('DOWNLOAD_FAILED', `${url}: unexpected answer ${status} ${response.statusText}`), status);
}

export async function fetchFile(options: FetchFileOptions): Promise<FetchFileResult> {
  const { url, target } = options;
  const partial = partialPathOf(target);
  const metaPath = `${partial}.json`;
  const attempts = options.maxAttempts ?? 6;
  const sleep = options.sleep ?? defaultSleep;
  await mkdir(dirname(target), { recursive: true });

  let meta: PartialMeta | null = await readMeta(metaPath);
  // A partial of another URL or another expected content is not ours to continue.
  if (meta && (meta.url !== url || meta.expectedSha256 !== options.expectedSha256)) {
    await rm(partial, { force: true });
    meta = null;
  }
  const counter = { received: 0 };
  let corruptSeen = false;
  let lastStatus = 0;
  let lastError = '';
  // Split while the server serves validated ranges; a server that does not is fetched on one connection.
  let split = (options.connections ?? 1) > 1;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    options.signal?.throwIfAborted();
    let have = await sizeOf(partial);
    const validator = strongEtag(meta?.etag ?? null) ?? meta?.lastModified ?? null;
    const size = options.expectedSize ?? options.knownSize ?? meta?.total ?? null;
    const splitting = size !== null && (meta?.ranges !== undefined || (split && size >= SPLIT_MIN_BYTES));
    // Without a validator a resume could splice two versions of the file: start over. A split partial has holes: it
    // is carried on only by its ranges.
    if (have > 0 && (!validator || (meta?.total !== null && meta?.total !== undefined && have > meta.total) || (!splitting && meta?.ranges))) {
      await rm(partial, { force: true });
      have = 0;
      if (meta?.ranges) meta = null;
    }
    try {
      const done: { bytes: number; sha256: string; status: number } = splitting
        ? await fetchSplit({
            url,
            partial,
            metaPath,
            total: size as number,
            connections: Math.max(2, options.connections ?? 1),
            expectedSha256: options.expectedSha256,
            headers: options.headers ?? {},
            ...(options.signal ? { signal: options.signal } : {}),
            limiter: options.limiter ?? null,
            ...(options.onProgress ? { onProgress: options.onProgress } : {}),
            maxAttempts: attempts,
            maxPauseMs: options.maxPauseMs ?? 600_000,
            sleep,
            meta,
            prefix: have,
            refuse: (response) => refusal(url, response),
            diskFull: (error) => diskFull(target, error),
            counter,
          }).then((r) => {
            meta = r.meta;
            return r;
          })
        : await attemptOnce(options, partial, have, validator, counter, (m) => {
            meta = m;
            return writeFile(metaPath, JSON.stringify(m));
          });
      lastStatus = done.status;
      const total = meta?.total ?? done.bytes;
      if (done.bytes !== total) throw new Retryable(`${url}: the body ended after ${done.bytes} of ${total} bytes`, null, done.status);
      const sizeOk = options.expectedSize === null || done.bytes === options.expectedSize;
      const shaOk = options.expectedSha256 === null || done.sha256 === options.expectedSha256;
      if (sizeOk && shaOk) {
        const handle = await open(partial, 'r+');
        await handle.sync();
        await handle.close();
        await rename(partial, target);
        await rm(metaPath, { force: true });
        return {
          bytes: done.bytes,
          sha256: done.sha256,
          etag: meta?.etag ?? null,
          lastModified: meta?.lastModified ?? null,
          attempts: attempt,
          received: counter.received,
          status: lastStatus,
        };
      }
      // Ranges and all: the next attempt starts from nothing.
      await rm(partial, { force: true });
      await rm(metaPath, { force: true });
      meta = null;
      const detail = `expected ${options.expectedSize ?? 'any'} bytes${options.expectedSha256 ? ` with sha256 ${options.expectedSha256}` : ''}, got ${done.bytes} bytes with sha256 ${done.sha256}`;
      if (corruptSeen)
        throw new ApiError(
          'DOWNLOAD_CORRUPT',
          `${url}: the file arrived wrong twice (${detail}); it was discarded. The server or mirror may hold another version.`,
        );
      corruptSeen = true;
      lastError = detail;
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (error instanceof SplitUnsupported) {
        // Not a failed attempt: the same attempt again, on one connection.
        split = false;
        meta = null;
        attempt--;
        continue;
      }
      if (error instanceof SplitChanged) {
        // The next attempt on one connection: a server whose copies disagree (a CDN's edges) can still serve it whole.
        split = false;
        meta = null;
        lastError = error.message;
        continue;
      }
      if (error instanceof SplitRetry) {
        lastError = error.message;
        if (error.status) lastStatus = error.status;
        // The ranges' progress is in the meta file; the next attempt carries on from it.
        meta = await readMeta(metaPath);
        if (attempt < attempts) await sleep(Math.min(error.pauseMs ?? backoffMs(attempt, REQUEST_BACKOFF), options.maxPauseMs ?? 600_000), options.signal);
        continue;
      }
      if (!(error instanceof Retryable)) throw error;
      lastError = error.message;
      if (error.status) lastStatus = error.status;
      if (attempt < attempts) {
        const pause = error.pauseMs ?? backoffMs(attempt, REQUEST_BACKOFF);
        await sleep(Math.min(pause, options.maxPauseMs ?? 600_000), options.signal);
      }
    }
  }
  throw Object.assign(
    new ApiError('DOWNLOAD_FAILED', `${url}: gave up after ${attempts} attempts (last: ${lastError}); what arrived is kept and the next run resumes it.`),
    { status: lastStatus },
  );
}

async function attemptOnce(
  options: FetchFileOptions,
  partial: string,
  have: number,
  validator: string | null,
  counter: { received: number },
  saveMeta: (meta: PartialMeta) => Promise<void>,
): Promise<{ bytes: number; sha256: string; status: number }> {
  const { url } = options;
  // identity: a compressed transfer would make byte ranges and sizes refer to different bytes.
  const headers: Record<string, string> = { 'Accept-Encoding': 'identity', ...options.headers };
  if (have > 0 && validator) {
    headers.Range = `bytes=${have}-`;
    headers['If-Range'] = validator;
  }
  let response: Response;
  try {
    response = await fetch(url, { headers, redirect: 'follow', ...(options.signal ? { signal: options.signal } : {}) });
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    throw new Retryable(`${url}: ${(error as Error).message}${(error as { cause?: Error }).cause ? ` (${(error as { cause: Error }).cause.message})` : ''}`);
  }
  const status = response.status;
  if (status === 401 || status === 403 || status === 404 || status === 410) await refusal(url, response);
  if (status === 416) {
    await response.body?.cancel();
    await rm(partial, { force: true });
    throw new Retryable(`${url}: the server could not serve the rest of the file (416); starting over`, 0, status);
  }
  if (status === 429 || status >= 500) {
    await response.body?.cancel();
    throw new Retryable(
      `${url}: the server answered ${status}`,
      status === 429 || status === 503 ? retryAfterMs(response.headers.get('retry-after'), backoffMs(1)) : null,
      status,
    );
  }
  if (status !== 200 && status !== 206) {
    await response.body?.cancel();
    throw withStatus(new ApiError('DOWNLOAD_FAILED', `${url}: unexpected answer ${status} ${response.statusText}`), status);
  }

  const etag = response.headers.get('etag');
  const lastModified = response.headers.get('last-modified');
  let start = 0;
  let total: number | null = null;
  if (status === 206) {
    const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(response.headers.get('content-range') ?? '');
    if (!range || Number(range[1]) !== have) {
      // A range other than the one asked for: nothing of it can be placed safely.
      await response.body?.cancel();
      await rm(partial, { force: true });
      throw new Retryable(`${url}: the server sent bytes from ${range?.[1] ?? '?'} when ${have} were asked for; starting over`, 0, status);
    }
    start = have;
    total = range[3] === '*' ? null : Number(range[3]);
  } else {
    // 200: the whole file, either because Range was ignored or because it changed since (If-Range): start over.
    const length = response.headers.get('content-length');
    total = length === null ? null : Number(length);
  }
  await saveMeta({ url, etag, lastModified, total, expectedSha256: options.expectedSha256 });

  const hash = await hashOfPrefix(partial, start);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(partial, start > 0 ? 'a' : 'w');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOSPC') diskFull(options.target, error);
    throw error;
  }
  let bytes = start;
  // Chunks arrive at 16-64 kB; they are written a megabyte at a time (one syscall instead of dozens). What arrived
  // is always written before an error is handled, so a resume starts exactly after it.
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    const buffers = pending;
    const length = pendingBytes;
    pending = [];
    pendingBytes = 0;
    // A write can be short (a disk filling up writes what fits, then fails): the rest is written until it fails.
    const data = buffers.length === 1 ? (buffers[0] as Uint8Array) : Buffer.concat(buffers, length);
    try {
      for (let done = 0; done < length; ) {
        const { bytesWritten } = await handle.write(data, done, length - done);
        if (bytesWritten === 0) throw Object.assign(new Error('the disk took no more bytes'), { code: 'ENOSPC' });
        done += bytesWritten;
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOSPC') diskFull(options.target, error);
      throw error;
    }
    bytes += length;
    options.onProgress?.(bytes, total);
  };
  try {
    if (!response.body) throw new Retryable(`${url}: the response had no body`, null, status);
    try {
      for await (const chunk of response.body) {
        if (options.limiter) await options.limiter.take(chunk.byteLength, options.signal);
        hash.update(chunk);
        counter.received += chunk.byteLength;
        pending.push(chunk);
        pendingBytes += chunk.byteLength;
        if (pendingBytes >= WRITE_BYTES) await flush();
      }
    } finally {
      await flush();
    }
  } catch (error) {
    if (error instanceof ApiError || error instanceof Retryable) throw error;
    if (options.signal?.aborted) throw options.signal.reason;
    throw new Retryable(`${url}: the connection dropped after ${bytes}${total ? ` of ${total}` : ''} bytes (${(error as Error).message})`, null, status);
  } finally {
    await handle.close();
  }
  return { bytes, sha256: hash.digest('hex'), status };
}
