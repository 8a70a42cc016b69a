/**
 * The wait chain of activity logs in partitions (issue 14, items 3–4; docs/benchmarks.md "The plan (decided in stop
 * 27)", stage 2, and "h28-wait"). Its work is of two kinds:
 * - **per case**: the activity instances, the concurrency oracle's pair counts (sums over cases: summed over the
 *   partitions, then the oracle is decided once) and the enabled times (per case, given the oracle). Partitions are
 *   K contiguous ranges of the log's cases, the ranges of the case chain (`casePartitionRanges`), so the ranges'
 *   tables concatenated in order are the whole log's table (instances of a case are in completion order, cases in
 *   case order);
 * - **per resource**: start estimation's resource availability, discovered calendars, batches (see the resource
 *   pass below).
 * The in-memory analysis is the one-partition case: with K = 1 the table collected whole is used as it is, and the
 * oracle and enabled times are computed on it, with no copy. K > 1 is internal (VSM_WAIT_CASE_PARTITIONS, read here
 * only): the report is the same for every K; the count exercises the merge on the way to a partitioned engine.
 */
import type { AnalysisLog, ReconstructionLog } from '../model/event-log.js';
import { collectInstances, type ActivityInstances, type CaseRange } from '../traces/activity-instances.js';
import { concurrencyKind, countConcurrency, emptyConcurrencyCounts, oracleFromCounts, discoverConcurrency, type ConcurrencyOracle } from '../traces/concurrency-oracle.js';
import { computeEnabledTimes, type EnabledTimes } from '../traces/enabled-time.js';
import type { Batches } from '../metrics/batch-types.js';
import type { ResourceCalendar } from '../metrics/resource-calendars.js';
import { PartialWaitSink, type WaitSumLayout } from '../metrics/wait-sweep-threads.js';
import type { ResourceRange } from '../traces/start-estimation.js';
import type { AnalyzePhaseCallback } from './analyze-progress.js';
import { casePartitionRanges, MAX_CASE_PARTITIONS } from './case-chain.js';

/** The environment variable for the per-case pass's partition count (WaitAnalysisOptions.casePartitions). */
export const WAIT_CASE_PARTITIONS_ENV = 'VSM_WAIT_CASE_PARTITIONS';
/** The environment variable for the per-resource pass's partition count (WaitAnalysisOptions.resourcePartitions). */
export const WAIT_RESOURCE_PARTITIONS_ENV = 'VSM_WAIT_RESOURCE_PARTITIONS';
/** Most resource partitions (a cap on a user-controlled count; more than the resources is as many as the resources). */
export const MAX_RESOURCE_PARTITIONS = 1 << 20;

export interface WaitPartitionCounts {
  /** Contiguous case ranges of the per-case pass (1: the whole table, no copy). */
  readonly cases: number;
  /** Contiguous resource-code ranges of the per-resource pass (1: the whole table, no copy). */
  readonly resources: number;
}

function countOf(text: string | undefined, cap: number): number {
  if (text === undefined || !/^\d+$/.test(text.trim())) return 1;
  return Math.max(1, Math.min(cap, Number(text.trim())));
}

/**
 * The partition counts asked for by VSM_WAIT_CASE_PARTITIONS and VSM_WAIT_RESOURCE_PARTITIONS (read here only): each a
 * whole number ≥ 1, else 1 (the in-memory path). Internal: the report is the same for every count.
 */
export function waitPartitionsFromEnv(env: NodeJS.ProcessEnv = process.env): WaitPartitionCounts {
  return { cases: countOf(env[WAIT_CASE_PARTITIONS_ENV], MAX_CASE_PARTITIONS), resources: countOf(env[WAIT_RESOURCE_PARTITIONS_ENV], MAX_RESOURCE_PARTITIONS) };
}

/** The instance tables of `count` contiguous case ranges of the log, collected range by range (global case codes). */
export function collectInstanceRanges(log: ReconstructionLog & Pick<AnalysisLog, 'resourceCode'>, stepOfActivity: Int32Array, asOfMs: number, count: number): ActivityInstances[] {
  return casePartitionRanges(log.caseCount, count).map((range) => collectInstances(log, stepOfActivity, asOfMs, range));
}

