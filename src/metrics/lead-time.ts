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
import { kmSummary } from './survival.js';

export interface SurvivalOptions {
  seed?: number;
  level?: number;
}

/** Summary of durations with per-value censoring flags; NaN durations (cases without a boundary) are skipped. */
export function survivalSummary(durationsMs: Float64Array, censored: Uint8Array, options: SurvivalOptions = {}): SurvivalSummaryJson {
  let censoredCount = 0;
  for (let k = 0; k < durationsMs.length; k++) if (!Number.isNaN(durationsMs[k]) && censored[k] === 1) censoredCount++;
  if (censoredCount === 0) {
    return { ...summarize(durationsMs, { seed: options.seed, level: options.level }), censored: 0, method: 'empirical' };
  }
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

/** Lead time over triggered cases, open ones censored. */
export function leadTimeSummary(cases: CaseTimes, options: SurvivalOptions = {}): SurvivalSummaryJson {
  return survivalSummary(cases.leadMs, cases.censored, options);
}

/** Cycle time over cases that reached active work, open ones censored. */
export function cycleTimeSummary(cases: CaseTimes, options: SurvivalOptions = {}): SurvivalSummaryJson {
  return survivalSummary(cases.cycleMs, cases.censored, options);
}
