/**
 * The large-n form of `vsm simulate`'s resampling (issue 14): runs drawn from the normal approximation of the case
 * bootstrap instead of resampling the cases. runMonteCarlo draws n cases per run, O(n) per run: 10,000 runs of the
 * 600,000 closed cases of a 5 M-event log took 530 s. Here a run costs a few binary searches.
 *
 * What a resampling run computes, and how this reproduces it. A run draws n outcomes from D, the closed cases each
 * with probability 1/n (a cuttable case then loses its loop with probability cutShare). Its statistics are
 * asymptotically linear in the draws' empirical distribution (Bahadur's representation for the quantiles, the delta
 * method for the pooled flow efficiency):
 * - a p-quantile of the draws is Q(p − E), where Q is D's quantile function and E = F̂(q) − F(q) is how far the
 *   draws' share at or below the quantile q = Q(p) is from D's; E ≈ N(0, p(1 − p)/n);
 * - the mean of the draws is the mean of D plus the mean deviation of n draws;
 * - the pooled flow efficiency Σ active ÷ Σ lead is R plus the mean of (active − R · lead) ÷ mean lead.
 * The ten deviations (three quantiles and the mean and flow efficiency, before and after, on the same draws) are
 * jointly normal with the covariance of the per-outcome indicators and values under D, computed exactly in one pass
 * over the outcomes. Each run draws them once (Cholesky factor of their correlation) and maps every quantile through
 * the measured Q itself, not its slope: a gap or clump in the lead times keeps the asymmetric interval the
 * resampling gives (tests/vsm/simulate-gaussian.test.ts compares both on such logs). Only the share deviations E are
 * taken as normal: at the switch (GAUSSIAN_MIN_CASES) n·p·(1 − p) is at least 950 for the p95.
 *
 * Quantiles follow runMonteCarlo's type 7 at h = (n − 1)·p'; the after side is a weighted distribution (a cuttable
 * case's two outcomes weigh 1 − cutShare and cutShare), read at real-valued ranks. A change that alters no outcome
 * reuses the before side's draws, so the after side and every difference are exactly the before side and 0.
 */
import { normalQuantile } from '../metrics/distribution.js';
import { makeRng } from '../metrics/random.js';
import type { CaseTotals, MonteCarloResult, RunStatistics } from './simulate-monte-carlo.js';

/**
 * From this many closed cases `vsm simulate --method auto` draws the runs from the normal approximation: below it the
 * resampling takes at most about 2 s for 10,000 runs (docs/commands.md), above it time grows with the cases.
 */
export const GAUSSIAN_MIN_CASES = 20_000;

const PROBABILITIES = [0.5, 0.85, 0.95] as const;
/** The deviations drawn per run: three quantile shares, mean lead and flow efficiency, before then after. */
const SIDE = PROBABILITIES.length + 2;
const DIMENSION = 2 * SIDE;
/** A Cholesky pivot below this (on the correlation scale) is a deviation made of the earlier ones. */
const PIVOT_EPSILON = 1e-12;

/**
 * Ascending values with weights (a closed case weighs 1 in all; the two outcomes of a cuttable case 1 − s and s),
 * read like a sorted array at real-valued ranks: rank r falls on the value whose cumulative weight span holds it.
 * With unit weights valueAtRank(k) is values[k] and quantile(p) is quantileSorted's type 7.
 */
export class WeightedQuantiles {
  /** starts[k]: the weight of the values before values[k]; starts[m] the total. */
  private readonly starts: Float64Array;

  constructor(
    readonly values: Float64Array,
    weights: Float64Array | null,
    /** The ranks' total: n draws (the weights sum to it up to rounding). */
    readonly total: number,
  ) {
    const m = values.length;
    this.starts = new Float64Array(m + 1);
    for (let k = 0; k < m; k++) this.starts[k + 1] = this.starts[k] + (weights === null ? 1 : weights[k]);
  }

