/** Hand-made ActivityInstances for the wait-chain tests (calendars, sweep plan, cause sweep). */
import type { ActivityInstances } from '../../src/traces/activity-instances.js';

/**
 * Instances of one case, every start recorded (`withStart` = count), case, activity and carrying event all 0: what
 * the wait chain reads is the resource, start and end columns.
 */
export function oneCaseInstances(resource: Int32Array, startMs: Float64Array, endMs: Float64Array): ActivityInstances {
  const count = resource.length;
  return {
    count,
    caseCode: new Int32Array(count),
    activity: new Int32Array(count),
    resource,
    startMs,
    endMs,
    firstEvent: new Int32Array(count),
    caseStart: Int32Array.from([0, count]),
    withStart: count,
  };
}

/** One instance a row, times in whole minutes: its start, its duration and its wait before the start (enabled = start − wait). */
export interface MinuteRow {
  resource: number;
  startMin: number;
  durationMin: number;
  waitMin: number;
}

/** The instances of minute rows (oneCaseInstances) with their start and enabled times, ms. */
export function instancesOfMinuteRows(rows: readonly MinuteRow[]): { instances: ActivityInstances; startMs: Float64Array; enabledMs: Float64Array } {
  const startMs = Float64Array.from(rows, (row) => row.startMin * 60_000);
  const enabledMs = Float64Array.from(rows, (row) => (row.startMin - row.waitMin) * 60_000);
  const endMs = Float64Array.from(rows, (row) => (row.startMin + row.durationMin) * 60_000);
  return { instances: oneCaseInstances(Int32Array.from(rows, (row) => row.resource), startMs, endMs), startMs, enabledMs };
}
