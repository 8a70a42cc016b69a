/**
 * Activity logs: enabled times, estimated starts and wait causes, from the instance table to report.json's
 * `waitCauses`, each step's `waitCausesMs` and the rows of activities.csv (docs/wait-causes.md).
 */
import { makeCalendar, type BusinessCalendar } from '../calendar/business-calendar.js';
import { parseCalendarOption } from '../calendar/calendar-option.js';
import { VsmError, isVsmError } from '../errors.js';
import { detectBatches, type Batches } from '../metrics/batches.js';
import { discoverCalendarsInOrder, discoverResourceCalendars, type ResourceCalendar } from '../metrics/resource-calendars.js';
import { buildResourceOrder } from '../metrics/resource-order.js';
import { computeWaitCauses, streamWaitCauses, type WaitCauseColumns, type WaitCauseInputs } from '../metrics/wait-causes.js';
import { SweepWorker, type WaitThreadOptions } from '../metrics/wait-sweep-threads.js';
import { nameMatcher, type VsmConfig } from '../model/config-schema.js';
import { MISSING_CODE } from '../model/dictionary.js';
import type { AnalysisLog, ReconstructionLog } from '../model/event-log.js';
import { collectInstances, type ActivityInstances } from '../traces/activity-instances.js';
import { DEFAULT_OUTLIER_MULTIPLE, estimateStarts } from '../traces/start-estimation.js';
import type { StepMap } from '../traces/step-map.js';
import type { WaitCausesJson } from '../contracts/report-schema.js';
import { WaitSummer, type StepWaitCauses, type WaitSums } from './wait-transitions.js';
import { loopReporter, type AnalyzePhaseCallback } from './analyze-progress.js';
import { casePassOf, detectBatchesByResource, discoverCalendarsByResource, rangeSinksOf, resourcePartitionRanges, waitPartitionsFromEnv } from './wait-partitions.js';

/** report.json keeps the largest transition groups only; activities.csv has every instance. */
export const MAX_WAIT_TRANSITIONS = 200;

export interface WaitAnalysisOptions {
  config?: VsmConfig;
  map: StepMap;
  asOfMs: number;
  /** Estimate missing starts (default true; `--no-estimate` turns it off). */
  estimate: boolean;
  /** Zone of discovered calendars (the report calendar's, else UTC). */
  timeZone: string;
  /** Progress of the sub-phases (docs/commands.md, vsm analyze); the result is the same without it. */
  onPhase?: AnalyzePhaseCallback;
  /**
   * Keep the per-instance table (activities.csv; default true). False: the causes are summed as the sweep finds
   * them, with no per-instance cause columns (the same sums), and `table` is absent.
   */
  activityTable?: boolean;
  /**
   * The cause sweep on a worker thread too (src/metrics/wait-sweep-threads.ts): without the activity table only; off
   * unless forced here or VSM_WAIT_WORKER=1 (then from DEFAULT_WAIT_WORKER_MIN_INSTANCES instances). The result is the
   * same on one thread or two.
   */
  waitThreads?: WaitThreadOptions;
  /**
   * Internal: the per-case pass (oracle counts, enabled times) in this many contiguous case ranges, merged
   * (wait-partitions.ts; the report is the same for every count). Default VSM_WAIT_CASE_PARTITIONS, else 1.
   */
  casePartitions?: number;
  /**
   * Internal: the per-resource work (start estimation's resource availability, the resource order's run sorts,
   * discovered calendars, batches, the cause sweep and scan into the summer's sums or the cause columns) in this many
   * contiguous ranges of resource codes, merged (wait-partitions.ts; the report is the same for every count).
   * Default VSM_WAIT_RESOURCE_PARTITIONS, else 1.
   */
  resourcePartitions?: number;
}

