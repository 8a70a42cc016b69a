/**
 * The ClickHouse aggregates (engine.ts) as the normal report.json, so the same findings, map and renderers make the
 * same report set as the in-memory engine. Only what SQL computed is a number here: everything else is null, an
 * empty distribution (n = 0) or an empty list, and `dataQuality.sufficiency` names it as "not computed by
 * --engine clickhouse" — never a 0 that reads as measured. docs/clickhouse.md lists both sides.
 */
import { keptHandoffPairs } from './handoff-pairs.js';
import { CALENDAR_24X7, type CalendarSpec } from '../../calendar/calendar-spec.js';
import { makeZoneClock, type ZoneClock } from '../../calendar/zone-clock.js';
import { workdayMsOf } from '../analyze.js';
import { makeCalendar } from '../../calendar/business-calendar.js';
import type { ReportJson, StepJson, SufficiencyJson, SufficiencyVerdictJson } from '../../contracts/report-schema.js';
import { REPORT_SCHEMA_VERSION } from '../../contracts/report-schema.js';
import { THIN_EVIDENCE_N } from '../../metrics/distribution.js';
import { STEP_WEEKS_TOP } from '../../metrics/flow.js';
import { isoDay, MAX_FLOW_BUCKETS, planTimeBuckets } from '../../metrics/time-buckets.js';
import type { VsmConfig } from '../../model/config-schema.js';
import { stepIdentity } from './step-identity.js';
import { boundaryTexts } from '../../traces/reconstruct.js';
import { TOOL_VERSION } from '../../version.js';
import { computeFindings } from '../findings.js';
import { NO_STARTS_ACTIVE_REASON, NO_STARTS_CYCLE_REASON, NO_STARTS_FIX, NOT_COMPUTED_BY_ENGINE, type SufficiencyMetric } from '../sufficiency.js';
import type { ClickHouseAnalysis } from './engine.js';
import { distributionOf, rawValuesNote, survivalOf } from './group-values.js';
import { emptyDistribution, splitByClass, type StepTimes, zeros } from './status-split.js';
import { DEFAULT_SEED } from '../../metrics/random.js';
import { estimatedStartsLimits, estimatedStartsNotes, estimatedStartsProblems } from './estimate-report.js';

export { NOT_COMPUTED_BY_ENGINE, emptyDistribution };

const ENGINE_FIX = 'run vsm analyze on an export of the table with the in-memory engine for these figures (docs/clickhouse.md)';

export interface ToReportOptions {
  /** Shown as the report's log name (the table, or "query"). */
  logName: string;
  config?: VsmConfig;
  /** Loops kept in report.json, as in memory (default 20). */
  topLoops?: number;
  /** The calendar the analysis counted durations on (analyzeClickHouse's `calendar`; default 24x7). */
  calendar?: CalendarSpec;
  /** Seed of the bootstrap intervals (default 42, as in memory). */
  seed?: number;
  /** Provenance: source and options as the user gave them (never credentials). */
  provenanceOptions?: Record<string, unknown>;
}

export interface ClickHouseReport {
  report: ReportJson;
  /** Limits that come from the data, not from the engine: what `--strict` exits 1 for. */
  dataProblems: string[];
}

/**
 * A timed activity-log step (activity-visits.ts, metrics/timing.ts): queue = delay, active, elapsed from its visits;
 * waiting and blocked are zeros; every visit is closed and inside the lead time, so the totals are the sums.
 */
function activitySplit(times: NonNullable<ClickHouseAnalysis['activityStepTimes']>[number], seed: number): ReturnType<typeof splitByClass> {
  const queue = distributionOf(times.queue, seed);
  return {
    activeMs: distributionOf(times.active, seed),
    queueMs: queue,
    waitingMs: zeros(times.elapsed.n),
    blockedMs: zeros(times.elapsed.n),
    elapsedMs: distributionOf(times.elapsed, seed),
    delayMs: queue,
    totalDelayMs: times.leadQueueMs,
    totalActiveMs: times.leadActiveMs,
  };
}

