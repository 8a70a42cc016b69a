/**
 * Estimated start times for instances the log records with one timestamp (docs/wait-causes.md "Estimated
 * starts"), after Chapela-Campa & Dumas' start-time estimator:
 *   start ≈ max(enabled time, the resource's previous completion)
 * — work cannot start before it is enabled, nor before its performer finished the previous piece of work. When
 * the resource has a working calendar, an estimate that falls off its hours moves to its next working instant.
 * Instant activities and bot resources (configured) start when they complete. Outlier repair: an estimated
 * duration longer than `outlierMultiple` × the activity's median estimated duration is re-estimated as that median
 * (start = completion − median). Recorded starts are kept; every estimate is flagged.
 */
import type { BusinessCalendar } from '../calendar/business-calendar.js';
import { MISSING_CODE } from '../model/dictionary.js';
import type { ActivityInstances } from './activity-instances.js';

export interface StartEstimationOptions {
  /** Activity codes (1) whose instances take no time. */
  instantActivity?: Uint8Array;
  /** Resource codes (1) that are bots: their instances take no time. */
  botResource?: Uint8Array;
  /** Re-estimate a duration above this multiple of its activity's median; Infinity turns repair off. */
  outlierMultiple?: number;
  /** Working calendar per resource code (undefined: always available). */
  calendarOf?: (resourceCode: number) => BusinessCalendar | undefined;
}

/** Default 10: guards against multi-day "active" spans (a resource idle for days); measured in docs/wait-causes.md. */
export const DEFAULT_OUTLIER_MULTIPLE = 10;

export interface StartEstimates {
  /** Recorded or estimated start per instance. */
  readonly startMs: Float64Array;
  /** 1 where startMs is estimated. */
  readonly estimated: Uint8Array;
  readonly estimatedCount: number;
  /** Estimates replaced by the activity's median duration (outlier repair). */
  readonly repairedCount: number;
}

/** A contiguous range of resource codes, [start, end). */
export interface ResourceRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Per resource, the latest completion strictly before each of its instances' completion (NaN: none). A resource's
 * values depend on its own instances only, so with `ranges` (the wait chain's per-resource pass in partitions,
 * src/vsm/wait-partitions.ts) each range of resource codes is sorted and swept on its own, into one column.
 */
function previousCompletionByResource(instances: ActivityInstances, ranges?: readonly ResourceRange[]): Float64Array {
  const { count } = instances;
  const previousMs = new Float64Array(count).fill(NaN);
  if (ranges === undefined) {
    previousCompletionOf(instances, Array.from({ length: count }, (_, k) => k), previousMs);
    return previousMs;
  }
  const { resource } = instances;
  for (const range of ranges) {
    const members: number[] = [];
    for (let k = 0; k < count; k++) if (resource[k] >= range.start && resource[k] < range.end) members.push(k);
    previousCompletionOf(instances, members, previousMs);
  }
  return previousMs;
}

/** previousCompletionByResource over the instances `members` (every instance of each resource among them). */
function previousCompletionOf(instances: ActivityInstances, members: number[], previousMs: Float64Array): void {
  const { resource, endMs } = instances;
  const order = members.sort((a, b) => resource[a] - resource[b] || endMs[a] - endMs[b] || a - b);
  // One sweep: an instance completing at the same instant as the one before did not free the resource for it,
  // so each run of equal completions takes the completion before the run.
  let lowerMs = NaN;
  for (let n = 0; n < order.length; n++) {
    const k = order[n];
    const previous = n > 0 ? order[n - 1] : -1;
    if (previous < 0 || resource[previous] !== resource[k]) lowerMs = NaN;
    else if (endMs[previous] < endMs[k]) lowerMs = endMs[previous];
    if (resource[k] !== MISSING_CODE) previousMs[k] = lowerMs;
  }
}

