import { describe, expect, it } from 'vitest';
import { quantileSorted } from '../../src/metrics/distribution.js';
import { makeRng } from '../../src/metrics/random.js';
import { choleskySemidefinite, GAUSSIAN_MIN_CASES, runGaussian, WeightedQuantiles } from '../../src/vsm/simulate-gaussian.js';
import { type CaseTotals, intervalOverRuns, type MonteCarloResult, pairedDifference, runMonteCarlo, type RunStatistics } from '../../src/vsm/simulate-monte-carlo.js';

describe('WeightedQuantiles', () => {
  it('with unit weights reads ranks and type-7 quantiles exactly like quantileSorted', () => {
    const rng = makeRng(3);
    for (const n of [1, 2, 3, 10, 101]) {
      const sorted = Float64Array.from({ length: n }, () => Math.round(rng() * 50)).sort();
      const weighted = new WeightedQuantiles(sorted, null, n);
      for (let k = 0; k < n; k++) expect(weighted.valueAtRank(k)).toBe(sorted[k]);
      for (const p of [0, 0.001, 0.25, 0.5, 0.85, 0.95, 0.999, 1, -0.1, 1.1]) expect(weighted.quantile(p)).toBe(quantileSorted(sorted, p));
    }
  });
  it('reads a weighted value at every rank its weight spans (hand-computed)', () => {
    // Values 1, 2, 3 weighing 1, ½, 1½ (3 draws): rank spans [0, 1), [1, 1.5), [1.5, 3).
    const weighted = new WeightedQuantiles(Float64Array.of(1, 2, 3), Float64Array.of(1, 0.5, 1.5), 3);
    expect([0, 0.99, 1, 1.49, 1.5, 2, 2.99, 5].map((rank) => weighted.valueAtRank(rank))).toEqual([1, 1, 2, 2, 3, 3, 3, 3]);
    // h = 2·½ = 1: rank 1 → 2. h = 2·¾ = 1.5: ranks 1 and 2 → 2 + ½·(3 − 2).
    expect(weighted.quantile(0.5)).toBe(2);
    expect(weighted.quantile(0.75)).toBe(2.5);
  });
});

describe('choleskySemidefinite', () => {
  it('factors a correlation matrix, and leaves 0 for a pivot that repeats an earlier variable', () => {
    expect([...choleskySemidefinite(Float64Array.of(1, 0.6, 0.6, 1), 2)].map((x) => Math.round(x * 1e12) / 1e12)).toEqual([1, 0, 0.6, 0.8]);
    expect([...choleskySemidefinite(Float64Array.of(1, 1, 1, 1), 2)]).toEqual([1, 0, 1, 0]);
    expect([...choleskySemidefinite(Float64Array.of(1, -1, 0, -1, 1, 0, 0, 0, 1), 3)]).toEqual([1, 0, 0, -1, 0, 0, 0, 0, 1]);
  });
});

/**
 * n closed cases whose lead times have a clump and a gap (70 % around 2 days, 25 % around 8, 5 % around 30): the
 * resampling's p85 and p95 intervals are then lopsided, which a symmetric normal interval would miss. The change
 * takes 30 % off the leads of every third case; every fourth case has a loop the cut removes (another 40 %).
 */
function lumpyTotals(n: number, seed: number, cutShare = 0.5): CaseTotals {
  const rng = makeRng(seed);
  const day = 86_400_000;
  const leadMs = Float64Array.from({ length: n }, () => {
    const u = rng();
    const centre = u < 0.7 ? 2 : u < 0.95 ? 8 : 30;
    return Math.round(centre * day * (0.6 + 0.8 * rng()));
  });
  const leadAfterMs = leadMs.map((ms, c) => (c % 3 === 0 ? Math.round(ms * 0.7) : ms));
  return {
    leadMs,
    leadAfterMs,
    leadAfterCutMs: leadAfterMs.map((ms) => Math.round(ms * 0.6)),
    activeMs: leadMs.map((ms) => Math.round(ms * (0.05 + 0.3 * rng()))),
    activeAfterCutMs: leadMs.map((ms) => Math.round(ms * 0.04)),
    cuttable: Uint8Array.from({ length: n }, (_, c) => (c % 4 === 0 ? 1 : 0)),
    cutShare,
  };
}

type Named = Record<string, ReturnType<typeof intervalOverRuns>>;
const KEYS: ReadonlyArray<keyof RunStatistics> = ['median', 'p85', 'p95', 'mean', 'flowEfficiency'];

function intervalsOf(result: MonteCarloResult): Named {
  const named: Named = {};
  for (const key of KEYS) {
    named[`before ${key}`] = intervalOverRuns(result.before[key]);
    named[`after ${key}`] = intervalOverRuns(result.after[key]);
    named[`difference ${key}`] = intervalOverRuns(pairedDifference(result.after[key], result.before[key]));
  }
  return named;
}

/** Largest distance between the two methods' estimate and ends, as a share of the resampling interval's width. */
function worstGap(resampled: Named, approximated: Named): { key: string; share: number } {
  let worst = { key: '', share: 0 };
  for (const [key, interval] of Object.entries(resampled)) {
    const other = approximated[key];
    if (interval === null || other === null) throw new Error(`${key}: no interval`);
    const width = interval.ciHigh - interval.ciLow;
    for (const end of ['estimate', 'ciLow', 'ciHigh'] as const) {
      const share = Math.abs(other[end] - interval[end]) / width;
      if (share > worst.share) worst = { key: `${key} ${end}`, share };
    }
  }
  return worst;
}