/** One row per completed activity instance: the columns of activities.csv. */
export interface ActivityTable {
  /** The names of the codes (not the log's events: the table outlives them in `vsm analyze`). */
  readonly log: Pick<AnalysisLog, 'caseIds' | 'activities' | 'resources'>;
  readonly instances: ActivityInstances;
  readonly enabledMs: Float64Array;
  readonly startMs: Float64Array;
  readonly estimated: Uint8Array;
  readonly causes: WaitCauseColumns;
  readonly batches: Batches;
}

export interface WaitAnalysis {
  /** The log with estimated starts written in (the same log when nothing was estimated). */
  logWithStarts: ReconstructionLog;
  /** The estimated starts (written into logWithStarts); null when none was estimated. */
  estimatedStarts: EstimatedStarts | null;
  json: WaitCausesJson;
  /** By step name: its waits by cause. */
  stepCauses: Map<string, StepWaitCauses>;
  /** Absent when the caller let it go (AnalyzeOptions.activityTable false). */
  table?: ActivityTable;
}

function parseResourceCalendar(name: string, value: string | Parameters<typeof makeCalendar>[0]): BusinessCalendar {
  try {
    return makeCalendar(typeof value === 'string' ? parseCalendarOption(value) : value);
  } catch (error) {
    if (!isVsmError(error)) throw error;
    throw new VsmError({ code: 'BAD_CONFIG', what: `resource calendar invalid: ${error.what}`, where: `config resources.${name}.calendar`, got: error.got, fix: 'use the --calendar syntax, e.g. "UTC Mon-Fri 10:00-12:00,12:30-20:00"' });
  }
}

function codesMatching(dictionary: ReconstructionLog['activities'], patterns: readonly string[] | undefined): Uint8Array | undefined {
  if (!patterns || patterns.length === 0) return undefined;
  const matcher = nameMatcher(patterns);
  const flags = new Uint8Array(dictionary.size);
  for (let code = 0; code < dictionary.size; code++) if (matcher.matches(dictionary.valueOf(code) ?? '')) flags[code] = 1;
  return flags;
}

function configuredCalendars(log: WaitLogNames, config: VsmConfig | undefined): Map<number, ResourceCalendar> {
  const configured = new Map<number, ResourceCalendar>();
  for (const [name, entry] of Object.entries(config?.resources ?? {})) {
    const code = log.resources.codeOf(name);
    if (code === undefined || code === MISSING_CODE) continue;
    const calendar = parseResourceCalendar(name, entry.calendar);
    configured.set(code, { calendar, source: 'config', description: calendar.describe() });
  }
  return configured;
}

/**
 * Enabled times, (estimated) starts and the wait summer. The enabling instances are read by the summer's first pass
 * only: they go when this returns, before the batches and the cause sweep (issue 14: peak memory).
 */
function startsAndSummer(log: WaitLogNames, collected: ActivityInstances, configured: Map<number, ResourceCalendar>, options: WaitAnalysisOptions, shared: boolean) {
  const { config } = options;
  // The per-case pass (oracle counts → oracle → enabled times), in case ranges when asked (wait-partitions.ts).
  const { instances, oracle, enabled } = casePassOf(collected, log.activities.size, options.casePartitions ?? waitPartitionsFromEnv().cases, options.onPhase);
  options.onPhase?.('start estimation', 0, 0);
  const estimates =
    options.estimate && instances.withStart < instances.count
      ? estimateStarts(instances, enabled.enabledMs, {
          instantActivity: codesMatching(log.activities, config?.estimate?.instantActivities),
          botResource: codesMatching(log.resources, config?.estimate?.botResources),
          outlierMultiple: config?.estimate?.outlierMultiple ?? DEFAULT_OUTLIER_MULTIPLE,
          calendarOf: (code) => configured.get(code)?.calendar,
        }, resourceRangesOf(log, options))
      : { startMs: instances.startMs, estimated: new Uint8Array(instances.count), estimatedCount: 0, repairedCount: 0 };
  const summer = new WaitSummer(log, options.map, instances, enabled.enablingInstance, estimates.estimated, shared);
  // No estimate to write into the log: the carrying events are not read again (the peak is at the sweep, after this).
  if (estimates.estimatedCount === 0) instances.firstEvent = new Int32Array(0);
  return { instances, oracle, enabledMs: enabled.enabledMs, estimates, summer };
}

