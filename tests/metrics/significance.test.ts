import { describe, it, expect } from 'vitest';
import { benjaminiHochberg, bootstrapDiffCi, mannWhitneyU, permutationTestMedianDiff, quantileDiffCi, quantileOrderStatisticSe, twoProportionTest } from '../../src/metrics/significance.js';
import { makeRng } from '../../src/metrics/random.js';
import { VsmError } from '../../src/errors.js';

describe('mannWhitneyU', () => {
  it('matches R wilcox.test(x, y, exact = FALSE) on the R documentation example', () => {
    // x, y from ?wilcox.test. Ranks of x in the pooled 15: 1,3,4,7,10..15 → 90; U = 90 − 10·11/2 = 35 (R's W).
    // σ = √(10·5·16/12) = 8.16497; z = (35 − 25 − 0.5)/σ = 1.16351; p = 2·(1 − Φ(1.16351)) = 0.244624.
    const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    const y = [1.15, 0.88, 0.9, 0.74, 1.21];
    const result = mannWhitneyU(x, y);
    expect(result.u).toBe(35);
    expect(result.z).toBeCloseTo(1.16351, 5);
    expect(result.pValue).toBeCloseTo(0.244624, 5);
    // Swapping the samples mirrors U and z and keeps p.
    const swapped = mannWhitneyU(y, x);
    expect(swapped.u).toBe(15);
    expect(swapped.pValue).toBeCloseTo(result.pValue, 12);
  });

  it('corrects for ties', () => {
    // Pooled 1a 2a 2a 2b 3a 3b 4b 4b: ranks 1, 3, 3, 3, 5.5, 5.5, 7.5, 7.5 → R_a = 12.5, U = 2.5.
    // Ties 3, 2, 2: Σ(t³ − t) = 36; σ² = 16/12·(9 − 36/56) = 11.142857; z = (2.5 − 8 + 0.5)/3.338092 = −1.497862;
    // p = 0.134169 (scipy mannwhitneyu asymptotic, continuity on).
    const result = mannWhitneyU([1, 2, 2, 3], Float64Array.from([2, 3, 4, 4]));
    expect(result.u).toBe(2.5);
    expect(result.z).toBeCloseTo(-1.497862, 5);
    expect(result.pValue).toBeCloseTo(0.134169, 5);
  });

  it('gives p = 1 when every value is tied, and throws for an empty sample', () => {
    expect(mannWhitneyU([3, 3], [3, 3, 3])).toEqual({ u: 3, z: 0, pValue: 1 });
    expect(() => mannWhitneyU([], [1])).toThrow(VsmError);
  });
});

describe('permutationTestMedianDiff', () => {
  it('approaches the exact permutation p-value', () => {
    // Splits of {1,2,3,4} into 2 + 2 give median differences 2, 1, 0, 0, −1, −2: |diff| ≥ 2 in 2 of 6, p = 1/3.
    const result = permutationTestMedianDiff([1, 2], [3, 4], { resamples: 20_000 });
    expect(result.diff).toBe(2);
    expect(result.pValue).toBeCloseTo(1 / 3, 1);
    expect(Math.abs(result.pValue - 1 / 3)).toBeLessThan(0.015);
  });

  it('is tiny for clearly separated samples, large for identical ones, and seeded', () => {
    const low = Array.from({ length: 20 }, (_, k) => k + 1);
    const high = low.map((v) => v + 100);
    // No relabelling other than the observed one (or its mirror) reaches |diff| = 100: p = 1/(1 + 1000).
    expect(permutationTestMedianDiff(low, high)).toEqual({ diff: 100, pValue: 1 / 1001 });
    const same = permutationTestMedianDiff(low, [...low].reverse(), { seed: 3 });
    expect(same.diff).toBe(0);
    expect(same.pValue).toBe(1);
    const mixed = [5, 9, 2, 14, 7, 3, 11];
    expect(permutationTestMedianDiff(mixed, [6, 12, 15, 8], { seed: 9 })).toEqual(permutationTestMedianDiff(mixed, [6, 12, 15, 8], { seed: 9 }));
  });
});

