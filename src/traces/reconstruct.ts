/**
 * EventLog → step visits and case times (DESIGN §3, §4): the one pass the metrics build on. Status logs go
 * through status-intervals.ts, activity logs through activity-visits.ts; both fill the same columns.
 */
import type { BusinessCalendar } from '../calendar/business-calendar.js';
import type { VsmConfig } from '../model/config-schema.js';
import type { ReconstructionLog } from '../model/event-log.js';
import { LifecycleCode } from '../model/lifecycle.js';
import { prefixSumsInPlace } from '../model/prefix-sums.js';
import { reconstructActivityCases } from './activity-visits.js';
import { fillCasesFromFields, usesCaseFieldTimes } from './case-field-times.js';
import { allocateCaseColumns, defaultAsOfMs, freezeCaseTimes } from './censoring.js';
import type { DurationFn, PassContext, QualityCounters } from './pass-context.js';
import { buildStepMap, type StepMap } from './step-map.js';
import { reconstructStatusCases } from './status-intervals.js';
import type { CaseTimes, StepVisits } from './step-visits.js';
import { orderSteps, stepOrderCounts, type StepOrderCounts } from './step-order.js';
import { VisitBuffer } from './visit-buffer.js';
import { groupThousands } from '../model/units.js';

export interface ReconstructOptions {
  config?: VsmConfig;
  calendar: BusinessCalendar;
  /** Censoring instant; default config.asOf, else the log's last timestamp. */
  asOfMs?: number;
  /**
   * Only the log's cases [start, end) (a partition of the case chain, src/vsm/case-chain.ts): the visit and case
   * tables cover those cases, case code c standing for the log's case start + c. The steps keep the step map's
   * order (the map order needs every case: `partition.stepOrder` is this range's share of it, joinPartitions
   * applies the whole log's). Default: every case, in map order.
   */
  cases?: { start: number; end: number };
  /** The log's step map when the caller built it already (the case ranges of one log share it); default built here. */
  stepMap?: StepMap;
}

export interface ReconstructQuality extends QualityCounters {
  notes: string[];
}

export interface Reconstruction {
  visits: StepVisits;
  cases: CaseTimes;
  quality: ReconstructQuality;
  /** The lead-time boundaries in words, for the report's `boundaries` (DESIGN §3 "Boundaries are explicit"). */
  boundaries: { trigger: string; outcome: string; ownerLevel: 'resource' | 'group' };
  /** Set when the reconstruction covers a case range only (ReconstructOptions.cases): what the join needs. */
  partition?: ReconstructionPartition;
}

/** What a case range's reconstruction adds for the join of the ranges (src/vsm/case-chain.ts joinPartitions). */
export interface ReconstructionPartition {
  /** The log's cases [firstCase, endCase). */
  readonly firstCase: number;
  readonly endCase: number;
  /** This range's share of the map order (its visits' step codes are in the step map's order, not the map's). */
  readonly stepOrder: StepOrderCounts;
  /** The configured steps (they lead the map order). */
  readonly configuredSteps: number;
  /** Instances with a known start (activity logs; −1 for status logs): none in an activity log makes active time unknown. */
  readonly instancesWithStart: number;
  /** Open (right-censored) cases of the range. */
  readonly censoredCases: number;
  /** The first LEFT_CENSORED_NAMED left-censored cases' ids, in case order. */
  readonly leftCensoredNames: string[];
  /** The step map's own notes (the same for every range), before the quality notes. */
  readonly mapNotes: string[];
}

/**
 * Upper bound of the visit count, tight so no memory is touched in vain: status logs one visit per `enter` at
 * most; activity logs, per case, max(starts, completes) paired instances plus single-timestamp events.
 */
export function visitCapacity(log: ReconstructionLog, firstCase: number, endCase: number): number {
  const { lifecycle, caseStart, startTimestampMs } = log;
  const isStatus = log.shape === 'status';
  let count = 0;
  for (let c = firstCase; c < endCase; c++) {
    let starts = 0;
    let completes = 0;
    let singles = 0;
    for (let i = caseStart[c]; i < caseStart[c + 1]; i++) {
      const code = lifecycle[i];
      if (isStatus) {
        if (code === LifecycleCode.enter) singles++;
      } else if (startTimestampMs !== undefined && !Number.isNaN(startTimestampMs[i])) {
        if (code !== LifecycleCode.schedule) singles++;
      } else if (code === LifecycleCode.start) starts++;
      else if (code === LifecycleCode.complete) completes++;
      else if (code === LifecycleCode.instant || code === LifecycleCode.other) singles++;
    }
    count += Math.max(starts, completes) + singles;
  }
  return count;
}

