/**
 * Kaplan–Meier estimates for right-censored durations: open cases (still in progress at the log's end) count as
 * "at least this long" instead of being dropped or treated as finished (DESIGN.md §4 "Lead time").
 */
import { normalQuantile } from './distribution.js';
import { sortFloat64 } from './radix-sort.js';

export interface KaplanMeierCurve {
  /** Distinct times with at least one observed event, ascending. */
  timesMs: number[];
  /** S(t) just after each time: the estimated share of cases still open. */
  survival: number[];
  /** Cases at risk just before each time (censored at the same time count as at risk: events come first). */
  atRisk: number[];
  /** Events (observed ends) at each time. */
  events: number[];
}

export interface KmSummary {
  n: number;
  censored: number;
  median: number | null;
  p85: number | null;
  p95: number | null;
  /** Brookmeyer–Crowley interval for the median; ciHigh is null when the upper band never reaches ½. */
  ciLow: number | null;
  ciHigh: number | null;
}

/** S values equal to 1 − p up to rounding of the running product count as reached. */
const SURVIVAL_TOLERANCE = 1e-12;

/**
 * Kaplan–Meier product-limit estimate. `observed[k]` is true when duration k ended in an event, false when it is
 * censored (still open). NaN durations are skipped.
 * @example kaplanMeier([1, 2, 2, 3], [true, true, false, true]) // S: 0.75, 0.5, 0
 */
export function kaplanMeier(durationsMs: Float64Array | number[], observed: Uint8Array | boolean[]): KaplanMeierCurve {
  const columns = kaplanMeierColumns(durationsMs, observed);
  return { timesMs: Array.from(columns.timesMs), survival: Array.from(columns.survival), atRisk: Array.from(columns.atRisk), events: Array.from(columns.events) };
}

/** The curve in typed columns (one slot per event at most): growing four JS arrays cost more than the estimate. */
interface KaplanMeierColumns {
  timesMs: Float64Array;
  survival: Float64Array;
  atRisk: Float64Array;
  events: Float64Array;
}

/** The event times and the censored times, each ascending (NaN durations skipped). */
function sortedTimes(durationsMs: Float64Array | number[], observed: Uint8Array | boolean[]): { eventTimes: Float64Array; censoredTimes: Float64Array } {
  let eventCount = 0;
  let censoredCount = 0;
  for (let k = 0; k < durationsMs.length; k++) {
    if (Number.isNaN(durationsMs[k])) continue;
    if (observed[k]) eventCount++;
    else censoredCount++;
  }
  const eventTimes = new Float64Array(eventCount);
  const censoredTimes = new Float64Array(censoredCount);
  let e = 0;
  let c = 0;
  for (let k = 0; k < durationsMs.length; k++) {
    if (Number.isNaN(durationsMs[k])) continue;
    if (observed[k]) eventTimes[e++] = durationsMs[k];
    else censoredTimes[c++] = durationsMs[k];
  }
  sortFloat64(eventTimes);
  sortFloat64(censoredTimes);
  return { eventTimes, censoredTimes };
}

/**
 * Walks a Kaplan–Meier curve over sorted event and censoring times, one distinct event time at a time: `visit` gets the
 * time, S(t) just after it, the risk set just before it and the events at it, and returns false to stop the walk.
 * Cases censored before a time leave the risk set before it (censored at the same time stay in it, as in R's survfit).
 */
function walkKaplanMeier(eventTimes: Float64Array, censoredTimes: Float64Array, visit: (timeMs: number, survival: number, atRisk: number, deaths: number) => boolean): void {
  const eventCount = eventTimes.length;
  const censoredCount = censoredTimes.length;
  let atRisk = eventCount + censoredCount;
  let survival = 1;
  let c = 0;
  for (let e = 0; e < eventCount; ) {
    const timeMs = eventTimes[e];
    while (c < censoredCount && censoredTimes[c] < timeMs) {
      atRisk--;
      c++;
    }
    let deaths = 0;
    while (e < eventCount && eventTimes[e] === timeMs) {
      deaths++;
      e++;
    }
    survival *= 1 - deaths / atRisk;
    if (!visit(timeMs, survival, atRisk, deaths)) return;
    atRisk -= deaths;
  }
}