describe('bootstrapDiffCi', () => {
  it('is exact for constant samples', () => {
    expect(bootstrapDiffCi([5, 5, 5], [8, 8, 8, 8], 'median')).toEqual({ diff: 3, ciLow: 3, ciHigh: 3 });
  });

  it('brackets a known shift, is deterministic and gets wider with the level', () => {
    const before = Array.from({ length: 100 }, (_, k) => k + 1);
    const after = before.map((v) => v + 50);
    const median = bootstrapDiffCi(before, after, 'median');
    expect(median.diff).toBe(50);
    expect(median.ciLow).toBeLessThan(50);
    expect(median.ciHigh).toBeGreaterThan(50);
    // Each median has SE ≈ 100/(2·√100)·… ≈ 14 for a uniform ramp over 100 values; the difference's 95 % CI is
    // roughly ±2·√2·14 ≈ ±40 wide — well within (0, 100).
    expect(median.ciLow).toBeGreaterThan(0);
    expect(median.ciHigh).toBeLessThan(100);
    expect(bootstrapDiffCi(before, after, 'median')).toEqual(median);
    const p85 = bootstrapDiffCi(before, after, 'p85', { level: 0.99, resamples: 2000, seed: 5 });
    // Type-7 p85 of 1..100 is 85.15; of 51..150 it is 135.15.
    expect(p85.diff).toBeCloseTo(50, 10);
    const p85Narrow = bootstrapDiffCi(before, after, 'p85', { level: 0.8, resamples: 2000, seed: 5 });
    expect(p85.ciHigh - p85.ciLow).toBeGreaterThan(p85Narrow.ciHigh - p85Narrow.ciLow);
  });
});

describe('quantileOrderStatisticSe', () => {
  it('is the width of the order-statistic interval over 2z (hand-computed)', () => {
    // n = 2000, p = ½: z = 1.959964, half = z·√500 = 43.83, ranks ⌊1000 − 43.83⌋ = 956 and ⌈1001 + 43.83⌉ = 1045.
    const sorted = Float64Array.from({ length: 2000 }, (_, k) => k + 1);
    expect(quantileOrderStatisticSe(sorted, 0.5)).toBeCloseTo((1045 - 956) / (2 * 1.959964), 4);
    // p = 0.85: np = 1700, half = z·√255 = 31.30, ranks 1668 and 1733.
    expect(quantileOrderStatisticSe(sorted, 0.85)).toBeCloseTo((1733 - 1668) / (2 * 1.959964), 4);
  });
});

/** n draws of an exponential with the given mean, from a seeded stream. */
function exponential(n: number, meanValue: number, rng: () => number): Float64Array {
  return Float64Array.from({ length: n }, () => -meanValue * Math.log(1 - rng()));
}

describe('quantileDiffCi', () => {
  it('is bootstrapDiffCi, to the bit, while either side has at most 1,000 values', () => {
    const rng = makeRng(7);
    const a = exponential(1000, 10, rng);
    const b = exponential(5000, 12, rng);
    for (const stat of ['median', 'p85'] as const) {
      const ci = quantileDiffCi(a, b, stat, { seed: 3 });
      expect(ci.method).toBe('bootstrap');
      expect({ diff: ci.diff, ciLow: ci.ciLow, ciHigh: ci.ciHigh }).toEqual(bootstrapDiffCi(a, b, stat, { seed: 3 }));
    }
  });

  it('uses the order-statistic standard errors above 1,000 on both sides: the difference ± z·√(seA² + seB²)', () => {
    const a = Float64Array.from({ length: 2000 }, (_, k) => k + 1);
    const b = Float64Array.from({ length: 2000 }, (_, k) => 2 * (k + 1));
    const ci = quantileDiffCi(a, b, 'median');
    expect(ci.method).toBe('order-statistic');
    // Medians 1000.5 and 2001; standard errors 89 / 2z and 178 / 2z, so the half-width is √(89² + 178²) / 2.
    expect(ci.diff).toBe(1000.5);
    expect(ci.ciHigh - ci.diff).toBeCloseTo(Math.hypot(89, 178) / 2, 6);
    expect(ci.diff - ci.ciLow).toBeCloseTo(Math.hypot(89, 178) / 2, 6);
  });

  it('agrees with the bootstrap at large n (each bound within a tenth of the interval width)', () => {
    const rng = makeRng(11);
    const a = exponential(4000, 10, rng);
    const b = exponential(5000, 11, rng);
    for (const stat of ['median', 'p85'] as const) {
      const fast = quantileDiffCi(a, b, stat, { seed: 5 });
      const bootstrap = quantileDiffCi(a, b, stat, { seed: 5, bootstrapMaxN: Number.POSITIVE_INFINITY });
      expect([fast.method, bootstrap.method]).toEqual(['order-statistic', 'bootstrap']);
      const width = bootstrap.ciHigh - bootstrap.ciLow;
      expect(Math.abs(fast.ciLow - bootstrap.ciLow)).toBeLessThan(width / 10);
      expect(Math.abs(fast.ciHigh - bootstrap.ciHigh)).toBeLessThan(width / 10);
    }
  });

  it('covers the true difference about 95 % of the time (300 pairs of samples from known distributions)', () => {
    const rng = makeRng(2024);
    // Exponential quantiles: q(p) = −mean · ln(1 − p).
    const trueQuantile = (meanValue: number, p: number) => -meanValue * Math.log(1 - p);
    for (const [stat, p] of [['median', 0.5], ['p85', 0.85]] as const) {
      let covered = 0;
      for (let replication = 0; replication < 300; replication++) {
        const ci = quantileDiffCi(exponential(1500, 10, rng), exponential(2500, 13, rng), stat);
        const truth = trueQuantile(13, p) - trueQuantile(10, p);
        if (ci.ciLow <= truth && truth <= ci.ciHigh) covered++;
      }
      // Binomial(300, 0.95): 95 % of runs fall within ≈ 0.925–0.975; the bounds leave room for the approximation.
      expect(covered / 300, stat).toBeGreaterThan(0.9);
      expect(covered / 300, stat).toBeLessThan(0.99);
    }
  });
});

