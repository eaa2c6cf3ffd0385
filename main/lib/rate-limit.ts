import { sleep } from './backoff';

/**
 * A token bucket shared by every transfer of a job: together they take at most `bytesPerSecond`, with bursts of at
 * most a quarter second's worth, so a limit set for a shared link holds whatever the number of connections.
 */
export class RateLimiter {
  private tokens: number;
  private last = Date.now();

  constructor(private bytesPerSecond: number) {
    this.tokens = this.burst;
  }

  private get burst(): number {
    return Math.max(64 * 1024, this.bytesPerSecond / 4);
  }

  /** A new limit takes effect at once for every transfer using this bucket. */
  setRate(bytesPerSecond: number): void {
    this.bytesPerSecond = bytesPerSecond;
    this.tokens = Math.min(this.tokens, this.burst);
  }

  /** Waits until `bytes` may go (they are taken at once: a chunk larger than the burst just waits longer). */
  async take(bytes: number, signal?: AbortSignal): Promise<void> {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.bytesPerSecond);
    this.last = now;
    this.tokens -= bytes;
    if (this.tokens < 0) await sleep((-this.tokens / this.bytesPerSecond) * 1000, signal);
  }
}
