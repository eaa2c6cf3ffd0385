import { describe, expect, it } from 'vitest';
import { KeyedThrottle } from './throttle';

describe('KeyedThrottle', () => {
  it('sends the first value at once, coalesces the rest, and never drops the last', async () => {
    const sent: Array<[string, number]> = [];
    const throttle = new KeyedThrottle<string, number>(50, (k, v) => sent.push([k, v]));
    for (let i = 1; i <= 10; i++) throttle.push('a', i);
    throttle.push('b', 1);
    expect(sent).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
    await new Promise((r) => setTimeout(r, 80));
    expect(sent).toContainEqual(['a', 10]);
    expect(sent.filter(([k]) => k === 'a')).toHaveLength(2);
  });

  it('flushes a pending value immediately, replaced by a newer one when given', () => {
    const sent: number[] = [];
    const throttle = new KeyedThrottle<string, number>(1000, (_k, v) => sent.push(v));
    throttle.push('a', 1);
    throttle.push('a', 2);
    throttle.flush('a', 3);
    expect(sent).toEqual([1, 3]);
  });
});
