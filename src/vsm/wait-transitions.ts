/**
 * The wait causes summed per step and per transition group (from step, from resource, step, resource), in one
 * pass over the instance columns with flat typed accumulators (no object or string per instance). Every sum is
 * taken in instance order, as a per-instance object loop would, so the totals are bit-identical to it; steps and
 * groups keep their first-seen order.
 */
import { MISSING_CODE } from '../model/dictionary.js';
import type { EventLog } from '../model/event-log.js';
import type { WaitCauseColumns } from '../metrics/wait-causes.js';
import type { ActivityInstances } from '../traces/activity-instances.js';
import type { StepMap } from '../traces/step-map.js';
import type { WaitCausesMsJson, WaitTransitionJson } from '../contracts/report-schema.js';

export interface StepWaitCauses {
  totalMs: number;
  byCauseMs: WaitCausesMsJson;
  instances: number;
  estimated: number;
}

export interface WaitSums {
  /** By step name, in first-seen order. */
  stepCauses: Map<string, StepWaitCauses>;
  totalMs: number;
  byCauseMs: WaitCausesMsJson;
  /** Every transition group, in first-seen order. */
  groups: WaitTransitionJson[];
}

/** Dense key tables up to this many slots (4 bytes each); above it a Map. */
const MAX_DENSE_KEYS = 1 << 22;

function causesOf(sums: Float64Array, row: number): WaitCausesMsJson {
  const base = row * 6;
  return { batching: sums[base + 1], prioritization: sums[base + 2], contention: sums[base + 3], unavailability: sums[base + 4], extraneous: sums[base + 5] };
}

/** Growable Float64 rows of six sums: total, batching, prioritization, contention, unavailability, extraneous. */
function grownRows(rows: Float64Array<ArrayBuffer>, needed: number): Float64Array<ArrayBuffer> {
  if (needed <= rows.length) return rows;
  const larger = new Float64Array(Math.max(needed, rows.length * 2));
  larger.set(rows);
  return larger;
}

/** The counts with room for `needed` entries (doubled at least; new entries 0). */
function grownCounts(counts: Int32Array<ArrayBuffer>, needed: number): Int32Array<ArrayBuffer> {
  if (needed <= counts.length) return counts;
  const larger = new Int32Array(Math.max(needed, counts.length * 2));
  larger.set(counts);
  return larger;
}

/**
 * Names get small ids (0 for none) so a group key is one number; the ids follow the names, so the groups (and
 * their first-seen order) are those of a key on the names themselves.
 */
function idsOf<T>(count: number, nameOf: (code: number) => T): { ids: Int32Array; distinct: number } {
  const seen = new Map<T, number>();
  const ids = new Int32Array(count);
  for (let code = 0; code < count; code++) {
    const name = nameOf(code);
    let id = name === null ? 0 : seen.get(name);
    if (id === undefined) seen.set(name, (id = seen.size + 1));
    ids[code] = id;
  }
  return { ids, distinct: seen.size + 1 };
}

