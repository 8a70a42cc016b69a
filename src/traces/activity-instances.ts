/**
 * Every completed activity instance of an activity log as flat columns, per case in completion order: the table
 * the concurrency oracle, enabled times, start estimation and wait causes read (docs/wait-causes.md).
 * Instances come from the same pairing as the step visits (lifecycle.ts); open starts (work in progress) are not
 * instances here, and events after asOf are ignored, so both views describe the same work.
 */
import type { AnalysisLog, ReconstructionLog } from '../model/event-log.js';
import { LifecycleCode } from '../model/lifecycle.js';
import { InstanceCollector } from './lifecycle.js';

export interface ActivityInstances {
  readonly count: number;
  /**
   * Emptied (length 0) by the wait analysis after its batches when it keeps no activity table and has its resource
   * order (releaseSweptColumns, src/vsm/wait-analysis.ts).
   */
  caseCode: Int32Array;
  /** As caseCode. */
  activity: Int32Array;
  readonly resource: Int32Array;
  /**
   * Recorded start, NaN when the log has none for the instance (single-timestamp event, unmatched complete). As
   * caseCode, and only when nothing was estimated.
   */
  startMs: Float64Array;
  /** As startMs. */
  endMs: Float64Array;
  /**
   * The event that carries the instance (its start event when paired): where an estimated start is written. Read
   * only for that: the wait analysis empties it once it knows no start is estimated (4 bytes an instance, 200 MB at
   * 100 M events: issue 14, peak memory).
   */
  firstEvent: Int32Array;
  /** Instances of case c are [caseStart[c], caseStart[c + 1]), ordered by completion then source position. As caseCode. */
  caseStart: Int32Array;
  /** Instances with a recorded start. */
  readonly withStart: number;
}

/** A contiguous range of the log's cases, [start, end). */
export interface CaseRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Collects the completed instances of the activities that make steps (`stepOfActivity[a] >= 0`). With `cases`, those
 * of that case range only (the wait chain's per-case pass in partitions, src/vsm/wait-partitions.ts): case codes and
 * first events stay the log's, `caseStart` has one entry per case of the range (plus one) and counts from 0, so the
 * ranges' tables concatenated in order (caseStart shifted) are the whole log's table.
 * @example collectInstances(log, stepMap.stepOfActivity, asOfMs).count
 */
export function collectInstances(log: ReconstructionLog & Pick<AnalysisLog, 'resourceCode'>, stepOfActivity: Int32Array, asOfMs: number, cases?: CaseRange): ActivityInstances {
  const collector = new InstanceCollector(log, stepOfActivity, log.resourceCode);
  const firstCase = cases?.start ?? 0;
  const endCase = cases?.end ?? log.caseCount;
  const capacity = cases === undefined ? instanceCapacity(log, stepOfActivity, 0, log.eventCount) : instanceCapacity(log, stepOfActivity, log.caseStart[firstCase], log.caseStart[endCase]);
  const caseCode = new Int32Array(capacity);
  const activity = new Int32Array(capacity);
  const resource = new Int32Array(capacity);
  const startMs = new Float64Array(capacity);
  const endMs = new Float64Array(capacity);
  const firstEvent = new Int32Array(capacity);
  const caseStart = new Int32Array(endCase - firstCase + 1);
  let count = 0;
  let withStart = 0;
  for (let c = firstCase; c < endCase; c++) {
    caseStart[c - firstCase] = count;
    collector.collect(log.caseStart[c], log.caseStart[c + 1], asOfMs);
    const from = count;
    // The collector's columns, read once a case (collect may have grown them).
    const closed = collector.count - collector.openStarts;
    const caseActivity = collector.activity;
    const caseOwner = collector.owner;
    const caseStartMs = collector.startMs;
    const caseEndMs = collector.endMs;
    const caseFirstEvent = collector.firstEvent;
    for (let k = 0; k < closed; k++) {
      const instanceStartMs = caseStartMs[k];
      caseCode[count] = c;
      activity[count] = caseActivity[k];
      resource[count] = caseOwner[k];
      startMs[count] = instanceStartMs;
      endMs[count] = caseEndMs[k];
      firstEvent[count] = caseFirstEvent[k];
      if (!Number.isNaN(instanceStartMs)) withStart++;
      count++;
    }
    // Completion order: instances are added as their completions are read, so this is nearly sorted already.
    for (let k = from + 1; k < count; k++) {
      for (let j = k; j > from && (endMs[j] < endMs[j - 1] || (endMs[j] === endMs[j - 1] && firstEvent[j] < firstEvent[j - 1])); j--) {
        swap(caseCode, j);
        swap(activity, j);
        swap(resource, j);
        swap(startMs, j);
        swap(endMs, j);
        swap(firstEvent, j);
      }
    }
  }
  caseStart[endCase - firstCase] = count;
  return { count, caseCode, activity, resource, startMs, endMs, firstEvent, caseStart, withStart };
}

/**
 * At most one instance per event that closes one (InstanceCollector.collect): a complete, instant or other event, or
 * a start carrying its own start time, of a step activity. Start events without one only open an instance, so a
 * start/complete log needs half the slots a count of its events would give (issue 14: peak memory).
 */
function instanceCapacity(log: ReconstructionLog, stepOfActivity: Int32Array, fromEvent: number, toEvent: number): number {
  const { activityCode, lifecycle, startTimestampMs } = log;
  let capacity = 0;
  for (let i = fromEvent; i < toEvent; i++) {
    if (stepOfActivity[activityCode[i]] < 0) continue;
    const code = lifecycle[i];
    if (code === LifecycleCode.complete || code === LifecycleCode.instant || code === LifecycleCode.other) capacity++;
    else if (code === LifecycleCode.start && startTimestampMs !== undefined && !Number.isNaN(startTimestampMs[i])) capacity++;
  }
  return capacity;
}

function swap(column: Int32Array | Float64Array, j: number): void {
  const held = column[j];
  column[j] = column[j - 1];
  column[j - 1] = held;
}