/** A copy of the instances of the case range [start, end) of a whole table, as collectInstances(log, …, range) gives it. */
export function instanceRange(instances: ActivityInstances, { start, end }: CaseRange): ActivityInstances {
  const from = instances.caseStart[start];
  const to = instances.caseStart[end];
  const caseStart = new Int32Array(end - start + 1);
  for (let c = start; c <= end; c++) caseStart[c - start] = instances.caseStart[c] - from;
  let withStart = 0;
  for (let k = from; k < to; k++) if (!Number.isNaN(instances.startMs[k])) withStart++;
  return {
    count: to - from,
    caseCode: instances.caseCode.slice(from, to),
    activity: instances.activity.slice(from, to),
    resource: instances.resource.slice(from, to),
    startMs: instances.startMs.slice(from, to),
    endMs: instances.endMs.slice(from, to),
    firstEvent: instances.firstEvent.slice(from, to),
    caseStart,
    withStart,
  };
}

/**
 * The whole table cut into the tables of `count` contiguous case ranges (copies: each range owns its columns, as a
 * partition handed out by a producer would), for a caller that collected the table whole.
 */
export function splitInstances(instances: ActivityInstances, count: number): ActivityInstances[] {
  return casePartitionRanges(instances.caseStart.length - 1, count).map((range) => instanceRange(instances, range));
}

function joinColumn<T extends Int32Array | Float64Array>(parts: readonly ActivityInstances[], columnOf: (part: ActivityInstances) => T, joined: T): T {
  let at = 0;
  for (const part of parts) {
    joined.set(columnOf(part).subarray(0, part.count), at);
    at += part.count;
  }
  return joined;
}

/**
 * The case ranges' tables joined in range order: the whole log's table. `capacity` (default: the ranges' columns'
 * lengths summed, as one collection sizes them) is the joined columns' length; slots past the count are 0.
 */
export function joinInstances(parts: readonly ActivityInstances[], capacity?: number): ActivityInstances {
  if (parts.length === 1 && capacity === undefined) return parts[0];
  let count = 0;
  let withStart = 0;
  let caseCount = 0;
  let summedCapacity = 0;
  for (const part of parts) {
    count += part.count;
    withStart += part.withStart;
    caseCount += part.caseStart.length - 1;
    summedCapacity += part.endMs.length;
  }
  const length = capacity ?? summedCapacity;
  const caseStart = new Int32Array(caseCount + 1);
  let caseAt = 0;
  let base = 0;
  for (const part of parts) {
    const cases = part.caseStart.length - 1;
    for (let c = 0; c < cases; c++) caseStart[caseAt + c] = part.caseStart[c] + base;
    caseAt += cases;
    base += part.count;
  }
  caseStart[caseCount] = count;
  return {
    count,
    caseCode: joinColumn(parts, (part) => part.caseCode, new Int32Array(length)),
    activity: joinColumn(parts, (part) => part.activity, new Int32Array(length)),
    resource: joinColumn(parts, (part) => part.resource, new Int32Array(length)),
    startMs: joinColumn(parts, (part) => part.startMs, new Float64Array(length)),
    endMs: joinColumn(parts, (part) => part.endMs, new Float64Array(length)),
    firstEvent: joinColumn(parts, (part) => part.firstEvent, new Int32Array(length)),
    caseStart,
    withStart,
  };
}

/** Each range's enabled times joined in range order; enabling instances shifted to the joined table's indexes. */
export function joinEnabledTimes(parts: readonly EnabledTimes[], counts: readonly number[]): EnabledTimes {
  if (parts.length === 1) return parts[0];
  let total = 0;
  for (const count of counts) total += count;
  const enabledMs = new Float64Array(total);
  const enablingInstance = new Int32Array(total);
  let scanCapped = 0;
  let base = 0;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p];
    enabledMs.set(part.enabledMs, base);
    for (let k = 0; k < counts[p]; k++) {
      const enabling = part.enablingInstance[k];
      enablingInstance[base + k] = enabling < 0 ? enabling : enabling + base;
    }
    scanCapped += part.scanCapped;
    base += counts[p];
  }
  return { enabledMs, enablingInstance, scanCapped };
}