/** The per-resource pass's ranges of resource codes (wait-partitions.ts), undefined for one (the whole table). */
function resourceRangesOf(log: WaitLogNames, options: WaitAnalysisOptions) {
  return resourcePartitionRanges(log.resources.size, options.resourcePartitions ?? waitPartitionsFromEnv().resources);
}

/**
 * No activity table, no estimated start and a resource order: from the batches on nothing reads the instances' case
 * codes, activities, case ranges, starts, ends, enabled times or estimate flags (the sweep and scan read the order's columns by
 * position, and its loose columns; the summer has its groups' codes), so they go before the sweep, the peak (issue
 * 14, peak memory: 37 bytes an instance, 90 MB at 5 M events, 1.8 GB at 100 M).
 */
function releaseSweptColumns(instances: ActivityInstances, started: { enabledMs: Float64Array }, estimates: { startMs: Float64Array; estimated: Uint8Array }): void {
  const empty = new Float64Array(0);
  instances.caseCode = new Int32Array(0);
  instances.activity = new Int32Array(0);
  instances.caseStart = new Int32Array(0);
  instances.startMs = empty;
  instances.endMs = empty;
  started.enabledMs = empty;
  estimates.startMs = empty;
  estimates.estimated = new Uint8Array(0);
}

/**
 * Runs the chain instances → oracle → enabled times → (estimated) starts → batches → calendars → causes.
 * @example analyzeWaits(log, { map, asOfMs, estimate: true, timeZone: 'UTC' }).json.byCauseMs
 */
export function analyzeWaits(log: AnalysisLog, options: WaitAnalysisOptions): WaitAnalysis {
  options.onPhase?.('instances', 0, 0);
  return analyzeInstances(collectInstances(log, options.map.stepOfActivity, options.asOfMs), log, options);
}

/**
 * analyzeWaits on instances already collected (collectInstances): nothing here reads the log's per-event owner
 * columns, so a caller may let the resource column go once the instances are collected (analyze-visits.ts).
 */
export function analyzeInstances(instances: ActivityInstances, log: ReconstructionLog, options: WaitAnalysisOptions): WaitAnalysis {
  const analysis = analyzeInstancesByName(instances, log, options);
  const logWithStarts = analysis.estimatedStarts === null ? log : writeEstimatedStarts(log, analysis.estimatedStarts).log;
  return { ...analysis, logWithStarts };
}

/** What the wait analysis reads of the log besides the instances: its names. */
export type WaitLogNames = Pick<ReconstructionLog, 'caseIds' | 'activities' | 'resources'>;

/**
 * analyzeInstances without the log's events: the estimated starts come back as a list (`estimatedStarts`) for the
 * caller to write into the events (the event store's ranges: src/vsm/analyze-stored.ts).
 */
export function analyzeInstancesByName(instances: ActivityInstances, log: WaitLogNames, options: WaitAnalysisOptions): Omit<WaitAnalysis, 'logWithStarts'> {
  // Only the summed path (no activity table) sweeps on two threads; the worker starts now, so it has loaded by the
  // time the calendars and batches are done.
  const worker = options.activityTable === false ? SweepWorker.start(options.waitThreads, instances.count) : undefined;
  try {
    return analyzeWithWorker(instances, log, options, worker);
  } finally {
    worker?.close();
  }
}

