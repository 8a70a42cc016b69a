import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { medianOrderStatisticCi, quantileSorted, sortedCopy, summarize } from '../../src/metrics/distribution.js';
import { selectRanksInPlace } from '../../src/metrics/select.js';

/** summarize as a full sort computes it (the reference for the selection path above BOOTSTRAP_MAX_N). */
function bySort(values: Float64Array) {
  const sorted = sortedCopy(values);
  const n = sorted.length;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += sorted[k];
  const { ciLow, ciHigh } = medianOrderStatisticCi(sorted);
  return { n, mean: sum / n, median: quantileSorted(sorted, 0.5), p85: quantileSorted(sorted, 0.85), p95: quantileSorted(sorted, 0.95), min: sorted[0], max: sorted[n - 1], sum, ciLow, ciHigh, thin: false };
}

const wholeMs = fc.oneof(
  { weight: 20, arbitrary: fc.integer({ min: 0, max: 50 }) },
  { weight: 10, arbitrary: fc.integer({ min: -2_000_000_000, max: 2_000_000_000_000 }) },
  { weight: 1, arbitrary: fc.constant(Number.NaN) },
);
/** Values the selection path leaves to the sort: one of them in a column falls back. */
const odd = fc.constantFrom(-0, 0.5, 2 ** 52, Number.MAX_SAFE_INTEGER, Number.NEGATIVE_INFINITY);
const columnOf = fc.tuple(fc.array(wholeMs, { minLength: 1200, maxLength: 2500 }), fc.option(odd, { freq: 3 }), fc.nat()).map(([values, extra, at]) => {
  if (extra !== null) values.splice(at % values.length, 0, extra);
  return Float64Array.from(values);
});

describe('summarize above BOOTSTRAP_MAX_N — selection instead of a sort', () => {
  it('gives the sorted computation’s numbers bit for bit (whole ms, repeats, NaN; −0, fractions and huge sums fall back)', () => {
    fc.assert(
      fc.property(columnOf, (column) => {
        expect(JSON.stringify(summarize(column))).toBe(JSON.stringify(bySort(column)));
        expect(Object.is(summarize(column).min, bySort(column).min)).toBe(true);
      }),
      { numRuns: 150, seed: 3 },
    );
  });

  it('selectRanksInPlace puts every asked rank in sorted position', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 300 }), fc.array(fc.nat(), { maxLength: 12 }), (values, picks) => {
        const column = Float64Array.from(values);
        const ranks = [...new Set(picks.map((p) => p % values.length))].sort((a, b) => a - b);
        selectRanksInPlace(column, ranks);
        const sorted = Float64Array.from(values).sort();
        for (const rank of ranks) expect(column[rank]).toBe(sorted[rank]);
      }),
      { numRuns: 300, seed: 4 },
    );
  });
});