/** First working instant of `calendar` in [fromMs, toMs]; toMs when none (binary search on working time). */
export function nextWorkingInstantMs(calendar: BusinessCalendar, fromMs: number, toMs: number): number {
  if (calendar.spec.kind === '24x7' || toMs <= fromMs) return fromMs;
  if (calendar.durationMs(fromMs, fromMs + 1) > 0) return fromMs;
  if (calendar.durationMs(fromMs, toMs) === 0) return toMs;
  let low = fromMs;
  let high = toMs;
  // Invariant: no working time in [fromMs, low], some in [fromMs, high]. 1 ms resolution.
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (calendar.durationMs(fromMs, middle) > 0) high = middle;
    else low = middle;
  }
  return high - 1;
}

/**
 * Fills the missing starts of `instances` from their enabled times and resource availability. With `resourceRanges`,
 * the resource availability (the one part that reads across instances by resource) is found range by range of
 * resource codes; the estimate is per instance; the outlier repair's median per activity is over every resource's
 * instances, so it runs on the whole column (a quantile: merging it exactly needs every duration, i.e. the column).
 * @example estimateStarts(instances, enabled.enabledMs, {}).estimatedCount
 */
export function estimateStarts(instances: ActivityInstances, enabledMs: Float64Array, options: StartEstimationOptions = {}, resourceRanges?: readonly ResourceRange[]): StartEstimates {
  const { count, activity, resource, endMs } = instances;
  const outlierMultiple = options.outlierMultiple ?? DEFAULT_OUTLIER_MULTIPLE;
  const startMs = Float64Array.from(instances.startMs);
  const estimated = new Uint8Array(count);
  const previousMs = previousCompletionByResource(instances, resourceRanges);
  let estimatedCount = 0;
  for (let k = 0; k < count; k++) {
    if (!Number.isNaN(startMs[k])) continue;
    estimated[k] = 1;
    estimatedCount++;
    const instant = options.instantActivity?.[activity[k]] === 1 || (resource[k] !== MISSING_CODE && options.botResource?.[resource[k]] === 1);
    if (instant) {
      startMs[k] = endMs[k];
      continue;
    }
    let estimateMs = enabledMs[k];
    if (previousMs[k] > estimateMs) estimateMs = previousMs[k];
    if (!(estimateMs <= endMs[k])) estimateMs = endMs[k];
    const calendar = resource[k] === MISSING_CODE ? undefined : options.calendarOf?.(resource[k]);
    if (calendar) estimateMs = nextWorkingInstantMs(calendar, estimateMs, endMs[k]);
    startMs[k] = estimateMs;
  }
  const repairedCount = Number.isFinite(outlierMultiple) ? repairOutliers(instances, startMs, estimated, outlierMultiple, options) : 0;
  return { startMs, estimated, estimatedCount, repairedCount };
}

function repairOutliers(instances: ActivityInstances, startMs: Float64Array, estimated: Uint8Array, multiple: number, options: StartEstimationOptions): number {
  const { count, activity, endMs } = instances;
  const durationsByActivity = new Map<number, number[]>();
  for (let k = 0; k < count; k++) {
    if (estimated[k] === 0 || options.instantActivity?.[activity[k]] === 1) continue;
    let durations = durationsByActivity.get(activity[k]);
    if (!durations) durationsByActivity.set(activity[k], (durations = []));
    durations.push(endMs[k] - startMs[k]);
  }
  const medianByActivity = new Map<number, number>();
  for (const [code, durations] of durationsByActivity) {
    // Lower median (an observed duration): traces sits below metrics, so no quantile helper here.
    const sorted = Float64Array.from(durations).sort();
    medianByActivity.set(code, sorted[(sorted.length - 1) >> 1]);
  }
  let repaired = 0;
  for (let k = 0; k < count; k++) {
    if (estimated[k] === 0) continue;
    const medianMs = medianByActivity.get(activity[k]);
    if (medianMs === undefined || !(medianMs > 0)) continue;
    if (endMs[k] - startMs[k] > multiple * medianMs) {
      startMs[k] = endMs[k] - medianMs;
      repaired++;
    }
  }
  return repaired;
}
