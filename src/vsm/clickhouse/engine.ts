/**
 * `--engine clickhouse`: the measured sections a ClickHouse table supports, computed by SQL pushdown
 * (visit-sql.ts, aggregate-sql.ts, time-sql.ts; analysis.ts is the result's shape). Field names follow report.json; every section carries a status (`ok`,
 * `partial` with the reason, or `unsupported` with the reason and fix) so a figure is never shown without
 * saying what it covers. to-report.ts turns the result into report.json; what SQL does not compute is unknown there.
 */
import type { VsmConfig } from '../../model/config-schema.js';
import { makeCalendar } from '../../calendar/business-calendar.js';
import { CALENDAR_24X7, type CalendarSpec } from '../../calendar/calendar-spec.js';
import { makeZoneClock } from '../../calendar/zone-clock.js';
import { BOOTSTRAP_MAX_N } from '../../metrics/distribution.js';
import { CALENDAR_TABLE, calendarRow, calendarTimesSql, createCalendarTableSql, workingAsOfSql } from './calendar-sql.js';
import * as agg from './aggregate-sql.js';
import type { ClickHouseAnalysis, SectionStatus } from './analysis.js';
import { num, type Stats, statsFromRow, valuesFromRow } from './group-values.js';
import type { ClickHouseHttp } from './http-client.js';
import { activityStartsRecorded, statusClasses, stepOwnersOf } from './source-facts.js';
export { canonicalSource } from './source-facts.js';
import { int, type Sql, sql, strArray } from './sql.js';
import { RAW_VALUES_MAX } from './stats-sql.js';
import * as time from './time-sql.js';
import { caseVisitsSql, censorAtAsOfSql, type EventSource } from './visit-sql.js';
import { handoffRowsOf } from './handoff-rows.js';
import { estimatedVisits } from './estimate-starts.js';
import { casesInSlice, fillSliceSql, type Slice, WHOLE } from './estimate-sql.js';
import { blockedCasesTable, flagEventCount } from './blocked-sql.js';
import { configScope, MERGED_INSTANCES, OPEN_AT_AS_OF } from './config-sql.js';
import { flowSeries } from './flow-series.js';
import { stepTimesOf } from './step-times.js';

export type { ClickHouseAnalysis, SectionStatus, Stats };

/** Longest rework loop path shown in full, as metrics/rework.ts. */
const MAX_LOOP_PATH_STEPS = 8;

export interface ClickHouseAnalyzeOptions {
  config?: VsmConfig;
  topVariants?: number;
  /** Largest group whose values come back raw (default RAW_VALUES_MAX); the tests lower it to exercise larger groups. */
  rawValuesMax?: number;
  /**
   * Status logs: the censoring instant (epoch ms; `--as-of`, config asOf). Events after it are left out of the
   * reconstruction as in memory; open cases and visits are measured up to it. Default: the table's last event.
   */
  asOfMs?: number;
  /** The calendar durations are counted on (default 24x7); a business calendar is joined in SQL (calendar-sql.ts). */
  calendar?: CalendarSpec;
  /** Single-timestamp activity logs: estimate the starts as in memory (default true; false: as --no-estimate). */
  estimateStarts?: boolean;
  /** Instances per slice of the start estimation's joins (estimate-sql.ts ESTIMATE_INSTANCES_PER_SLICE; tests set it low). */
  estimateInstancesPerSlice?: number;
}


/** Said on single-timestamp logs with --no-estimate (a report note). */
export const NO_ESTIMATE_NOTE =
  'single-timestamp log read with --no-estimate, so this engine does not estimate start times: step times are elapsed times (previous completion → completion), active time unknown, as vsm analyze --no-estimate';


