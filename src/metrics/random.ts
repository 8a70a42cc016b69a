/**
 * Seeded pseudo-random numbers, so every bootstrap, permutation test and simulation gives the same answer for
 * the same seed on every machine. Mulberry32: 32-bit state, fast, statistically fine for resampling (not crypto).
 */

/**
 * Returns a generator of uniform numbers in [0, 1) determined entirely by `seed` (any number; it is truncated
 * to 32 bits, so seeds equal modulo 2^32 give the same stream).
 * @example const rng = makeRng(42); rng(); // always the same first value
 */
export function makeRng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform integer in 0 … n − 1. */
export function randomInt(rng: () => number, n: number): number {
  return Math.floor(rng() * n);
}

/** The default seed of every seeded statistic in valuestream, so reports are reproducible without a flag. */
export const DEFAULT_SEED = 42;