export interface CasePass {
  /** The whole table (the one given when K = 1, else the ranges' join). */
  readonly instances: ActivityInstances;
  readonly oracle: ConcurrencyOracle;
  readonly enabled: EnabledTimes;
}

/**
 * The per-case pass over case ranges' tables: the oracle's counts of every range summed, the oracle decided once
 * (its kind from the summed instance and start counts), each range's enabled times, all joined. One range: the
 * table itself, nothing copied. `capacity`: the joined columns' length (splitInstances' source's).
 * @example runCasePass([instances], log.activities.size).enabled.enabledMs
 */
export function runCasePass(parts: readonly ActivityInstances[], activityCount: number, onPhase?: AnalyzePhaseCallback, capacity?: number): CasePass {
  if (parts.length === 1) {
    const instances = joinInstances(parts, capacity);
    const oracle = discoverConcurrency(instances, activityCount);
    onPhase?.('enabled times', 0, 0);
    return { instances, oracle, enabled: computeEnabledTimes(instances, oracle) };
  }
  let count = 0;
  let withStart = 0;
  for (const part of parts) {
    count += part.count;
    withStart += part.withStart;
  }
  const counts = emptyConcurrencyCounts(concurrencyKind(count, withStart), activityCount);
  for (const part of parts) countConcurrency(part, counts);
  const oracle = oracleFromCounts(counts);
  onPhase?.('enabled times', 0, 0);
  const enabled = joinEnabledTimes(
    parts.map((part) => computeEnabledTimes(part, oracle)),
    parts.map((part) => part.count),
  );
  return { instances: joinInstances(parts, capacity), oracle, enabled };
}

/**
 * The per-case pass on a table collected whole: K = 1 runs on it as it is; K > 1 cuts it into K case ranges
 * (splitInstances) and joins them back (the joined columns as long as the given ones).
 */
export function casePassOf(instances: ActivityInstances, activityCount: number, partitions: number, onPhase?: AnalyzePhaseCallback): CasePass {
  if (partitions <= 1) return runCasePass([instances], activityCount, onPhase);
  return runCasePass(splitInstances(instances, partitions), activityCount, onPhase, instances.endMs.length);
}

/*
 * The per-resource pass. Partitions are R contiguous ranges of resource codes (the order the resource order sorts
 * by: each range is a contiguous range of its positions). Each phase's per-resource work runs range by range and
 * the results are merged; what is truly global stays whole, with the reason beside it:
 * - start estimation: a resource's availability (its previous completion) reads its own instances only, by range
 *   (estimateStarts' resourceRanges); the estimate itself is per instance; the outlier repair's median per activity
 *   is over all resources' instances (a quantile: merged exactly only from every duration, i.e. the whole column),
 *   so it runs once on the merged starts;
 * - discovered calendars: a resource's calendar reads its own instants only; the ranges' maps merged in the
 *   first-seen order of one pass, the resources without a calendar summed;
 * - batches: each batch is one resource's; each range numbers its own (parallel, then sequential), the merge
 *   renumbers them as one pass does (all parallel ones in range order, then all sequential ones) and sums the counts.
 */

/** `count` contiguous ranges of the resource codes [0, resourceCount) (as casePartitionRanges); undefined for one. */
export function resourcePartitionRanges(resourceCount: number, count: number): ResourceRange[] | undefined {
  if (count <= 1) return undefined;
  const r = Math.max(1, Math.min(Math.floor(count), resourceCount, MAX_RESOURCE_PARTITIONS));
  const ranges: ResourceRange[] = [];
  for (let p = 0; p < r; p++) ranges.push({ start: Math.floor((p * resourceCount) / r), end: Math.floor(((p + 1) * resourceCount) / r) });
  return ranges;
}

export interface DiscoveredCalendars {
  calendars: Map<number, ResourceCalendar>;
  resourcesWithoutCalendar: number;
}

/**
 * Discovered calendars range by range of resource codes (`discover` given which codes not to discover: the
 * configured ones and those outside the range), merged: the calendars in first-seen order of the instances'
 * resources (as one pass gives them), the resources without a calendar summed. No ranges: one call.
 */
