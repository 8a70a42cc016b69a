/**
 * Activity logs: enabled times, estimated starts and wait causes, from the instance table to report.json's
 * `waitCauses`, each step's `waitCausesMs` and the rows of activities.csv (docs/wait-causes.md).
 */
import { makeCalendar, type BusinessCalendar } from '../calendar/business-calendar.js';
import { parseCalendarOption } from '../calendar/calendar-option.js';
import { VsmError, isVsmError } from '../errors.js';
import { detectBatches, type Batches } from '../metrics/batches.js';
import { discoveredCalendar, type ResourceCalendar } from '../metrics/resource-calendars.js';
import { computeWaitCauses, WAIT_CAUSES, type WaitCauseColumns } from '../metrics/wait-causes.js';
import { nameMatcher, type VsmConfig } from '../model/config-schema.js';
import { MISSING_CODE } from '../model/dictionary.js';
import type { EventLog } from '../model/event-log.js';
import { collectInstances, type ActivityInstances } from '../traces/activity-instances.js';
import { discoverConcurrency } from '../traces/concurrency-oracle.js';
import { computeEnabledTimes } from '../traces/enabled-time.js';
import { DEFAULT_OUTLIER_MULTIPLE, estimateStarts } from '../traces/start-estimation.js';
import type { StepMap } from '../traces/step-map.js';
import type { WaitCausesJson, WaitCausesMsJson, WaitTransitionJson } from '../contracts/report-schema.js';
import { loopReporter, type AnalyzePhaseCallback } from './analyze-progress.js';

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
}

/** One row per completed activity instance: the columns of activities.csv. */
export interface ActivityTable {
  readonly log: EventLog;
  readonly instances: ActivityInstances;
  readonly enabledMs: Float64Array;
  readonly startMs: Float64Array;
  readonly estimated: Uint8Array;
  readonly causes: WaitCauseColumns;
  readonly batches: Batches;
}

export interface WaitAnalysis {
  /** The log with estimated starts written in (the same log when nothing was estimated). */
  logWithStarts: EventLog;
  json: WaitCausesJson;
  /** By step name: its waits by cause. */
  stepCauses: Map<string, { totalMs: number; byCauseMs: WaitCausesMsJson; instances: number; estimated: number }>;
  table: ActivityTable;
}

function zeroCauses(): WaitCausesMsJson {
  return { batching: 0, prioritization: 0, contention: 0, unavailability: 0, extraneous: 0 };
}

function parseResourceCalendar(name: string, value: string | Parameters<typeof makeCalendar>[0]): BusinessCalendar {
  try {
    return makeCalendar(typeof value === 'string' ? parseCalendarOption(value) : value);
  } catch (error) {
    if (!isVsmError(error)) throw error;
    throw new VsmError({ code: 'BAD_CONFIG', what: `resource calendar invalid: ${error.what}`, where: `config resources.${name}.calendar`, got: error.got, fix: 'use the --calendar syntax, e.g. "UTC Mon-Fri 10:00-12:00,12:30-20:00"' });
  }
}

function codesMatching(dictionary: EventLog['activities'], patterns: readonly string[] | undefined): Uint8Array | undefined {
  if (!patterns || patterns.length === 0) return undefined;
  const matcher = nameMatcher(patterns);
  const flags = new Uint8Array(dictionary.size);
  for (let code = 0; code < dictionary.size; code++) if (matcher.matches(dictionary.valueOf(code) ?? '')) flags[code] = 1;
  return flags;
}

/**
 * Runs the chain instances → oracle → enabled times → (estimated) starts → batches → calendars → causes.
 * @example analyzeWaits(log, { map, asOfMs, estimate: true, timeZone: 'UTC' }).json.byCauseMs
 */