  /** The value at 0-based rank `rank` (clamped to the values). */
  valueAtRank(rank: number): number {
    const { starts, values } = this;
    let low = 0;
    let high = values.length - 1;
    // The last k with starts[k] ≤ rank.
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (starts[middle] <= rank) low = middle;
      else high = middle - 1;
    }
    return values[low];
  }

  /** Type-7 p-quantile of `total` draws: h = (total − 1)·p, interpolated between ranks ⌊h⌋ and ⌊h⌋ + 1. */
  quantile(p: number): number {
    const h = (this.total - 1) * Math.min(1, Math.max(0, p));
    const lowRank = Math.floor(h);
    const fraction = h - lowRank;
    const low = this.valueAtRank(lowRank);
    return fraction === 0 ? low : low + fraction * (this.valueAtRank(lowRank + 1) - low);
  }
}

/** Ascending merge of sorted runs of values, each run with one weight. */
function mergeWeighted(runs: readonly { values: Float64Array; weight: number }[]): { values: Float64Array; weights: Float64Array } {
  const size = runs.reduce((sum, run) => sum + run.values.length, 0);
  const values = new Float64Array(size);
  const weights = new Float64Array(size);
  const at = runs.map(() => 0);
  for (let k = 0; k < size; k++) {
    let best = -1;
    for (let r = 0; r < runs.length; r++) if (at[r] < runs[r].values.length && (best < 0 || runs[r].values[at[r]] < runs[best].values[at[best]])) best = r;
    values[k] = runs[best].values[at[best]++];
    weights[k] = runs[best].weight;
  }
  return { values, weights };
}

/** The outcomes of one draw under D: per case, the outcome without the cut and (cuttable cases) with it. */
interface Outcomes {
  n: number;
  /** The cut share s, clamped to 0 … 1: a cuttable case loses its loop in a draw with probability s. */
  cutShare: number;
  /** Weight of case c's outcome without the cut (1, or 1 − s for a cuttable case) and with it (0, or s). */
  keepWeight(c: number): number;
  cutWeight(c: number): number;
}

function outcomesOf(totals: CaseTotals): Outcomes {
  const s = totals.cutShare > 0 ? Math.min(1, totals.cutShare) : 0;
  return {
    n: totals.leadMs.length,
    cutShare: s,
    keepWeight: (c) => (totals.cuttable[c] === 1 ? 1 - s : 1),
    cutWeight: (c) => (totals.cuttable[c] === 1 ? s : 0),
  };
}

/** The after side's weighted lead times: sorted outcomes without the cut (weight 1 or 1 − s) and with it (s). */
function afterDistribution(totals: CaseTotals, outcomes: Outcomes): WeightedQuantiles {
  const plain: number[] = [];
  const kept: number[] = [];
  const cut: number[] = [];
  for (let c = 0; c < outcomes.n; c++) {
    if (outcomes.cutWeight(c) === 0) plain.push(totals.leadAfterMs[c]);
    else {
      if (outcomes.keepWeight(c) > 0) kept.push(totals.leadAfterMs[c]);
      cut.push(totals.leadAfterCutMs[c]);
    }
  }
  // The same weights as keepWeight and cutWeight give each outcome (the share clamped once, in outcomesOf).
  const s = outcomes.cutShare;
  const merged = mergeWeighted([
    { values: Float64Array.from(plain).sort(), weight: 1 },
    { values: Float64Array.from(kept).sort(), weight: 1 - s },
    { values: Float64Array.from(cut).sort(), weight: s },
  ]);
  return new WeightedQuantiles(merged.values, merged.weights, outcomes.n);
}

/** Whether every outcome is the same before and after: no lead or active time any draw could see changes. */
function changesNothing(totals: CaseTotals, outcomes: Outcomes): boolean {
  for (let c = 0; c < outcomes.n; c++) {
    if (outcomes.keepWeight(c) > 0 && !Object.is(totals.leadAfterMs[c], totals.leadMs[c])) return false;
    if (outcomes.cutWeight(c) > 0 && (!Object.is(totals.leadAfterCutMs[c], totals.leadMs[c]) || !Object.is(totals.activeAfterCutMs[c], totals.activeMs[c]))) return false;
  }
  return true;
}

/** 1 below q, ½ at it, 0 above: ties at a quantile split evenly (a clump there has no side of its own). */
const sideOf = (value: number, q: number): number => (value < q ? 1 : value === q ? 0.5 : 0);