export function discoverCalendarsByResource(
  discover: (skip: (code: number) => boolean) => DiscoveredCalendars,
  isConfigured: (code: number) => boolean,
  resource: Int32Array,
  count: number,
  ranges: readonly ResourceRange[] | undefined,
): DiscoveredCalendars {
  if (ranges === undefined) return discover(isConfigured);
  const found = new Map<number, ResourceCalendar>();
  let resourcesWithoutCalendar = 0;
  for (const { start, end } of ranges) {
    const part = discover((code) => isConfigured(code) || code < start || code >= end);
    for (const [code, calendar] of part.calendars) found.set(code, calendar);
    resourcesWithoutCalendar += part.resourcesWithoutCalendar;
  }
  // First-seen order: each code's first instance (codes seen in no instance last, in code order).
  const firstAt = new Map<number, number>();
  for (let k = 0; k < count && firstAt.size < found.size; k++) if (found.has(resource[k]) && !firstAt.has(resource[k])) firstAt.set(resource[k], k);
  const codes = [...found.keys()].sort((a, b) => (firstAt.get(a) ?? count + a) - (firstAt.get(b) ?? count + b));
  return { calendars: new Map(codes.map((code) => [code, found.get(code) as ResourceCalendar])), resourcesWithoutCalendar };
}

/**
 * The ranges' batches merged as one pass numbers them: parallel batches first (range by range, each range's in its
 * own order: resources in code order), then sequential ones likewise; counts summed. An instance is in at most one
 * range's batch (its resource's).
 */
export function mergeBatches(parts: readonly Batches[], count: number): Batches {
  if (parts.length === 1) return parts[0];
  let parallelCount = 0;
  let sequentialCount = 0;
  for (const part of parts) {
    parallelCount += part.parallelCount;
    sequentialCount += part.sequentialCount;
  }
  const batchId = new Int32Array(count).fill(-1);
  const typeOfBatch = new Uint8Array(parallelCount + sequentialCount);
  const readyMsOfBatch = new Float64Array(parallelCount + sequentialCount);
  let parallelAt = 0;
  let sequentialAt = parallelCount;
  for (const part of parts) {
    const local = part.parallelCount;
    for (let k = 0; k < count; k++) {
      const id = part.batchId[k];
      if (id >= 0) batchId[k] = id < local ? parallelAt + id : sequentialAt + id - local;
    }
    typeOfBatch.set(part.typeOfBatch.subarray(0, local), parallelAt);
    readyMsOfBatch.set(part.readyMsOfBatch.subarray(0, local), parallelAt);
    typeOfBatch.set(part.typeOfBatch.subarray(local, local + part.sequentialCount), sequentialAt);
    readyMsOfBatch.set(part.readyMsOfBatch.subarray(local, local + part.sequentialCount), sequentialAt);
    parallelAt += local;
    sequentialAt += part.sequentialCount;
  }
  return { batchId, typeOfBatch, readyMsOfBatch, parallelCount, sequentialCount };
}

/**
 * Batches range by range of resource codes (`detect` given the range), merged (mergeBatches); `release` after the
 * last range (the order's batch column). No ranges: one call, which releases what it reads itself.
 */
export function detectBatchesByResource(detect: (resources?: ResourceRange) => Batches, count: number, ranges: readonly ResourceRange[] | undefined, release: () => void): Batches {
  if (ranges === undefined) return detect();
  const parts = ranges.map((range) => detect(range));
  release();
  return mergeBatches(parts, count);
}

/**
 * One partial sum (per group, as the summer sums while streaming) per resource range and one for the instances without
 * a resource, for `WaitCauseInputs.rangeSinks`; the caller adds them to the summer (WaitSummer.addPartial: exact in any
 * order when every value is a whole ms, which the summer's exactInAnyOrder checks with the partials' flags carried).
 * Undefined without ranges.
 */
export function rangeSinksOf(layout: WaitSumLayout, ranges: readonly ResourceRange[] | undefined): PartialWaitSink[] | undefined {
  if (ranges === undefined) return undefined;
  return Array.from({ length: ranges.length + 1 }, () => new PartialWaitSink(layout, undefined, true));
}
