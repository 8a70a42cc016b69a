/**
 * The ClickHouse aggregates (engine.ts) as the normal report.json, so the same findings, map and renderers make the
 * same report set as the in-memory engine. Only what SQL computed is a number here: everything else is null, an
 * empty distribution (n = 0) or an empty list, and `dataQuality.sufficiency` names it as "not computed by
 * --engine clickhouse" — never a 0 that reads as measured. docs/clickhouse.md lists both sides.
 */
import { keptHandoffPairs } from './handoff-pairs.js';
import { CALENDAR_24X7, type CalendarSpec } from '../../calendar/calendar-spec.js';
import { makeZoneClock } from '../../calendar/zone-clock.js';
import { workdayMsOf } from '../analyze.js';
import { makeCalendar } from '../../calendar/business-calendar.js';
import type { ReportJson, StepJson } from '../../contracts/report-schema.js';
import { REPORT_SCHEMA_VERSION } from '../../contracts/report-version.js';
import { THIN_EVIDENCE_N } from '../../metrics/distribution.js';
import type { VsmConfig } from '../../model/config-schema.js';
import { stepIdentity } from './step-identity.js';
import { boundaryTexts } from '../../traces/reconstruct.js';
import { TOOL_VERSION } from '../../version.js';
import { computeFindings } from '../findings.js';
import { NOT_COMPUTED_BY_ENGINE } from '../sufficiency.js';
import type { ClickHouseAnalysis } from './engine.js';
import { distributionOf, rawValuesNote, survivalOf } from './group-values.js';
import { emptyDistribution, splitByClass, type StepTimes, zeros } from './status-split.js';
import { DEFAULT_SEED } from '../../metrics/random.js';
import { estimatedStartsNotes } from './estimate-report.js';
import { flowOf } from './flow-report.js';
import { engineSufficiency } from './sufficiency-report.js';

export { NOT_COMPUTED_BY_ENGINE, emptyDistribution };

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

  const { sufficiency, dataProblems } = engineSufficiency(analysis, { leadTimeMs, cycleTimeMs, elapsedOnly });

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
    sufficiency,
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