export async function analyzeClickHouse(server: ClickHouseHttp, input: EventSource, options: ClickHouseAnalyzeOptions = {}): Promise<ClickHouseAnalysis> {
  const client = server.session();
  // Config steps, exclude and trigger (config-sql.ts): the source with merged / dropped names and trigger flags.
  const scope = await configScope(client, input, options.config);
  const source = scope.source;
  // The session shares its parent's running totals: this analysis's transfer is the difference.
  const before = { ...client.stats };
  const rawMax = options.rawValuesMax ?? RAW_VALUES_MAX;
  // Groups of the per-row aggregates (steps, owner pairs, loops: up to 10 000 rows) need their raw values only for the
  // bootstrap (n ≤ BOOTSTRAP_MAX_N); above, the order-statistic window is exact. Only the single-row groups (lead,
  // cycle, per-case ratios) bring up to rawMax values, for Kaplan–Meier and the exact mean of ratios.
  const rowRawMax = Math.min(rawMax, BOOTSTRAP_MAX_N);
  const [{ version }] = await client.rows<{ version: string }>(sql`SELECT version() AS version`);
  // Single-timestamp logs (no start anywhere): the starts are estimated as in memory (estimate-starts.ts); with
  // --no-estimate each visit's elapsed time (previous completion → completion) is pushed down instead.
  const starts = source.shape === 'activity' ? await activityStartsRecorded(client, source) : 'some';
  // Logs where only some instances have a start: the missing ones are estimated the same way (pushed-down cases).
  const estimate = starts !== 'all' && source.shape === 'activity' && options.estimateStarts !== false;
  const { statuses, done, active, delay } = scope.classes ?? (await statusClasses(client, source, options.config));
  // Every step of the log, visited up to the as-of or not (activities first done after it stay steps of the map).
  const mapSteps =
    options.asOfMs !== undefined && source.shape === 'activity'
      ? (await client.rows<{ activity: string }>(sql`SELECT DISTINCT activity FROM ${source.from} ORDER BY activity`)).map((row) => ({ name: row.activity, category: '' }))
      : [...statuses];
  // The per-case visit rows are reconstructed once into a session temporary table (Memory, on the server that
  // answers; dropped with the session) and every aggregate reads them: one pass over the events, not thirteen.
  // Activity logs where every instance has a recorded start (the in-memory engine estimates none) or none has (all
  // estimated): each visit's queue / active / elapsed split is pushed down (visit-sql.ts); otherwise it stays unknown.
  const timed = starts === 'all' || estimate;
  const visitTimes = starts === 'none' && !estimate ? 'elapsed' : timed;
  const [events] = await client.rows(agg.eventCountSql(input.from));
  const eventCount = num(events.events);
  const firstMs = eventCount > 0 ? num(events.first_ms) : null;
  const lastMs = eventCount > 0 ? num(events.last_ms) : null;
  const asOf = options.asOfMs ?? lastMs ?? 0;
  // An explicit as-of (status logs): the reconstruction reads the events up to it, as status-intervals.ts does.
  const visitSource = options.asOfMs === undefined ? source : { ...source, from: sql`(SELECT * FROM ${source.from} WHERE timestamp_ms <= ${int(options.asOfMs)})` };
  const cutActivities = options.asOfMs !== undefined && source.shape === 'activity';
  const visitOptions = { trigger: scope.trigger, openAtAsOf: cutActivities, mergedSteps: scope.mergedActivities.length > 0 ? strArray(scope.mergedActivities) : null, rawNames: scope.rawDone !== null };
  const visitDone = strArray(scope.rawDone ?? done);
  const sliceSource = (slice: Slice): EventSource => ({ ...visitSource, from: casesInSlice(visitSource.from, slice) });
  const estimated = estimate
    ? await estimatedVisits(client, visitSource, (slice) => caseVisitsSql(sliceSource(slice), visitDone, 'elapsed', asOf, visitOptions), options.config, starts === 'some', scope.trigger, options.estimateInstancesPerSlice)
    : null;
  // With estimation at scale, one query per slice of cases (estimate-starts.ts): each joins 1/K of the estimates.
  for (const slice of estimated?.slices ?? [WHOLE]) {
    const visitRows = estimated?.visits(slice) ?? caseVisitsSql(visitSource, visitDone, visitTimes, asOf, visitOptions);
    await client.exec(fillSliceSql(sql`vsm_case_visits`, slice, sql`
SELECT case_id, steps, entered, started, exited, owners, pushed, first_ms, last_ms, outcome_ms, lead_from, lead_to FROM (${
      cutActivities && options.asOfMs !== undefined ? censorAtAsOfSql(visitRows, casesInSlice(input.from, slice), options.asOfMs) : visitRows
    })`));
  }
  // Business calendars: every duration is W(b) − W(a) (calendar-sql.ts); the time aggregates read the visit times
  // mapped through W once (timeCases, timeAsOf), the counts and flow slots the real instants.
  let timeCases: Sql = sql`vsm_case_visits`;
  let timeAsOf = asOf;
  let spanCount: number | null = null;
  const calendar = makeCalendar(options.calendar ?? CALENDAR_24X7);
  if (calendar.workingTimeTable !== undefined && firstMs !== null && lastMs !== null) {
    const table = calendar.workingTimeTable(Math.min(firstMs, asOf), Math.max(lastMs, asOf));
    await client.exec(createCalendarTableSql());
    await client.insertJsonRows(CALENDAR_TABLE, calendarRow(table));
    await client.exec(sql`CREATE TEMPORARY TABLE vsm_case_wtimes AS ${calendarTimesSql(timeCases, table.spanCount)}`);
    timeAsOf = num((await client.rows<{ w: string }>(workingAsOfSql(asOf, table.spanCount)))[0].w);
    timeCases = sql`vsm_case_wtimes`;
    spanCount = table.spanCount;
  }
  // Status logs: flagged (block / unblock) time is overlaid on the visits (blocked-sql.ts): the time rows gain `blocked`.
  const flagEvents = source.shape === 'status' ? await flagEventCount(client, visitSource.from) : 0;
  if (flagEvents > 0) timeCases = await blockedCasesTable(client, { timeCases, events: visitSource.from, asOfMs: asOf, timeAsOfMs: timeAsOf, spanCount });
  const clock = options.calendar?.kind === 'business' ? makeZoneClock(options.calendar.timeZone) : null;
  const cases: Sql = sql`vsm_case_visits`;
  const [totals] = await client.rows(agg.totalsSql(cases));
  const notPushed = num(totals.not_pushed);
  const openAtAsOf = num(totals.open_at_as_of);
  const mergedOut = num(totals.merged_out);
  // Cases with every event after an explicit as-of, only excluded ones or a first status already done (left-censored)
  // have no visit row but are cases of the log.
  const rowless =
    num((await client.rows<{ n: string }>(sql`SELECT uniqExact(case_id) AS n FROM ${input.from}`))[0].n) - num(totals.cases) - notPushed - openAtAsOf - mergedOut;
  const caseCount = num(totals.cases) + rowless;
  const covered: SectionStatus = notPushed + openAtAsOf + mergedOut > 0 ? 'partial' : 'ok';
  const notes: string[] = [...scope.notes];
  if (openAtAsOf > 0) notes.push(`${openAtAsOf} ${OPEN_AT_AS_OF}`);
  if (mergedOut > 0) notes.push(`${mergedOut} ${MERGED_INSTANCES}`);
  if (num(totals.untriggered) > 0) notes.push(`${num(totals.untriggered)} cases never reached the trigger: no lead time`);
  if (visitTimes === 'elapsed') notes.push(NO_ESTIMATE_NOTE);
  if (notPushed > 0) notes.push(`${notPushed} cases have unpaired start/complete events: they are left out of every figure here (the in-memory engine handles them)`);

  /** Keeps the first MAX_AGGREGATE_ROWS rows (the most frequent) and says so when the cap applied. */
  const capped = <T>(rows: T[], what: string): T[] => {
    if (rows.length <= agg.MAX_AGGREGATE_ROWS) return rows;
    notes.push(`${what}: only the ${agg.MAX_AGGREGATE_ROWS} most frequent are listed (cap on aggregate rows)`);
    return rows.slice(0, agg.MAX_AGGREGATE_ROWS);
  };
  const stepRows = capped(await client.rows(agg.stepsSql(cases)), 'steps');
  const orderRows = await client.rows<{ step: string; median_rank: string }>(agg.stepOrderSql(cases));
  const rankOf = new Map(orderRows.map((row) => [row.step, num(row.median_rank)]));
  // Config steps lead the map in config order (traces/step-order.ts), visited or not.
  scope.steps.forEach((step, k) => rankOf.set(step.name, k - scope.steps.length));
  for (const step of scope.steps) if (!mapSteps.some((known) => known.name === step.name)) mapSteps.push({ name: step.name, category: '' });
  const variantRows = await client.rows<{ steps: string[]; n: string }>(agg.variantsSql(cases, options.topVariants ?? 20));
  const [variantTotal] = await client.rows(agg.variantTotalSql(cases));
  const edgeRows = capped(await client.rows<{ from: string; to: string; n: string }>(agg.dfgEdgesSql(cases)), 'DFG edges');
  const reworkRows = capped(await client.rows(agg.reworkSql(cases)), 'rework steps');
  const elapsed = time.elapsedArray(source.shape, visitTimes, timeAsOf);
  const loopRows = capped(await client.rows<Record<string, unknown> & { path: string[]; occurrences: string; cases: string }>(agg.reworkLoopsSql(timeCases, MAX_LOOP_PATH_STEPS, elapsed, rowRawMax)), 'rework loops');
  const [reworkCases] = await client.rows(agg.reworkCasesSql(cases));
  const handoffWait = agg.handoffWaitMs(source.shape, source.shape === 'status' ? scope.mixedSteps.length === 0 : visitTimes, strArray(delay), timeAsOf, flagEvents > 0);
  const { rows: handoffRows, total: handoffTotal } = await handoffRowsOf(client, timeCases, handoffWait, rowRawMax, capped);
  const [handoffCases] = await client.rows(agg.handoffCasesSql(cases));
  const stepOwners = await stepOwnersOf(client, input, cases, capped, new Map(scope.steps.flatMap((step) => (step.owner === null ? [] : [[step.name, step.owner]]))));
  const [lead] = await client.rows(time.leadTimeSql(timeCases, timeAsOf, rawMax));
  // Step times: status logs (with flags also each step's blocked time), activity logs with recorded starts or none.
  const { stepTimes, activityStepTimes, elapsedStepTimes, caseTimes, unknownReason: stepTimesUnknown } = await stepTimesOf(client, {
    timeCases,
    timeAsOfMs: timeAsOf,
    shape: source.shape,
    timed,
    visitTimes,
    mixedSteps: scope.mixedSteps,
    activeStatuses: active,
    flagEvents,
    rowRawMax,
    rawMax,
  });
  // Flow series (metrics/flow.ts), counted in SQL (flow-series.ts).
  const flow =
    caseCount > 0
      ? await flowSeries(client, { cases, timeCases, shape: source.shape, visitTimes, asOfMs: asOf, timeAsOfMs: timeAsOf, explicitAsOf: options.asOfMs !== undefined, clock })
      : null;
  // DFG edge times (status logs) and ping-pong (activity logs, owners known).
  const edgeTimesSql = source.shape === 'status' ? (scope.mixedSteps.length > 0 ? null : time.statusEdgeTimesSql(timeCases, strArray(active))) : visitTimes !== false ? time.activityEdgeTimesSql(timeCases, visitTimes === 'elapsed') : null;
  const edgeTimes =
    edgeTimesSql !== null
      ? (await client.rows<{ from: string; to: string; n: string; sum_ms: string; median_ms: string }>(edgeTimesSql)).map((row) => ({
          from: row.from,
          to: row.to,
          n: num(row.n),
          sumMs: num(row.sum_ms),
          medianMs: num(row.n) === 0 ? null : num(row.median_ms),
        }))
      : null;
  const pingPong = capped(await client.rows<{ a: string; b: string; n: string; cases: string }>(agg.pingPongSql(cases)), 'ping-pong pairs').map((row) => ({ a: row.a, b: row.b, count: num(row.n), cases: num(row.cases) }));
  const closed = num(lead.closed);
  const censored = num(lead.censored);
  const closedStats = statsFromRow(lead, 'lead');
  // With open cases the in-memory engine uses Kaplan–Meier percentiles; closed-case percentiles would read low.
  const quantile = (value: number | null): number | null => (censored > 0 ? null : value);

  return {
    engine: 'clickhouse',
    serverVersion: version,
    log: { shape: source.shape, ownerLevel: source.ownerLevel, cases: caseCount + notPushed + openAtAsOf + mergedOut, events: eventCount, visits: num(totals.visits), casesNotPushedDown: notPushed, casesOpenAtAsOf: openAtAsOf, casesMergedInstances: mergedOut, missingOwnerVisits: num(totals.missing_owner), firstMs, lastMs, asOfMs: eventCount > 0 ? asOf : null },
    statuses,
    doneStatuses: scope.rawDone ?? done,
    configSteps: scope.steps,
    stepTimes,
    caseTimes,
    flow,
    edgeTimes,
    pingPong,
    stepOwners,
    allSteps: [
      ...stepRows.map((row) => ({ name: String(row.step), visits: num(row.visits), medianFirstRank: rankOf.get(String(row.step)) ?? 255, outcome: done.includes(String(row.step)) })),
      // Statuses of the log never entered up to the as-of are still steps of its map (rows of the per-step flow).
      ...mapSteps.filter((status) => !stepRows.some((row) => row.step === status.name)).map((status) => ({ name: status.name, visits: 0, medianFirstRank: rankOf.get(status.name) ?? 255, outcome: done.includes(status.name) })),
    ],
    stepTimesUnknown: stepTimes === null && activityStepTimes === null && elapsedStepTimes === null ? stepTimesUnknown : null,
    activityStepTimes,
    elapsedStepTimes,
    caseTimesUnknown:
      caseTimes !== null
        ? null
        : visitTimes === 'elapsed'
          ? NO_ESTIMATE_NOTE
          : source.shape === 'activity'
            ? 'activity logs with instances without a recorded start: first work start and active time per case'
            : stepTimesUnknown,
    steps: {
      status: covered,
      // Done-class statuses are the outcome, not boxes on the map (step-visits.ts `outcome`): kept in dfg only.
      items: stepRows
        .filter((row) => !done.includes(String(row.step)))
        .map((row) => ({ name: String(row.step), visits: num(row.visits), cases: num(row.cases), reworkCases: num(row.rework_cases), medianFirstRank: rankOf.get(String(row.step)) ?? 255 }))
        .concat(
          mapSteps
            .filter((status) => !done.includes(status.name) && !stepRows.some((row) => row.step === status.name))
            .map((status) => ({ name: status.name, visits: 0, cases: 0, reworkCases: 0, medianFirstRank: rankOf.get(status.name) ?? 255 })),
        ),
    },
    variants: {
      status: covered,
      total: num(variantTotal.total),
      // Shares of the cases with a visit (metrics/variants.ts).
      top: variantRows.map((row) => ({ activities: row.steps, count: num(row.n), share: num(row.n) / num(totals.with_visits) })),
    },
    dfg: {
      status: covered,
      nodes: stepRows.map((row) => ({ name: String(row.step), count: num(row.visits) })),
      edges: edgeRows.map((row) => ({ from: row.from, to: row.to, count: num(row.n) })),
      startActivities: Object.fromEntries(stepRows.filter((row) => num(row.starts) > 0).map((row) => [String(row.step), num(row.starts)])),
      endActivities: Object.fromEntries(stepRows.filter((row) => num(row.ends) > 0).map((row) => [String(row.step), num(row.ends)])),
    },
    rework: {
      status: covered,
      casesWithRework: num(reworkCases.cases_with_rework),
      share: caseCount > 0 ? num(reworkCases.cases_with_rework) / caseCount : 0,
      byStep: [...reworkRows, ...[...stepRows.map((step) => String(step.step)), ...mapSteps.map((step) => step.name)]
        .filter((name, k, names) => names.indexOf(name) === k && !reworkRows.some((row) => row.step === name)).map((name): Record<string, unknown> => ({ step: name }))].map((row) => ({
        step: String(row.step),
        cases: num(row.cases ?? 0),
        repeatVisits: num(row.repeat_visits ?? 0),
        selfLoopSameOwner: num(row.self_same ?? 0),
        selfLoopOtherOwner: num(row.self_other ?? 0),
        repetitionSameOwner: num(row.rep_same ?? 0),
        repetitionOtherOwner: num(row.rep_other ?? 0),
      })),
      loops: loopRows.map((row) => ({ path: row.path, from: row.path[row.path.length - 2], to: row.path[row.path.length - 1], cases: num(row.cases), occurrences: num(row.occurrences), added: elapsed === null ? null : statsFromRow(row, 'added') })),
    },
    handoffs: {
      status: covered,
      level: source.ownerLevel,
      total: handoffTotal,
      casesWithHandoff: num(handoffCases.cases_with_handoff),
      matrix: handoffRows.map((row) => ({ from: String(row.from), to: String(row.to), count: num(row.n), cases: num(row.cases), wait: handoffWait !== null ? statsFromRow(row, 'wait') : null })),
    },
    leadTimeMs: {
      status: censored > 0 || notPushed > 0 ? 'partial' : 'ok',
      closed,
      censored,
      closedInstant: num(lead.closed_instant),
      closedStats,
      openValues: valuesFromRow(lead, 'open', censored),
      meanMs: closed === 0 || censored > 0 ? null : closedStats.sum / closed,
      median: quantile(closedStats.median),
      p85: quantile(closedStats.p85),
      p95: quantile(closedStats.p95),
      minMs: closed + censored === 0 ? null : num(lead.min_ms),
      maxMs: closed + censored === 0 ? null : num(lead.max_ms),
      sumMs: num(lead.sum_ms),
      note: 'exact type-7 quantiles over 24x7 time of the closed cases, null when any case is censored (the report runs Kaplan–Meier on the raw values when they came back)',
    },
    rawValuesMax: rawMax,
    startEstimates: estimated?.facts ?? null,
    notes,
    transfer: { queries: client.stats.queries - before.queries, bytesReceived: client.stats.bytesReceived - before.bytesReceived, bytesSent: client.stats.bytesSent - before.bytesSent },
  };
}
