import { describe, expect, it } from 'vitest';
import { backoffMs, JOB_BACKOFF, retryAfterMs, sleep } from './backoff';

describe('backoff', () => {
  it('doubles from the base up to the cap, with at most the jitter fraction taken off at random', () => {
    const none = () => 0;
    expect([1, 2, 3, 4, 10].map((a) => backoffMs(a, undefined, none))).toEqual([500, 1000, 2000, 4000, 30_000]);
    expect(backoffMs(3, undefined, () => 0.999)).toBeGreaterThanOrEqual(1000);
    expect(backoffMs(20, JOB_BACKOFF, none)).toBe(300_000);
  });

  it('reads Retry-After as seconds or as an HTTP-date, else falls back', () => {
    const now = Date.parse('Wed, 02 Dec 2026 15:00:00 GMT');
    expect(retryAfterMs('120', 5, now)).toBe(120_000);
    expect(retryAfterMs('Wed, 02 Dec 2026 15:00:30 GMT', 5, now)).toBe(30_000);
    expect(retryAfterMs('Wed, 02 Dec 2026 14:00:00 GMT', 5, now)).toBe(0);
    expect(retryAfterMs('soon', 5, now)).toBe(5);
    expect(retryAfterMs('-3', 5, now)).toBe(5);
    expect(retryAfterMs(null, 5, now)).toBe(5);
  });

  it('sleep stops at once when its signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('cancelled')), 20);
    await expect(sleep(10_000, controller.signal)).rejects.toThrow('cancelled');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
