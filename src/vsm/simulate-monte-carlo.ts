/**
 * The Monte Carlo core of `vsm simulate`: each run draws n cases with replacement from the measured closed cases
 * and computes the lead-time median, p85, p95, mean and the pooled flow efficiency, before and after the change,
 * on the same draws (paired, so the difference has a tight interval). Cases carry precomputed totals only: the
 * lead time before, the lead time after without and with the rework cut, active time and what the cut removes.
 * No per-draw array is built or sorted: each run counts draws per rank of the pre-sorted values and walks the
 * counts to the needed ranks (O(n) per run), giving the type-7 quantiles of the resample exactly.
 */
import { quantileSorted } from '../metrics/distribution.js';

export interface CaseTotals {
  /** Calendar ms per closed case. */
  leadMs: Float64Array;
  leadAfterMs: Float64Array;
  /** Lead after when the case's rework loop is cut too. */
  leadAfterCutMs: Float64Array;
  activeMs: Float64Array;
  activeAfterCutMs: Float64Array;
  /** 1 when the case has loop repeats the cut can remove. */
  cuttable: Uint8Array;
  /** Probability a cuttable case loses its loop repeats in a draw. */
  cutShare: number;
}

export interface RunStatistics {
  median: Float64Array;
  p85: Float64Array;
  p95: Float64Array;
  mean: Float64Array;
  flowEfficiency: Float64Array;
}

export interface MonteCarloResult {
  before: RunStatistics;
  after: RunStatistics;
}

const PROBABILITIES = [0.5, 0.85, 0.95] as const;

function runStatistics(runs: number): RunStatistics {
  return { median: new Float64Array(runs), p85: new Float64Array(runs), p95: new Float64Array(runs), mean: new Float64Array(runs), flowEfficiency: new Float64Array(runs) };
}

/** Sorted copy of values and, per value, its position in the sorted copy. */
function rankOf(values: Float64Array): { sorted: Float64Array; rank: Int32Array } {
  const order = Array.from({ length: values.length }, (_, k) => k).sort((a, b) => values[a] - values[b] || a - b);
  const sorted = new Float64Array(values.length);
  const rank = new Int32Array(values.length);
  order.forEach((index, position) => {
    sorted[position] = values[index];
    rank[index] = position;
  });
  return { sorted, rank };
}

/** Type-7 quantiles (PROBABILITIES) of `draws` values given as counts per index of an ascending array; one walk. */
function quantilesFromCounts(sorted: Float64Array, counts: Int32Array, draws: number, out: Float64Array): void {
  let index = 0;
  let below = 0;
  const valueAtRank = (rank: number): number => {
    while (below + counts[index] <= rank) below += counts[index++];
    return sorted[index];
  };
  for (let k = 0; k < PROBABILITIES.length; k++) {
    const h = (draws - 1) * PROBABILITIES[k];
    const lowRank = Math.floor(h);
    const low = valueAtRank(lowRank);
    const fraction = h - lowRank;
    out[k] = fraction === 0 ? low : low + fraction * (valueAtRank(lowRank + 1) - low);
  }
}

/** Runs between two calls of runMonteCarlo's onProgress (a call is cheap; the caller throttles its drawing). */
const PROGRESS_EVERY_RUNS = 16;

/**
 * `runs` bootstrap resamples of the closed cases (the module comment); `onProgress` is told the runs done now and
 * then: `vsm simulate` draws a progress line, since 10,000 runs of 600,000 cases take minutes (docs/commands.md).
 */