function kaplanMeierColumns(durationsMs: Float64Array | number[], observed: Uint8Array | boolean[]): KaplanMeierColumns {
  const { eventTimes, censoredTimes } = sortedTimes(durationsMs, observed);
  const eventCount = eventTimes.length;
  const timesMs = new Float64Array(eventCount);
  const survivals = new Float64Array(eventCount);
  const atRisks = new Float64Array(eventCount);
  const events = new Float64Array(eventCount);
  let points = 0;
  walkKaplanMeier(eventTimes, censoredTimes, (timeMs, survival, atRisk, deaths) => {
    timesMs[points] = timeMs;
    survivals[points] = survival;
    atRisks[points] = atRisk;
    events[points++] = deaths;
    return true;
  });
  return { timesMs: timesMs.subarray(0, points), survival: survivals.subarray(0, points), atRisk: atRisks.subarray(0, points), events: events.subarray(0, points) };
}

/**
 * The p-quantile of a Kaplan–Meier curve: the first event time at which S(t) ≤ 1 − p; null when censoring keeps
 * S above 1 − p. Without censoring this is the inverse empirical CDF, x(⌈n·p⌉) (R quantile type 1), so for an
 * even n the median is the lower middle value, not the mean of the middle two as in `quantileSorted`.
 */
export function kmQuantile(km: Pick<KaplanMeierCurve | KaplanMeierColumns, 'timesMs' | 'survival'>, p: number): number | null {
  const threshold = 1 - p + SURVIVAL_TOLERANCE;
  for (let k = 0; k < km.timesMs.length; k++) if (km.survival[k] <= threshold) return km.timesMs[k];
  return null;
}

/**
 * n, censored count, KM median / p85 / p95, and the Brookmeyer–Crowley interval for the median: the times where
 * the pointwise band of S(t) (Greenwood variance on the log scale, as R's survfit default `conf.type = "log"`)
 * first drops to ½. Deterministic, so it needs no seed.
 */
export function kmSummary(durationsMs: Float64Array | number[], observed: Uint8Array | boolean[], options: { level?: number } = {}): KmSummary {
  const { eventTimes, censoredTimes } = sortedTimes(durationsMs, observed);
  return kmSummaryOfSorted(eventTimes, censoredTimes, options);
}

/**
 * kmSummary of durations whose `censored[k] === 1` marks a censored one (the case columns' flag), NaN skipped: the
 * event and censored times split in one leaf loop over typed arrays (no `observed` column, no count pass of its own).
 */
export function kmSummaryCensored(durationsMs: Float64Array, censored: Uint8Array, eventCount: number, censoredCount: number, options: { level?: number } = {}): KmSummary {
  const eventTimes = new Float64Array(eventCount);
  const censoredTimes = new Float64Array(censoredCount);
  splitTimes(durationsMs, censored, eventTimes, censoredTimes);
  sortFloat64(eventTimes);
  sortFloat64(censoredTimes);
  return kmSummaryOfSorted(eventTimes, censoredTimes, options);
}

/** The durations (NaN skipped) into event times and censored times (`censored[k] === 1`), each in index order. */
function splitTimes(durationsMs: Float64Array, censored: Uint8Array, eventTimes: Float64Array, censoredTimes: Float64Array): void {
  let e = 0;
  let c = 0;
  const length = durationsMs.length;
  for (let k = 0; k < length; k++) {
    const ms = durationsMs[k];
    if (Number.isNaN(ms)) continue;
    // Branch-free (a target and an index chosen, both counters moved by 0 or 1): with few censored cases, a store
    // only they reached was cold when V8 compiled the loop on the fly, and that code was thrown away at the first one.
    const isCensored = censored[k] === 1 ? 1 : 0;
    const target = isCensored === 1 ? censoredTimes : eventTimes;
    target[isCensored === 1 ? c : e] = ms;
    c += isCensored;
    e += 1 - isCensored;
  }
}