function analyzeWithWorker(collected: ActivityInstances, log: WaitLogNames, options: WaitAnalysisOptions, worker: SweepWorker | undefined): Omit<WaitAnalysis, 'logWithStarts'> {
  const { config } = options;
  // With a worker, the columns the sweep reads are allocated in SharedArrayBuffers (read there without a copy).
  const shared = worker !== undefined;
  const configured = configuredCalendars(log, config);
  const started = startsAndSummer(log, collected, configured, options, shared);
  const { instances, oracle, estimates, summer } = started;

  options.onPhase?.('resource calendars', 0, 0);
  // One order by (resource, start) for the calendars, the batches and the wait causes (built here, so the batches sort
  // nothing). With no table asked for, the summer's groups by position too: the sweep puts its waits by position.
  const ordered = buildResourceOrder(instances, estimates.startMs, started.enabledMs, estimates.estimated, shared, options.activityTable === false ? summer.layout().groupOf : undefined, resourceRangesOf(log, options));
  // Discovered calendars for the other resources, from the instants they recorded work at: read by position from the
  // order when no start is estimated (every start then counts as recorded).
  const isConfigured = (code: number) => configured.has(code);
  const discovered = discoverCalendarsByResource(
    (skip) =>
      ordered !== null && estimates.estimatedCount === 0
        ? discoverCalendarsInOrder(ordered, instances.resource, skip, options.timeZone)
        : discoverResourceCalendars(instances, estimates.startMs, estimates.estimated, skip, options.timeZone),
    isConfigured,
    instances.resource,
    instances.count,
    resourceRangesOf(log, options),
  );
  const calendars = new Map([...configured, ...discovered.calendars]);
  const { resourcesWithoutCalendar } = discovered;
  const calendarOf = (code: number) => calendars.get(code)?.calendar;

  options.onPhase?.('batches', 0, 0);
  const batches = detectBatchesByResource(
    (resources) => detectBatches(instances, estimates.startMs, estimates.estimated, started.enabledMs, { ordered, resources }),
    instances.count,
    resourceRangesOf(log, options),
    () => {
      if (ordered !== null) ordered.batchActivity = null;
    },
  );
  // The per-instance columns are read through `started`, `estimates` and `instances` only (no local holds them), so
  // releaseSweptColumns can let them go.
  const released = options.activityTable === false && ordered !== null && estimates.estimatedCount === 0;
  if (released) releaseSweptColumns(instances, started, estimates);
  const resourceRanges = resourceRangesOf(log, options);
  const inputsOf = (): WaitCauseInputs => ({ instances, startMs: estimates.startMs, enabledMs: started.enabledMs, batches, ordered, calendarOf, onProgress: loopReporter(options.onPhase, 'wait causes'), ...(resourceRanges ? { resourceRanges } : {}) });
  let sums: WaitSums | undefined;
  let causes: WaitCauseColumns | undefined;
  let scanCapped = 0;
  if (options.activityTable === false) {
    // No table asked for: no cause columns (six per instance, the largest part of the peak memory).
    options.onPhase?.('wait causes', 0, 0);
    const inputs = inputsOf();
    const onProgress = inputs.onProgress;
    const threaded: Partial<WaitCauseInputs> = worker ? { shared: true, sweepRuns: (order, plan) => worker.sweep(order, plan, calendarOf, summer.layout(), summer, onProgress) } : {};
    // Resource ranges: each range sums into a partial of its own, added to the summer's (wait-partitions.ts).
    const rangeSums = rangeSinksOf(summer.layout(), resourceRanges);
    const streamed = streamWaitCauses({ ...inputs, ...threaded, ...(rangeSums ? { rangeSinks: rangeSums } : {}) }, summer);
    if (streamed !== null) for (const partial of rangeSums ?? []) summer.addPartial(partial);
    // The groups by position are read by the sweep only.
    if (ordered !== null) ordered.groupAt = null;
    worker?.close();
    if (streamed !== null && summer.exactInAnyOrder()) {
      scanCapped = streamed.scanCapped;
      options.onPhase?.('wait transitions', 0, 0);
      sums = summer.finish();
    }
  }
  if (sums === undefined) {
    options.onPhase?.('wait causes', 0, 0);
    causes = computeWaitCauses(inputsOf());
    scanCapped = causes.scanCapped;
    options.onPhase?.('wait transitions', 0, 0);
    summer.clearSums();
    summer.putColumns(causes);
    sums = summer.finish();
  }
  const { stepCauses, totalMs, byCauseMs: totals, groups } = sums;
  const transitions = [...groups].sort((a, b) => b.totalMs - a.totalMs || b.count - a.count).slice(0, MAX_WAIT_TRANSITIONS);

  const estimatedStarts = estimates.estimatedCount > 0 ? estimatedStartsOf(instances, estimates) : null;
  const activityName = (code: number) => log.activities.valueOf(code) ?? '?';
  const json: WaitCausesJson = {
    startEstimated: estimates.estimatedCount > 0,
    estimatedStarts: estimates.estimatedCount,
    repairedEstimates: estimates.repairedCount,
    concurrency: { oracle: oracle.kind, pairs: oracle.pairs.map(([a, b]) => [activityName(a), activityName(b)]) },
    calendars: [...calendars.entries()]
      .map(([code, entry]) => ({ resource: log.resources.valueOf(code) ?? '?', source: entry.source, description: entry.description }))
      .sort((a, b) => a.resource.localeCompare(b.resource)),
    resourcesWithoutCalendar,
    batches: { parallel: batches.parallelCount, sequential: batches.sequentialCount },
    ...(scanCapped > 0 ? { overlapScanCapped: scanCapped } : {}),
    instances: instances.count,
    totalMs,
    byCauseMs: totals,
    transitions,
    transitionsTotal: groups.length,
  };
  const table =
    causes === undefined || options.activityTable === false
      ? undefined
      : { log: { caseIds: log.caseIds, activities: log.activities, resources: log.resources }, instances, enabledMs: started.enabledMs, startMs: estimates.startMs, estimated: estimates.estimated, causes, batches };
  return { estimatedStarts, json, stepCauses, ...(table ? { table } : {}) };
}

