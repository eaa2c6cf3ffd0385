import { createHash } from 'node:crypto';
import { type FileHandle, open, rename, rm, writeFile } from 'node:fs/promises';
import { ApiError } from '../../../shared/api/errors';
import { backoffMs, sleep as defaultSleep, REQUEST_BACKOFF, retryAfterMs } from '../../lib/backoff';
import type { RateLimiter } from '../../lib/rate-limit';

/**
 * One large file fetched over several connections at once, each a byte range of it (aria2's `--split`): ranges are
 * written in place into the partial file, the ledger of ranges (how far each got, durably) lives in the partial's
 * meta file, so a pause, a crash or a reboot re-fetches at most the last second of each range. Every range asks
 * `If-Range` with the first answer's validator, so a file that changes on the server mid-way restarts instead of
 * splicing two versions. The sha256 is taken once every range is in (ranges arrive out of order).
 */

/** A file smaller than this is fetched on one connection: a range of less than 8 MiB costs more than it gains. */
export const SPLIT_MIN_BYTES = 32 << 20;
const MIN_RANGE = 8 << 20;
/** How much of a range is gathered before it is written. */
const WRITE_BYTES = 1 << 20;
/** How often the ranges' progress is made durable (fdatasync, then the meta file). */
const SAVE_MS = 250;

export interface SplitRange {
  start: number;
  /** Exclusive. */
  end: number;
  /** Bytes from `start` written and synced. */
  done: number;
}

export interface SplitMeta {
  url: string;
  etag: string | null;
  lastModified: string | null;
  total: number | null;
  expectedSha256: string | null;
  ranges?: SplitRange[];
}

export interface SplitOptions {
  url: string;
  partial: string;
  metaPath: string;
  total: number;
  connections: number;
  expectedSha256: string | null;
  headers: Record<string, string>;
  signal?: AbortSignal;
  limiter?: RateLimiter | null;
  onProgress?: (bytes: number, total: number | null) => void;
  maxAttempts: number;
  /** Longest pause honoured from Retry-After. */
  maxPauseMs: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The partial's meta from an earlier run (ranges are carried on when it matches). */
  meta: SplitMeta | null;
  /** A refusal (401, 403, 404, 410) as the error the single-connection path gives. */
  refuse: (response: Response) => Promise<never>;
  /** Bytes from 0 a single-connection partial already has (its meta's validator then guards every range). */
  prefix: number;
  /** A write that found the disk full. */
  diskFull: (error: unknown) => never;
  counter: { received: number };
}

/** The file changed on the server (If-Range answered 200): the ranges so far belong to another version. */
export class SplitChanged extends Error {}

/** The server cannot serve ranges guarded by a validator: the caller fetches on one connection. */
export class SplitUnsupported extends Error {}

/** A range that could not be finished now (a drop, a 5xx, a 429); the ranges' progress is kept for the next try. */
export class SplitRetry extends Error {
  constructor(
    message: string,
    readonly pauseMs: number | null = null,
    readonly status: number | null = null,
  ) {
    super(message);
  }
}

const strong = (etag: string | null) => (etag && !etag.startsWith('W/') ? etag : null);

function plan(total: number, connections: number): SplitRange[] {
  // A few ranges per connection, so the last ones to finish are small.
  const size = Math.max(MIN_RANGE, Math.ceil(total / (connections * 4)));
  const ranges: SplitRange[] = [];
  for (let start = 0; start < total; start += size) ranges.push({ start, end: Math.min(total, start + size), done: 0 });
  return ranges;
}

async function saveMeta(path: string, meta: SplitMeta): Promise<void> {
  const temp = `${path}.tmp`;
  await writeFile(temp, JSON.stringify(meta));
  await rename(temp, path);
}