/** The D-means and the correlation matrix of the ten per-outcome deviations, and their standard deviations. */
interface Deviations {
  /** Flow efficiency Σ active ÷ Σ lead, before and after (NaN when Σ lead is 0). */
  flowBefore: number;
  flowAfter: number;
  meanBefore: number;
  meanAfter: number;
  sd: Float64Array;
  correlation: Float64Array;
}

/**
 * One pass over the outcomes for the means, one for the covariance of the ten variables [three sides of the quantiles
 * before, mean lead before, flow influence before, the same after], each outcome weighted by its probability under D.
 */
function deviationsOf(totals: CaseTotals, outcomes: Outcomes, quantilesBefore: Float64Array, quantilesAfter: Float64Array): Deviations {
  const { n } = outcomes;
  let leadSum = 0;
  let activeSum = 0;
  let leadAfterSum = 0;
  let activeAfterSum = 0;
  for (let c = 0; c < n; c++) {
    const keep = outcomes.keepWeight(c);
    const cut = outcomes.cutWeight(c);
    leadSum += totals.leadMs[c];
    activeSum += totals.activeMs[c];
    leadAfterSum += keep * totals.leadAfterMs[c] + cut * totals.leadAfterCutMs[c];
    activeAfterSum += keep * totals.activeMs[c] + cut * totals.activeAfterCutMs[c];
  }
  const meanBefore = leadSum / n;
  const meanAfter = leadAfterSum / n;
  const flowBefore = leadSum > 0 ? activeSum / leadSum : NaN;
  const flowAfter = leadAfterSum > 0 ? activeAfterSum / leadAfterSum : NaN;

  const row = new Float64Array(DIMENSION);
  const sums = new Float64Array(DIMENSION);
  const products = new Float64Array(DIMENSION * DIMENSION);
  const add = (weight: number): void => {
    for (let j = 0; j < DIMENSION; j++) {
      const wj = weight * row[j];
      sums[j] += wj;
      for (let k = 0; k <= j; k++) products[j * DIMENSION + k] += wj * row[k];
    }
  };
  const fill = (offset: number, lead: number, active: number, quantiles: Float64Array, mean: number, flow: number): void => {
    for (let q = 0; q < PROBABILITIES.length; q++) row[offset + q] = sideOf(lead, quantiles[q]);
    row[offset + PROBABILITIES.length] = lead - mean;
    row[offset + PROBABILITIES.length + 1] = Number.isNaN(flow) ? 0 : (active - flow * lead) / mean;
  };
  for (let c = 0; c < n; c++) {
    fill(0, totals.leadMs[c], totals.activeMs[c], quantilesBefore, meanBefore, flowBefore);
    const keep = outcomes.keepWeight(c);
    const cut = outcomes.cutWeight(c);
    if (keep > 0) {
      fill(SIDE, totals.leadAfterMs[c], totals.activeMs[c], quantilesAfter, meanAfter, flowAfter);
      add(keep);
    }
    if (cut > 0) {
      fill(SIDE, totals.leadAfterCutMs[c], totals.activeAfterCutMs[c], quantilesAfter, meanAfter, flowAfter);
      add(cut);
    }
  }
  const covariance = (j: number, k: number): number => {
    const [high, low] = j >= k ? [j, k] : [k, j];
    return products[high * DIMENSION + low] / n - (sums[j] / n) * (sums[k] / n);
  };
  const sd = new Float64Array(DIMENSION);
  for (let j = 0; j < DIMENSION; j++) sd[j] = Math.sqrt(Math.max(0, covariance(j, j)));
  const correlation = new Float64Array(DIMENSION * DIMENSION);
  for (let j = 0; j < DIMENSION; j++) {
    for (let k = 0; k < DIMENSION; k++) {
      const value = j === k ? 1 : sd[j] > 0 && sd[k] > 0 ? covariance(j, k) / (sd[j] * sd[k]) : 0;
      correlation[j * DIMENSION + k] = Math.min(1, Math.max(-1, value));
    }
  }
  return { flowBefore, flowAfter, meanBefore, meanAfter, sd, correlation };
}

/**
 * Lower Cholesky factor of a correlation matrix that may be singular (a deviation that is a combination of earlier
 * ones, e.g. the after median when the change moves no case across it): such a pivot's column is left 0.
 */
