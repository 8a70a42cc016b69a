import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { DistributionSchema } from '../../src/contracts/distribution-schema.js';
import {
  BOOTSTRAP_MAX_N,
  THIN_EVIDENCE_N,
  bootstrapQuantileCi,
  medianOrderStatisticCi,
  medianOrderStatisticRanks,
  normalCdf,
  normalQuantile,
  quantileOrderStatisticRanks,
  quantileSorted,
  summarize,
} from '../../src/metrics/distribution.js';

describe('quantileSorted (type 7)', () => {
  it('interpolates between closest ranks', () => {
    // h = (4 − 1)·0.85 = 2.55 → 3 + 0.55·(4 − 3) = 3.55 (numpy.percentile([1,2,3,4], 85)).
    expect(quantileSorted([1, 2, 3, 4], 0.85)).toBeCloseTo(3.55, 12);
    // Even n median = mean of the middle two.
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([10, 20, 30], 0.5)).toBe(20);
    // h = 9·0.95 = 8.55 over 1..10 → 9.55.
    expect(quantileSorted(Float64Array.from({ length: 10 }, (_, k) => k + 1), 0.95)).toBeCloseTo(9.55, 12);
    expect(quantileSorted([5], 0.95)).toBe(5);
    expect(quantileSorted([1, 9], 0)).toBe(1);
    expect(quantileSorted([1, 9], 1)).toBe(9);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });

  it('is monotone in p and stays within min and max', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 50 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (values, p, q) => {
        const sorted = Float64Array.from(values).sort();
        const [low, high] = p <= q ? [p, q] : [q, p];
        expect(quantileSorted(sorted, low)).toBeLessThanOrEqual(quantileSorted(sorted, high));
        expect(quantileSorted(sorted, low)).toBeGreaterThanOrEqual(sorted[0]);
        expect(quantileSorted(sorted, high)).toBeLessThanOrEqual(sorted[sorted.length - 1]);
      }),
    );
  });
});

