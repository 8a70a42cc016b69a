/**
 * Which activities run in parallel within a case (docs/wait-causes.md "The concurrency oracle"). An instance is
 * enabled by the latest earlier completion of an activity *not* concurrent with its own, so the oracle decides
 * which completions can enable which instances. Two oracles, after Chapela-Campa & Dumas' start-time estimator:
 * - **overlapping** (the log records start times): A ∥ B when their instances' intervals overlap in at least
 *   `overlapRatio` of the A×B pairs that co-occur in a case;
 * - **heuristics** (single-timestamp logs): A ∥ B when B directly follows A and A directly follows B, neither
 *   direction dominates (|dependency| = |ab − ba| / (ab + ba + 1) < `dependency`), and the pair is not a
 *   length-two loop A-B-A (l2l = (aba + bab) / (aba + bab + 1) < `lengthTwoLoop`).
 */
import type { ActivityInstances } from './activity-instances.js';

export interface ConcurrencyThresholds {
  /** Heuristics oracle: directly-follows dependency below which both orders count as concurrency. */
  dependency: number;
  /** Heuristics oracle: length-two-loop dependency at or above which A-B-A is a loop, not concurrency. */
  lengthTwoLoop: number;
  /** Overlapping oracle: share of co-occurring pairs that must overlap. */
  overlapRatio: number;
}

export const DEFAULT_CONCURRENCY_THRESHOLDS: ConcurrencyThresholds = { dependency: 0.9, lengthTwoLoop: 0.9, overlapRatio: 0.5 };

export interface ConcurrencyOracle {
  readonly kind: 'overlapping' | 'heuristics';
  readonly activityCount: number;
  /** activityCount × activityCount, 1 when the two activities are concurrent (symmetric, 0 on the diagonal). */
  readonly concurrent: Uint8Array;
  /** Concurrent pairs as activity codes (a < b), for the report and docs. */
  readonly pairs: Array<[number, number]>;
}

/** Per-case pair scans stop after this many instances of one case (a case this long is a data problem). */
export const MAX_INSTANCES_PER_CASE_SCAN = 5_000;

/**
 * The counts an oracle is decided from, summed over cases (so over case partitions in any order: whole numbers, exact
 * in a double up to 2^53). Heuristics: `first` = directly-follows counts, `second` = length-two-loop counts;
 * overlapping: `first` = overlapping pairs, `second` = co-occurring pairs (n × n each, row = the first activity).
 */
export interface ConcurrencyCounts {
  readonly kind: ConcurrencyOracle['kind'];
  readonly activityCount: number;
  readonly first: Float64Array;
  readonly second: Float64Array;
}

/**
 * Which oracle a log gets: overlapping when at least half its instances carry a recorded start, else heuristics.
 * Counts and starts are the whole log's (summed over partitions).
 */
export function concurrencyKind(instanceCount: number, withStart: number): ConcurrencyOracle['kind'] {
  return instanceCount > 0 && withStart * 2 >= instanceCount ? 'overlapping' : 'heuristics';
}

/** Zero counts for an oracle of `kind` over `activityCount` activities. */
export function emptyConcurrencyCounts(kind: ConcurrencyOracle['kind'], activityCount: number): ConcurrencyCounts {
  return { kind, activityCount, first: new Float64Array(activityCount * activityCount), second: new Float64Array(activityCount * activityCount) };
}

/**
 * Adds the pair counts of the cases of `instances` (a whole table or one case range's) to `counts`.
 * @example countConcurrency(range, counts)
 */
export function countConcurrency(instances: ActivityInstances, counts: ConcurrencyCounts): void {
  if (counts.kind === 'overlapping') countOverlaps(instances, counts.activityCount, counts.first, counts.second);
  else countFollows(instances, counts.activityCount, counts.first, counts.second);
}

/** The oracle decided from counts summed over all cases. */
export function oracleFromCounts(counts: ConcurrencyCounts, thresholds: ConcurrencyThresholds = DEFAULT_CONCURRENCY_THRESHOLDS): ConcurrencyOracle {
  const { kind, activityCount, first, second } = counts;
  const concurrent = kind === 'overlapping' ? concurrentFromOverlaps(first, second, activityCount, thresholds) : concurrentFromFollows(first, second, activityCount, thresholds);
  const pairs: Array<[number, number]> = [];
  for (let a = 0; a < activityCount; a++) for (let b = a + 1; b < activityCount; b++) if (concurrent[a * activityCount + b] === 1) pairs.push([a, b]);
  return { kind, activityCount, concurrent, pairs };
}

/**
 * Discovers the oracle: overlapping when at least half the instances carry a recorded start, else heuristics.
 * @example discoverConcurrency(instances, log.activities.size).pairs
 */
