import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summarize, summarizeInPlace } from '../../src/metrics/distribution.js';
import { wholeRanks } from '../../src/metrics/select.js';

/** Ascending distinct ranks of n values from arbitrary picks. */
const ranksOf = (picks: number[], n: number) => [...new Set(picks.map((p) => p % n))].sort((a, b) => a - b);

function check(values: number[], picks: number[]): void {
  const column = Float64Array.from(values);
  const copy = Float64Array.from(values);
  const sorted = Float64Array.from(values).sort();
  const ranks = ranksOf(picks, values.length);
  const got = wholeRanks(column, ranks, sorted[0], sorted[sorted.length - 1]);
  ranks.forEach((rank, k) => expect(got[k]).toBe(sorted[rank]));
  expect(column).toEqual(copy);
}

describe('wholeRanks — radix selection of whole numbers', () => {
  it('gives the sorted value at every asked rank (small spans, repeats, one bucket holding nearly all)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -40, max: 40 }), { minLength: 1, maxLength: 3000, size: 'max' }), fc.array(fc.nat(), { minLength: 1, maxLength: 9 }), check),
      { numRuns: 200, seed: 11 },
    );
  });

  it('across spans of up to 2^53 − 1 and skewed values (bucketed again, several levels)', () => {
    const skewed = fc.oneof(
      { weight: 30, arbitrary: fc.integer({ min: 0, max: 2000 }) },
      { weight: 5, arbitrary: fc.integer({ min: -2_000_000_000, max: 20_000_000_000 }) },
      { weight: 1, arbitrary: fc.constantFrom(Number.MAX_SAFE_INTEGER - 1, -(2 ** 52)) },
    );
    fc.assert(
      fc.property(fc.array(skewed, { minLength: 1, maxLength: 20000, size: 'max' }), fc.array(fc.nat(), { minLength: 1, maxLength: 9 }), (values, picks) => {
        const lowest = Math.min(...values);
        // A span below 2^53: drop the far end when both extremes were drawn.
        check(values.filter((v) => v - lowest <= Number.MAX_SAFE_INTEGER), picks);
      }),
      { numRuns: 60, seed: 12 },
    );
  });

  it('a constant column, and the lowest and highest rank', () => {
    expect(Array.from(wholeRanks(new Float64Array(5000).fill(7), [0, 2499, 4999], 7, 7))).toEqual([7, 7, 7]);
    const values = Float64Array.from({ length: 5000 }, (_, k) => (k * 7919) % 5000);
    expect(Array.from(wholeRanks(values, [0, 1, 4998, 4999], 0, 4999))).toEqual([0, 1, 4998, 4999]);
  });
});

describe('summarizeInPlace', () => {
  it('equals summarize (NaN dropped in order, constant columns, the sort fallback)', () => {
    const column = fc.array(
      fc.oneof(
        { weight: 20, arbitrary: fc.integer({ min: 0, max: 30 }) },
        { weight: 5, arbitrary: fc.integer({ min: -5_000_000, max: 5_000_000_000 }) },
        { weight: 1, arbitrary: fc.constantFrom(Number.NaN, 0.5, -0) },
      ),
      { minLength: 0, maxLength: 2500, size: 'max' },
    );
    fc.assert(
      fc.property(column, fc.boolean(), (values, constant) => {
        const list = constant ? values.map((v) => (Number.isNaN(v) ? v : 3)) : values;
        const expected = JSON.stringify(summarize(Float64Array.from(list)));
        expect(JSON.stringify(summarizeInPlace(Float64Array.from(list)))).toBe(expected);
      }),
      { numRuns: 200, seed: 13 },
    );
  });

  it('a constant column above the bootstrap limit keeps its value everywhere, −0 included via the sort', () => {
    const zeros = summarizeInPlace(new Float64Array(4000));
    expect([zeros.median, zeros.p85, zeros.p95, zeros.ciLow, zeros.ciHigh, zeros.mean, zeros.sum]).toEqual([0, 0, 0, 0, 0, 0, 0]);
    // −0 leaves the selection to the sort, which keeps the sign where it is read alone (min, ciLow).
    const negativeZeros = summarizeInPlace(new Float64Array(4000).fill(-0));
    expect(Object.is(negativeZeros.min, -0) && Object.is(negativeZeros.ciLow, -0)).toBe(true);
    expect(negativeZeros).toEqual(summarize(new Float64Array(4000).fill(-0)));
  });
});
