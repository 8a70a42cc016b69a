/**
 * h26b-cases: the statistics whose loops moved into leaf functions (so V8 keeps their compiled code on a cold run)
 * give what the versions before gave, bit for bit. Each reference below is the code as it was, kept here.
 */
import { describe, expect, it } from 'vitest';
import { bootstrapQuantileCi, quantileSorted, resampledQuantileSorted, sortedCopy, summarize, summarizeInPlace } from '../../src/metrics/distribution.js';
import { durationHistogram, niceBinWidthMs, type HistogramBin } from '../../src/metrics/histogram.js';
import { makeRng } from '../../src/metrics/random.js';
import { medianOfRangeInPlace, quantileInPlace, selectInPlace } from '../../src/metrics/select.js';
import { kaplanMeier, kmSummary, type KmSummary } from '../../src/metrics/survival.js';

/** bootstrapQuantileCi before: a makeRng closure, one resampledQuantileSorted call per resample. */
function bootstrapBefore(sorted: Float64Array, p: number, seed: number, resamples: number, level: number): { ciLow: number; ciHigh: number } {
  const rng = makeRng(seed);
  const counts = new Int32Array(sorted.length);
  const estimates = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) estimates[r] = resampledQuantileSorted(sorted, p, rng, counts);
  estimates.sort();
  return { ciLow: quantileSorted(estimates, (1 - level) / 2), ciHigh: quantileSorted(estimates, (1 + level) / 2) };
}

/** kmSummary before: walkKaplanMeier's points (the curve kaplanMeier returns), the callback's tests, its stop. */
function kmSummaryBefore(durationsMs: Float64Array, observed: Uint8Array, level = 0.95): KmSummary {
  const curve = kaplanMeier(durationsMs, observed);
  const tolerance = 1e-12;
  const z = [1.959963984540054][0];
  let median: number | null = null;
  let p85: number | null = null;
  let p95: number | null = null;
  let ciLow: number | null = null;
  let ciHigh: number | null = null;
  let greenwoodSum = 0;
  let n = 0;
  let censored = 0;
  for (let k = 0; k < durationsMs.length; k++) {
    if (Number.isNaN(durationsMs[k])) continue;
    n++;
    if (!observed[k]) censored++;
  }
  expect(level).toBe(0.95);
  for (let k = 0; k < curve.timesMs.length; k++) {
    const timeMs = curve.timesMs[k];
    const survival = curve.survival[k];
    const atRisk = curve.atRisk[k];
    const deaths = curve.events[k];
    if (median === null && survival <= 1 - 0.5 + tolerance) median = timeMs;
    if (p85 === null && survival <= 1 - 0.85 + tolerance) p85 = timeMs;
    if (p95 === null && survival <= 1 - 0.95 + tolerance) p95 = timeMs;
    if (ciHigh === null) {
      greenwoodSum += atRisk === deaths ? Infinity : deaths / (atRisk * (atRisk - deaths));
      const spread = Math.exp(z * Math.sqrt(greenwoodSum));
      const lowerBand = survival === 0 ? 0 : survival / spread;
      const upperBand = survival === 0 ? 0 : Math.min(1, survival * spread);
      if (ciLow === null && lowerBand <= 0.5 + tolerance) ciLow = timeMs;
      if (upperBand <= 0.5 + tolerance) ciHigh = timeMs;
    }
    if (!(ciHigh === null || p95 === null)) break;
  }
  return { n, censored, median, p85, p95, ciLow, ciHigh };
}

/** durationHistogram before: bins as objects counted in the loop. */
function histogramBefore(durationsMs: Float64Array, censored: Uint8Array, binCount = 20): HistogramBin[] {
  let kept = 0;
  const values = new Float64Array(durationsMs.length);
  for (let k = 0; k < durationsMs.length; k++) if (!Number.isNaN(durationsMs[k])) values[kept++] = durationsMs[k];
  if (kept === 0) return [];
  const upperMs = Math.max(quantileInPlace(values.subarray(0, kept), 0.99), 1);
  const widthMs = niceBinWidthMs(upperMs / binCount);
  const regular = Math.floor(upperMs / widthMs) + 1;
  const bins: HistogramBin[] = Array.from({ length: regular }, (_, k) => ({ fromMs: k * widthMs, toMs: (k + 1) * widthMs, closed: 0, censored: 0 }));
  const overflow: HistogramBin = { fromMs: regular * widthMs, toMs: null, closed: 0, censored: 0 };
  for (let k = 0; k < durationsMs.length; k++) {
    const ms = durationsMs[k];
    if (Number.isNaN(ms)) continue;
    const index = Math.floor(Math.max(ms, 0) / widthMs);
    const bin = index < regular ? bins[index] : overflow;
    if (censored[k] === 1) bin.censored++;
    else bin.closed++;
  }
  if (overflow.closed + overflow.censored > 0) bins.push(overflow);
  return bins;
}

