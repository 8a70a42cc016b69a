/**
 * Tests behind `vsm compare` (before vs after, team vs team). Convention: `a` is the baseline, `b` the other
 * sample, and every `diff` is b − a, so a negative diff in a duration means `b` is faster.
 * Empty samples are a caller bug (compare must check n first) and throw.
 */
import { VsmError } from '../errors.js';
import { BOOTSTRAP_MAX_N, normalQuantile, quantileOrderStatisticRanks, quantileSorted, resampledQuantileSorted, sortedCopy, twoSidedNormalP } from './distribution.js';
import { DEFAULT_SEED, makeRng, randomInt } from './random.js';
import { medianOfRangeInPlace } from './select.js';

export interface ResampleOptions {
  /** Default 42. */
  seed?: number;
  /** Default 1000 (permutations or bootstrap resamples). */
  resamples?: number;
}

function requireNonEmpty(sorted: Float64Array, name: string): void {
  if (sorted.length === 0) {
    throw new VsmError({ code: 'INTERNAL', what: `sample ${name} is empty`, fix: 'check both samples have values before testing' });
  }
}

/**
 * Mann–Whitney U (Wilcoxon rank-sum) test, two-sided, by the normal approximation with tie correction and
 * continuity correction — the same numbers as R's `wilcox.test(a, b, exact = FALSE, correct = TRUE)`, where u is
 * R's W (pairs with a > b, ties counting ½). No exact small-sample p-value: with n below ~10 per side the
 * approximation is rough. When every value is tied the test has no information and pValue is 1.
 */
export function mannWhitneyU(a: Float64Array | number[], b: Float64Array | number[]): { u: number; z: number; pValue: number } {
  const sortedA = sortedCopy(a);
  const sortedB = sortedCopy(b);
  requireNonEmpty(sortedA, 'a');
  requireNonEmpty(sortedB, 'b');
  const nA = sortedA.length;
  const nB = sortedB.length;
  const total = nA + nB;
  let rankSumA = 0;
  let tieTerm = 0;
  let i = 0;
  let j = 0;
  while (i < nA || j < nB) {
    const value = j >= nB || (i < nA && sortedA[i] <= sortedB[j]) ? sortedA[i] : sortedB[j];
    const positionBefore = i + j;
    let fromA = 0;
    while (i < nA && sortedA[i] === value) {
      i++;
      fromA++;
    }
    while (j < nB && sortedB[j] === value) j++;
    const tied = i + j - positionBefore;
    // Ranks positionBefore+1 … positionBefore+tied share their average.
    rankSumA += fromA * (positionBefore + (tied + 1) / 2);
    tieTerm += tied * tied * tied - tied;
  }
  const u = rankSumA - (nA * (nA + 1)) / 2;
  const centred = u - (nA * nB) / 2;
  const variance = ((nA * nB) / 12) * (total + 1 - tieTerm / (total * (total - 1)));
  if (!(variance > 0)) return { u, z: 0, pValue: 1 };
  const z = (centred - 0.5 * Math.sign(centred)) / Math.sqrt(variance);
  return { u, z, pValue: twoSidedNormalP(z) };
}

/**
 * Permutation test for a difference in medians (b − a), two-sided: the share of random relabellings of the
 * pooled values whose |median difference| is at least the observed one, counted as (1 + hits) / (1 + resamples)
 * so the p-value is never 0 (Phipson & Smyth 2010). Seeded and deterministic.
 */
export function permutationTestMedianDiff(a: Float64Array | number[], b: Float64Array | number[], options: ResampleOptions = {}): { diff: number; pValue: number } {
  const { seed = DEFAULT_SEED, resamples = 1000 } = options;
  const sortedA = sortedCopy(a);
  const sortedB = sortedCopy(b);
  requireNonEmpty(sortedA, 'a');
  requireNonEmpty(sortedB, 'b');
  const diff = quantileSorted(sortedB, 0.5) - quantileSorted(sortedA, 0.5);
  const nA = sortedA.length;
  const pooled = new Float64Array(nA + sortedB.length);
  pooled.set(sortedA);
  pooled.set(sortedB, nA);
  const rng = makeRng(seed);
  const tolerance = 1e-9 * Math.max(1, Math.abs(diff));
  let hits = 0;
  for (let r = 0; r < resamples; r++) {
    // Partial Fisher–Yates: the first nA slots become a uniform random group a.
    for (let k = 0; k < nA; k++) {
      const pick = k + randomInt(rng, pooled.length - k);
      const swap = pooled[k];
      pooled[k] = pooled[pick];
      pooled[pick] = swap;
    }
    const permutedDiff = medianOfRangeInPlace(pooled, nA, pooled.length) - medianOfRangeInPlace(pooled, 0, nA);
    if (Math.abs(permutedDiff) >= Math.abs(diff) - tolerance) hits++;
  }
  return { diff, pValue: (1 + hits) / (1 + resamples) };
}

/**
 * Percentile bootstrap interval for stat(b) − stat(a), resampling each sample independently (type-7 quantiles,
 * as `summarize`). Seeded and deterministic.
 */
export function bootstrapDiffCi(
  a: Float64Array | number[],
  b: Float64Array | number[],
  stat: 'median' | 'p85',
  options: ResampleOptions & { level?: number } = {},
): { diff: number; ciLow: number; ciHigh: number } {
  return bootstrapDiffCiSorted(sortedCopy(a), sortedCopy(b), stat, options);
}

