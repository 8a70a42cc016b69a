import { describe, expect, it } from 'vitest';
import type { SurvivalSummaryJson } from '../../src/contracts/report-schema.js';
import { summarize, THIN_EVIDENCE_N } from '../../src/metrics/distribution.js';
import { survivalSummary } from '../../src/metrics/lead-time.js';
import { makeRng } from '../../src/metrics/random.js';
import { kmSummary } from '../../src/metrics/survival.js';

/** survivalSummary as it was before h26-cases: an `observed` column, then kmSummary's own count and split. */
function survivalSummaryBefore(durationsMs: Float64Array, censored: Uint8Array, options: { seed?: number; level?: number } = {}): SurvivalSummaryJson {
  let censoredCount = 0;
  for (let k = 0; k < durationsMs.length; k++) if (!Number.isNaN(durationsMs[k]) && censored[k] === 1) censoredCount++;
  if (censoredCount === 0) return { ...summarize(durationsMs, { seed: options.seed, level: options.level }), censored: 0, method: 'empirical' };
  const observed = new Uint8Array(durationsMs.length);
  let n = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < durationsMs.length; k++) {
    const ms = durationsMs[k];
    if (Number.isNaN(ms)) continue;
    observed[k] = censored[k] === 1 ? 0 : 1;
    n++;
    sum += ms;
    if (ms < min) min = ms;
    if (ms > max) max = ms;
  }
  const km = kmSummary(durationsMs, observed, { level: options.level });
  return { n, mean: null, median: km.median, p85: km.p85, p95: km.p95, min, max, sum, ciLow: km.ciLow, ciHigh: km.ciHigh, thin: n < THIN_EVIDENCE_N, censored: km.censored, method: 'kaplan-meier' };
}

describe('survivalSummary (one stats pass, split without an observed column)', () => {
  it('equals the version before on 400 random columns: NaN, ties, fractions, −0, censored shares from none to all', () => {
    const rng = makeRng(21);
    for (let run = 0; run < 400; run++) {
      const length = Math.floor(rng() * (run % 20 === 0 ? 5000 : 60));
      const censoredShare = [0, 0.01, 0.3, 1][run % 4];
      const durations = new Float64Array(length);
      const censored = new Uint8Array(length);
      for (let k = 0; k < length; k++) {
        const draw = rng();
        durations[k] = draw < 0.1 ? NaN : draw < 0.15 ? -0 : draw < 0.3 ? Math.floor(rng() * 5) : run % 3 === 0 ? rng() * 1e6 : Math.floor(rng() * 1e9);
        censored[k] = rng() < censoredShare ? 1 : 0;
      }
      const options = { seed: 4, level: run % 5 === 0 ? 0.9 : undefined };
      expect(survivalSummary(durations, censored, options), `run ${run}`).toEqual(survivalSummaryBefore(durations, censored, options));
    }
  });
});
