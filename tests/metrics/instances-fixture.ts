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