export function discoverConcurrency(
  instances: ActivityInstances,
  activityCount: number,
  thresholds: ConcurrencyThresholds = DEFAULT_CONCURRENCY_THRESHOLDS,
): ConcurrencyOracle {
  const counts = emptyConcurrencyCounts(concurrencyKind(instances.count, instances.withStart), activityCount);
  countConcurrency(instances, counts);
  return oracleFromCounts(counts, thresholds);
}

function countFollows(instances: ActivityInstances, n: number, follows: Float64Array, lengthTwo: Float64Array): void {
  const { activity, caseStart } = instances;
  for (let c = 0; c + 1 < caseStart.length; c++) {
    const to = Math.min(caseStart[c + 1], caseStart[c] + MAX_INSTANCES_PER_CASE_SCAN);
    for (let k = caseStart[c] + 1; k < to; k++) {
      follows[activity[k - 1] * n + activity[k]]++;
      if (k >= caseStart[c] + 2 && activity[k - 2] === activity[k] && activity[k - 1] !== activity[k]) lengthTwo[activity[k] * n + activity[k - 1]]++;
    }
  }
}

/**
 * The heuristics oracle from its counts (n × n, row = earlier activity): `follows[a·n + b]` times b directly follows
 * a in a case, `lengthTwo[a·n + b]` times a-b-a occurs (a ≠ b). Shared with `--engine clickhouse`, which counts in SQL.
 * @example concurrentFromFollows(follows, lengthTwo, 2, DEFAULT_CONCURRENCY_THRESHOLDS)[1]
 */
export function concurrentFromFollows(follows: Float64Array, lengthTwo: Float64Array, n: number, thresholds: ConcurrencyThresholds = DEFAULT_CONCURRENCY_THRESHOLDS): Uint8Array {
  const concurrent = new Uint8Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const ab = follows[a * n + b];
      const ba = follows[b * n + a];
      if (ab === 0 || ba === 0) continue;
      const dependency = Math.abs(ab - ba) / (ab + ba + 1);
      const loops = lengthTwo[a * n + b] + lengthTwo[b * n + a];
      // A self-loop-heavy activity makes A-B-A counts meaningless (as in the heuristics miner): ignore l2l then.
      const selfA = follows[a * n + a] / (follows[a * n + a] + 1);
      const selfB = follows[b * n + b] / (follows[b * n + b] + 1);
      const l2l = selfA < thresholds.lengthTwoLoop && selfB < thresholds.lengthTwoLoop ? loops / (loops + 1) : 0;
      if (dependency < thresholds.dependency && l2l < thresholds.lengthTwoLoop) concurrent[a * n + b] = concurrent[b * n + a] = 1;
    }
  }
  return concurrent;
}

function countOverlaps(instances: ActivityInstances, n: number, overlaps: Float64Array, together: Float64Array): void {
  const { activity, caseStart, startMs, endMs } = instances;
  const perCase = new Int32Array(n);
  // The distinct activities of the current case, [0, seenCount).
  const seen = new Int32Array(n);
  for (let c = 0; c + 1 < caseStart.length; c++) {
    const from = caseStart[c];
    const to = Math.min(caseStart[c + 1], from + MAX_INSTANCES_PER_CASE_SCAN);
    let seenCount = 0;
    for (let i = from; i < to; i++) {
      const a = activity[i];
      const startI = startMs[i];
      const endI = endMs[i];
      if (perCase[a]++ === 0) seen[seenCount++] = a;
      for (let j = from; j < i; j++) {
        const b = activity[j];
        if (a === b) continue;
        // Strict overlap: an instance ending exactly when the other starts is a sequence, not parallel work.
        if (startI < endMs[j] && startMs[j] < endI) {
          overlaps[a * n + b]++;
          overlaps[b * n + a]++;
        }
      }
    }
    for (let x = 0; x < seenCount; x++) {
      const a = seen[x];
      for (let y = 0; y < seenCount; y++) {
        const b = seen[y];
        if (a !== b) together[a * n + b] += perCase[a] * perCase[b];
      }
    }
    for (let x = 0; x < seenCount; x++) perCase[seen[x]] = 0;
  }
}

/**
 * The overlapping oracle from its counts (n × n): `overlaps[a·n + b]` A×B instance pairs of one case whose intervals
 * overlap, `together[a·n + b]` A×B pairs co-occurring in a case. Shared with `--engine clickhouse`, which counts in SQL.
 * @example concurrentFromOverlaps(overlaps, together, 2, DEFAULT_CONCURRENCY_THRESHOLDS)[1]
 */
export function concurrentFromOverlaps(overlaps: Float64Array, together: Float64Array, n: number, thresholds: ConcurrencyThresholds = DEFAULT_CONCURRENCY_THRESHOLDS): Uint8Array {
  const concurrent = new Uint8Array(n * n);
  for (let k = 0; k < n * n; k++) if (together[k] > 0 && overlaps[k] / together[k] >= thresholds.overlapRatio) concurrent[k] = 1;
  return concurrent;
}
