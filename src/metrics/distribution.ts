/**
 * Distributions of durations (DESIGN.md §4 "Distributions"): n, mean, median, p85, p95, min, max, sum and a
 * confidence interval for the median; fewer than THIN_EVIDENCE_N values is flagged as thin evidence.
 * Also the standard normal CDF and quantile used by the tests in significance.ts and survival.ts.
 */
import type { Distribution } from '../contracts/distribution-schema.js';
import { DEFAULT_SEED } from './random.js';
import { sortFloat64 } from './radix-sort.js';
import { sumInOrder, wholeRanks } from './select.js';
import { SKETCH_APPROXIMATION, type ValueSketch } from './value-sketch.js';

export const THIN_EVIDENCE_N = 30;
/**
 * Default n above which the median's CI is the distribution-free order-statistic interval instead of a
 * bootstrap: by n = 1000 the two agree closely (tests/metrics/distribution.test.ts) and the bootstrap's
 * O(n · resamples) cost would dominate a report with many steps.
 */
export const BOOTSTRAP_MAX_N = 1000;

// The schema is part of report.json's contract, so it lives in src/contracts (import DistributionSchema from there:
// a value re-export here would load zod for every analysis, issue 14 start-up); the type is re-exported.
export type { Distribution } from '../contracts/distribution-schema.js';


export interface SummarizeOptions {
  /** Seed of the bootstrap (default 42), so the same input always gives the same interval. */
  seed?: number;
  /** Bootstrap resamples (default 1000). */
  resamples?: number;
  /** Confidence level of the median's interval (default 0.95). */
  level?: number;
  /** Largest n that is bootstrapped (default BOOTSTRAP_MAX_N); larger samples use the order-statistic interval. */
  bootstrapMaxN?: number;
}

/**
 * The p-quantile of ascending values by linear interpolation between closest ranks (R type 7, numpy's default,
 * Excel PERCENTILE.INC): h = (n − 1)·p, q = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]). The median of an even n is
 * the mean of the middle two. NaN for an empty array.
 * @example quantileSorted([1, 2, 3, 4], 0.85) // 3.55
 */
export function quantileSorted(sorted: Float64Array | number[], p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const { lowRank, fraction } = quantileRank(n, p);
  const low = sorted[lowRank];
  return fraction === 0 ? low : low + fraction * (sorted[lowRank + 1] - low);
}

/** Where quantileSorted reads the p-quantile of n ≥ 1 values: rank ⌊h⌋, and ⌊h⌋ + 1 when the fraction is not 0. */
export function quantileRank(n: number, p: number): { lowRank: number; fraction: number } {
  const h = (n - 1) * Math.min(1, Math.max(0, p));
  const lowRank = Math.floor(h);
  return { lowRank, fraction: h - lowRank };
}

/** Copy of the values with NaN dropped (in their order). */
function keptCopy(values: Float64Array | number[]): Float64Array {
  const copy = new Float64Array(values.length);
  const kept = copyKept(values, copy);
  return kept === copy.length ? copy : copy.slice(0, kept);
}

/**
 * The values that are not NaN into copy[0, kept), in their order; returns kept. A leaf with nothing after its loop
 * but the return (h27b-cold): in keptCopy the compare after the loop had no type feedback when V8 compiled the loop on
 * the fly in its first long call, and that cached code was thrown away at the loop's end of every later call (8–28
 * times in a 1 M-event analysis).
 */
function copyKept(values: Float64Array | number[], copy: Float64Array): number {
  const length = values.length;
  let kept = 0;
  for (let k = 0; k < length; k++) {
    const value = values[k];
    if (!Number.isNaN(value)) copy[kept++] = value;
  }
  return kept;
}

/** Ascending copy of the values with NaN dropped. */
export function sortedCopy(values: Float64Array | number[]): Float64Array {
  return sortFloat64(keptCopy(values));
}

/**
 * The type-7 p-quantile of one bootstrap resample (n draws with replacement) of an ascending array, without
 * building the resample: draw counts per index, then walk the cumulative counts to the needed ranks (the k-th
 * smallest draw is the value at the k-th smallest drawn index, because the array is sorted). O(n), no sort.
 * `counts` is scratch space of length n.
 */
export function resampledQuantileSorted(sorted: Float64Array, p: number, rng: () => number, counts: Int32Array): number {
  const n = sorted.length;
  counts.fill(0);
  for (let draw = 0; draw < n; draw++) counts[(rng() * n) | 0]++;
  const h = (n - 1) * p;
  const lowRank = Math.floor(h);
  const fraction = h - lowRank;
  let index = 0;
  let below = 0;
  while (below + counts[index] <= lowRank) below += counts[index++];
  const low = sorted[index];
  if (fraction === 0) return low;
  while (below + counts[index] <= lowRank + 1) below += counts[index++];
  return low + fraction * (sorted[index] - low);
}

