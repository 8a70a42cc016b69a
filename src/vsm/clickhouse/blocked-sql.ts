/**
 * The blocked overlay of status logs pushed down (status-intervals.ts): `block` / `unblock` events (Jira's "Flagged"
 * impediment) book the time a case is flagged as blocked time of whatever visit it falls in, instead of that visit's
 * status class (a flagged "In Progress" is blocked, not active). In memory one boolean per case, replayed in event
 * order: `block` sets it, `unblock` clears it (an unblock without a block and a repeated block change nothing), it
 * persists across visits and is never reset inside a case; a flag still on at the end runs to as-of.
 *
 * In SQL, per case, the flag's intervals [flag_from, flag_to) from its block / unblock events ordered by
 * (timestamp_ms, file_index, source_row), the last one up to as-of when still on; then per visit [entered, exit)
 * its blocked time Σ over the intervals of max(0, min(flag_to, exit) − max(flag_from, entered)). On a business
 * calendar the interval ends go through W like the visit times (calendar-sql.ts), and since W is monotone that is
 * Σ W(min) − W(max): exactly the in-memory sum over the flagged segments. Cases are small: O(visits × flags) each.
 *
 * The per-visit blocked times live in one more session table (the time rows with a `blocked` array), read by the
 * step times (a second query per step: blocked and class-net time), the case times (active time net of blocked) and
 * the handoff waits (queue / waiting time net of blocked); counts, owners and elapsed-time figures are unchanged.
 */
import { workingMs } from './calendar-sql.js';
import { statsFromRow, type Stats } from './group-values.js';
import type { ClickHouseHttp } from './http-client.js';
import { MAX_AGGREGATE_ROWS } from './aggregate-sql.js';
import { RAW_VALUES_MAX, statsAggregates, statsColumns } from './stats-sql.js';
import { fixed, int, type Sql, sql } from './sql.js';
import { STATUS_VISIT_IN_LEAD } from './time-sql.js';

const CAP = int(MAX_AGGREGATE_ROWS + 1);

/** The time rows with each visit's blocked time (`blocked`, aligned with `steps`), for flagged status logs. */
export const BLOCKED_CASES = sql`vsm_case_blocked`;

/**
 * Per case with block / unblock events up to as-of (`events` is already cut at it): the flag's intervals as two
 * aligned arrays, flag_from (a block while not flagged) and flag_to (the next unblock while flagged, else as-of),
 * in epoch ms.
 */
export function caseFlagsSql(events: Sql, asOfMs: number): Sql {
  return sql`SELECT case_id, flag_from, flag_to FROM (
  SELECT case_id, arrayMap(f -> f.1, flags) AS at_ms, arrayMap(f -> f.4, flags) AS flag_on,
    arrayPushFront(arrayPopBack(flag_on), toUInt8(0)) AS was_on,
    arrayFilter((t, on, was) -> on = 1 AND was = 0, at_ms, flag_on, was_on) AS flag_from,
    arrayFilter((t, on, was) -> on = 0 AND was = 1, at_ms, flag_on, was_on) AS ends,
    if(length(ends) < length(flag_from), arrayPushBack(ends, toInt64(${int(asOfMs)})), ends) AS flag_to
  FROM (
    SELECT case_id, arraySort(groupArray((timestamp_ms, file_index, source_row, toUInt8(lifecycle = 'block')))) AS flags
    FROM ${events} WHERE lifecycle IN ('block', 'unblock') GROUP BY case_id
  )
)`;
}

/**
 * Every column of the time rows `cases` (entered in the same time space: epoch ms, or W on a business calendar) plus
 * `blocked`: per visit the overlap of the flag's intervals with [entered, next entered or as-of). `spanCount`: the
 * calendar's spans a day when the intervals must go through W (calendar-sql.ts), else null.
 */
export function blockedCasesSql(cases: Sql, flags: Sql, timeAsOfMs: number, spanCount: number | null): Sql {
  const mapped =
    spanCount === null
      ? flags
      : sql`SELECT case_id, arrayMap(t -> ${fixed(workingMs('t', spanCount))}, flag_from) AS flag_from, arrayMap(t -> ${fixed(workingMs('t', spanCount))}, flag_to) AS flag_to FROM (${flags})`;
  // 18.16 computes a column a lambda only captures as missing: the flag arrays are named once outside it (+ 0).
  return sql`SELECT *, arrayResize(arrayMap((en, ex) -> arraySum(arrayMap((fs, fe) -> greatest(toInt64(0), least(fe, ex) - greatest(fs, en)), flag_from, flag_to)),
    entered, arrayPushBack(arrayPopFront(entered), toInt64(${int(timeAsOfMs)}))), length(entered) + 0 * (length(flag_from) + length(flag_to))) AS blocked
FROM (SELECT * FROM ${cases} ANY LEFT JOIN (${mapped}) USING case_id)`;
}