/**
 * The words for a case's trigger and outcome (report.json `boundaries`), shared with `--engine clickhouse`.
 * `doneNames`: the done statuses the outcome is the first entry to, or null when the outcome is not a done status.
 */
export function boundaryTexts(shape: ReconstructionLog['shape'], config: VsmConfig | undefined, doneNames: readonly string[] | null): { trigger: string; outcome: string } {
  const trigger = config?.trigger;
  const triggerText =
    typeof trigger === 'object'
      ? `first "${trigger.activity}"`
      : shape === 'status' || trigger === 'created'
        ? 'case created'
        : "the case's first event";
  let outcomeText = "the case's last event";
  if (config?.done) outcomeText = `first "${config.done.activities.join('" or "')}"${shape === 'status' ? ' entered' : ' completed'}`;
  else if (doneNames !== null) outcomeText = `first entry to a done status (${doneNames.join(', ')})`;
  return { trigger: triggerText, outcome: outcomeText };
}

function describeBoundaries(log: ReconstructionLog, map: StepMap, config: VsmConfig | undefined): Reconstruction['boundaries'] {
  const outcomeNames = map.steps.flatMap((step) => step.members).filter((member) => member.statusClass === 'done' || config?.done);
  const texts = boundaryTexts(log.shape, config, map.outcomeFromActivities ? outcomeNames.map((m) => m.name) : null);
  return { ...texts, ownerLevel: ownerLevelOf(log, config) };
}

/** The owner level of the visits: the config's, else group when the log names groups, else resource. */
export function ownerLevelOf(log: Pick<ReconstructionLog, 'groups'>, config: VsmConfig | undefined): 'group' | 'resource' {
  return config?.ownerLevel ?? (log.groups.size > 0 ? 'group' : 'resource');
}

function ownerColumnOf(log: ReconstructionLog, level: 'group' | 'resource'): Int32Array {
  const column = level === 'group' ? log.groupCode : log.resourceCode;
  if (column === undefined) throw new Error(`reconstructVisits: the log's ${level} column was dropped, but the visits' owners are at that level`);
  return column;
}

/** Left-censored cases named in the note (the count is always complete). */
const LEFT_CENSORED_NAMED = 5;

/** What `--strict` names for clamped intervals (cli/usable-events.ts; also `--engine clickhouse`). */
export function clampedIntervalsProblem(count: number): string {
  return `${groupThousands(count)} negative intervals clamped to 0 (clock skew)`;
}

/** The note on visits whose queue was clamped to 0 (also said by `--engine clickhouse` with estimated starts). */
export function clampedIntervalsNote(count: number): string {
  return `${count} visits started before the previous visit completed (parallel work or clock skew): their queue time is clamped to 0`;
}

/** Open cases of a case table. */
function censoredCount(cases: CaseTimes): number {
  let censored = 0;
  for (let c = 0; c < cases.caseCount; c++) censored += cases.censored[c];
  return censored;
}

/** The ids of the first LEFT_CENSORED_NAMED left-censored cases (case c is the log's case firstCase + c). */
function leftCensoredNamesOf(log: ReconstructionLog, cases: CaseTimes, firstCase: number): string[] {
  const names: string[] = [];
  for (let c = 0; c < cases.caseCount && names.length < LEFT_CENSORED_NAMED; c++) if (cases.leftCensored?.[c] === 1) names.push(log.caseIds.valueOf(firstCase + c) as string);
  return names;
}

/**
 * The data-quality notes from the counters (summed over the cases), the open-case count and the first left-censored
 * cases' ids (at most LEFT_CENSORED_NAMED are named). Shared with the join of case partitions.
 */