describe('summarize', () => {
  it('gives n 0 and nulls for no values', () => {
    const empty = summarize([]);
    expect(empty).toEqual({ n: 0, mean: null, median: null, p85: null, p95: null, min: null, max: null, sum: 0, ciLow: null, ciHigh: null, thin: true });
    expect(DistributionSchema.parse(empty)).toEqual(empty);
  });

  it('computes the point statistics and skips NaN', () => {
    const result = summarize([4, 1, NaN, 3, 2]);
    // 1..4: mean 2.5, median 2.5, p85 3.55, p95 = 1 + 2.85 = 3.85.
    expect(result).toMatchObject({ n: 4, mean: 2.5, median: 2.5, min: 1, max: 4, sum: 10, thin: true });
    expect(result.p85).toBeCloseTo(3.55, 12);
    expect(result.p95).toBeCloseTo(3.85, 12);
    expect(DistributionSchema.safeParse(result).success).toBe(true);
  });

  it('flags thin evidence below 30 values', () => {
    expect(THIN_EVIDENCE_N).toBe(30);
    expect(summarize(Array.from({ length: 29 }, (_, k) => k)).thin).toBe(true);
    expect(summarize(Array.from({ length: 30 }, (_, k) => k)).thin).toBe(false);
  });

  it('bootstraps the median CI of [1, 2, 3] to [1, 3]', () => {
    // A resample's median is 1 when at least two of three draws are 1: P = 3·(1/3)²·(2/3) + (1/3)³ = 7/27 ≈ 0.26,
    // and likewise 3; both exceed 0.025, so the 2.5 % and 97.5 % bootstrap quantiles are 1 and 3.
    expect(summarize([3, 1, 2])).toMatchObject({ median: 2, ciLow: 1, ciHigh: 3 });
    // A single value has a degenerate interval.
    expect(summarize([7])).toMatchObject({ median: 7, ciLow: 7, ciHigh: 7 });
  });

  it('is deterministic for a seed and brackets the median', () => {
    const values = Array.from({ length: 500 }, (_, k) => (k * 7919) % 1000);
    const first = summarize(values);
    expect(summarize(values)).toEqual(first);
    expect(summarize(values, { seed: 42 })).toEqual(first);
    expect(first.ciLow!).toBeLessThanOrEqual(first.median!);
    expect(first.ciHigh!).toBeGreaterThanOrEqual(first.median!);
    // A wider level gives a wider interval.
    const wide = summarize(values, { level: 0.99 });
    expect(wide.ciHigh! - wide.ciLow!).toBeGreaterThanOrEqual(first.ciHigh! - first.ciLow!);
  });

  it('uses the order-statistic interval above BOOTSTRAP_MAX_N (1000) values', () => {
    // n = 10 001 values 0..10 000: z√n/2 = 1.959964·100.005/2 = 98.003, so ranks ⌊5000.5 − 98.003⌋ = 4902 and
    // ⌈1 + 5000.5 + 98.003⌉ = 5100 (1-based), i.e. values 4901 and 5099.
    const values = Float64Array.from({ length: 10_001 }, (_, k) => k);
    expect(summarize(values)).toMatchObject({ n: 10_001, median: 5000, ciLow: 4901, ciHigh: 5099 });
    // With the threshold raised, the same sample is bootstrapped and lands close by (within a few ranks).
    const bootstrapped = summarize(values, { bootstrapMaxN: 20_000, resamples: 300 });
    expect(Math.abs(bootstrapped.ciLow! - 4901)).toBeLessThan(20);
    expect(Math.abs(bootstrapped.ciHigh! - 5099)).toBeLessThan(20);
  });

  it('bootstrap and order-statistic intervals agree near the switch-over', () => {
    const n = BOOTSTRAP_MAX_N;
    // A skewed sample (squares of a scrambled ramp), sorted.
    const sorted = Float64Array.from({ length: n }, (_, k) => ((k * 2654435761) % n) ** 2).sort();
    const bootstrap = bootstrapQuantileCi(sorted, 0.5);
    const orderStatistic = medianOrderStatisticCi(sorted);
    const width = orderStatistic.ciHigh - orderStatistic.ciLow;
    expect(Math.abs(bootstrap.ciLow - orderStatistic.ciLow)).toBeLessThan(0.25 * width);
    expect(Math.abs(bootstrap.ciHigh - orderStatistic.ciHigh)).toBeLessThan(0.25 * width);
  });

  it('bootstrap CI covers the true median about 95 % of the time', () => {
    // 200 samples of n = 60 from Uniform(0, 1) (true median 0.5); coverage should be near 0.95 (binomial sd ≈ 0.015).
    let covered = 0;
    let totalWidth = 0;
    let seed = 1;
    const uniform = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    for (let trial = 0; trial < 200; trial++) {
      const result = summarize(Array.from({ length: 60 }, uniform), { resamples: 400 });
      if (result.ciLow! <= 0.5 && result.ciHigh! >= 0.5) covered++;
      totalWidth += result.ciHigh! - result.ciLow!;
    }
    // The median's standard error is 1/(2·f(m)·√n) = 1/(2·1·√60) ≈ 0.065, so a 95 % interval is ≈ 0.25 wide.
    expect(totalWidth / 200).toBeGreaterThan(0.15);
    expect(totalWidth / 200).toBeLessThan(0.4);
    expect(covered / 200).toBeGreaterThan(0.88);
    expect(covered / 200).toBeLessThanOrEqual(1);
  });
});

describe('normal distribution', () => {
  it('matches textbook values', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.9)).toBeCloseTo(1.281552, 6);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361341, 5);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(-3)).toBeCloseTo(0.0013499, 6);
  });
});

describe('quantileOrderStatisticRanks', () => {
  it('gives the median ranks of the n ÷ 2 ± z√n ÷ 2 formula to the bit at p = ½, for every n up to 5,000', () => {
    for (const level of [0.9, 0.95, 0.99]) {
      const z = normalQuantile((1 + level) / 2);
      for (let n = 1; n <= 5000; n++) {
        const halfWidth = (z * Math.sqrt(n)) / 2;
        const expected = { lowRank: Math.min(n, Math.max(1, Math.floor(n / 2 - halfWidth))), highRank: Math.min(n, Math.max(1, Math.ceil(1 + n / 2 + halfWidth))) };
        expect(quantileOrderStatisticRanks(n, 0.5, level)).toEqual(expected);
        expect(medianOrderStatisticRanks(n, level)).toEqual(expected);
      }
    }
  });

  it('centres on np for another quantile (hand-computed: n = 2000, p = 0.85 → ranks 1668 and 1733)', () => {
    expect(quantileOrderStatisticRanks(2000, 0.85)).toEqual({ lowRank: 1668, highRank: 1733 });
  });
});
