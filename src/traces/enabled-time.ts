/**
 * Enabled time of every activity instance (docs/wait-causes.md "Enabled time"): the completion of the latest
 * earlier instance of the same case whose activity is not concurrent with this one (the concurrency oracle),
 * that completed before this instance did — and, when the instance has a recorded start and the oracle is the
 * overlapping one, no later than that start. An instance with no such predecessor is enabled when its case
 * begins (the case's first recorded instant: the trigger of the lead time, or its own start when nothing precedes it).
 */
import type { ActivityInstances } from './activity-instances.js';
import type { ConcurrencyOracle } from './concurrency-oracle.js';

export interface EnabledTimes {
  readonly enabledMs: Float64Array;
  /** The instance whose completion enabled this one; -1 when enabled by the case's beginning. */
  readonly enablingInstance: Int32Array;
  /** Instances whose backward scan hit MAX_ENABLING_SCAN (enabled at the case's beginning instead). */
  readonly scanCapped: number;
}

/** Earlier instances looked at per instance; past it the case's beginning is used (and counted). */
export const MAX_ENABLING_SCAN = 10_000;

/** @example computeEnabledTimes(instances, oracle).enabledMs[k] */
export function computeEnabledTimes(instances: ActivityInstances, oracle: ConcurrencyOracle): EnabledTimes {
  const { count, caseStart, activity, startMs, endMs } = instances;
  const enabledMs = new Float64Array(count);
  const enablingInstance = new Int32Array(count).fill(-1);
  const useStarts = oracle.kind === 'overlapping';
  const n = oracle.activityCount;
  let scanCapped = 0;
  for (let c = 0; c + 1 < caseStart.length; c++) {
    const from = caseStart[c];
    const to = caseStart[c + 1];
    let caseBeginMs = Infinity;
    for (let k = from; k < to; k++) caseBeginMs = Math.min(caseBeginMs, endMs[k], Number.isNaN(startMs[k]) ? Infinity : startMs[k]);
    for (let k = from; k < to; k++) {
      const limitMs = useStarts && !Number.isNaN(startMs[k]) ? startMs[k] : Infinity;
      let found = -1;
      const stop = Math.max(from, k - MAX_ENABLING_SCAN);
      // Instances are in completion order: scanning back, the first match has the latest completion.
      for (let j = k - 1; j >= stop; j--) {
        if (endMs[j] >= endMs[k] || endMs[j] > limitMs) continue;
        if (oracle.concurrent[activity[j] * n + activity[k]] === 1) continue;
        found = j;
        break;
      }
      if (found < 0 && stop > from) scanCapped++;
      enablingInstance[k] = found;
      enabledMs[k] = found >= 0 ? endMs[found] : Math.min(caseBeginMs, endMs[k]);
    }
  }
  return { enabledMs, enablingInstance, scanCapped };
}
