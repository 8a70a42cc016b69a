/**
 * Lead time (trigger → outcome) and cycle time (first active → outcome) over cases (DESIGN §4). Open cases are
 * right-censored at asOf: when any is, the percentiles are Kaplan–Meier estimates (a censored case counts as
 * "at least this long") and the mean is null (it is not identifiable without modelling the tail); min, max and
 * sum are over all cases, censored durations included as measured so far. Without censoring the ordinary
 * (type 7) quantiles and the seeded bootstrap interval are used, so numbers match PM4Py / numpy there.
 */
import type { CaseTimes } from '../traces/step-visits.js';
import type { SurvivalSummaryJson } from '../contracts/report-schema.js';
import { summarize, THIN_EVIDENCE_N } from './distribution.js';
import { kmSummaryCensored } from './survival.js';

export interface SurvivalOptions {
  seed?: number;
  level?: number;
}

/** Summary of durations with per-value censoring flags; NaN durations (cases without a boundary) are skipped. */
export function survivalSummary(durationsMs: Float64Array, censored: Uint8Array, options: SurvivalOptions = {}): SurvivalSummaryJson {
  const stats = survivalStatsScratch;
  survivalStats(durationsMs, censored, stats);
  const censoredCount = stats[1];
  if (censoredCount === 0) {
    return { ...summarize(durationsMs, { seed: options.seed, level: options.level }), censored: 0, method: 'empirical' };
  }
  const n = stats[0];
  const sum = stats[2];
  const min = stats[3];
  const max = stats[4];
  const km = kmSummaryCensored(durationsMs, censored, n - censoredCount, censoredCount, { level: options.level });
  return {
    n,
    mean: null,
    median: km.median,
    p85: km.p85,
    p95: km.p95,
    min,
    max,
    sum,
    ciLow: km.ciLow,
    ciHigh: km.ciHigh,
    thin: n < THIN_EVIDENCE_N,
    censored: km.censored,
    method: 'kaplan-meier',
  };
}

/** survivalStats' results: n, censored count, sum, min, max. */
const survivalStatsScratch = new Float64Array(5);

/**
 * n, censored count, sum (in index order), min and max of the durations that are not NaN, in one pass. A leaf
 * function over typed arrays (V8 optimises its loop once and keeps it; the two loops inside survivalSummary were
 * each deoptimised after their first call).
 */
function survivalStats(durationsMs: Float64Array, censored: Uint8Array, stats: Float64Array): void {
  let n = 0;
  let censoredCount = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  const length = durationsMs.length;
  for (let k = 0; k < length; k++) {
    const ms = durationsMs[k];
    if (Number.isNaN(ms)) continue;
    // Adds 0 or 1 (not an increment only censored cases reach: with a few hundred of them among 120,000, the increment
    // had no type feedback when V8 compiled the loop on the fly, and that code was thrown away at the first one).
    censoredCount += censored[k] === 1 ? 1 : 0;
    n++;
    sum += ms;
    if (ms < min) min = ms;
    if (ms > max) max = ms;
  }
  stats[0] = n;
  stats[1] = censoredCount;
  stats[2] = sum;
  stats[3] = min;
  stats[4] = max;
}

/** Lead time over triggered cases, open ones censored. */
export function leadTimeSummary(cases: CaseTimes, options: SurvivalOptions = {}): SurvivalSummaryJson {
  return survivalSummary(cases.leadMs, cases.censored, options);
}

/** Cycle time over cases that reached active work, open ones censored. */
export function cycleTimeSummary(cases: CaseTimes, options: SurvivalOptions = {}): SurvivalSummaryJson {
  return survivalSummary(cases.cycleMs, cases.censored, options);
}