export function qualityNotes(quality: QualityCounters, eventCount: number, censored: number, leftCensoredNames: readonly string[]): string[] {
  const notes: string[] = [];
  if (censored > 0) notes.push(`${censored} open cases are right-censored at asOf (Kaplan–Meier lead time)`);
  if (quality.clampedNegativeIntervals > 0) {
    notes.push(clampedIntervalsNote(quality.clampedNegativeIntervals));
  }
  if (quality.unmatchedStarts > 0) notes.push(`${quality.unmatchedStarts} start events have no complete and are dropped`);
  if (quality.unmatchedCompletes > 0) {
    notes.push(`${quality.unmatchedCompletes} complete events have no start: their active time is unknown (PM4Py counts them as 0)`);
  }
  if (quality.missingOwnerVisits > 0) notes.push(`${quality.missingOwnerVisits} visits have no known owner`);
  if (quality.reopenedCases > 0) {
    notes.push(`${quality.reopenedCases} cases were reopened after done: lead time ends at the first done entry, later visits count as rework`);
  }
  if (quality.casesWithoutTrigger > 0) notes.push(`${quality.casesWithoutTrigger} cases never reached the trigger: no lead time`);
  if (quality.eventsAfterAsOf > 0) notes.push(`${quality.eventsAfterAsOf} events after asOf are ignored`);
  if (quality.leftCensoredCases > 0) {
    const names = leftCensoredNames.slice(0, LEFT_CENSORED_NAMED);
    notes.push(
      `${quality.leftCensoredCases} cases are left-censored (${quality.leftCensoredFirstDone} first seen already done, ${quality.leftCensoredCases - quality.leftCensoredFirstDone} with history starting after creation): ` +
        `excluded from lead time and step times (e.g. ${names.join(', ')}${quality.leftCensoredCases > names.length ? ', …' : ''})`,
    );
  }
  if (quality.casesWithoutStatus > 0) notes.push(`${quality.casesWithoutStatus} cases have no status at all (only owner changes): neither open nor closed, no lead time`);
  if (quality.closedWithoutResolutionTime > 0) notes.push(`${quality.closedWithoutResolutionTime} cases are closed but give no resolution time: no lead time`);
  if (quality.casesWithoutCreatedTime > 0) notes.push(`${quality.casesWithoutCreatedTime} cases give no creation time: no lead time`);
  if (eventCount === 0) notes.push('the log has no events');
  return notes;
}

/**
 * Reconstructs every case's step visits, its lead-time boundaries and the data-quality counts.
 * One pass over the events with typed arrays; durations are counted on `options.calendar`.
 * @example reconstructVisits(log, { calendar: makeCalendar({ kind: '24x7' }) }).cases.leadMs
 */
