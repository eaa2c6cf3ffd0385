/**
 * A seeded bijection of [0, n): the viewer's shuffle maps a list position to the position of the record shown there
 * without holding (or sorting) a list of millions. A four-round Feistel network over the smallest even number of
 * bits that covers n, walked again while it lands outside [0, n) ("cycle walking"); the domain is under 4n, so a
 * position takes fewer than four walks on average. Deterministic for (n, seed): the same shuffle comes back.
 */
export class Permutation {
  private readonly halfBits: number;
  private readonly mask: number;

  constructor(
    readonly n: number,
    private readonly seed: number,
  ) {
    let bits = 2;
    while (2 ** bits < n) bits += 2;
    this.halfBits = bits / 2;
    this.mask = 2 ** this.halfBits - 1;
  }

  at(position: number): number {
    if (position < 0 || position >= this.n || !Number.isInteger(position)) throw new RangeError(`position ${position} is outside 0..${this.n - 1}`);
    let x = position;
    do x = this.round(x);
    while (x >= this.n);
    return x;
  }

  private round(x: number): number {
    const shift = 2 ** this.halfBits;
    let left = Math.floor(x / shift);
    let right = x % shift;
    for (let r = 0; r < 4; r++) {
      const next = (left ^ (mix(right, this.seed, r) & this.mask)) >>> 0;
      left = right;
      right = next;
    }
    return left * shift + right;
  }
}

/** A 32-bit integer hash (murmur3's finaliser) of a half, the seed and the round. */
function mix(value: number, seed: number, round: number): number {
  let h = (value ^ Math.imul(seed + 1, 0x9e3779b1) ^ Math.imul(round + 1, 0x85ebca6b)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
