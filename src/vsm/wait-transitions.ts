/**
 * The wait causes summed per step and per transition group (from step, from resource, step, resource) with flat
 * typed accumulators (no object or string per instance). Steps and groups get their slots, counts and cases in
 * one pass in instance order (first-seen order); the sums are then taken either from the cause columns in instance
 * order, as a per-instance object loop would (bit-identical to it), or as the wait-cause sweep hands each wait over
 * (WaitCauseSink: no cause columns). Sums of non-negative whole ms below 2^53 are exact in any order, so the
 * second way gives the same bits; `exact` says whether that held (else the caller takes the first way).
 */
import { MISSING_CODE } from '../model/dictionary.js';
import type { ReconstructionLog } from '../model/event-log.js';
import type { WaitCauseColumns, WaitCauseSink } from '../metrics/wait-causes.js';
import { int32Column } from '../metrics/shared-columns.js';
import { PartialWaitSink, type PartialWaitSums, type WaitSumLayout } from '../metrics/wait-sweep-threads.js';
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

/** What WaitSummer's pass over the instances reads and fills (groupInstances). */
interface GroupingInputs {
  instances: ActivityInstances;
  enablingInstance: Int32Array;
  estimated: Uint8Array;
  slotOfActivity: Int32Array;
  stepSlots: Map<string, number>;
  stepNames: string[];
  stepName: (activity: number) => string;
  resourceName: (code: number) => string | null;
  stepIds: { ids: Int32Array; distinct: number };
  resourceIds: { ids: Int32Array; distinct: number };
  resourceIdOf: (code: number) => number;
  dense: Int32Array | null;
  numericKeys: boolean;
  sparse: Map<number | string, number>;
  groupActivity: number[];
  groupResource: number[];
  groupFromActivity: number[];
  groupFromResource: number[];
  groupOf: Int32Array;
}

/**
 * Each instance's step slot and (enabling step and resource, step, resource) group: the groups' codes pushed as found,
 * the step counts (instances, estimated) and group counts (instances, cases, last case) in `grown`, replaced there as
 * they grow (written in the loop, so nothing after it needs type feedback its compiled code lacks).
 */
function groupInstances(inputs: GroupingInputs, grown: { stepCounts: Int32Array<ArrayBuffer>; groupCounts: Int32Array<ArrayBuffer> }): void {
  const { instances, enablingInstance, estimated, slotOfActivity, stepSlots, stepNames, stepName, resourceName, stepIds, resourceIds, resourceIdOf, dense, numericKeys, sparse } = inputs;
  const { groupActivity, groupResource, groupFromActivity, groupFromResource, groupOf } = inputs;
  const { activity, resource, caseCode } = instances;
  let { stepCounts, groupCounts } = grown;
  for (let k = 0; k < instances.count; k++) {
    const a = activity[k];
    let slot = slotOfActivity[a];
    if (slot < 0) {
      const name = stepName(a);
      let found = stepSlots.get(name);
      if (found === undefined) {
        stepSlots.set(name, (found = stepNames.length));
        stepNames.push(name);
        grown.stepCounts = stepCounts = grownCounts(stepCounts, 2 * stepNames.length);
      }
      slotOfActivity[a] = slot = found;
    }
    stepCounts[2 * slot]++;
    stepCounts[2 * slot + 1] += estimated[k];
    const from = enablingInstance[k];
    let group: number | undefined;
    if (numericKeys) {
      const key = ((resourceIds.distinct * (from >= 0 ? stepIds.ids[activity[from]] : 0) + (from >= 0 ? resourceIdOf(resource[from]) : 0)) * stepIds.distinct + stepIds.ids[a]) * resourceIds.distinct + resourceIdOf(resource[k]);
      if (dense) {
        group = dense[key];
        if (group < 0) dense[key] = group = groupActivity.length;
      } else {
        group = sparse.get(key);
        if (group === undefined) sparse.set(key, (group = groupActivity.length));
      }
    } else {
      const key = JSON.stringify([from >= 0 ? stepName(activity[from]) : null, from >= 0 ? resourceName(resource[from]) : null, stepName(a), resourceName(resource[k])]);
      group = sparse.get(key);
      if (group === undefined) sparse.set(key, (group = groupActivity.length));
    }
    if (group === groupActivity.length) {
      groupActivity.push(a);
      groupResource.push(resource[k]);
      groupFromActivity.push(from >= 0 ? activity[from] : -1);
      groupFromResource.push(from >= 0 ? resource[from] : MISSING_CODE);
      grown.groupCounts = groupCounts = grownCounts(groupCounts, 3 * groupActivity.length);
      groupCounts[3 * group + 2] = -1;
    }
    groupOf[k] = group;
    groupCounts[3 * group]++;
    if (groupCounts[3 * group + 2] !== caseCode[k]) {
      groupCounts[3 * group + 1]++;
      groupCounts[3 * group + 2] = caseCode[k];
    }
  }
}