export async function fetchSplit(options: SplitOptions): Promise<{ bytes: number; sha256: string; status: number; meta: SplitMeta }> {
  const sleep = options.sleep ?? defaultSleep;
  const previous = options.meta && (options.meta.total === options.total || options.meta.total === null) ? options.meta : null;
  let resumed = previous?.ranges ? previous : null;
  if (!resumed && previous && options.prefix > 0 && (strong(previous.etag) ?? previous.lastModified)) {
    // A partial fetched on one connection goes on as the first ranges, done up to where it stopped.
    const ranges = plan(options.total, options.connections).map((r) => ({ ...r, done: Math.max(0, Math.min(r.end, options.prefix) - r.start) }));
    resumed = { ...previous, total: options.total, ranges };
  }
  const meta: SplitMeta = resumed ?? {
    url: options.url,
    etag: null,
    lastModified: null,
    total: options.total,
    expectedSha256: options.expectedSha256,
    ranges: plan(options.total, options.connections),
  };
  let ranges = meta.ranges as SplitRange[];
  if (!resumed) await rm(options.partial, { force: true });
  let handle: FileHandle;
  try {
    handle = await open(options.partial, resumed ? 'r+' : 'w+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOSPC') options.diskFull(error);
    if (!resumed || (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    // The ranges' file is gone (deleted by hand, or discarded after a mismatch): they start again.
    ranges = plan(options.total, options.connections);
    Object.assign(meta, { etag: null, lastModified: null, ranges });
    handle = await open(options.partial, 'w+');
  }
  // Written but not yet synced, per range: what a save may count as done once the data is on disk.
  const written = new Map<SplitRange, number>(ranges.map((r) => [r, r.done]));
  const progress = () =>
    options.onProgress?.(
      [...written.values()].reduce((a, b) => a + b, 0),
      options.total,
    );
  let saving: Promise<void> = Promise.resolve();
  const save = () => {
    // A failed save (a full disk for the meta file) does not stop the next one from trying.
    saving = saving
      .catch(() => undefined)
      .then(async () => {
        const snapshot = new Map(written);
        await handle.datasync();
        for (const [range, done] of snapshot) range.done = done;
        await saveMeta(options.metaPath, meta);
      });
    return saving;
  };
  let status = 206;
  const validator = () => strong(meta.etag) ?? meta.lastModified;
  // One range failing for good stops the others at once (a pause stops them all through the caller's signal).
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  // The other ranges start once the first answer has shown that ranges are served, with the validator they need.
  let release!: () => void;
  const validated = new Promise<void>((resolve) => {
    release = resolve;
  });
  if (validator()) release();

  /** One request for the rest of `range`; resolves when the range is complete. */
  const fetchRange = async (range: SplitRange): Promise<void> => {
    const from = range.start + (written.get(range) ?? 0);
    if (from >= range.end) return;
    const headers: Record<string, string> = { 'Accept-Encoding': 'identity', ...options.headers, Range: `bytes=${from}-${range.end - 1}` };
    const guard = validator();
    if (guard) headers['If-Range'] = guard;
    let response: Response;
    try {
      response = await fetch(options.url, { headers, redirect: 'follow', signal });
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw new SplitRetry(`${options.url}: ${(error as Error).message}`);
    }
    if (response.status === 200) {
      await response.body?.cancel();
      // Before any validator is known, a 200 means ranges are not served; after, that the file changed.
      throw guard ? new SplitChanged(`${options.url} changed on the server while it was fetched in ranges`) : new SplitUnsupported('no ranges');
    }
    status = response.status;
    if (status === 429 || status >= 500) {
      await response.body?.cancel();
      throw new SplitRetry(
        `${options.url}: the server answered ${status}`,
        status === 429 || status === 503 ? retryAfterMs(response.headers.get('retry-after'), backoffMs(1)) : null,
        status,
      );
    }
    if (status === 416) {
      await response.body?.cancel();
      throw new SplitUnsupported(`${options.url}: the server could not serve a range (416)`);
    }
    if (status !== 206) return options.refuse(response);
    const got = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(response.headers.get('content-range') ?? '');
    if (!got || Number(got[1]) !== from || Number(got[3]) !== options.total) {
      await response.body?.cancel();
      throw new SplitUnsupported(`${options.url}: the server answered a range with ${response.headers.get('content-range') ?? 'no Content-Range'}`);
    }
    if (guard) {
      // A server that ignores If-Range would serve a new version's bytes: its answer must carry the same validator.
      const etag = strong(response.headers.get('etag'));
      const modified = response.headers.get('last-modified');
      if ((strong(meta.etag) && etag !== null && etag !== strong(meta.etag)) || (!strong(meta.etag) && modified !== null && modified !== meta.lastModified)) {
        await response.body?.cancel();
        throw new SplitChanged(`${options.url} changed on the server while it was fetched in ranges`);
      }
    } else {
      meta.etag = response.headers.get('etag');
      meta.lastModified = response.headers.get('last-modified');
      // Without a validator the other ranges could come from another version of the file: one connection, then.
      if (!validator()) {
        await response.body?.cancel();
        throw new SplitUnsupported('no validator');
      }
      release();
    }
    let position = from;
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (pendingBytes === 0) return;
      const data = pending.length === 1 ? (pending[0] as Uint8Array) : Buffer.concat(pending, pendingBytes);
      const length = Math.min(pendingBytes, range.end - position);
      pending = [];
      pendingBytes = 0;
      try {
        for (let done = 0; done < length; ) {
          const { bytesWritten } = await handle.write(data, done, length - done, position + done);
          if (bytesWritten === 0) throw Object.assign(new Error('the disk took no more bytes'), { code: 'ENOSPC' });
          done += bytesWritten;
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOSPC') options.diskFull(error);
        throw error;
      }
      position += length;
      written.set(range, position - range.start);
      progress();
    };
    try {
      try {
        for await (const chunk of response.body ?? []) {
          if (options.limiter) await options.limiter.take(chunk.byteLength, signal);
          options.counter.received += chunk.byteLength;
          pending.push(chunk);
          pendingBytes += chunk.byteLength;
          if (pendingBytes >= WRITE_BYTES) await flush();
          if (position >= range.end) break;
        }
      } finally {
        await flush();
      }
    } catch (error) {
      if (error instanceof ApiError) throw error;
      if (signal.aborted) throw signal.reason;
      throw new SplitRetry(`${options.url}: the connection dropped at byte ${position} (${(error as Error).message})`);
    }
    if (position < range.end) throw new SplitRetry(`${options.url}: a range ended at byte ${position} of ${range.end}`);
  };

  // The sha256 follows the ranges as they fill from the front (read back from the page cache), so that little is
  // left to hash once the last byte is in.
  const hash = createHash('sha256');
  let hashed = 0;
  const hashing = (async () => {
    const buffer = Buffer.allocUnsafe(4 << 20);
    let index = 0;
    while (hashed < options.total && !signal.aborted) {
      while (index < ranges.length && (ranges[index] as SplitRange).end <= hashed) index++;
      const range = ranges[index] as SplitRange;
      const available = range.start + (written.get(range) ?? 0) - hashed;
      if (available <= 0) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        continue;
      }
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, available), hashed);
      if (bytesRead === 0) throw new Error(`${options.partial}: ended at byte ${hashed} while it was hashed`);
      hash.update(buffer.subarray(0, bytesRead));
      hashed += bytesRead;
    }
  })();
  // Awaited once the ranges are in; a failure before that is seen there, not as an unhandled rejection.
  hashing.catch(() => undefined);
  const timer = setInterval(() => void save().catch(() => undefined), SAVE_MS);
  try {
    const queue = [...ranges].filter((r) => r.done < r.end - r.start);
    const withRetries = async (range: SplitRange) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await fetchRange(range);
        } catch (error) {
          // A few tries here; past them the caller's attempts (which carry on from the saved ranges) take over.
          if (!(error instanceof SplitRetry) || attempt >= Math.min(3, options.maxAttempts)) throw error;
          await sleep(Math.min(error.pauseMs ?? backoffMs(attempt, REQUEST_BACKOFF), options.maxPauseMs), signal);
        }
      }
    };
    let firstError: unknown = null;
    const lane = async (first: boolean) => {
      if (!first) await validated;
      try {
        for (let range = queue.shift(); range && !signal.aborted; range = queue.shift()) {
          try {
            await withRetries(range);
          } catch (error) {
            firstError ??= error;
            controller.abort(error);
            return;
          }
        }
      } finally {
        // However the first lane ends (done, failed, or stopped before its first request), the others never wait on.
        if (first) release();
      }
    };
    if (queue.length === 0) release();
    await Promise.all(Array.from({ length: Math.min(options.connections, Math.max(1, queue.length)) }, (_, i) => lane(i === 0)));
    if (firstError) throw firstError;
    options.signal?.throwIfAborted();
    await hashing;
    // A pause while the hash caught up stops it short: that is a pause, never a (wrong) hash of part of the file.
    options.signal?.throwIfAborted();
    if (hashed !== options.total) throw new SplitRetry(`${options.partial}: hashed ${hashed} of ${options.total} bytes`);
    clearInterval(timer);
    await save();
  } catch (error) {
    clearInterval(timer);
    controller.abort(error);
    await hashing.catch(() => undefined);
    await saving.catch(() => undefined);
    if (error instanceof SplitChanged || error instanceof SplitUnsupported) {
      await handle.close();
      await rm(options.partial, { force: true });
      await rm(options.metaPath, { force: true });
    } else {
      // Paused, dropped for good or refused: what is on disk is kept for the next run.
      await save().catch(() => undefined);
      await handle.close();
    }
    throw error;
  }
  await handle.close();
  return { bytes: options.total, sha256: hash.digest('hex'), status, meta };
}