/** The estimated starts of a wait analysis: the events they are written into, in instance order (case order). */
export interface EstimatedStarts {
  readonly count: number;
  /** The log's index of the event that carries each estimated instance (ActivityInstances.firstEvent). */
  readonly event: Int32Array;
  readonly startMs: Float64Array;
}

function estimatedStartsOf(instances: ActivityInstances, estimates: { startMs: Float64Array; estimated: Uint8Array; estimatedCount: number }): EstimatedStarts {
  const event = new Int32Array(estimates.estimatedCount);
  const startMs = new Float64Array(estimates.estimatedCount);
  let count = 0;
  for (let k = 0; k < instances.count; k++) {
    if (estimates.estimated[k] !== 1) continue;
    event[count] = instances.firstEvent[k];
    startMs[count++] = estimates.startMs[k];
  }
  return { count, event, startMs };
}

/**
 * `log` (the whole log, or a contiguous case range of it whose event 0 is the whole log's event `eventBase`) with
 * the estimated starts of its events written into a copy of its start column, from `starts`' entry `from` on; returns
 * it and the first entry past it. Instances are in case order and a case's events are contiguous, so the entries of
 * the ranges in order are consecutive.
 */
export function writeEstimatedStarts<L extends Pick<ReconstructionLog, 'eventCount' | 'startTimestampMs'>>(log: L, starts: EstimatedStarts, from = 0, eventBase = 0): { log: L; next: number } {
  const startColumn = log.startTimestampMs ? Float64Array.from(log.startTimestampMs) : new Float64Array(log.eventCount).fill(NaN);
  const end = eventBase + log.eventCount;
  let k = from;
  for (; k < starts.count && starts.event[k] < end; k++) startColumn[starts.event[k] - eventBase] = starts.startMs[k];
  return { log: { ...log, startTimestampMs: startColumn, startsEstimated: true }, next: k };
}
