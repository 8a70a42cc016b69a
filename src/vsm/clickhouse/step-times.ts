/**
 * Step and case times of `--engine clickhouse`, by what the log records (time-sql.ts): activity logs with recorded
 * or estimated starts (queue / active / elapsed per step), single-timestamp logs under --no-estimate (elapsed only),
 * status logs (time per status, flagged time per step when the log has flags).
 */
import type { ClickHouseAnalysis } from './analysis.js';
import { blockedStepTimes } from './blocked-sql.js';
import { num, statsFromRow } from './group-values.js';
import type { ClickHouseHttp } from './http-client.js';
import { caseTimesOf } from './source-facts.js';
import { type Sql, strArray } from './sql.js';
import * as time from './time-sql.js';

export interface StepTimesInput {
  /** The visit rows with calendar times, and the as-of on the calendar's working time. */
  timeCases: Sql;
  timeAsOfMs: number;
  shape: 'activity' | 'status';
  /** Every visit has a start (recorded or estimated): the queue / active split is pushed down. */
  timed: boolean;
  visitTimes: boolean | 'elapsed';
  /** Config steps merging statuses of different classes: their split stays unknown. */
  mixedSteps: readonly string[];
  /** Statuses classed active (status logs' case times). */
  activeStatuses: readonly string[];
  flagEvents: number;
  /** Largest group whose raw values come back: per-step rows, and the single-row case times. */
  rowRawMax: number;
  rawMax: number;
}

export type StepTimes = Pick<ClickHouseAnalysis, 'stepTimes' | 'activityStepTimes' | 'elapsedStepTimes' | 'caseTimes'> & {
  /** What stays unknown when no step time is computed (the report's reason). */
  unknownReason: string;
};


/** The step and case times this log supports (the rest null, with unknownReason). */
export async function stepTimesOf(client: ClickHouseHttp, input: StepTimesInput): Promise<StepTimes> {
  const { timeCases, timeAsOfMs, rowRawMax } = input;
  const result: StepTimes = {
    stepTimes: null,
    activityStepTimes: null,
    elapsedStepTimes: null,
    caseTimes: null,
    unknownReason: 'activity logs with instances without a recorded start: enabled times, start estimation and the per-visit split of wait and work',
  };
  if (input.timed) {
    const rows = await client.rows<Record<string, unknown>>(time.activityStepTimesSql(timeCases, rowRawMax));
    result.activityStepTimes = rows.map((row) => ({
      step: String(row.step),
      queue: statsFromRow(row, 'queue'),
      active: statsFromRow(row, 'active'),
      elapsed: statsFromRow(row, 'elapsed'),
      leadQueueMs: num(row.queue_lead_sum),
      leadActiveMs: num(row.active_lead_sum),
    }));
    result.caseTimes = caseTimesOf((await client.rows<Record<string, unknown>>(time.activityCaseTimesSql(timeCases, timeAsOfMs, input.rawMax)))[0]);
  }
  if (input.visitTimes === 'elapsed') {
    const rows = await client.rows<Record<string, string | null>>(time.elapsedStepTimesSql(timeCases, rowRawMax));
    result.elapsedStepTimes = rows.map((row) => ({ step: String(row.step), elapsed: statsFromRow(row, 'elapsed'), leadSumMs: num(row.lead_sum_ms) }));
  }
  if (input.shape !== 'status') return result;
  if (input.mixedSteps.length > 0) {
    result.unknownReason = `the time split of config steps merging statuses of different classes (${input.mixedSteps.join(', ')})`;
    return result;
  }
  const flagged = input.flagEvents > 0;
  const rows = await client.rows<Record<string, string | null>>(time.statusStepTimesSql(timeCases, timeAsOfMs, rowRawMax));
  const blocked = flagged ? await blockedStepTimes(client, timeCases, timeAsOfMs, rowRawMax) : null;
  result.stepTimes = rows.map((row) => ({ step: String(row.step), elapsed: statsFromRow(row, 'elapsed'), leadSumMs: num(row.lead_sum_ms), flagged: blocked?.get(String(row.step)) }));
  result.caseTimes = caseTimesOf((await client.rows<Record<string, unknown>>(time.statusCaseTimesSql(timeCases, strArray(input.activeStatuses), timeAsOfMs, input.rawMax, flagged)))[0]);
  return result;
}