/** medianOfRangeInPlace before: the even-n loop inline. */
function medianOfRangeBefore(values: Float64Array, from: number, to: number): number {
  const n = to - from;
  const upperRank = from + (n >> 1);
  selectInPlace(values, from, to - 1, upperRank);
  if (n % 2 === 1) return values[upperRank];
  let lowerMiddle = values[from];
  for (let k = from + 1; k < upperRank; k++) if (values[k] > lowerMiddle) lowerMiddle = values[k];
  return (lowerMiddle + values[upperRank]) / 2;
}

/** A random column: whole and fractional ms, ties, NaN, ±0, negatives and Infinity now and then. */
function randomColumn(rng: () => number, length: number): Float64Array {
  const values = new Float64Array(length);
  const ties = 1 + Math.floor(rng() * 50);
  for (let k = 0; k < length; k++) {
    const draw = rng();
    if (draw < 0.05) values[k] = NaN;
    else if (draw < 0.07) values[k] = draw < 0.06 ? -0 : 0;
    else if (draw < 0.08) values[k] = -Math.floor(rng() * 1000);
    else if (draw < 0.082) values[k] = Infinity;
    else if (draw < 0.5) values[k] = Math.floor(rng() * ties) * 3_600_000;
    else values[k] = rng() * 86_400_000 * 30;
  }
  return values;
}

describe('cold-run leaves (h26b-cases)', () => {
  it('bootstrapQuantileCi with the generator inlined equals the closure version, seeds, quantiles and sizes varied', () => {
    const rng = makeRng(7);
    for (let run = 0; run < 120; run++) {
      const sorted = sortedCopy(randomColumn(rng, 1 + Math.floor(rng() * 300)).filter((v) => Number.isFinite(v)));
      if (sorted.length === 0) continue;
      const p = [0.5, 0.85, 0.95, 0.3][run % 4];
      const seed = run % 3 === 0 ? 42 : Math.floor(rng() * 2 ** 32);
      const resamples = [1000, 7, 200][run % 3];
      const level = run % 5 === 0 ? 0.9 : 0.95;
      expect(bootstrapQuantileCi(sorted, p, { seed, resamples, level })).toEqual(bootstrapBefore(sorted, p, seed, resamples, level));
    }
  });

  it('summarizeInPlace (one-loop NaN drop) equals summarize, NaN first, last, everywhere and nowhere', () => {
    const rng = makeRng(8);
    for (let run = 0; run < 200; run++) {
      const values = randomColumn(rng, Math.floor(rng() * (run % 10 === 0 ? 3000 : 80)));
      if (run % 7 === 1 && values.length > 0) values[0] = NaN;
      if (run % 7 === 2 && values.length > 0) values[values.length - 1] = NaN;
      if (run % 7 === 3) values.fill(NaN);
      const expected = summarize(values, { seed: run });
      expect(summarizeInPlace(Float64Array.from(values), { seed: run })).toEqual(expected);
    }
  });

  it('kmSummary with the walk inlined equals the walk through the curve, censored shares from none to all', () => {
    const rng = makeRng(9);
    for (let run = 0; run < 300; run++) {
      const length = Math.floor(rng() * (run % 25 === 0 ? 5000 : 100));
      const durations = randomColumn(rng, length).map((v) => (Number.isFinite(v) || Number.isNaN(v) ? v : 1));
      const share = [0, 0.02, 0.4, 0.9, 1][run % 5];
      const observed = Uint8Array.from(durations, () => (rng() < share ? 0 : 1));
      expect(kmSummary(durations, observed)).toEqual(kmSummaryBefore(durations, observed));
    }
  });

  it('durationHistogram counting into typed columns equals the object bins', () => {
    const rng = makeRng(10);
    for (let run = 0; run < 200; run++) {
      const durations = randomColumn(rng, Math.floor(rng() * (run % 20 === 0 ? 4000 : 120)));
      const censored = Uint8Array.from(durations, () => (rng() < 0.2 ? 1 : 0));
      const binCount = run % 3 === 0 ? 7 : 20;
      expect(durationHistogram(durations, censored, binCount)).toEqual(histogramBefore(durations, censored, binCount));
    }
  });

  it('medianOfRangeInPlace with the even-n loop in a leaf equals the inline loop, odd and even ranges inside a column', () => {
    const rng = makeRng(11);
    for (let run = 0; run < 300; run++) {
      const column = randomColumn(rng, 1 + Math.floor(rng() * (run % 30 === 0 ? 3000 : 90))).map((v) => (Number.isNaN(v) ? 0 : v));
      const from = Math.floor(rng() * column.length);
      const to = from + 1 + Math.floor(rng() * (column.length - from));
      const mine = Float64Array.from(column);
      const before = Float64Array.from(column);
      expect(Object.is(medianOfRangeInPlace(mine, from, to), medianOfRangeBefore(before, from, to))).toBe(true);
      expect(mine).toEqual(before);
    }
  });
});