/** bootstrapDiffCi on samples already sorted ascending, NaN dropped (quantileDiffCi has sorted them). */
function bootstrapDiffCiSorted(sortedA: Float64Array, sortedB: Float64Array, stat: 'median' | 'p85', options: ResampleOptions & { level?: number }): { diff: number; ciLow: number; ciHigh: number } {
  const { seed = DEFAULT_SEED, resamples = 1000, level = 0.95 } = options;
  const p = stat === 'median' ? 0.5 : 0.85;
  requireNonEmpty(sortedA, 'a');
  requireNonEmpty(sortedB, 'b');
  const rng = makeRng(seed);
  const countsA = new Int32Array(sortedA.length);
  const countsB = new Int32Array(sortedB.length);
  const diffs = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    diffs[r] = resampledQuantileSorted(sortedB, p, rng, countsB) - resampledQuantileSorted(sortedA, p, rng, countsA);
  }
  diffs.sort();
  return {
    diff: quantileSorted(sortedB, p) - quantileSorted(sortedA, p),
    ciLow: quantileSorted(diffs, (1 - level) / 2),
    ciHigh: quantileSorted(diffs, (1 + level) / 2),
  };
}

/**
 * The standard error of the type-7 p-quantile of an ascending sample, read off its distribution-free order-statistic
 * interval (quantileOrderStatisticRanks, which covers it with probability ≈ level): that interval spans ≈ 2z
 * standard errors, z = Φ⁻¹((1 + level) / 2). For the median this is McKean and Schrader's (1984) standard error.
 */
export function quantileOrderStatisticSe(sorted: Float64Array, p: number, level = 0.95): number {
  const { lowRank, highRank } = quantileOrderStatisticRanks(sorted.length, p, level);
  return (sorted[highRank - 1] - sorted[lowRank - 1]) / (2 * normalQuantile((1 + level) / 2));
}

/**
 * The 95 % (`level`) interval of stat(b) − stat(a) that `vsm compare` reports: the percentile bootstrap
 * (bootstrapDiffCi) while either sample has at most `bootstrapMaxN` values (BOOTSTRAP_MAX_N, 1,000: the size up to
 * which a distribution's median interval is bootstrapped too), else the difference ± z times the root sum of the two
 * order-statistic standard errors (quantileOrderStatisticSe; for medians Price and Bonett's 2002 interval). The
 * bootstrap draws n values per resample and side: 1,000 resamples of two quarters of a 5 M-event log took 30 of the
 * 38 s of `vsm compare`; the order-statistic interval reads four values per side, and at those sizes the two agree
 * (tests/metrics/significance.test.ts).
 */
export function quantileDiffCi(
  a: Float64Array | number[],
  b: Float64Array | number[],
  stat: 'median' | 'p85',
  options: ResampleOptions & { level?: number; bootstrapMaxN?: number } = {},
): { diff: number; ciLow: number; ciHigh: number; method: 'bootstrap' | 'order-statistic' } {
  const { level = 0.95, bootstrapMaxN = BOOTSTRAP_MAX_N } = options;
  const sortedA = sortedCopy(a);
  const sortedB = sortedCopy(b);
  if (sortedA.length <= bootstrapMaxN || sortedB.length <= bootstrapMaxN) return { ...bootstrapDiffCiSorted(sortedA, sortedB, stat, options), method: 'bootstrap' };
  const p = stat === 'median' ? 0.5 : 0.85;
  const diff = quantileSorted(sortedB, p) - quantileSorted(sortedA, p);
  const halfWidth = normalQuantile((1 + level) / 2) * Math.hypot(quantileOrderStatisticSe(sortedA, p, level), quantileOrderStatisticSe(sortedB, p, level));
  return { diff, ciLow: diff - halfWidth, ciHigh: diff + halfWidth, method: 'order-statistic' };
}

/**
 * Two-proportion z-test (pooled standard error, no continuity correction: R's `prop.test(correct = FALSE)`)
 * with a Wald interval for diff = x2/n2 − x1/n1.
 */
export function twoProportionTest(x1: number, n1: number, x2: number, n2: number, options: { level?: number } = {}): { diff: number; ciLow: number; ciHigh: number; pValue: number } {
  for (const [x, n] of [[x1, n1], [x2, n2]]) {
    if (!(Number.isInteger(x) && Number.isInteger(n) && n > 0 && x >= 0 && x <= n)) {
      throw new VsmError({ code: 'INTERNAL', what: 'proportion test needs 0 ≤ x ≤ n and n > 0', got: `${x} of ${n}`, fix: 'check counts before testing' });
    }
  }
  const { level = 0.95 } = options;
  const share1 = x1 / n1;
  const share2 = x2 / n2;
  const diff = share2 - share1;
  const pooledShare = (x1 + x2) / (n1 + n2);
  const pooledSe = Math.sqrt(pooledShare * (1 - pooledShare) * (1 / n1 + 1 / n2));
  const waldSe = Math.sqrt((share1 * (1 - share1)) / n1 + (share2 * (1 - share2)) / n2);
  const halfWidth = normalQuantile((1 + level) / 2) * waldSe;
  return {
    diff,
    ciLow: Math.max(-1, diff - halfWidth),
    ciHigh: Math.min(1, diff + halfWidth),
    pValue: pooledSe > 0 ? twoSidedNormalP(diff / pooledSe) : 1,
  };
}

/**
 * Benjamini–Hochberg adjusted p-values (false discovery rate), in input order: p(i)·m/i made monotone from the
 * largest down and capped at 1 — R's `p.adjust(p, "BH")`.
 */
export function benjaminiHochberg(pValues: number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((_, k) => k).sort((x, y) => pValues[y] - pValues[x]);
  const adjusted = new Array<number>(m);
  let runningMin = 1;
  order.forEach((index, position) => {
    const rank = m - position;
    runningMin = Math.min(runningMin, (pValues[index] * m) / rank);
    adjusted[index] = runningMin;
  });
  return adjusted;
}

