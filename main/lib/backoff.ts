/**
 * The one retry policy of the app (Hub client, media downloads, the job runner): exponential backoff with jitter,
 * and servers' Retry-After honoured. Jitter spreads out the retries of many files that failed together (a dropped
 * connection, a 503 storm) so they do not hit the server again in the same instant.
 */
export interface BackoffPolicy {
  /** The first pause. */
  baseMs: number;
  /** No pause is longer than this. */
  maxMs: number;
  /** The fraction of each pause that is random (0 = none, 1 = anywhere from 0 to the full pause). */
  jitter: number;
}

export const REQUEST_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 30_000, jitter: 0.5 };
export const JOB_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 300_000, jitter: 0.25 };

/** The pause before retry number `attempt` (1 = the first retry). */
export function backoffMs(attempt: number, policy: BackoffPolicy = REQUEST_BACKOFF, random: () => number = Math.random): number {
  const full = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(full * (1 - policy.jitter * random()));
}

/** A Retry-After header in milliseconds: delta-seconds or an HTTP-date (RFC 9110 §10.2.3); absent or unreadable → fallback. */
export function retryAfterMs(header: string | null | undefined, fallbackMs: number, now: number = Date.now()): number {
  if (!header) return fallbackMs;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP-date names its day and month ("Wed, 02 Dec 2026 15:00:30 GMT"); Date.parse alone would read "-3" as a year.
  const date = /^[A-Za-z]{3}, /.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  return Number.isNaN(date) ? fallbackMs : Math.max(0, date - now);
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