describe('runGaussian against runMonteCarlo', () => {
  // 20,000 cases (the switch) × 4,000 resampled runs: about 1 s. The 2.5th and 97.5th percentiles of 4,000 runs are
  // themselves uncertain by about 4 % of the interval's width, so the bound leaves room for that, not for an error.
  const n = GAUSSIAN_MIN_CASES;
  const totals = lumpyTotals(n, 11);
  const resampled = intervalsOf(runMonteCarlo(totals, { runs: 4_000, seed: 5 }));
  const approximated = intervalsOf(runGaussian(totals, { runs: 10_000, seed: 9 }));

  it('gives every estimate and both ends of every interval within 12 % of the resampling interval\'s width', () => {
    // Measured: the worst of the 45 figures is 3.3 % of its width (seeds 5 and 9; 3.1–6.4 % with seeds 6–8 for the
    // resampling); with the before and after deviations drawn independently (no pairing) it is 209 %. At 10,000 cases
    // this log's after-p95 end was 6–12 % off, which is why the switch is not lower.
    expect(worstGap(resampled, approximated).share).toBeLessThan(0.12);
  });
  it('keeps the lopsided p95 interval of a clumped log (a symmetric interval would not)', () => {
    for (const key of ['before p95', 'after p95']) {
      const mc = resampled[key];
      const normal = approximated[key];
      if (mc === null || normal === null) throw new Error('no interval');
      const lopsided = (interval: { estimate: number; ciLow: number; ciHigh: number }) => (interval.ciHigh - interval.estimate) / (interval.estimate - interval.ciLow);
      expect(Math.abs(lopsided(normal) - lopsided(mc))).toBeLessThan(0.35 * lopsided(mc) + 0.2);
    }
  });
  // Measured (seed 5): difference ÷ before width, approximated against resampled: median 1.29 / 1.30 (the change moves
  // a third of the cases, so the median's difference is not tight), p85 0.75 / 0.74, mean 0.26 / 0.26.
  it('pairs before and after like the resampling: the difference\'s width over the before width agrees within 15 %', () => {
    const widthRatio = (named: Named, key: string): number => {
      const difference = named[`difference ${key}`];
      const before = named[`before ${key}`];
      if (difference === null || before === null) throw new Error('no interval');
      return (difference.ciHigh - difference.ciLow) / (before.ciHigh - before.ciLow);
    };
    for (const key of ['median', 'p85', 'mean']) {
      expect(Math.abs(widthRatio(approximated, key) / widthRatio(resampled, key) - 1)).toBeLessThan(0.15);
    }
  });
  it('agrees with every cut share, from none to all', () => {
    for (const cutShare of [0, 1]) {
      const shareTotals = lumpyTotals(n, 12, cutShare);
      const gap = worstGap(intervalsOf(runMonteCarlo(shareTotals, { runs: 2_000, seed: 3 })), intervalsOf(runGaussian(shareTotals, { runs: 4_000, seed: 4 })));
      expect(gap.share, gap.key).toBeLessThan(0.15);
    }
  });
});

describe('runGaussian', () => {
  it('without a change gives the after side the before side\'s runs to the bit and differences of exactly 0', () => {
    const base = lumpyTotals(5_000, 2);
    const unchanged: CaseTotals = { ...base, leadAfterMs: base.leadMs, leadAfterCutMs: base.leadMs, activeAfterCutMs: base.activeMs };
    const result = runGaussian(unchanged, { runs: 500, seed: 1 });
    for (const key of KEYS) {
      expect(result.after[key]).toEqual(result.before[key]);
      expect(pairedDifference(result.after[key], result.before[key]).every((value) => value === 0)).toBe(true);
    }
  });
  it('is seeded: the same seed gives the same runs, another seed other runs', () => {
    const totals = lumpyTotals(3_000, 4);
    expect(runGaussian(totals, { runs: 200, seed: 8 })).toEqual(runGaussian(totals, { runs: 200, seed: 8 }));
    expect(runGaussian(totals, { runs: 200, seed: 9 }).before.median).not.toEqual(runGaussian(totals, { runs: 200, seed: 8 }).before.median);
  });
  it('gives NaN flow efficiency when no case has lead time, as the resampling does', () => {
    const zero: CaseTotals = { leadMs: new Float64Array(4), leadAfterMs: new Float64Array(4), leadAfterCutMs: new Float64Array(4), activeMs: new Float64Array(4), activeAfterCutMs: new Float64Array(4), cuttable: new Uint8Array(4), cutShare: 0 };
    const result = runGaussian(zero, { runs: 10, seed: 1 });
    expect(result.before.flowEfficiency.every(Number.isNaN)).toBe(true);
    expect([...result.before.median]).toEqual(new Array(10).fill(0));
    expect(intervalOverRuns(runMonteCarlo(zero, { runs: 10, seed: 1 }).before.flowEfficiency)).toBeNull();
  });
  it('tells onProgress it is done', () => {
    const calls: Array<[number, number]> = [];
    runGaussian(lumpyTotals(100, 1), { runs: 30, seed: 1, onProgress: (done, total) => calls.push([done, total]) });
    expect(calls).toEqual([[30, 30]]);
  });
});
