import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalQuantile } from '../../src/metrics/distribution.js';
import { kaplanMeier, kmQuantile, kmSummary } from '../../src/metrics/survival.js';

/** kmSummary as computed from the whole curve (before the one-walk summary): the reference. */
function fromCurve(durations: number[], observed: boolean[]) {
  const km = kaplanMeier(durations, observed);
  const n = durations.filter((d) => !Number.isNaN(d)).length;
  const z = normalQuantile(0.975);
  let greenwoodSum = 0;
  let ciLow: number | null = null;
  let ciHigh: number | null = null;
  for (let k = 0; k < km.timesMs.length && ciHigh === null; k++) {
    const atRisk = km.atRisk[k];
    const deaths = km.events[k];
    greenwoodSum += atRisk === deaths ? Infinity : deaths / (atRisk * (atRisk - deaths));
    const spread = Math.exp(z * Math.sqrt(greenwoodSum));
    const survival = km.survival[k];
    const lowerBand = survival === 0 ? 0 : survival / spread;
    const upperBand = survival === 0 ? 0 : Math.min(1, survival * spread);
    if (ciLow === null && lowerBand <= 0.5 + 1e-12) ciLow = km.timesMs[k];
    if (upperBand <= 0.5 + 1e-12) ciHigh = km.timesMs[k];
  }
  const events = km.events.reduce((sum, count) => sum + count, 0);
  return { n, censored: n - events, median: kmQuantile(km, 0.5), p85: kmQuantile(km, 0.85), p95: kmQuantile(km, 0.95), ciLow, ciHigh };
}

describe('kmSummary — one walk of the curve', () => {
  it('equals the summary read from the whole curve (ties, heavy censoring, NaN durations, no events)', () => {
    const row = fc.tuple(fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 0, max: 40 }) }, { weight: 20, arbitrary: fc.integer({ min: 0, max: 100_000 }) }, { weight: 1, arbitrary: fc.constant(Number.NaN) }), fc.boolean());
    fc.assert(
      fc.property(fc.array(row, { maxLength: 1500, size: 'max' }), fc.double({ min: 0, max: 1, noNaN: true }), (rows, censorShare) => {
        const durations = rows.map(([d]) => d);
        const observed = rows.map(([, o], k) => o || k / Math.max(1, rows.length) >= censorShare);
        expect(kmSummary(Float64Array.from(durations), Uint8Array.from(observed, Number))).toEqual(fromCurve(durations, observed));
      }),
      { numRuns: 400, seed: 31 },
    );
  });
});