/**
 * Each instance's step slot and transition group, then the sums: put() per wait (or putColumns), finish() for the JSON.
 * @example const summer = new WaitSummer(log, map, instances, enablingInstance, estimated); summer.putColumns(causes); summer.finish().groups
 */
export class WaitSummer implements WaitCauseSink {
  private readonly slotOfActivity: Int32Array;
  private readonly stepNames: string[] = [];
  private readonly stepCounts: Int32Array;
  private readonly groupOf: Int32Array;
  /** By group: its step's slot (a group has one step, so put() reads one column per instance, not two). */
  private readonly stepSlotOfGroup: Int32Array;
  /**
   * Each group's activity and resource codes, and its enabling instance's (-1: the case's beginning): the summer
   * keeps no per-instance enabling column, and finish() reads no instance column (the wait analysis may let the
   * activity column go before the sweep: issue 14, peak memory).
   */
  private readonly groupActivity: number[] = [];
  private readonly groupResource: number[] = [];
  private readonly groupFromActivity: number[] = [];
  private readonly groupFromResource: number[] = [];
  private readonly groupCounts: Int32Array;
  /**
   * The sums per group (and, after clearSums, per step slot and in total), with their whole-ms flag (the same sink a
   * worker thread sums into). Until clearSums the waits are summed per group only, and each step's sums and the
   * totals are its groups' sums (exact, as exactInAnyOrder requires of these sums before finish).
   */
  private sums: PartialWaitSink;

  constructor(
    private readonly log: Pick<ReconstructionLog, 'activities' | 'resources'>,
    private readonly map: StepMap,
    private readonly instances: ActivityInstances,
    enablingInstance: Int32Array,
    estimated: Uint8Array,
    /** The instance → group column in a SharedArrayBuffer (a worker thread sums waits too: wait-sweep-threads.ts). */
    shared = false,
  ) {
    const stepName = (activity: number) => map.steps[map.stepOfActivity[activity]].name;
    const resourceName = (code: number) => (code === MISSING_CODE ? null : (log.resources.valueOf(code) ?? null));
    const stepIds = idsOf(log.activities.size, (activity) => (map.stepOfActivity[activity] >= 0 ? stepName(activity) : null));
    const resourceIds = idsOf(log.resources.size, resourceName);
    const resourceIdOf = (code: number) => (code === MISSING_CODE || code < 0 || code >= log.resources.size ? 0 : resourceIds.ids[code]);
    const keySpace = stepIds.distinct * stepIds.distinct * resourceIds.distinct * resourceIds.distinct;
    const dense = keySpace <= MAX_DENSE_KEYS ? new Int32Array(keySpace).fill(-1) : null;
    const numericKeys = keySpace < Number.MAX_SAFE_INTEGER;
    const sparse = new Map<number | string, number>();
    this.slotOfActivity = new Int32Array(log.activities.size).fill(-1);
    const stepSlots = new Map<string, number>();
    // The pass over every instance is a function of its own (a leaf): compiled on entry (OSR), its code is not thrown
    // away at the constructor's code after it (issue 14, warm-up at 1 M). The grown count columns come back in `grown`.
    const grown = { stepCounts: new Int32Array(2 * 8), groupCounts: new Int32Array(3 * 64) };
    const groupOf = int32Column(instances.count, shared);
    const { groupActivity, groupResource, groupFromActivity, groupFromResource, stepNames } = this;
    groupInstances(
      { instances, enablingInstance, estimated, slotOfActivity: this.slotOfActivity, stepSlots, stepNames, stepName, resourceName, stepIds, resourceIds, resourceIdOf, dense, numericKeys, sparse, groupActivity, groupResource, groupFromActivity, groupFromResource, groupOf },
      grown,
    );
    const { stepCounts, groupCounts } = grown;
    this.stepCounts = stepCounts;
    this.groupCounts = groupCounts;
    this.groupOf = groupOf;
    this.stepSlotOfGroup = Int32Array.from(groupActivity, (a) => this.slotOfActivity[a]);
    this.sums = new PartialWaitSink(this.layout(), undefined, true);
  }

