import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { argsortFloat64, sortFloat64 } from '../../src/metrics/radix-sort.js';
import { integerKeys } from '../../src/metrics/radix-sort-integers.js';

/** The integer fast path must give exactly the general path's (and the built-in sort's) order. */
function stableArgsort(values: Float64Array): number[] {
  return Array.from(values.keys()).sort((a, b) => values[a] - values[b] || a - b);
}

function expectBoth(values: Float64Array): void {
  expect(Array.from(argsortFloat64(values))).toEqual(stableArgsort(values));
  const sorted = sortFloat64(values.slice());
  const expected = values.slice().sort();
  for (let k = 0; k < expected.length; k++) if (!Object.is(sorted[k], expected[k])) throw new Error(`differs at ${k}: ${sorted[k]} vs ${expected[k]}`);
}

describe('integer radix path', () => {
  it('takes whole numbers only (no fraction, −0, NaN, infinity, span beyond 2^53)', () => {
    expect(integerKeys(Float64Array.of(1, 2, 3))?.bits).toBe(2);
    expect(integerKeys(Float64Array.of(5, 5))?.bits).toBe(0);
    expect(integerKeys(Float64Array.of(1, 2.5))).toBeNull();
    expect(integerKeys(Float64Array.of(1, -0))).toBeNull();
    expect(integerKeys(Float64Array.of(1, NaN))).toBeNull();
    expect(integerKeys(Float64Array.of(1, Infinity))).toBeNull();
    expect(integerKeys(Float64Array.of(-(2 ** 52), 2 ** 52))).toBeNull();
    expect(integerKeys(Float64Array.of(2 ** 32, 0))?.high).not.toBeNull();
  });

  it('turns a span wider than maxBits down before making keys (the small-span sort asks for 32 bits)', () => {
    expect(integerKeys(Float64Array.of(2 ** 32, 0), 32)).toBeNull();
    const widest = integerKeys(Float64Array.of(2 ** 32 - 1, 0), 32);
    expect(widest?.bits).toBe(32);
    expect(widest?.high).toBeNull();
    expect(integerKeys(Float64Array.of(7, 8), 0)).toBeNull();
    expect(integerKeys(Float64Array.of(7, 7), 0)?.bits).toBe(0);
    // Mid-sized columns (the small-span path's sizes) spanning 32 and 33 bits, both sorted as the built-in sort does.
    for (const spanBits of [32, 33]) {
      const values = Float64Array.from({ length: 5000 }, (_, k) => ((k * 7919) % 5000) * Math.floor((2 ** spanBits - 1) / 4999));
      expect(Array.from(sortFloat64(values.slice()))).toEqual(Array.from(values.slice().sort()));
    }
  });

  it('orders ms timestamps over a year (35-bit span, a digit straddling the halves) with repeats', () => {
    const values = new Float64Array(60_000);
    let seed = 11;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let k = 0; k < values.length; k++) values[k] = 1_704_067_200_000 + Math.floor(random() * 3.2e10) - (k % 50 === 0 ? 1_704_067_200_000 : 0);
    for (let k = 0; k < 5000; k++) values[k * 7] = values[k * 3];
    expectBoth(values);
  });

  it('orders wide keys by each path: first digit shared (pass skipped), 43 bits (one word after the first pass), 44+ bits', () => {
    let seed = 3;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (const span of [3.2e10, 2 ** 42, 2 ** 45, 2 ** 52]) {
      const values = new Float64Array(5000);
      for (let k = 0; k < values.length; k++) values[k] = Math.floor(random() * span) + (k % 11 === 0 ? 0 : 1_000);
      values[0] = 0;
      values[1] = span;
      expectBoth(values);
      expectBoth(Float64Array.from(values, (v) => Math.floor(v / 4096) * 4096));
      expectBoth(Float64Array.from(values, (v, k) => (k % 3 === 0 ? 0 : span)));
    }
  });

  it('matches the stable comparison order on random integers (negatives, 0, wide and narrow spans)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.integer(), fc.maxSafeInteger().map((v) => Math.trunc(v / 4) + 0)), { minLength: 2050, maxLength: 3000 }), (list) => {
        expectBoth(Float64Array.from(list, (v) => v + 0));
      }),
      { numRuns: 30 },
    );
  });

  it('sorts mid-sized whole-ms durations (≤ 32-bit span: the small-digit sort) as the built-in sort', () => {
    let seed = 5;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (const n of [2048, 5000, 70_000]) {
      const values = new Float64Array(n);
      for (let k = 0; k < n; k++) values[k] = k % 9 === 0 ? 0 : Math.floor(Math.exp(random() * 21)) - (k % 13 === 0 ? 5000 : 0);
      expectBoth(values);
      expectBoth(Float64Array.from(values, (v) => (v % 7) + 0));
    }
  });
});