/** @example sumWaits(log, map, instances, enablingInstance, estimated, causes).groups.length */
export function sumWaits(log: EventLog, map: StepMap, instances: ActivityInstances, enablingInstance: Int32Array, estimated: Uint8Array, causes: WaitCauseColumns): WaitSums {
  const stepName = (activity: number) => map.steps[map.stepOfActivity[activity]].name;
  const resourceName = (code: number) => (code === MISSING_CODE ? null : (log.resources.valueOf(code) ?? null));
  const stepIds = idsOf(log.activities.size, (activity) => (map.stepOfActivity[activity] >= 0 ? stepName(activity) : null));
  const resourceIds = idsOf(log.resources.size, resourceName);
  const resourceIdOf = (code: number) => (code === MISSING_CODE || code < 0 || code >= log.resources.size ? 0 : resourceIds.ids[code]);
  const keySpace = stepIds.distinct * stepIds.distinct * resourceIds.distinct * resourceIds.distinct;
  const dense = keySpace <= MAX_DENSE_KEYS ? new Int32Array(keySpace).fill(-1) : null;
  const numericKeys = keySpace < Number.MAX_SAFE_INTEGER;
  const sparse = new Map<number | string, number>();

  // Steps: a slot per step name, found once per activity code.
  const slotOfActivity = new Int32Array(log.activities.size).fill(-1);
  const stepSlots = new Map<string, number>();
  const stepNames: string[] = [];
  let stepSums = new Float64Array(6 * 8);
  let stepCounts = new Int32Array(2 * 8);
  // Groups: six sums, then count, cases and the last case seen.
  let groupSums = new Float64Array(6 * 64);
  let groupCounts = new Int32Array(3 * 64);
  const groupInstance: number[] = [];
  const totals = new Float64Array(6);

  const { batching, prioritization, contention, unavailability, extraneous } = causes.causeMs;
  const { waitMs } = causes;
  const { activity, resource, caseCode } = instances;
  for (let k = 0; k < instances.count; k++) {
    const a = activity[k];
    let slot = slotOfActivity[a];
    if (slot < 0) {
      const name = stepName(a);
      let found = stepSlots.get(name);
      if (found === undefined) {
        stepSlots.set(name, (found = stepNames.length));
        stepNames.push(name);
        stepSums = grownRows(stepSums, 6 * stepNames.length);
        stepCounts = grownCounts(stepCounts, 2 * stepNames.length);
      }
      slotOfActivity[a] = slot = found;
    }
    const wait = waitMs[k];
    const b = batching[k];
    const p = prioritization[k];
    const c = contention[k];
    const u = unavailability[k];
    const x = extraneous[k];
    stepCounts[2 * slot]++;
    stepCounts[2 * slot + 1] += estimated[k];
    let base = 6 * slot;
    stepSums[base] += wait;
    stepSums[base + 1] += b;
    stepSums[base + 2] += p;
    stepSums[base + 3] += c;
    stepSums[base + 4] += u;
    stepSums[base + 5] += x;
    totals[0] += wait;
    totals[1] += b;
    totals[2] += p;
    totals[3] += c;
    totals[4] += u;
    totals[5] += x;

    const from = enablingInstance[k];
    let group: number | undefined;
    if (numericKeys) {
      const key = ((resourceIds.distinct * (from >= 0 ? stepIds.ids[activity[from]] : 0) + (from >= 0 ? resourceIdOf(resource[from]) : 0)) * stepIds.distinct + stepIds.ids[a]) * resourceIds.distinct + resourceIdOf(resource[k]);
      if (dense) {
        group = dense[key];
        if (group < 0) dense[key] = group = groupInstance.length;
      } else {
        group = sparse.get(key);
        if (group === undefined) sparse.set(key, (group = groupInstance.length));
      }
    } else {
      const key = JSON.stringify([from >= 0 ? stepName(activity[from]) : null, from >= 0 ? resourceName(resource[from]) : null, stepName(a), resourceName(resource[k])]);
      group = sparse.get(key);
      if (group === undefined) sparse.set(key, (group = groupInstance.length));
    }
    if (group === groupInstance.length) {
      groupInstance.push(k);
      groupSums = grownRows(groupSums, 6 * groupInstance.length);
      groupCounts = grownCounts(groupCounts, 3 * groupInstance.length);
      groupCounts[3 * group + 2] = -1;
    }
    groupCounts[3 * group]++;
    if (groupCounts[3 * group + 2] !== caseCode[k]) {
      groupCounts[3 * group + 1]++;
      groupCounts[3 * group + 2] = caseCode[k];
    }
    base = 6 * group;
    groupSums[base] += wait;
    groupSums[base + 1] += b;
    groupSums[base + 2] += p;
    groupSums[base + 3] += c;
    groupSums[base + 4] += u;
    groupSums[base + 5] += x;
  }

  const stepCauses = new Map<string, StepWaitCauses>();
  stepNames.forEach((name, slot) => stepCauses.set(name, { totalMs: stepSums[6 * slot], byCauseMs: causesOf(stepSums, slot), instances: stepCounts[2 * slot], estimated: stepCounts[2 * slot + 1] }));
  const groups = groupInstance.map((k, group): WaitTransitionJson => {
    const from = enablingInstance[k];
    const base = 6 * group;
    return {
      fromStep: from >= 0 ? stepName(activity[from]) : null,
      fromResource: from >= 0 ? resourceName(resource[from]) : null,
      toStep: stepName(activity[k]),
      toResource: resourceName(resource[k]),
      count: groupCounts[3 * group],
      cases: groupCounts[3 * group + 1],
      totalMs: groupSums[base],
      batchingMs: groupSums[base + 1],
      prioritizationMs: groupSums[base + 2],
      contentionMs: groupSums[base + 3],
      unavailabilityMs: groupSums[base + 4],
      extraneousMs: groupSums[base + 5],
    };
  });
  return { stepCauses, totalMs: totals[0], byCauseMs: causesOf(totals, 0), groups };
}