/** kmSummary of event and censored times already sorted ascending. */
function kmSummaryOfSorted(eventTimes: Float64Array, censoredTimes: Float64Array, options: { level?: number }): KmSummary {
  const { level = 0.95 } = options;
  const n = eventTimes.length + censoredTimes.length;
  const found = kmFoundScratch;
  kmWalkSummary(eventTimes, censoredTimes, normalQuantile((1 + level) / 2), found);
  const orNull = (timeMs: number): number | null => (Number.isNaN(timeMs) ? null : timeMs);
  return { n, censored: censoredTimes.length, median: orNull(found[0]), p85: orNull(found[1]), p95: orNull(found[2]), ciLow: orNull(found[3]), ciHigh: orNull(found[4]) };
}

/** kmWalkSummary's results: median, p85, p95, ciLow, ciHigh (NaN: not reached). */
const kmFoundScratch = new Float64Array(5);

/**
 * One walk of the curve as walkKaplanMeier makes it (same products, same order) and kaplanMeierColumns would store
 * it, without its four columns: the median, p85 and p95 times and the Brookmeyer–Crowley interval into found[0..4]
 * (NaN when the curve does not reach it; an event time is never NaN). It stops once the p95 time and the interval's
 * upper end are found (issue 14: lead time at 5 M events). A leaf with the walk inlined, the results in locals: through
 * walkKaplanMeier's callback, which wrote variables of its closure, the walk cost ≈ 20 ms at 1 M events, mostly cold.
 */
function kmWalkSummary(eventTimes: Float64Array, censoredTimes: Float64Array, z: number, found: Float64Array): void {
  const medianAt = 1 - 0.5 + SURVIVAL_TOLERANCE;
  const p85At = 1 - 0.85 + SURVIVAL_TOLERANCE;
  const p95At = 1 - 0.95 + SURVIVAL_TOLERANCE;
  const bandAt = 0.5 + SURVIVAL_TOLERANCE;
  const eventCount = eventTimes.length;
  const censoredCount = censoredTimes.length;
  let median = NaN;
  let p85 = NaN;
  let p95 = NaN;
  let ciLow = NaN;
  let ciHigh = NaN;
  let greenwoodSum = 0;
  let atRisk = eventCount + censoredCount;
  let survival = 1;
  let c = 0;
  for (let e = 0; e < eventCount; ) {
    const timeMs = eventTimes[e];
    // Cases censored before this time leave the risk set. A body that runs at every time (adding 0 or 1): a body that
    // ran only when one did had no type feedback when V8 compiled the walk on the fly (a few hundred censored cases
    // among 120,000), and that code was thrown away in mid-walk at the first censored case after it.
    let leaving: number;
    do {
      leaving = c < censoredCount && censoredTimes[c] < timeMs ? 1 : 0;
      atRisk -= leaving;
      c += leaving;
    } while (leaving === 1);
    let deaths = 0;
    while (e < eventCount && eventTimes[e] === timeMs) {
      deaths++;
      e++;
    }
    survival *= 1 - deaths / atRisk;
    if (Number.isNaN(median) && survival <= medianAt) median = timeMs;
    if (Number.isNaN(p85) && survival <= p85At) p85 = timeMs;
    if (Number.isNaN(p95) && survival <= p95At) p95 = timeMs;
    if (Number.isNaN(ciHigh)) {
      greenwoodSum += atRisk === deaths ? Infinity : deaths / (atRisk * (atRisk - deaths));
      const spread = Math.exp(z * Math.sqrt(greenwoodSum));
      const lowerBand = survival === 0 ? 0 : survival / spread;
      const upperBand = survival === 0 ? 0 : Math.min(1, survival * spread);
      if (Number.isNaN(ciLow) && lowerBand <= bandAt) ciLow = timeMs;
      if (upperBand <= bandAt) ciHigh = timeMs;
    }
    // Stops once the p95 time and the interval's upper end are found (after them nothing found changes: S only falls,
    // and the lower band is below the upper one). One test run on every step from the first: a second test behind &&
    // had no type feedback when V8 compiled the loop on the fly, and threw that code away in mid-walk when it first ran.
    if (!Number.isNaN(ciHigh + p95)) break;
    atRisk -= deaths;
  }
  found[0] = median;
  found[1] = p85;
  found[2] = p95;
  found[3] = ciLow;
  found[4] = ciHigh;
}
