/**
 * Business calendars in SQL (DESIGN §4 "Calendar"): the working-time table of calendar/working-time-index.ts lives
 * in a session temporary table (one row: per UTC day its spans' UTC starts and ends, and the prefix sums of working
 * ms), so W(t), the working ms up to t, is two array lookups and five days of span overlaps — and a duration is
 * W(b) − W(a), exactly as in memory. The per-case visit times are mapped through W once (calendarTimesSql) and every
 * time aggregate reads the mapped copy; counts and flow slots keep the real instants.
 */
import type { WorkingTimeIndex } from '../../calendar/working-time-index.js';
import { fixed, int, type Sql, sql } from './sql.js';

export type WorkingTimeTable = ReturnType<WorkingTimeIndex['table']>;

/** Days around t's UTC day whose spans may overlap t (working-time-index.ts NEIGHBOUR_DAYS). */
const NEIGHBOUR_DAYS = 2;
const DAY_MS = 86_400_000;

export const CALENDAR_TABLE = sql`vsm_calendar`;

export function createCalendarTableSql(): Sql {
  return sql`CREATE TEMPORARY TABLE ${CALENDAR_TABLE} (first_day Int64, starts Array(Int64), ends Array(Int64), prefix Array(Int64)) ENGINE = Memory`;
}

/** The one JSONEachRow line of the calendar table. */
export function calendarRow(table: WorkingTimeTable): string {
  return JSON.stringify({ first_day: table.firstDay, starts: table.spanStartMs, ends: table.spanEndMs, prefix: table.prefixMs });
}

/**
 * W(t) for an Int64 expression t (spanCount spans a day): prefix[k + 1] + Σ over the 5 · spanCount span slots from
 * k · spanCount of max(0, min(t, end) − start), k = ⌊t / day⌋ − 2 − first_day. Unrolled (no lambda); the arrays are
 * scalar subqueries on the calendar table, evaluated once per query.
 */
export function workingMs(t: string, spanCount: number): string {
  const starts = `(SELECT starts FROM ${CALENDAR_TABLE.text})`;
  const ends = `(SELECT ends FROM ${CALENDAR_TABLE.text})`;
  const k = `(toInt64(floor((${t}) / ${DAY_MS})) - ${NEIGHBOUR_DAYS} - (SELECT first_day FROM ${CALENDAR_TABLE.text}))`;
  const terms: string[] = [];
  for (let slot = 0; slot < (2 * NEIGHBOUR_DAYS + 1) * spanCount; slot++) {
    const at = `${k} * ${spanCount} + ${slot + 1}`;
    terms.push(`greatest(toInt64(0), least(toInt64(${t}), ${ends}[${at}]) - ${starts}[${at}])`);
  }
  return `((SELECT prefix FROM ${CALENDAR_TABLE.text})[${k} + 1] + ${terms.join(' + ')})`;
}

/**
 * The per-case rows with every time mapped through W (outcome_ms keeps −1 for open cases): the same columns as
 * caseVisitsSql, so the time aggregates read it unchanged.
 */
export function calendarTimesSql(cases: Sql, spanCount: number): Sql {
  const w = (t: string): string => workingMs(t, spanCount);
  return sql`SELECT case_id, steps, owners, pushed, last_ms, lead_from, lead_to,
  arrayMap(t -> ${fixed(w('t'))}, entered) AS entered, arrayMap(t -> ${fixed(w('t'))}, started) AS started, arrayMap(t -> ${fixed(w('t'))}, exited) AS exited,
  ${fixed(w('first_ms'))} AS first_ms, if(outcome_ms < 0, toInt64(-1), ${fixed(w('outcome_ms'))}) AS outcome_ms
FROM ${cases}`;
}

/** W(asOf), the censoring instant on the calendar. */
export function workingAsOfSql(asOfMs: number, spanCount: number): Sql {
  return sql`SELECT ${fixed(workingMs(int(asOfMs).text, spanCount))} AS w`;
}
