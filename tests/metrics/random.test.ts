import { describe, it, expect } from 'vitest';
import { makeRng, randomInt } from '../../src/metrics/random.js';

describe('makeRng', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const first = Array.from({ length: 5 }, makeRng(42));
    const again = Array.from({ length: 5 }, makeRng(42));
    const other = Array.from({ length: 5 }, makeRng(43));
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('stays in [0, 1) and is roughly uniform', () => {
    const rng = makeRng(7);
    const bins = new Array<number>(10).fill(0);
    let outside = 0;
    for (let k = 0; k < 100_000; k++) {
      const value = rng();
      if (!(value >= 0 && value < 1)) outside++;
      else bins[Math.floor(value * 10)]++;
    }
    expect(outside).toBe(0);
    // Each bin expects 10 000 with sd ≈ 95; ±500 is over 5 sd.
    for (const count of bins) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });

  it('randomInt covers 0 … n − 1 and nothing else', () => {
    const rng = makeRng(1);
    const seen = new Set<number>();
    for (let k = 0; k < 1000; k++) seen.add(randomInt(rng, 6));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
