/**
 * The honest check of start estimation (docs/wait-causes.md "How good are the estimates"): on a log that
 * records real start times, forget them, estimate them again, and compare per activity with the truth — against
 * the naive estimate "start = the previous event of the case" (what a single-timestamp log shows as elapsed
 * time). Errors are on durations (completion − start): the median absolute error, and the share of instances
 * whose estimated duration is within 10 % of the true one (exact when the true duration is 0).
 */
import type { EventLog } from '../model/event-log.js';
import { collectInstances, type ActivityInstances } from '../traces/activity-instances.js';
import { discoverConcurrency } from '../traces/concurrency-oracle.js';
import { computeEnabledTimes } from '../traces/enabled-time.js';
import { estimateStarts, type StartEstimationOptions } from '../traces/start-estimation.js';
import { quantileSorted } from './distribution.js';

export interface EstimatorErrorRow {
  activity: string;
  instances: number;
  /** Median |estimated duration − true duration|, ms. */
  estimatorMedianAbsErrorMs: number;
  naiveMedianAbsErrorMs: number;
  /** Share of instances with |error| ≤ 10 % of the true duration. */
  estimatorWithin10Pct: number;
  naiveWithin10Pct: number;
}

export interface EstimatorCheck {
  rows: EstimatorErrorRow[];
  overall: EstimatorErrorRow;
}

function errorRow(activity: string, truth: number[], estimator: number[], naive: number[]): EstimatorErrorRow {
  const absErrors = (guess: number[]) => Float64Array.from(guess.map((value, k) => Math.abs(value - truth[k]))).sort();
  const within = (guess: number[]) => guess.filter((value, k) => Math.abs(value - truth[k]) <= 0.1 * truth[k]).length / Math.max(1, guess.length);
  return {
    activity,
    instances: truth.length,
    estimatorMedianAbsErrorMs: quantileSorted(absErrors(estimator), 0.5),
    naiveMedianAbsErrorMs: quantileSorted(absErrors(naive), 0.5),
    estimatorWithin10Pct: within(estimator),
    naiveWithin10Pct: within(naive),
  };
}

/**
 * Runs the check over the instances of `stepOfActivity` activities that have a recorded start.
 * @example checkStartEstimator(log, stepMap.stepOfActivity, asOfMs).overall.estimatorMedianAbsErrorMs
 */
export function checkStartEstimator(log: EventLog, stepOfActivity: Int32Array, asOfMs: number, options: StartEstimationOptions = {}): EstimatorCheck {
  const real = collectInstances(log, stepOfActivity, asOfMs);
  const blind: ActivityInstances = { ...real, startMs: new Float64Array(real.count).fill(NaN), withStart: 0 };
  const oracle = discoverConcurrency(blind, log.activities.size);
  const enabled = computeEnabledTimes(blind, oracle);
  const estimates = estimateStarts(blind, enabled.enabledMs, options);
  const byActivity = new Map<number, { truth: number[]; estimator: number[]; naive: number[] }>();
  const all = { truth: [] as number[], estimator: [] as number[], naive: [] as number[] };
  for (let c = 0; c + 1 < real.caseStart.length; c++) {
    for (let k = real.caseStart[c]; k < real.caseStart[c + 1]; k++) {
      if (Number.isNaN(real.startMs[k])) continue;
      // Naive: the previous event of the case (the latest earlier completion), else the instance's own completion.
      let naiveStartMs = real.endMs[k];
      for (let j = k - 1; j >= real.caseStart[c]; j--) {
        if (real.endMs[j] < real.endMs[k]) {
          naiveStartMs = real.endMs[j];
          break;
        }
      }
      let bucket = byActivity.get(real.activity[k]);
      if (!bucket) byActivity.set(real.activity[k], (bucket = { truth: [], estimator: [], naive: [] }));
      const durations = [real.endMs[k] - real.startMs[k], real.endMs[k] - estimates.startMs[k], real.endMs[k] - naiveStartMs];
      for (const target of [bucket, all]) {
        target.truth.push(durations[0]);
        target.estimator.push(durations[1]);
        target.naive.push(durations[2]);
      }
    }
  }
  const rows = [...byActivity.entries()]
    .map(([code, bucket]) => errorRow(log.activities.valueOf(code) ?? '?', bucket.truth, bucket.estimator, bucket.naive))
    .sort((a, b) => b.instances - a.instances || a.activity.localeCompare(b.activity));
  return { rows, overall: errorRow('all activities', all.truth, all.estimator, all.naive) };
}
