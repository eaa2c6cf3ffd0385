/**
 * Per-key throttle: the first value for a key goes out at once, later ones at most every `intervalMs`,
 * and the last value is never dropped (it goes out when the interval ends, or at `flush`).
 */
export class KeyedThrottle<K, V> {
  private readonly lastSent = new Map<K, number>();
  private readonly pending = new Map<K, { value: V; timer: NodeJS.Timeout }>();

  constructor(
    private readonly intervalMs: number,
    private readonly send: (key: K, value: V) => void,
    private readonly now: () => number = Date.now,
  ) {}

  push(key: K, value: V): void {
    const waiting = this.pending.get(key);
    if (waiting) {
      waiting.value = value;
      return;
    }
    const since = this.now() - (this.lastSent.get(key) ?? Number.NEGATIVE_INFINITY);
    if (since >= this.intervalMs) {
      this.emit(key, value);
      return;
    }
    const timer = setTimeout(() => this.flush(key), this.intervalMs - since);
    timer.unref();
    this.pending.set(key, { value, timer });
  }

  /** Sends the key's pending value now (used on state changes, which must never wait). */
  flush(key: K, replacement?: V): void {
    const waiting = this.pending.get(key);
    if (waiting) {
      clearTimeout(waiting.timer);
      this.pending.delete(key);
    }
    const value = replacement ?? waiting?.value;
    if (value !== undefined) this.emit(key, value);
  }

  forget(key: K): void {
    const waiting = this.pending.get(key);
    if (waiting) clearTimeout(waiting.timer);
    this.pending.delete(key);
    this.lastSent.delete(key);
  }

  private emit(key: K, value: V): void {
    this.lastSent.set(key, this.now());
    this.send(key, value);
  }
}
