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
