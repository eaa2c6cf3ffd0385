/**
 * Starts `start` for every item with at most `inFlight` unfinished, for Node's callback APIs: on network storage
 * each call waits for a round trip, so many wait together; a promise per call would cost more than a fast one.
 */
export function runInFlight<T>(items: readonly T[], inFlight: number, start: (item: T, done: () => void) => void): Promise<void> {
  if (items.length === 0) return Promise.resolve();
  return new Promise((resolve) => {
    let next = 0;
    let pending = items.length;
    const one = () => {
      if (next >= items.length) return;
      start(items[next++] as T, () => {
        if (--pending === 0) resolve();
        else one();
      });
    };
    for (let i = 0; i < Math.min(inFlight, items.length); i++) one();
  });
}