/**
 * Flagged status logs, per step over its closed visits: the blocked time and the time net of it (the status class's
 * own time: elapsed − blocked), and the blocked time inside lead times (open visits up to as-of), as
 * statusStepTimesSql counts visits (the last visit of a case is open; inside the lead time from the commitment point
 * to the outcome: lead_from, lead_to).
 */
export function blockedStepTimesSql(cases: Sql, timeAsOfMs: number, rawMax = RAW_VALUES_MAX): Sql {
  return sql`SELECT step, ${statsColumns('blocked', rawMax)}, ${statsColumns('net', rawMax)}, blocked_lead_sum_ms
FROM (
  SELECT step, ${statsAggregates('blocked', 'blocked_ms', 'open = 0')}, ${statsAggregates('net', 'elapsed_ms - blocked_ms', 'open = 0')},
    sumIf(blocked_ms, in_lead = 1) AS blocked_lead_sum_ms
  FROM (
    SELECT steps[i] AS step, toUInt8(i = length(steps)) AS open, blocked[i] AS blocked_ms,
      if(i = length(steps), toInt64(${int(timeAsOfMs)}), entered[i + 1]) - entered[i] AS elapsed_ms,
      ${STATUS_VISIT_IN_LEAD} AS in_lead
    FROM (SELECT steps, entered, blocked, lead_from, lead_to FROM ${cases} WHERE pushed = 1)
    ARRAY JOIN arrayEnumerate(steps) AS i
  ) GROUP BY step
) ORDER BY step LIMIT ${CAP}`;
}

/** A step's flagged time (blockedStepTimesSql): what to-report.ts needs beside its elapsed time. */
export interface FlaggedStepTimes {
  blocked: Stats;
  /** Elapsed − blocked: the time in the status's own class. */
  net: Stats;
  blockedLeadSumMs: number;
}

export interface BlockedOverlayInput {
  /** The time rows (vsm_case_visits, or their copy mapped through W on a business calendar). */
  timeCases: Sql;
  /** The events the visits were reconstructed from (cut at an explicit as-of). */
  events: Sql;
  asOfMs: number;
  /** As-of in the time space of timeCases (W(asOf) on a business calendar). */
  timeAsOfMs: number;
  /** Spans a day of the business calendar whose table is in the session, else null. */
  spanCount: number | null;
}

/** How many block / unblock events `events` holds (0: no overlay, the time rows are read as they are). */
export async function flagEventCount(client: ClickHouseHttp, events: Sql): Promise<number> {
  const [row] = await client.rows<{ n: string }>(sql`SELECT count() AS n FROM ${events} WHERE lifecycle IN ('block', 'unblock')`);
  return Number(row.n);
}

/** Builds the session table of time rows with per-visit blocked times; returns it (read it instead of timeCases). */
export async function blockedCasesTable(client: ClickHouseHttp, input: BlockedOverlayInput): Promise<Sql> {
  const flags = caseFlagsSql(input.events, input.asOfMs);
  await client.exec(sql`CREATE TEMPORARY TABLE ${BLOCKED_CASES} AS ${blockedCasesSql(input.timeCases, flags, input.timeAsOfMs, input.spanCount)}`);
  return BLOCKED_CASES;
}

/** Per step its flagged time (blockedStepTimesSql rows), by step name. */
export async function blockedStepTimes(client: ClickHouseHttp, cases: Sql, timeAsOfMs: number, rawMax: number): Promise<Map<string, FlaggedStepTimes>> {
  const rows = await client.rows<Record<string, unknown>>(blockedStepTimesSql(cases, timeAsOfMs, rawMax));
  return new Map(rows.map((row) => [String(row.step), { blocked: statsFromRow(row, 'blocked'), net: statsFromRow(row, 'net'), blockedLeadSumMs: Number(row.blocked_lead_sum_ms) }]));
}