/**
 * estimates[r] = resampledQuantileSorted(sorted, p, makeRng(seed), counts) for every r, the resamples drawn from one
 * stream in that order, with makeRng's Mulberry32 inlined: a closure call per draw cost more than the draw (and each
 * bootstrap's new closure changed the call's target). The same draws, so the same estimates bit for bit.
 */
function resampledQuantiles(sorted: Float64Array, p: number, seed: number, counts: Int32Array, estimates: Float64Array): void {
  const n = sorted.length;
  const h = (n - 1) * p;
  const lowRank = Math.floor(h);
  const fraction = h - lowRank;
  let state = seed >>> 0;
  for (let r = 0; r < estimates.length; r++) {
    counts.fill(0);
    for (let draw = 0; draw < n; draw++) {
      state = (state + 0x6d2b79f5) | 0;
      let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
      mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
      counts[((((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296) * n) | 0]++;
    }
    let index = 0;
    let below = 0;
    while (below + counts[index] <= lowRank) below += counts[index++];
    const low = sorted[index];
    if (fraction === 0) {
      estimates[r] = low;
      continue;
    }
    while (below + counts[index] <= lowRank + 1) below += counts[index++];
    estimates[r] = low + fraction * (sorted[index] - low);
  }
}

/**
 * Percentile bootstrap interval of the p-quantile of ascending values: the (1−level)/2 and (1+level)/2 type-7
 * quantiles of `resamples` resampled quantiles.
 */
export function bootstrapQuantileCi(sorted: Float64Array, p: number, options: { seed?: number; resamples?: number; level?: number } = {}): { ciLow: number; ciHigh: number } {
  const { seed = DEFAULT_SEED, resamples = 1000, level = 0.95 } = options;
  const counts = new Int32Array(sorted.length);
  const estimates = new Float64Array(resamples);
  resampledQuantiles(sorted, p, seed, counts, estimates);
  estimates.sort();
  return { ciLow: quantileSorted(estimates, (1 - level) / 2), ciHigh: quantileSorted(estimates, (1 + level) / 2) };
}

/**
 * Distribution-free interval for the median from order statistics: the number of values below the true median
 * is Binomial(n, ½), approximated by a normal, so [x(r), x(s)] with r = ⌊(n − z√n)/2⌋ and s = ⌈1 + (n + z√n)/2⌉
 * (1-based ranks) covers the median with probability ≈ level. Used for large n, where it matches the bootstrap.
 */
export function medianOrderStatisticCi(sorted: Float64Array | number[], level = 0.95): { ciLow: number; ciHigh: number } {
  const { lowRank, highRank } = medianOrderStatisticRanks(sorted.length, level);
  return { ciLow: sorted[lowRank - 1], ciHigh: sorted[highRank - 1] };
}

/** The 1-based ranks r and s of `medianOrderStatisticCi` for n values (the ClickHouse engine fetches only those). */
export function medianOrderStatisticRanks(n: number, level = 0.95): { lowRank: number; highRank: number } {
  return quantileOrderStatisticRanks(n, 0.5, level);
}

/**
 * The same for the p-quantile: the count of values below the true p-quantile is Binomial(n, p), so with
 * z = Φ⁻¹((1 + level) / 2) the 1-based ranks ⌊np − z√(np(1 − p))⌋ and ⌈1 + np + z√(np(1 − p))⌉ (clamped to 1 … n)
 * bound it with probability ≈ level. For p = ½ these are medianOrderStatisticRanks' ranks to the bit (n·¼ and √n ÷ 2
 * differ from n ÷ 4 and √(n ÷ 4) by powers of two only).
 */
export function quantileOrderStatisticRanks(n: number, p: number, level = 0.95): { lowRank: number; highRank: number } {
  const halfWidth = normalQuantile((1 + level) / 2) * Math.sqrt(n * p * (1 - p));
  return { lowRank: Math.min(n, Math.max(1, Math.floor(n * p - halfWidth))), highRank: Math.min(n, Math.max(1, Math.ceil(1 + n * p + halfWidth))) };
}

/** wholeStats' results: sum, magnitude (sum of |value|), min, max. */
const wholeStatsScratch = new Float64Array(4);

/**
 * Sum, magnitude, min and max of `values` into stats[0..3], false at the first value that is not a whole number or is
 * −0. A leaf function (typed arrays in, a boolean out): V8 optimises its loop once and keeps it, where the same loop
 * inside summarizeBySelection was deoptimised at each new cold path after it (38 times in a 1 M-event analysis) and
 * ran in the interpreter again (h25-read).
 */
function wholeStats(values: Float64Array, stats: Float64Array): boolean {
  const n = values.length;
  let sum = 0;
  let magnitude = 0;
  let min = Infinity;
  let max = -Infinity;
  let scanned = false;
  // The results are stored at the top of an outer loop that runs twice, before the scan and after it (h27b-cold): the
  // stores after the scan had no type feedback when V8 compiled the scan on the fly in its first long call, so that
  // cached code was thrown away at the scan's end of every later call (3–55 times in a 1 M-event analysis).
  for (;;) {
    stats[0] = sum;
    stats[1] = magnitude;
    stats[2] = min;
    stats[3] = max;
    if (scanned) return true;
    for (let k = 0; k < n; k++) {
      const value = values[k];
      // Whole (±Infinity pass here and fail the magnitude check after, which also bounds every |value| by 2^53 − 1),
      // and not −0: among whole values only −0 has 1 / value = −Infinity. The test runs on every whole value (the one
      // it replaced ran on zeros only, so it had no type feedback when V8 compiled the loop on the fly, and that code
      // was thrown away in mid-loop at the first zero).
      if (Math.floor(value) !== value || 1 / value === -Infinity) return false;
      sum += value;
      magnitude += value < 0 ? -value : value;
      if (value < min) min = value;
      if (value > max) max = value;
    }
    scanned = true;
  }
}

/**
 * summarize's result for more than bootstrapMaxN values without sorting them: the order-statistic interval and the
 * quantiles need a few ranks only (a multi-rank quickselect), and the sum of whole numbers whose magnitudes add
 * up to at most 2^53 − 1 is exact in any order, so it equals the ascending-order sum bit for bit. Null (use the
 * sort) when a value is not such a whole number or is −0 (the sort puts −0 before +0, a selection might not).
 */
function summarizeBySelection(values: Float64Array, level: number | undefined): Distribution | null {
  const n = values.length;
  const stats = wholeStatsScratch;
  if (!wholeStats(values, stats)) return null;
  const sum = stats[0];
  const magnitude = stats[1];
  const min = stats[2];
  const max = stats[3];
  if (!(magnitude <= Number.MAX_SAFE_INTEGER)) return null;
  const { lowRank, highRank } = medianOrderStatisticRanks(n, level);
  if (min === max) {
    // Every value equal (a step's all-zero waits): every rank holds min, and x + f·(x − x) = x; no selection.
    return { n, mean: sum / n, median: min, p85: min, p95: min, min, max, sum, ciLow: min, ciHigh: min, thin: n < THIN_EVIDENCE_N };
  }
  const ranks = new Set([lowRank - 1, highRank - 1]);
  const quantiles = [0.5, 0.85, 0.95].map((p) => quantileRank(n, p));
  for (const { lowRank: rank, fraction } of quantiles) {
    ranks.add(rank);
    if (fraction !== 0) ranks.add(rank + 1);
  }
  const ascending = [...ranks].sort((a, b) => a - b);
  const selected = wholeRanks(values, ascending, min, max);
  const at = (rank: number) => selected[ascending.indexOf(rank)];
  const quantile = ({ lowRank: rank, fraction }: { lowRank: number; fraction: number }) =>
    fraction === 0 ? at(rank) : at(rank) + fraction * (at(rank + 1) - at(rank));
  return {
    n,
    mean: sum / n,
    median: quantile(quantiles[0]),
    p85: quantile(quantiles[1]),
    p95: quantile(quantiles[2]),
    min,
    max,
    sum,
    ciLow: at(lowRank - 1),
    ciHigh: at(highRank - 1),
    thin: n < THIN_EVIDENCE_N,
  };
}

/**
 * Summarizes durations (or any values; NaN is skipped). Empty input gives n 0 and nulls.
 * The median's interval is a seeded percentile bootstrap (default 1000 resamples, seed 42, level 0.95) up to
 * `bootstrapMaxN` values (default 1000), and the order-statistic interval (`medianOrderStatisticCi`) above, where
 * the two agree and the bootstrap would cost O(n · resamples). Either way the result is deterministic.
 * @example summarize([3, 1, 2]).median // 2
 */
export function summarize(values: Float64Array | number[], options: SummarizeOptions = {}): Distribution {
  return summarizeKept(keptCopy(values), options);
}

/**
 * summarize for a caller that owns `values` and needs them no more: NaN are dropped by moving the other values
 * forward in their order (what summarize's copy holds), then the values are reordered by the selection or the
 * sort. Saves summarize's copy of each distribution (six per step).
 */
export function summarizeInPlace(values: Float64Array, options: SummarizeOptions = {}): Distribution {
  const kept = dropNaNInPlace(values);
  return summarizeKept(kept === values.length ? values : values.subarray(0, kept), options);
}

/**
 * Moves the values that are not NaN forward in their order; returns how many there are. A leaf function (as
 * wholeStats): inside summarizeInPlace the scan's loop was OSR-compiled and then deoptimised at the cold code after
 * it, once per call (36 times in three step-timings runs at 5 M), so the next call scanned in the interpreter again.
 */
function dropNaNInPlace(values: Float64Array): number {
  // One loop (a value kept in place is written onto itself): a scan to the first NaN and a second loop after it
  // left the second loop's code cold, and V8 threw the compiled scan away at its end on every call (38 times in a
  // 1 M-event analysis).
  let kept = 0;
  const length = values.length;
  for (let k = 0; k < length; k++) {
    const value = values[k];
    if (!Number.isNaN(value)) values[kept++] = value;
  }
  return kept;
}

/** summarize of values without NaN, which it may reorder. */
function summarizeKept(kept: Float64Array, options: SummarizeOptions): Distribution {
  const n = kept.length;
  if (n === 0) {
    return { n: 0, mean: null, median: null, p85: null, p95: null, min: null, max: null, sum: 0, ciLow: null, ciHigh: null, thin: true };
  }
  const bootstrapMaxN = options.bootstrapMaxN ?? BOOTSTRAP_MAX_N;
  if (n > bootstrapMaxN) {
    const selected = summarizeBySelection(kept, options.level);
    if (selected !== null) return selected;
  }
  const sorted = sortFloat64(kept);
  const sum = sumInOrder(sorted);
  const { ciLow, ciHigh } = n > bootstrapMaxN ? medianOrderStatisticCi(sorted, options.level) : bootstrapQuantileCi(sorted, 0.5, options);
  return {
    n,
    mean: sum / n,
    median: quantileSorted(sorted, 0.5),
    p85: quantileSorted(sorted, 0.85),
    p95: quantileSorted(sorted, 0.95),
    min: sorted[0],
    max: sorted[n - 1],
    sum,
    ciLow,
    ciHigh,
    thin: n < THIN_EVIDENCE_N,
  };
}

/**
 * summarize of a distribution held as a sketch (more values than the exact-values limit, src/metrics/value-sketch.ts):
 * n, mean, sum, min and max exact; median, p85 and p95 the type-7 quantiles read from the sketch's order statistics;
 * the median's interval the order-statistic interval (`medianOrderStatisticRanks`, the method summarize uses above
 * BOOTSTRAP_MAX_N values) on the sketch's ranks — each within relative error α of its exact value, and marked
 * `approximate`. An empty sketch gives summarize's empty distribution.
 */
export function summarizeSketch(sketch: ValueSketch, options: Pick<SummarizeOptions, 'level'> = {}): Distribution {
  const n = sketch.count;
  if (n === 0) return summarizeKept(new Float64Array(0), {});
  const { lowRank, highRank } = medianOrderStatisticRanks(n, options.level);
  return {
    n,
    mean: sketch.sum / n,
    median: sketch.quantile(0.5),
    p85: sketch.quantile(0.85),
    p95: sketch.quantile(0.95),
    min: sketch.min,
    max: sketch.max,
    sum: sketch.sum,
    ciLow: sketch.valueAtRank(lowRank - 1),
    ciHigh: sketch.valueAtRank(highRank - 1),
    thin: n < THIN_EVIDENCE_N,
    approximate: { ...SKETCH_APPROXIMATION },
  };
}

/**
 * Complementary error function, Chebyshev fit from Numerical Recipes (erfcc): relative error < 1.2e-7
 * everywhere, including the far tail, which keeps small p-values meaningful.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** P(Z ≤ z) for a standard normal Z. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Two-sided p-value of a standard normal statistic: P(|Z| ≥ |z|). */
export function twoSidedNormalP(z: number): number {
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/**
 * z such that P(Z ≤ z) = p (Acklam's rational approximation, relative error < 1.2e-9).
 * @example normalQuantile(0.975) // 1.959964
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  if (p > 1 - P_LOW) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
}
