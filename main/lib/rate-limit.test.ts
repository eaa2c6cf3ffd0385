import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit';

describe('RateLimiter', () => {
  it('holds several takers together to the rate, after one burst', async () => {
    const limiter = new RateLimiter(1_000_000);
    const started = Date.now();
    // Four "connections" of 500 kB each, in 50 kB chunks: 2 MB at 1 MB/s, less the 250 kB burst.
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let i = 0; i < 10; i++) await limiter.take(50_000);
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    expect(seconds).toBeGreaterThan(1.6);
    expect(seconds).toBeLessThan(10);
  });

  it('a cancel ends the wait', async () => {
    const limiter = new RateLimiter(1000);
    const controller = new AbortController();
    const waiting = limiter.take(1_000_000, controller.signal);
    controller.abort(new Error('paused'));
    await expect(waiting).rejects.toThrow('paused');
  });
});