export function analyzeWaits(log: EventLog, options: WaitAnalysisOptions): WaitAnalysis {
  const { config, map } = options;
  options.onPhase?.('instances', 0, 0);
  const instances = collectInstances(log, map.stepOfActivity, options.asOfMs);
  const oracle = discoverConcurrency(instances, log.activities.size);
  options.onPhase?.('enabled times', 0, 0);
  const enabled = computeEnabledTimes(instances, oracle);

  const configured = new Map<number, ResourceCalendar>();
  for (const [name, entry] of Object.entries(config?.resources ?? {})) {
    const code = log.resources.codeOf(name);
    if (code === undefined || code === MISSING_CODE) continue;
    const calendar = parseResourceCalendar(name, entry.calendar);
    configured.set(code, { calendar, source: 'config', description: calendar.describe() });
  }
  options.onPhase?.('start estimation', 0, 0);
  const estimates =
    options.estimate && instances.withStart < instances.count
      ? estimateStarts(instances, enabled.enabledMs, {
          instantActivity: codesMatching(log.activities, config?.estimate?.instantActivities),
          botResource: codesMatching(log.resources, config?.estimate?.botResources),
          outlierMultiple: config?.estimate?.outlierMultiple ?? DEFAULT_OUTLIER_MULTIPLE,
          calendarOf: (code) => configured.get(code)?.calendar,
        })
      : { startMs: instances.startMs, estimated: new Uint8Array(instances.count), estimatedCount: 0, repairedCount: 0 };
  const { startMs, estimated } = estimates;

  options.onPhase?.('resource calendars', 0, 0);
  // Discovered calendars for the other resources, from the instants they recorded work at.
  const instantsByResource = new Map<number, number[]>();
  for (let k = 0; k < instances.count; k++) {
    const code = instances.resource[k];
    if (code === MISSING_CODE || configured.has(code)) continue;
    let instants = instantsByResource.get(code);
    if (!instants) instantsByResource.set(code, (instants = []));
    instants.push(instances.endMs[k]);
    if (estimated[k] === 0 && !Number.isNaN(startMs[k]) && startMs[k] !== instances.endMs[k]) instants.push(startMs[k]);
  }
  const calendars = new Map(configured);
  let resourcesWithoutCalendar = 0;
  for (const [code, instants] of instantsByResource) {
    const discovered = discoveredCalendar(instants, options.timeZone);
    if (discovered) calendars.set(code, discovered);
    else resourcesWithoutCalendar++;
  }

  options.onPhase?.('batches', 0, 0);
  const batches = detectBatches(instances, startMs, estimated, enabled.enabledMs);
  options.onPhase?.('wait causes', 0, 0);
  const causes = computeWaitCauses({ instances, startMs, enabledMs: enabled.enabledMs, batches, calendarOf: (code) => calendars.get(code)?.calendar, onProgress: loopReporter(options.onPhase, 'wait causes') });

  options.onPhase?.('wait transitions', 0, 0);
  const stepName = (activity: number) => map.steps[map.stepOfActivity[activity]].name;
  const resourceName = (code: number) => (code === MISSING_CODE ? null : (log.resources.valueOf(code) ?? null));
  // Transition groups are keyed by (from step, from resource, step, resource) names. Names get small ids (0 for
  // none) so the key is one number, not a string per instance; the ids follow the names, so groups (and their
  // first-seen order) are those of a key on the names themselves.
  const idsOf = <T>(count: number, nameOf: (code: number) => T): { ids: Int32Array; distinct: number } => {
    const seen = new Map<T, number>();
    const ids = new Int32Array(count);
    for (let code = 0; code < count; code++) {
      const name = nameOf(code);
      let id = name === null ? 0 : seen.get(name);
      if (id === undefined) seen.set(name, (id = seen.size + 1));
      ids[code] = id;
    }
    return { ids, distinct: seen.size + 1 };
  };
  const stepIds = idsOf(log.activities.size, (activity) => (map.stepOfActivity[activity] >= 0 ? stepName(activity) : null));
  const resourceIds = idsOf(log.resources.size, resourceName);
  const stepIdOf = (activity: number) => stepIds.ids[activity];
  const resourceIdOf = (code: number) => (code === MISSING_CODE || code < 0 || code >= log.resources.size ? 0 : resourceIds.ids[code]);
  const numericKeys = stepIds.distinct * stepIds.distinct * resourceIds.distinct * resourceIds.distinct < Number.MAX_SAFE_INTEGER;
  const stepCauses: WaitAnalysis['stepCauses'] = new Map();
  const totals = zeroCauses();
  let totalMs = 0;
  const groups = new Map<number | string, WaitTransitionJson & { lastCase: number }>();
  const { batching, prioritization, contention, unavailability, extraneous } = causes.causeMs;
  for (let k = 0; k < instances.count; k++) {
    const name = stepName(instances.activity[k]);
    let step = stepCauses.get(name);
    if (!step) stepCauses.set(name, (step = { totalMs: 0, byCauseMs: zeroCauses(), instances: 0, estimated: 0 }));
    step.instances++;
    step.estimated += estimated[k];
    const waitMs = causes.waitMs[k];
    step.totalMs += waitMs;
    totalMs += waitMs;
    for (const cause of WAIT_CAUSES) {
      step.byCauseMs[cause] += causes.causeMs[cause][k];
      totals[cause] += causes.causeMs[cause][k];
    }
    const from = enabled.enablingInstance[k];
    const key = numericKeys
      ? ((resourceIds.distinct * (from >= 0 ? stepIdOf(instances.activity[from]) : 0) + (from >= 0 ? resourceIdOf(instances.resource[from]) : 0)) * stepIds.distinct + stepIdOf(instances.activity[k])) * resourceIds.distinct + resourceIdOf(instances.resource[k])
      : JSON.stringify([from >= 0 ? stepName(instances.activity[from]) : null, from >= 0 ? resourceName(instances.resource[from]) : null, name, resourceName(instances.resource[k])]);
    let group = groups.get(key);
    if (!group) {
      const fromStep = from >= 0 ? stepName(instances.activity[from]) : null;
      const fromResource = from >= 0 ? resourceName(instances.resource[from]) : null;
      const toResource = resourceName(instances.resource[k]);
      group = { fromStep, fromResource, toStep: name, toResource, count: 0, cases: 0, totalMs: 0, batchingMs: 0, prioritizationMs: 0, contentionMs: 0, unavailabilityMs: 0, extraneousMs: 0, lastCase: -1 };
      groups.set(key, group);
    }
    group.count++;
    if (group.lastCase !== instances.caseCode[k]) {
      group.cases++;
      group.lastCase = instances.caseCode[k];
    }
    group.totalMs += waitMs;
    group.batchingMs += batching[k];
    group.prioritizationMs += prioritization[k];
    group.contentionMs += contention[k];
    group.unavailabilityMs += unavailability[k];
    group.extraneousMs += extraneous[k];
  }
  const transitions = [...groups.values()]
    .sort((a, b) => b.totalMs - a.totalMs || b.count - a.count)
    .slice(0, MAX_WAIT_TRANSITIONS)
    .map(({ lastCase: _lastCase, ...transition }) => transition);

  let logWithStarts = log;
  if (estimates.estimatedCount > 0) {
    const startColumn = log.startTimestampMs ? Float64Array.from(log.startTimestampMs) : new Float64Array(log.eventCount).fill(NaN);
    for (let k = 0; k < instances.count; k++) if (estimated[k] === 1) startColumn[instances.firstEvent[k]] = startMs[k];
    logWithStarts = { ...log, startTimestampMs: startColumn, startsEstimated: true };
  }
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
    ...(causes.scanCapped > 0 ? { overlapScanCapped: causes.scanCapped } : {}),
    instances: instances.count,
    totalMs,
    byCauseMs: totals,
    transitions,
    transitionsTotal: groups.size,
  };
  return { logWithStarts, json, stepCauses, table: { log, instances, enabledMs: enabled.enabledMs, startMs, estimated, causes, batches } };
}