export function choleskySemidefinite(matrix: Float64Array, size: number): Float64Array {
  const factor = new Float64Array(size * size);
  for (let j = 0; j < size; j++) {
    let pivot = matrix[j * size + j];
    for (let k = 0; k < j; k++) pivot -= factor[j * size + k] ** 2;
    if (!(pivot > PIVOT_EPSILON)) continue;
    const root = Math.sqrt(pivot);
    factor[j * size + j] = root;
    for (let i = j + 1; i < size; i++) {
      let value = matrix[i * size + j];
      for (let k = 0; k < j; k++) value -= factor[i * size + k] * factor[j * size + k];
      factor[i * size + j] = value / root;
    }
  }
  return factor;
}

const emptyStatistics = (runs: number): RunStatistics => ({
  median: new Float64Array(runs),
  p85: new Float64Array(runs),
  p95: new Float64Array(runs),
  mean: new Float64Array(runs),
  flowEfficiency: new Float64Array(runs),
});

/**
 * `runs` runs drawn from the normal approximation of runMonteCarlo's resampling (the module comment): the same
 * statistics, before and after on the same draws, seeded. For n ≥ GAUSSIAN_MIN_CASES closed cases; any n ≥ 1 works.
 */
export function runGaussian(totals: CaseTotals, options: { runs: number; seed: number; onProgress?: (done: number, total: number) => void }): MonteCarloResult {
  const { runs, seed, onProgress } = options;
  const before = emptyStatistics(runs);
  const after = emptyStatistics(runs);
  const outcomes = outcomesOf(totals);
  const { n } = outcomes;
  if (n === 0) return { before, after };
  const beforeSide = new WeightedQuantiles(Float64Array.from(totals.leadMs).sort(), null, n);
  const afterSide = afterDistribution(totals, outcomes);
  const same = changesNothing(totals, outcomes);
  const quantilesBefore = Float64Array.from(PROBABILITIES, (p) => beforeSide.quantile(p));
  const quantilesAfter = Float64Array.from(PROBABILITIES, (p) => afterSide.quantile(p));
  const deviations = deviationsOf(totals, outcomes, quantilesBefore, quantilesAfter);
  const factor = choleskySemidefinite(deviations.correlation, DIMENSION);
  const rng = makeRng(seed);
  const normals = new Float64Array(DIMENSION);
  const drawn = new Float64Array(DIMENSION);
  const shareSd = PROBABILITIES.map((p) => Math.sqrt((p * (1 - p)) / n));
  const root = Math.sqrt(n);

  const side = (offset: number, distribution: WeightedQuantiles, mean: number, flow: number, into: RunStatistics, r: number): void => {
    into.median[r] = distribution.quantile(PROBABILITIES[0] - drawn[offset] * shareSd[0]);
    into.p85[r] = distribution.quantile(PROBABILITIES[1] - drawn[offset + 1] * shareSd[1]);
    into.p95[r] = distribution.quantile(PROBABILITIES[2] - drawn[offset + 2] * shareSd[2]);
    into.mean[r] = mean + (drawn[offset + 3] * deviations.sd[offset + 3]) / root;
    into.flowEfficiency[r] = flow + (drawn[offset + 4] * deviations.sd[offset + 4]) / root;
  };
  for (let r = 0; r < runs; r++) {
    // Uniforms strictly inside (0, 1): rng() is a multiple of 2⁻³², so half a step more is never 0 or 1.
    for (let j = 0; j < DIMENSION; j++) normals[j] = normalQuantile(rng() + 2 ** -33);
    for (let j = 0; j < DIMENSION; j++) {
      let value = 0;
      for (let k = 0; k <= j; k++) value += factor[j * DIMENSION + k] * normals[k];
      drawn[j] = value;
    }
    side(0, beforeSide, deviations.meanBefore, deviations.flowBefore, before, r);
    if (same) {
      after.median[r] = before.median[r];
      after.p85[r] = before.p85[r];
      after.p95[r] = before.p95[r];
      after.mean[r] = before.mean[r];
      after.flowEfficiency[r] = before.flowEfficiency[r];
    } else side(SIDE, afterSide, deviations.meanAfter, deviations.flowAfter, after, r);
  }
  onProgress?.(runs, runs);
  return { before, after };
}
