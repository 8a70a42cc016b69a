import { describe, expect, it } from 'vitest';
import { makeRng } from '../../src/metrics/random.js';
import { runMonteCarlo } from '../../src/vsm/simulate-monte-carlo.js';

describe('Monte Carlo on 5,000 cases × 10,000 runs', () => {
  it('pairs the draws: every run\'s after median is at most its before median', () => {
    const n = 5_000;
    const rng = makeRng(1);
    const leadMs = Float64Array.from({ length: n }, () => rng() * 1e9);
    const totals = {
      leadMs,
      leadAfterMs: leadMs.map((ms) => ms * 0.8),
      leadAfterCutMs: leadMs.map((ms) => ms * 0.6),
      activeMs: leadMs.map((ms) => ms * 0.1),
      activeAfterCutMs: leadMs.map((ms) => ms * 0.05),
      cuttable: Uint8Array.from({ length: n }, (_, k) => (k % 5 === 0 ? 1 : 0)),
      cutShare: 0.5,
    };
    // Speed is measured by the benchmarks, not here (about 1–1.7 s on 2 busy vCPUs at this size).
    const result = runMonteCarlo(totals, { runs: 10_000, seed: 42 });
    expect(result.before.median).toHaveLength(10_000);
    // Sanity: after ≤ before in every run (every case's after value is at most its before value, draws are paired).
    expect(result.after.median.every((ms, r) => ms <= result.before.median[r])).toBe(true);
  });
});

/**
 * runMonteCarlo written plainly (the closure RNG, each resample expanded and read at its ranks): the inlined stream and
 * the count walk must give its runs to the bit — the same draws, the same sums in the same order, the same quantiles.
 */
function referenceMonteCarlo(totals: Parameters<typeof runMonteCarlo>[0], runs: number, seed: number) {
  const n = totals.leadMs.length;
  const stats = () => ({ median: new Float64Array(runs), p85: new Float64Array(runs), p95: new Float64Array(runs), mean: new Float64Array(runs), flowEfficiency: new Float64Array(runs) });
  const before = stats();
  const after = stats();
  const rankOf = (values: Float64Array) => {
    const order = Array.from({ length: values.length }, (_, k) => k).sort((a, b) => values[a] - values[b] || a - b);
    const rank = new Int32Array(values.length);
    order.forEach((index, position) => (rank[index] = position));
    return { sorted: Float64Array.from(order, (index) => values[index]), rank };
  };
  const quantilesOf = (sorted: Float64Array, counts: Int32Array) =>
    [0.5, 0.85, 0.95].map((p) => {
      const expanded: number[] = [];
      counts.forEach((count, index) => {
        for (let k = 0; k < count; k++) expanded.push(sorted[index]);
      });
      const h = (expanded.length - 1) * p;
      const low = Math.floor(h);
      return h === low ? expanded[low] : expanded[low] + (h - low) * (expanded[low + 1] - expanded[low]);
    });
  const beforeRanks = rankOf(totals.leadMs);
  const afterRanks = rankOf(Float64Array.from([...totals.leadAfterMs, ...totals.leadAfterCutMs]));
  const rng = makeRng(seed);
  for (let r = 0; r < runs; r++) {
    const countsBefore = new Int32Array(n);
    const countsAfter = new Int32Array(2 * n);
    let leadSum = 0;
    let activeSum = 0;
    let leadAfterSum = 0;
    let activeAfterSum = 0;
    for (let draw = 0; draw < n; draw++) {
      const c = (rng() * n) | 0;
      countsBefore[beforeRanks.rank[c]]++;
      leadSum += totals.leadMs[c];
      activeSum += totals.activeMs[c];
      const cut = totals.cuttable[c] === 1 && rng() < totals.cutShare;
      countsAfter[afterRanks.rank[cut ? n + c : c]]++;
      leadAfterSum += cut ? totals.leadAfterCutMs[c] : totals.leadAfterMs[c];
      activeAfterSum += cut ? totals.activeAfterCutMs[c] : totals.activeMs[c];
    }
    [before.median[r], before.p85[r], before.p95[r]] = quantilesOf(beforeRanks.sorted, countsBefore);
    [after.median[r], after.p85[r], after.p95[r]] = quantilesOf(afterRanks.sorted, countsAfter);
    before.mean[r] = leadSum / n;
    before.flowEfficiency[r] = leadSum > 0 ? activeSum / leadSum : NaN;
    after.mean[r] = leadAfterSum / n;
    after.flowEfficiency[r] = leadAfterSum > 0 ? activeAfterSum / leadAfterSum : NaN;
  }
  return { before, after };
}

describe('runMonteCarlo against the reference', () => {
  it.each([1, 2, 3])('gives the reference\'s runs to the bit (seed %i: ties, NaN-free, a third cuttable)', (seed) => {
    const rng = makeRng(seed);
    const n = 300;
    // Whole minutes, so some lead times tie; a third of the cases cuttable.
    const leadMs = Float64Array.from({ length: n }, () => Math.floor(rng() * 500) * 60_000);
    const totals = {
      leadMs,
      leadAfterMs: leadMs.map((ms) => ms * 0.9),
      leadAfterCutMs: leadMs.map((ms) => ms * 0.5),
      activeMs: leadMs.map((ms, k) => (k % 7 === 0 ? 0 : ms * 0.2)),
      activeAfterCutMs: leadMs.map((ms) => ms * 0.1),
      cuttable: Uint8Array.from({ length: n }, () => (rng() < 1 / 3 ? 1 : 0)),
      cutShare: 0.4,
    };
    const runs = 60;
    const onProgress: Array<[number, number]> = [];
    const result = runMonteCarlo(totals, { runs, seed: 100 + seed, onProgress: (done, total) => onProgress.push([done, total]) });
    expect(result).toEqual(referenceMonteCarlo(totals, runs, 100 + seed));
    // Told at the start, every 16 runs, and at the end.
    expect(onProgress).toEqual([[0, 60], [16, 60], [32, 60], [48, 60], [60, 60]]);
  });
});