  /** Adds one instance's wait and parts (WaitCauseSink: WAIT_CAUSES order) to its step, its group and the totals. */
  put(k: number, wait: number, b: number, c: number, p: number, u: number, x: number): void {
    this.sums.put(k, wait, b, c, p, u, x);
  }

  /** As put, the instance's group given (layout().groupOf[k]: the sweep reads it by position). */
  putGroup(group: number, wait: number, b: number, c: number, p: number, u: number, x: number): void {
    this.sums.putGroup(group, wait, b, c, p, u, x);
  }

  /** What a worker thread needs to sum waits as put() does (PartialWaitSums): the group column is shared, not copied. */
  layout(): WaitSumLayout {
    return { groupOf: this.groupOf, stepSlotOfGroup: this.stepSlotOfGroup, steps: this.stepNames.length, groups: this.groupActivity.length };
  }

  /**
   * Adds sums taken elsewhere (a worker thread's PartialWaitSums over other instances). Exact only when every value
   * was a whole ms (exactInAnyOrder then holds for the merged sums: the worker's flag is carried over).
   */
  addPartial(partial: PartialWaitSums): void {
    this.sums.add(partial);
  }

  /**
   * Back to no wait put (the step slots and groups stay): for a second pass over the same instances, summed per step
   * and in total as they come (putColumns), not derived from the groups.
   */
  clearSums(): void {
    this.sums = new PartialWaitSink(this.layout());
  }

  /**
   * Every instance's columns, in instance order, into cleared sums (clearSums first): the sums are those of a
   * per-instance loop, bit for bit, whole ms or not.
   */
  putColumns(causes: WaitCauseColumns): void {
    this.clearSums();
    const { batching, prioritization, contention, unavailability, extraneous } = causes.causeMs;
    const { waitMs } = causes;
    for (let k = 0; k < this.instances.count; k++) this.put(k, waitMs[k], batching[k], contention[k], prioritization[k], unavailability[k], extraneous[k]);
  }

  /**
   * Whether every value put was a non-negative whole ms and the total stays below 2^53: then every partial sum of
   * every accumulator was an exact integer, and the sums do not depend on the order the waits came in.
   */
  exactInAnyOrder(): boolean {
    return this.sums.wholeMs && this.stepAndTotalSums().totals[0] < 2 ** 53;
  }

  /**
   * The sums per step slot and in total: as summed (after clearSums), or each step's groups' sums and all groups'
   * (summed per group only). With every value a non-negative whole ms the latter are exact integers when the total
   * is below 2^53 (the same numbers in any order), and a total of 2^53 or more stays at least 2^53 either way (every
   * partial sum is exact below 2^53, and rounding a sum at or above it never takes it below).
   */
  private stepAndTotalSums(): { stepSums: Float64Array; totals: Float64Array } {
    const { sums } = this;
    if (!sums.groupsOnly) return sums;
    const stepSums = new Float64Array(sums.stepSums.length);
    const totals = new Float64Array(6);
    const { groupSums } = sums;
    for (let group = 0; group < this.stepSlotOfGroup.length; group++) {
      const base = 6 * this.stepSlotOfGroup[group];
      for (let part = 0; part < 6; part++) {
        stepSums[base + part] += groupSums[6 * group + part];
        totals[part] += groupSums[6 * group + part];
      }
    }
    return { stepSums, totals };
  }

  finish(): WaitSums {
    const { log, map, groupResource, groupFromActivity, groupFromResource, stepCounts, groupCounts } = this;
    const { groupSums } = this.sums;
    const { stepSums, totals } = this.stepAndTotalSums();
    const stepName = (a: number) => map.steps[map.stepOfActivity[a]].name;
    const resourceName = (code: number) => (code === MISSING_CODE ? null : (log.resources.valueOf(code) ?? null));
    const stepCauses = new Map<string, StepWaitCauses>();
    this.stepNames.forEach((name, slot) => stepCauses.set(name, { totalMs: stepSums[6 * slot], byCauseMs: causesOf(stepSums, slot), instances: stepCounts[2 * slot], estimated: stepCounts[2 * slot + 1] }));
    const groups = this.groupActivity.map((a, group): WaitTransitionJson => {
      const fromActivity = groupFromActivity[group];
      const base = 6 * group;
      return {
        fromStep: fromActivity >= 0 ? stepName(fromActivity) : null,
        fromResource: fromActivity >= 0 ? resourceName(groupFromResource[group]) : null,
        toStep: stepName(a),
        toResource: resourceName(groupResource[group]),
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
}