/**
 * A single-timestamp activity-log step (metrics/timing.ts `activeUnknown`, as vsm analyze --no-estimate): elapsed
 * and delay are the elapsed times of its visits other than each case's first; active, queue, waiting and blocked
 * are unknown (no values); the total delay is the Σ elapsed of all its visits, the total active time 0.
 */
function elapsedOnlySplit(times: StepTimes, seed: number): ReturnType<typeof splitByClass> {
  const elapsed = distributionOf(times.elapsed, seed);
  const none = emptyDistribution();
  return { activeMs: none, queueMs: none, waitingMs: none, blockedMs: none, elapsedMs: elapsed, delayMs: elapsed, totalDelayMs: times.leadSumMs, totalActiveMs: 0 };
}

/** A step never visited (a status first entered after the as-of): no values, totals 0 as in memory. */
const NO_VALUES: StepTimes['elapsed'] = { n: 0, sum: 0, min: null, max: null, median: null, p85: null, p95: null, values: [], window: null };

/** Map order of every step, outcome steps last (traces/step-order.ts): by first-entry rank, visits, name. */
function mapOrder(steps: ClickHouseAnalysis['allSteps']): string[] {
  return [...steps]
    .sort((a, b) => Number(a.outcome) - Number(b.outcome) || a.medianFirstRank - b.medianFirstRank || b.visits - a.visits || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((step) => step.name);
}

/** The flow section from the per-slot counts, built as metrics/flow.ts builds it (dense rows, cumulative WIP). */
function flowOf(analysis: ClickHouseAnalysis, clock: ZoneClock | null): ReportJson['flow'] {
  const counts = analysis.flow;
  if (counts === null) return { weeks: [], stepWeeks: [], aging: [], bucket: { unit: 'week', count: 0, reason: null, stepsShown: 0, otherSteps: 0 } };
  const buckets = planTimeBuckets(counts.firstMs, counts.lastMs, clock);
  const arrivals = new Array<number>(buckets.count).fill(0);
  const throughput = new Array<number>(buckets.count).fill(0);
  for (const row of counts.slots) {
    arrivals[row.slot] += row.arrivals;
    throughput[row.slot] += row.throughput;
  }
  let wip = 0;
  const weeks = buckets.startLabels.map((weekStart, w) => {
    wip += arrivals[w] - throughput[w];
    return { weekStart, arrivals: arrivals[w], throughput: throughput[w], wip };
  });
  const stepWeeks: ReportJson['flow']['stepWeeks'] = [];
  let rowNames: string[] = [];
  let otherSteps = 0;
  if (counts.stepSlots !== null) {
    const order = mapOrder(analysis.allSteps);
    const visitsOf = new Map(analysis.allSteps.map((step) => [step.name, step.visits]));
    const kept =
      order.length <= STEP_WEEKS_TOP
        ? order
        : order
            .map((name, position) => ({ name, position }))
            .sort((a, b) => (visitsOf.get(b.name) ?? 0) - (visitsOf.get(a.name) ?? 0) || a.position - b.position)
            .slice(0, STEP_WEEKS_TOP)
            .sort((a, b) => a.position - b.position)
            .map((entry) => entry.name);
    otherSteps = order.length - kept.length;
    rowNames = otherSteps > 0 ? [...kept, `other (${otherSteps.toLocaleString('en-US')} steps)`] : kept;
    const rowOf = new Map(kept.map((name, row) => [name, row]));
    const cells = new Map<number, { entered: number; exited: number }>();
    for (const cell of counts.stepSlots) {
      const row = rowOf.get(cell.step) ?? rowNames.length - 1;
      const key = cell.slot * rowNames.length + row;
      const sum = cells.get(key) ?? { entered: 0, exited: 0 };
      sum.entered += cell.entered;
      sum.exited += cell.exited;
      cells.set(key, sum);
    }
    const rowWip = new Array<number>(rowNames.length).fill(0);
    for (let w = 0; w < buckets.count; w++) {
      for (let r = 0; r < rowNames.length; r++) {
        const cell = cells.get(w * rowNames.length + r) ?? { entered: 0, exited: 0 };
        rowWip[r] += cell.entered - cell.exited;
        const row = { step: rowNames[r], weekStart: buckets.startLabels[w], entered: cell.entered, exited: cell.exited, wip: rowWip[r] };
        stepWeeks.push(r === rowNames.length - 1 && otherSteps > 0 ? { ...row, otherSteps } : row);
      }
    }
  }
  return {
    weeks,
    stepWeeks,
    aging: counts.aging ?? [],
    bucket: {
      unit: buckets.unit,
      count: buckets.count,
      reason:
        buckets.unit === 'week'
          ? null
          : `the log spans ${isoDay(counts.firstMs)} to ${isoDay(counts.lastMs)}, more than ${MAX_FLOW_BUCKETS} weeks: one slot per ${buckets.unit} keeps the series within ${MAX_FLOW_BUCKETS} slots`,
      stepsShown: rowNames.length - (otherSteps > 0 ? 1 : 0),
      otherSteps,
    },
  };
}

interface Limit {
  verdict: 'partial' | 'unsupported';
  reason: string;
  engine: boolean;
  /** The fix when it is not the default one (engine: analyse an export in memory; data: the unpaired events). */
  fix?: string;
}

/**
 * Single-timestamp logs read with --no-estimate: no start times in the data, a data limit (both engines estimate them
 * by default), worded as the in-memory verdicts (src/vsm/sufficiency.ts).
 */
const NO_STARTS: Limit = { verdict: 'unsupported', reason: NO_STARTS_ACTIVE_REASON, engine: false, fix: NO_STARTS_FIX };
const NO_STARTS_CYCLE: Limit = { verdict: 'unsupported', reason: NO_STARTS_CYCLE_REASON, engine: false, fix: NO_STARTS_FIX };

function verdict(parts: readonly Limit[], counts: Record<string, number> = {}): SufficiencyVerdictJson {
  if (parts.length === 0) return { verdict: 'ok', reason: null, fix: null, counts };
  const worst = parts.some((part) => part.verdict === 'unsupported') ? 'unsupported' : 'partial';
  const fixes = new Set(parts.map((part) => part.fix ?? (part.engine ? ENGINE_FIX : 'check the start/complete events of these cases (every start needs its complete)')));
  const engineParts = parts.filter((part) => part.engine).length;
  return {
    verdict: worst,
    reason: parts.map((part) => part.reason).join('; '),
    fix: [...fixes].join('; '),
    counts,
    ...(engineParts > 0 ? { notComputedBy: { engine: 'clickhouse', only: engineParts === parts.length } } : {}),
  };
}

/** Maps the aggregates onto report.json and runs the shared findings on it. */
export function clickHouseReport(analysis: ClickHouseAnalysis, options: ToReportOptions): ClickHouseReport {
  const { config } = options;
  const seed = options.seed ?? DEFAULT_SEED;
  const calendarSpec = options.calendar ?? CALENDAR_24X7;
  const calendar = makeCalendar(calendarSpec);
  const timeZone = calendarSpec.kind === 'business' ? calendarSpec.timeZone : null;
  const workdayMs = workdayMsOf(calendarSpec);
  const { log, leadTimeMs: lead } = analysis;
  const flow = flowOf(analysis, timeZone === null ? null : makeZoneClock(timeZone));
  const timesOfEdge = new Map((analysis.edgeTimes ?? []).map((edge) => [`${edge.from}\u0000${edge.to}`, edge]));

  const ownerOf = (step: string, visits: number): StepJson['owner'] => {
    const owner = analysis.stepOwners.get(step);
    return owner === undefined || visits === 0 ? null : { name: owner.owner, share: owner.visits / visits };
  };
  const timesOf = new Map((analysis.stepTimes ?? []).map((row) => [row.step, row]));
  const activityTimesOf = new Map((analysis.activityStepTimes ?? []).map((row) => [row.step, row]));
  const elapsedTimesOf = new Map((analysis.elapsedStepTimes ?? []).map((row) => [row.step, row]));
  const elapsedOnly = analysis.elapsedStepTimes !== null;
  const steps: StepJson[] = [...analysis.steps.items]
    .sort((a, b) => a.medianFirstRank - b.medianFirstRank || b.visits - a.visits || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((item, order): StepJson => {
      const identity = stepIdentity(item.name, analysis, config, [0, 0, 0, 0], ownerOf(item.name, item.visits));
      const times = timesOf.get(item.name);
      const activityTimes = activityTimesOf.get(item.name);
      const timesKnown = analysis.stepTimes !== null || analysis.activityStepTimes !== null;
      const elapsedTimes = elapsedTimesOf.get(item.name);
      const split = elapsedOnly
        ? elapsedOnlySplit(elapsedTimes ?? { step: item.name, elapsed: NO_VALUES, leadSumMs: 0 }, seed)
        : times
        ? splitByClass(identity.class, times, seed)
        : activityTimes
          ? activitySplit(activityTimes, seed)
          : timesKnown
            ? splitByClass(identity.class, { step: item.name, elapsed: NO_VALUES, leadSumMs: 0 }, seed)
            : null;
      return {
        name: item.name,
        order,
        ...identity,
        visits: item.visits,
        cases: item.cases,
        reworkCases: item.reworkCases,
        activeMs: split?.activeMs ?? emptyDistribution(),
        queueMs: split?.queueMs ?? emptyDistribution(),
        waitingMs: split?.waitingMs ?? emptyDistribution(),
        blockedMs: split?.blockedMs ?? emptyDistribution(),
        elapsedMs: split?.elapsedMs ?? emptyDistribution(),
        delayMs: split?.delayMs ?? emptyDistribution(),
        activeUnknown: elapsedOnly,
        ...(analysis.startEstimates?.estimatedSteps.includes(item.name) === true && item.visits > 0 ? { startEstimated: true } : {}),
        totalDelayMs: split?.totalDelayMs ?? null,
        totalActiveMs: split?.totalActiveMs ?? null,
        thin: item.visits < THIN_EVIDENCE_N,
      };
    });

  const measured = lead.closed + lead.censored;
  const leadTimeMs: ReportJson['leadTimeMs'] = survivalOf(lead.closedStats, lead.censored, lead.openValues, { min: lead.minMs, max: lead.maxMs, sum: lead.sumMs }, seed);
  const caseTimes = analysis.caseTimes;
  let cycleTimeMs: ReportJson['cycleTimeMs'] = { ...emptyDistribution(), censored: lead.censored, method: lead.censored > 0 ? 'kaplan-meier' : 'empirical' };
  let flowEfficiency: ReportJson['flowEfficiency'] = { pooled: null, perCase: emptyDistribution(), activeKnown: false };
  if (caseTimes !== null) {
    const { cycle } = caseTimes;
    cycleTimeMs = survivalOf(cycle.closed, cycle.censored, cycle.openValues, { min: cycle.minMs, max: cycle.maxMs, sum: cycle.sumMs }, seed);
    flowEfficiency = {
      pooled: caseTimes.pooledLeadMs > 0 ? caseTimes.pooledActiveMs / caseTimes.pooledLeadMs : null,
      perCase: distributionOf(caseTimes.ratio, seed),
      activeKnown: true,
      activeMsPerCase: distributionOf(caseTimes.activePerClosedCase, seed),
      ...(analysis.startEstimates !== null ? { startEstimated: true } : {}),
    };
  }

  const topLoops = options.topLoops ?? 20;
  const rework: ReportJson['rework'] = {
    casesWithRework: analysis.rework.casesWithRework,
    share: analysis.rework.share,
    byStep: analysis.rework.byStep,
    loops: analysis.rework.loops.slice(0, topLoops).map(({ added, ...loop }) => ({ ...loop, addedMs: added === null ? emptyDistribution() : distributionOf(added, seed) })),
  };
  const handoffs: ReportJson['handoffs'] = {
    level: log.ownerLevel,
    total: analysis.handoffs.total,
    casesWithHandoff: analysis.handoffs.casesWithHandoff,
    matrix: keptHandoffPairs(analysis.handoffs.matrix).map(({ wait, ...pair }) => ({ ...pair, waitAfterMs: wait === null ? emptyDistribution() : distributionOf(wait, seed) })),
    pingPong: analysis.pingPong,
  };

  // Sufficiency: data limits (cases left out) and engine limits, told apart by each Limit's `engine` flag (which
  // becomes the verdict's notComputedBy).
  const notPushed = log.casesNotPushedDown;
  const engine = (reason: string, level: 'partial' | 'unsupported' = 'unsupported'): Limit => ({ verdict: level, reason: `${reason} ${NOT_COMPUTED_BY_ENGINE}`, engine: true });
  const dataLimit: Limit[] = [
    ...(notPushed > 0 ? [{ verdict: 'partial' as const, reason: `${notPushed} cases with unpaired start/complete events left out`, engine: false }] : []),
    ...(log.casesOpenAtAsOf > 0 ? [engine(`${log.casesOpenAtAsOf} cases with instances open at the as-of left out:`, 'partial')] : []),
    ...(log.casesMergedInstances > 0 ? [engine(`${log.casesMergedInstances} cases whose instances merge into one visit of a config step left out:`, 'partial')] : []),
  ];
  // Kaplan–Meier figures are unknown only when open cases exist and the group was too large to come back raw.
  const kmUnknown = (summary: ReportJson['leadTimeMs']): Limit[] =>
    summary.censored > 0 && summary.n > analysis.rawValuesMax
      ? [engine(`${summary.censored} open cases among more than ${analysis.rawValuesMax.toLocaleString('en-US')} cases: Kaplan–Meier percentiles and the mean`, 'partial')]
      : [];
  const leadParts = [...dataLimit, ...kmUnknown(leadTimeMs)];
  const sufficiency: Record<SufficiencyMetric, SufficiencyVerdictJson> = {
    leadTime: verdict(leadParts, { casesMeasured: measured, casesClosed: lead.closed, casesOpen: lead.censored }),
    cycleTime:
      caseTimes === null
        ? elapsedOnly
          ? verdict([...dataLimit, NO_STARTS_CYCLE], measured > 0 ? { casesMeasured: measured, casesWithFirstActiveWork: 0 } : {})
          : verdict([...dataLimit, engine(`cycle time (first active work → outcome, ${analysis.caseTimesUnknown ?? ''}):`)])
        : verdict([...dataLimit, ...kmUnknown(cycleTimeMs)]),
    stepTimes:
      analysis.stepTimes === null && analysis.activityStepTimes === null && !elapsedOnly
        ? verdict([...dataLimit, engine(`step times by status class (active, queue, waiting, blocked) and delays (${analysis.stepTimesUnknown ?? ''}):`)], { visits: log.visits })
        : verdict(dataLimit, { visits: log.visits }),
    flowEfficiency:
      caseTimes === null
        ? verdict([...dataLimit, elapsedOnly ? NO_STARTS : engine('active time per case, so flow efficiency:')])
        : verdict([...dataLimit, ...estimatedStartsLimits(analysis)]),
    handoffs: verdict([
      ...dataLimit,
      ...(analysis.handoffs.matrix.some((pair) => pair.wait === null)
        ? [engine('the wait after each handoff (activity logs without recorded starts):', 'partial')]
        : []),
    ]),
    rework: verdict([...dataLimit, ...(analysis.rework.loops.some((loop) => loop.added === null) ? [engine('the time rework loops add (activity logs without recorded starts):', 'partial')] : [])]),
    variants: verdict(dataLimit),
    flow:
      analysis.flow === null || analysis.flow.stepSlots !== null
        ? verdict([])
        : verdict([engine('activity logs without recorded starts: steps entered and exited per week (per-step flow):', 'partial')]),
  };
  const dataProblems = [...dataLimit.filter((part) => !part.engine).map((part) => part.reason), ...estimatedStartsProblems(analysis)];

  const asOf = log.asOfMs === null ? null : new Date(log.asOfMs).toISOString();
  const logJson: ReportJson['log'] = {
    name: options.logName,
    format: 'clickhouse',
    shape: log.shape,
    cases: log.cases,
    events: log.events,
    openCases: lead.censored,
    timeRange: log.firstMs === null || log.lastMs === null ? null : { from: new Date(log.firstMs).toISOString(), to: new Date(log.lastMs).toISOString() },
    asOf,
  };
  const doneNames = analysis.doneStatuses;
  const findings = computeFindings({
    steps,
    leadTimeMs,
    rework,
    handoffs,
    log: logJson,
    calendar: { workdayMs },
    sufficiency: sufficiency as SufficiencyJson,
    commitmentPointSet: config?.trigger !== undefined,
  });
  const notes = [
    ...analysis.notes,
    ...estimatedStartsNotes(analysis),
    rawValuesNote(analysis.rawValuesMax),
    ...(analysis.edgeTimes === null ? [`DFG edge times (meanMs, medianMs) of activity logs without recorded starts: ${NOT_COMPUTED_BY_ENGINE}`] : []),
    `computed inside ClickHouse ${analysis.serverVersion} (--engine clickhouse): ${analysis.transfer.bytesReceived} bytes of aggregates came back over ${analysis.transfer.queries} queries`,
  ];
  const report: ReportJson = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'valuestream', version: TOOL_VERSION },
    log: logJson,
    boundaries: {
      ...boundaryTexts(log.shape, config, doneNames.length > 0 ? doneNames : null),
      ownerLevel: log.ownerLevel,
    },
    calendar: { kind: calendarSpec.kind, description: calendar.describe(), timeZone, workdayMs },
    steps,
    leadTimeMs,
    cycleTimeMs,
    flowEfficiency,
    handoffs,
    rework,
    variants: { total: analysis.variants.total, top: analysis.variants.top },
    dfg: {
      nodes: analysis.dfg.nodes,
      edges: analysis.dfg.edges.map((edge) => {
        const times = timesOfEdge.get(`${edge.from}\u0000${edge.to}`);
        return { ...edge, meanMs: times && times.n > 0 ? times.sumMs / times.n : null, medianMs: times?.medianMs ?? null };
      }),
      startActivities: analysis.dfg.startActivities,
      endActivities: analysis.dfg.endActivities,
    },
    flow,
    findings,
    dataQuality: {
      censoredCases: lead.censored,
      clampedNegativeIntervals: analysis.startEstimates?.clamped ?? 0,
      duplicateEventsDropped: 0,
      missingOwnerVisits: log.missingOwnerVisits,
      // Cases with unpaired start/complete events are left out whole (notes, sufficiency), not paired.
      unmatchedStarts: 0,
      unmatchedCompletes: 0,
      estimatedStarts: analysis.startEstimates?.estimated ?? 0,
      rowsRejected: 0,
      notes,
      sufficiency,
    },
    provenance: {
      input: { file: options.logName, bytes: 0, sha256: '' },
      options: { engine: 'clickhouse', serverVersion: analysis.serverVersion, ...(options.provenanceOptions ?? {}) },
      timeZoneAssumed: null,
      toolVersion: TOOL_VERSION,
    },
  };
  return { report, dataProblems };
}
