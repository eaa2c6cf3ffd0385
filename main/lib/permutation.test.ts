import { describe, expect, it } from 'vitest';
import { Permutation } from './permutation';

describe('the seeded shuffle', () => {
  it('visits every position exactly once, for sizes that are and are not powers of two', () => {
    for (const n of [1, 2, 3, 7, 64, 1000, 4097]) {
      const p = new Permutation(n, 42);
      const seen = new Set<number>();
      for (let i = 0; i < n; i++) seen.add(p.at(i));
      expect(seen.size).toBe(n);
      expect(Math.min(...seen)).toBe(0);
      expect(Math.max(...seen)).toBe(n - 1);
    }
  });

  it('is the same for the same seed and different for another, and actually mixes', () => {
    const a = Array.from({ length: 500 }, (_, i) => new Permutation(500, 7).at(i));
    const b = Array.from({ length: 500 }, (_, i) => new Permutation(500, 7).at(i));
    const c = Array.from({ length: 500 }, (_, i) => new Permutation(500, 8).at(i));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.filter((v, i) => v === i).length).toBeLessThan(20);
  });

  it('answers the last position of a list of millions at once', () => {
    const p = new Permutation(2_160_000, 1);
    expect(p.at(2_159_999)).toBeGreaterThanOrEqual(0);
    expect(p.at(2_159_999)).toBeLessThan(2_160_000);
    expect(() => p.at(2_160_000)).toThrow(/outside/);
  });
});