describe('twoProportionTest', () => {
  it('matches R prop.test(c(15, 25), c(50, 50), correct = FALSE)', () => {
    // p1 = 0.3, p2 = 0.5, pooled 0.4: z = 0.2/√(0.4·0.6·2/50) = 2.041241 → p = 0.041227 (X² = 4.1667).
    // Wald: 0.2 ± 1.959964·√(0.3·0.7/50 + 0.5·0.5/50) = 0.2 ± 0.187993 (R reports it for p1 − p2, mirrored).
    const result = twoProportionTest(15, 50, 25, 50);
    expect(result.diff).toBeCloseTo(0.2, 12);
    expect(result.pValue).toBeCloseTo(0.041227, 5);
    expect(result.ciLow).toBeCloseTo(0.012007, 5);
    expect(result.ciHigh).toBeCloseTo(0.387993, 5);
  });

  it('handles equal and degenerate proportions and rejects impossible counts', () => {
    expect(twoProportionTest(0, 10, 0, 20)).toEqual({ diff: 0, ciLow: 0, ciHigh: 0, pValue: 1 });
    expect(twoProportionTest(5, 10, 10, 20).pValue).toBeCloseTo(1, 12);
    expect(() => twoProportionTest(11, 10, 1, 2)).toThrow(VsmError);
    expect(() => twoProportionTest(0, 0, 1, 2)).toThrow(VsmError);
  });
});

describe('benjaminiHochberg', () => {
  it('matches p.adjust(p, "BH") on a worked vector', () => {
    // m = 10: p·m/rank = 0.01, 0.04, 0.13, 0.1025, 0.084, 0.1, 0.10571, 0.25625, 0.23556, 0.216, then the
    // running minimum from the largest rank down.
    const p = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216];
    const expected = [0.01, 0.04, 0.084, 0.084, 0.084, 0.1, 0.105714, 0.216, 0.216, 0.216];
    benjaminiHochberg(p).forEach((adjusted, k) => expect(adjusted).toBeCloseTo(expected[k], 6));
  });

  it('keeps input order, caps at 1 and is monotone in p', () => {
    // Unsorted input: 0.04 (rank 4 → 0.05), 0.01 (rank 1 → 0.05 by monotonicity), 0.9 (rank 5 → 0.9), 0.03, 0.02.
    const adjusted = benjaminiHochberg([0.04, 0.01, 0.9, 0.03, 0.02]);
    expect(adjusted.map((v) => Number(v.toFixed(6)))).toEqual([0.05, 0.05, 0.9, 0.05, 0.05]);
    expect(benjaminiHochberg([0.8, 0.9])).toEqual([0.9, 0.9]);
    expect(benjaminiHochberg([1, 1, 0.99])).toEqual([1, 1, 1]);
    expect(benjaminiHochberg([])).toEqual([]);
  });
});