export function reconstructVisits(log: ReconstructionLog, options: ReconstructOptions): Reconstruction {
  const { config, calendar } = options;
  const configAsOfMs = config?.asOf === undefined ? NaN : Date.parse(config.asOf);
  const asOfMs = options.asOfMs ?? (Number.isNaN(configAsOfMs) ? defaultAsOfMs(log) : configAsOfMs);
  const map = options.stepMap ?? buildStepMap(log, config);
  const boundaries = describeBoundaries(log, map, config);
  const durationMs: DurationFn =
    calendar.spec.kind === '24x7' ? (fromMs, toMs) => (toMs > fromMs ? toMs - fromMs : 0) : (fromMs, toMs) => calendar.durationMs(fromMs, toMs);
  const quality: QualityCounters = {
    clampedNegativeIntervals: 0,
    unmatchedStarts: 0,
    unmatchedCompletes: 0,
    missingOwnerVisits: 0,
    estimatedStarts: 0,
    reopenedCases: 0,
    casesWithoutTrigger: 0,
    eventsAfterAsOf: 0,
    leftCensoredCases: 0,
    leftCensoredFirstDone: 0,
    casesWithoutStatus: 0,
    closedWithoutResolutionTime: 0,
    casesWithoutCreatedTime: 0,
  };
  const firstCase = options.cases?.start ?? 0;
  const endCase = options.cases?.end ?? log.caseCount;
  if (!(firstCase >= 0 && firstCase <= endCase && endCase <= log.caseCount)) throw new Error(`reconstructVisits: case range [${firstCase}, ${endCase}) is not within the log's ${log.caseCount} cases`);
  const caseCount = endCase - firstCase;
  const buffer = new VisitBuffer(visitCapacity(log, firstCase, endCase));
  const caseColumns = allocateCaseColumns(caseCount);
  const ctx: PassContext = {
    log,
    map,
    durationMs,
    asOfMs,
    ownerColumn: ownerColumnOf(log, boundaries.ownerLevel),
    visits: buffer,
    cases: caseColumns,
    quality,
    firstCase,
    endCase,
  };
  let instancesWithStart = -1;
  const fromCaseFields = usesCaseFieldTimes(log);
  // The map's steps (not changed on the map: case ranges share it); none in a current-state export.
  let mapSteps = map.steps;
  if (fromCaseFields) {
    // Current-state export: lead time from case fields, no visits, so no step is a box (DESIGN §7b).
    fillCasesFromFields(ctx);
    mapSteps = [];
    boundaries.trigger = 'case created (creation field; no status history)';
    boundaries.outcome = 'case resolved (resolution field; no status history)';
  } else if (log.shape === 'status') reconstructStatusCases(ctx);
  else instancesWithStart = reconstructActivityCases(ctx);
  const activeUnknown = instancesWithStart === 0 && buffer.count > 0;

  const caseVisitStart = prefixSumsInPlace(countVisitsByCase(buffer.caseCode, buffer.count, caseCount));
  const configuredSteps = config?.steps?.length ?? 0;
  const stepOrder = options.cases === undefined ? null : stepOrderCounts(mapSteps.length, buffer.stepCode, caseVisitStart);
  const steps = stepOrder === null ? orderSteps(mapSteps, configuredSteps, buffer, caseVisitStart) : mapSteps;

  const visits: StepVisits = {
    count: buffer.count,
    caseCount,
    steps,
    owners: boundaries.ownerLevel === 'group' ? log.groups : log.resources,
    ownerLevel: boundaries.ownerLevel,
    caseCode: buffer.trimmed(buffer.caseCode),
    caseVisitStart,
    stepCode: buffer.trimmed(buffer.stepCode),
    ownerCode: buffer.trimmed(buffer.ownerCode),
    enteredAt: buffer.trimmed(buffer.enteredAt),
    workStartedAt: buffer.trimmed(buffer.workStartedAt),
    exitedAt: buffer.trimmed(buffer.exitedAt),
    activeMs: buffer.trimmed(buffer.activeMs),
    queueMs: buffer.trimmed(buffer.queueMs),
    waitingMs: buffer.trimmed(buffer.waitingMs),
    blockedMs: buffer.trimmed(buffer.blockedMs),
    elapsedMs: buffer.trimmed(buffer.elapsedMs),
    open: buffer.trimmed(buffer.open),
    activeUnknown,
    asOfMs,
    shape: log.shape,
    inLead: buffer.trimmed(buffer.inLead),
    firstEvent: buffer.trimmed(buffer.firstEvent),
  };
  const cases = freezeCaseTimes(caseColumns);
  const censored = censoredCount(cases);
  const leftCensoredNames = quality.leftCensoredCases > 0 ? leftCensoredNamesOf(log, cases, firstCase) : [];
  const mapNotes = fromCaseFields ? [] : map.notes;
  const notes = [...mapNotes, ...qualityNotes(quality, log.eventCount, censored, leftCensoredNames)];
  const reconstruction: Reconstruction = { visits, cases, quality: { ...quality, notes }, boundaries };
  if (stepOrder !== null) {
    reconstruction.partition = { firstCase, endCase, stepOrder, configuredSteps, instancesWithStart, censoredCases: censored, leftCensoredNames, mapNotes };
  }
  return reconstruction;
}

/**
 * The visits of case c at c + 1 (length caseCount + 1; the prefix sums make it each case's first visit). A leaf: as
 * two loops inside reconstructVisits, the code compiled on entry into the count's loop (OSR) bailed out at the prefix
 * loop (no type feedback yet), which then ran unoptimised (issue 14, warm-up at 1 M).
 */
function countVisitsByCase(caseCode: Int32Array, visitCount: number, caseCount: number): Int32Array {
  const counts = new Int32Array(caseCount + 1);
  for (let v = 0; v < visitCount; v++) counts[caseCode[v] + 1]++;
  return counts;
}