export function runMonteCarlo(totals: CaseTotals, options: { runs: number; seed: number; onProgress?: (done: number, total: number) => void }): MonteCarloResult {
  const { runs, seed, onProgress } = options;
  const n = totals.leadMs.length;
  const before = runStatistics(runs);
  const after = runStatistics(runs);
  if (n === 0) return { before, after };
  const beforeRanks = rankOf(totals.leadMs);
  // After values: slot c without the cut, slot n + c with it; a draw picks one of the two for its case.
  const afterPool = new Float64Array(2 * n);
  afterPool.set(totals.leadAfterMs);
  afterPool.set(totals.leadAfterCutMs, n);
  const afterRanks = rankOf(afterPool);
  const countsBefore = new Int32Array(n);
  const countsAfter = new Int32Array(2 * n);
  const quantiles = new Float64Array(PROBABILITIES.length);
  const { leadMs, leadAfterMs, leadAfterCutMs, activeMs, activeAfterCutMs, cuttable, cutShare } = totals;
  const rankBefore = beforeRanks.rank;
  const rankAfter = afterRanks.rank;
  // makeRng's Mulberry32 stream, inlined: a closure call per draw costs more than the draw itself.
  let state = seed >>> 0;

  for (let r = 0; r < runs; r++) {
    if (onProgress !== undefined && r % PROGRESS_EVERY_RUNS === 0) onProgress(r, runs);
    countsBefore.fill(0);
    countsAfter.fill(0);
    let leadSum = 0;
    let activeSum = 0;
    let leadAfterSum = 0;
    let activeAfterSum = 0;
    for (let draw = 0; draw < n; draw++) {
      state = (state + 0x6d2b79f5) | 0;
      let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
      mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
      const c = ((((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296) * n) | 0;
      countsBefore[rankBefore[c]]++;
      leadSum += leadMs[c];
      activeSum += activeMs[c];
      let cut = false;
      if (cuttable[c] === 1) {
        state = (state + 0x6d2b79f5) | 0;
        let mixedCut = Math.imul(state ^ (state >>> 15), 1 | state);
        mixedCut = (mixedCut + Math.imul(mixedCut ^ (mixedCut >>> 7), 61 | mixedCut)) ^ mixedCut;
        cut = ((mixedCut ^ (mixedCut >>> 14)) >>> 0) / 4294967296 < cutShare;
      }
      if (cut) {
        countsAfter[rankAfter[n + c]]++;
        leadAfterSum += leadAfterCutMs[c];
        activeAfterSum += activeAfterCutMs[c];
      } else {
        countsAfter[rankAfter[c]]++;
        leadAfterSum += leadAfterMs[c];
        activeAfterSum += activeMs[c];
      }
    }
    quantilesFromCounts(beforeRanks.sorted, countsBefore, n, quantiles);
    before.median[r] = quantiles[0];
    before.p85[r] = quantiles[1];
    before.p95[r] = quantiles[2];
    before.mean[r] = leadSum / n;
    before.flowEfficiency[r] = leadSum > 0 ? activeSum / leadSum : NaN;
    quantilesFromCounts(afterRanks.sorted, countsAfter, n, quantiles);
    after.median[r] = quantiles[0];
    after.p85[r] = quantiles[1];
    after.p95[r] = quantiles[2];
    after.mean[r] = leadAfterSum / n;
    after.flowEfficiency[r] = leadAfterSum > 0 ? activeAfterSum / leadAfterSum : NaN;
  }
  onProgress?.(runs, runs);
  return { before, after };
}

export interface RunInterval {
  /** Median over runs. */
  estimate: number;
  /** 2.5th and 97.5th percentiles over runs. */
  ciLow: number;
  ciHigh: number;
}

/** Median and central 95 % of a statistic over runs (NaN runs dropped); null when no run has a value. */
export function intervalOverRuns(values: Float64Array, level = 0.95): RunInterval | null {
  const finite = values.filter((value) => !Number.isNaN(value)).sort();
  if (finite.length === 0) return null;
  return { estimate: quantileSorted(finite, 0.5), ciLow: quantileSorted(finite, (1 - level) / 2), ciHigh: quantileSorted(finite, (1 + level) / 2) };
}

/** Paired per-run difference after − before. */
export function pairedDifference(after: Float64Array, before: Float64Array): Float64Array {
  const diff = new Float64Array(after.length);
  for (let r = 0; r < after.length; r++) diff[r] = after[r] - before[r];
  return diff;
}
