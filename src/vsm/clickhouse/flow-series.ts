/**
 * The flow section of `--engine clickhouse` (metrics/flow.ts in memory): arrivals and throughput per slot, entries
 * and exits per step and slot, and the oldest open cases — the same slots as in memory (UTC weeks, coarser past
 * 260), counted in SQL over the session's visit rows.
 */
import type { ZoneClock } from '../../calendar/zone-clock.js';
import { planTimeBuckets } from '../../metrics/time-buckets.js';
import * as agg from './aggregate-sql.js';
import type { ClickHouseAnalysis } from './analysis.js';
import type { ClickHouseHttp } from './http-client.js';
import type { Sql } from './sql.js';
import { num } from './group-values.js';

/** Months per flow slot past weeks (metrics/time-buckets.ts MONTH_LADDER). */
const MONTHS_PER_SLOT: Record<string, number> = { month: 1, quarter: 3, year: 12, decade: 120, century: 1_200, millennium: 12_000, '10 millennia': 120_000 };

/** Open cases listed in flow.aging, as metrics/flow.ts. */
const AGING_TOP = 50;

export interface FlowSeriesInput {
  /** The visit rows (real instants: counts and slots). */
  cases: Sql;
  /** The visit rows whose times are on the calendar (aging). */
  timeCases: Sql;
  shape: 'activity' | 'status';
  /** Whether visits have times (visit-sql.ts): false leaves the per-step slots out. */
  visitTimes: boolean | 'elapsed';
  /** The censoring instant (epoch ms) and the same instant on the calendar's working time. */
  asOfMs: number;
  timeAsOfMs: number;
  /** An explicit --as-of / config asOf: activity logs list their open cases then. */
  explicitAsOf: boolean;
  /** The business calendar's zone (slots start at local midnight there); null for 24x7. */
  clock: ZoneClock | null;
}


/** The flow section, null when no case has a visit. */
export async function flowSeries(client: ClickHouseHttp, input: FlowSeriesInput): Promise<ClickHouseAnalysis['flow']> {
  const { cases, timeCases, shape, clock } = input;
  const [range] = await client.rows<{ range_first_ms: string | null; range_last_ms: string | null }>(agg.flowRangeSql(cases));
  if (range.range_first_ms === null || range.range_last_ms === null) return null;
  const [rangeFirstMs, rangeLastMs] = [num(range.range_first_ms), num(range.range_last_ms)];
  const buckets = planTimeBuckets(rangeFirstMs, rangeLastMs, clock);
  const starts = Array.from(buckets.boundaryMs.subarray(0, buckets.count));
  // Slots start at local midnight in the calendar's zone: the first slot's month is its wall-clock month there.
  const firstStart = new Date(starts[0] + (clock ? clock.offsetMs(starts[0]) : 0));
  const slots: agg.FlowSlots = {
    starts,
    months: buckets.unit === 'week' ? null : { size: MONTHS_PER_SLOT[buckets.unit] ?? 1, firstMonthIndex: firstStart.getUTCFullYear() * 12 + firstStart.getUTCMonth() },
  };
  const slotRows = await client.rows<{ slot: string; arrivals: string; throughput: string }>(agg.flowWeeksSql(cases, slots));
  const stepSlotsSql = shape === 'status' ? agg.statusStepWeeksSql(cases, slots) : input.visitTimes !== false ? agg.activityStepWeeksSql(cases, slots) : null;
  const stepSlotRows = stepSlotsSql !== null ? await client.rows<{ step: string; slot: string; entered: string; exited: string }>(stepSlotsSql) : null;
  const agingSql =
    shape === 'status'
      ? agg.agingSql(timeCases, input.timeAsOfMs, AGING_TOP)
      : input.explicitAsOf
        ? agg.activityAgingSql(timeCases, input.timeAsOfMs, AGING_TOP, cases, input.asOfMs)
        : null;
  const agingRows = agingSql !== null ? await client.rows<{ case_id: string; step: string; age_ms: string; in_step_ms: string }>(agingSql) : null;
  return {
    firstMs: rangeFirstMs,
    lastMs: rangeLastMs,
    slots: slotRows.map((row) => ({ slot: num(row.slot), arrivals: num(row.arrivals), throughput: num(row.throughput) })),
    stepSlots: stepSlotRows?.map((row) => ({ step: row.step, slot: num(row.slot), entered: num(row.entered), exited: num(row.exited) })) ?? null,
    aging: agingRows?.map((row) => ({ caseId: row.case_id, step: shape === 'status' ? row.step : null, ageMs: num(row.age_ms), inStepMs: num(row.in_step_ms) })) ?? null,
  };
}
