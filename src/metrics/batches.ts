/**
 * Batches of work (docs/wait-causes.md "Batching"): instances of one activity by one resource that are processed
 * together. **Parallel**: two or more start at the same instant. **Sequential**: two or more run back to back
 * (each starts within `sequentialGapMs` of the previous one's completion) and every later member was already
 * enabled when the first one started — the work had accumulated. A batch is *ready* when its last member is
 * enabled; a member waits for the batch from its own enabled time to then.
 * Only recorded starts are used: estimated starts are back to back by construction and would invent batches.
 */
import { MISSING_CODE } from '../model/dictionary.js';
import type { ResourceRange } from '../traces/start-estimation.js';
import type { ActivityInstances } from '../traces/activity-instances.js';
import { argsortFloat64 } from './radix-sort.js';
import type { ResourceOrder } from './resource-order.js';
import { BatchColumns, BatchType, type Batches } from './batch-types.js';
import { detectInResourceOrder } from './batches-in-order.js';

// The result's shape lives in batch-types.ts (shared with batches-in-order.ts); re-exported for existing importers.
export { BatchType, BATCH_TYPE_NAMES, type Batches } from './batch-types.js';

export interface BatchOptions {
  /** Largest gap between one member's completion and the next member's start in a sequential batch. */
  sequentialGapMs?: number;
  /**
   * The shared order by (resource, start, index) with its batches' activity column (buildResourceOrder with
   * `estimated`): the groups are then read from it, no sort of their own. Its batchActivity is released (not with
   * `resources`: the caller releases it after the last range).
   */
  ordered?: ResourceOrder | null;
  /**
   * The batches of this range of resource codes only (the wait chain's per-resource pass, src/vsm/wait-partitions.ts),
   * numbered from 0 as for a log of those resources alone: parallel ones first, then sequential ones.
   */
  resources?: ResourceRange;
}

/**
 * Sorts instance indices (given ascending) by resource, activity, start, end, index — the order of the comparison
 * sort it replaces — as stable radix passes, least significant key first: end, start (−0 read as +0, as the
 * comparison held them equal), then counting sorts on activity and resource codes. With a NaN end the comparison
 * is kept (the radix sort needs numbers). Exported for its test.
 */
export function sortByGroupStartEnd(order: Int32Array, resource: Int32Array, activity: Int32Array, startMs: Float64Array, endMs: Float64Array): void {
  const n = order.length;
  if (n < 2) return;
  if (order.some((k) => Number.isNaN(endMs[k]) || activity[k] < 0 || resource[k] < 0)) {
    // Array.prototype.sort, as before: with NaN ends the comparison is not a total order, so the algorithm matters.
    const sorted = Array.from(order).sort((a, b) => resource[a] - resource[b] || activity[a] - activity[b] || startMs[a] - startMs[b] || endMs[a] - endMs[b] || a - b);
    order.set(sorted);
    return;
  }
  if (sortByCountingGroups(order, resource, activity, startMs, endMs, startMs) !== null) return;
  if (sortByOneKey(order, resource, activity, startMs, endMs)) return;
  let current = order.slice();
  const keys = new Float64Array(n);
  const byKey = (values: Float64Array) => {
    for (let i = 0; i < n; i++) keys[i] = values[current[i]] + 0;
    const permutation = argsortFloat64(keys);
    const next = new Int32Array(n);
    for (let i = 0; i < n; i++) next[i] = current[permutation[i]];
    current = next;
  };
  const byCode = (codes: Int32Array) => {
    let buckets = 0;
    for (let i = 0; i < n; i++) buckets = Math.max(buckets, codes[current[i]] + 1);
    const offsets = new Int32Array(buckets + 1);
    for (let i = 0; i < n; i++) offsets[codes[current[i]] + 1]++;
    for (let b = 0; b < buckets; b++) offsets[b + 1] += offsets[b];
    const next = new Int32Array(n);
    for (let i = 0; i < n; i++) next[offsets[codes[current[i]]]++] = current[i];
    current = next;
  };
  byKey(endMs);
  byKey(startMs);
  byCode(activity);
  byCode(resource);
  order.set(current);
}

/**
 * The usual case in one radix argsort: whole-ms starts make (resource, activity, start) one safe integer key,
 * group · (span + 1) + start − min; the rare runs of equal keys are then ordered by end, index. False (and
 * `order` untouched) when the key would not be exact.
 */
function sortByOneKey(order: Int32Array, resource: Int32Array, activity: Int32Array, startMs: Float64Array, endMs: Float64Array): boolean {
  const n = order.length;
  let activities = 0;
  let resources = 0;
  let minStart = Infinity;
  let maxStart = -Infinity;
  for (let i = 0; i < n; i++) {
    const k = order[i];
    const start = startMs[k] + 0;
    if (!Number.isSafeInteger(start)) return false;
    if (start < minStart) minStart = start;
    if (start > maxStart) maxStart = start;
    if (activity[k] >= activities) activities = activity[k] + 1;
    if (resource[k] >= resources) resources = resource[k] + 1;
  }
  const width = maxStart - minStart + 1;
  if (!Number.isSafeInteger(width) || !Number.isSafeInteger(resources * activities * width)) return false;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = order[i];
    keys[i] = (resource[k] * activities + activity[k]) * width + (startMs[k] + 0 - minStart);
  }
  const permutation = argsortFloat64(keys);
  const sorted = new Int32Array(n);
  for (let i = 0; i < n; i++) sorted[i] = order[permutation[i]];
  for (let i = 0; i < n; ) {
    const key = keys[permutation[i]];
    let j = i + 1;
    while (j < n && keys[permutation[j]] === key) j++;
    if (j - i > 1) {
      const run = Array.from(sorted.subarray(i, j)).sort((a, b) => endMs[a] + 0 - (endMs[b] + 0) || a - b);
      for (let r = 0; r < run.length; r++) sorted[i + r] = run[r];
    }
    i = j;
  }
  order.set(sorted);
  return true;
}

/** Group runs per position in a sorted order, with three columns read through it (positions, not instances). */
interface GroupedColumns {
  /** Same number for the positions of one (resource, activity) group (a run). */
  readonly group: Int32Array;
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly carried: Float64Array;
}

/** At most this many (resource, activity) groups per instance for the counting sort (else the radix sorts). */
const GROUPS_PER_INSTANCE = 4;

/**
 * sortByGroupStartEnd's order when every code is ≥ 0 and no end is NaN, by a counting sort on the
 * (resource, activity) group — stable, so each group's run is in index order, and its columns are written as
 * they are read (one stream per group, no random reads) — then a sort of each run by start, end, index (none
 * when the run is in that order already, as runs of recorded work mostly are). Also returns the run boundaries
 * and the start, end and `carry` columns by position. Null (and `order` untouched) when it does not apply.
 */
function sortByCountingGroups(order: Int32Array, resource: Int32Array, activity: Int32Array, startMs: Float64Array, endMs: Float64Array, carry: Float64Array): GroupedColumns | null {
  const n = order.length;
  let activities = 0;
  let resources = 0;
  for (let i = 0; i < n; i++) {
    const k = order[i];
    if (Number.isNaN(endMs[k]) || activity[k] < 0 || resource[k] < 0) return null;
    if (activity[k] >= activities) activities = activity[k] + 1;
    if (resource[k] >= resources) resources = resource[k] + 1;
  }
  const groups = resources * activities;
  if (groups > GROUPS_PER_INSTANCE * n + 1024) return null;
  const groupStart = new Int32Array(groups + 1);
  for (let i = 0; i < n; i++) groupStart[resource[order[i]] * activities + activity[order[i]] + 1]++;
  for (let g = 0; g < groups; g++) groupStart[g + 1] += groupStart[g];
  const cursor = groupStart.slice(0, groups);
  const sorted = new Int32Array(n);
  const group = new Int32Array(n);
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const carried = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = order[i];
    const g = resource[k] * activities + activity[k];
    const p = cursor[g]++;
    sorted[p] = k;
    group[p] = g;
    start[p] = startMs[k];
    end[p] = endMs[k];
    carried[p] = carry[k];
  }
  for (let g = 0; g < groups; g++) if (groupStart[g + 1] - groupStart[g] >= 2) sortRun(groupStart[g], groupStart[g + 1], sorted, start, end, carried);
  order.set(sorted);
  return { group, start, end, carried };
}

/** Sorts positions [from, to) by start (+ 0), end (+ 0), then position (index order), moving every column. */
function sortRun(from: number, to: number, sorted: Int32Array, start: Float64Array, end: Float64Array, carried: Float64Array): void {
  let inOrder = true;
  for (let p = from + 1; p < to && inOrder; p++) {
    const before = start[p - 1] + 0;
    const at = start[p] + 0;
    inOrder = before < at || (before === at && end[p - 1] + 0 <= end[p] + 0);
  }
  if (inOrder) return;
  const length = to - from;
  const keys = new Float64Array(length);
  for (let i = 0; i < length; i++) keys[i] = start[from + i] + 0;
  const permutation = argsortFloat64(keys);
  for (let i = 0; i < length; ) {
    let j = i + 1;
    while (j < length && keys[permutation[j]] === keys[permutation[i]]) j++;
    if (j - i > 1) {
      const run = Array.from(permutation.subarray(i, j)).sort((a, b) => end[from + a] + 0 - (end[from + b] + 0) || a - b);
      for (let r = 0; r < run.length; r++) permutation[i + r] = run[r];
    }
    i = j;
  }
  const permute = <T extends Int32Array | Float64Array>(column: T) => {
    const run = column.slice(from, to);
    for (let i = 0; i < length; i++) column[from + i] = run[permutation[i]];
  };
  permute(sorted);
  permute(start);
  permute(end);
  permute(carried);
}

/** The columns by position after any of sortByGroupStartEnd's other paths (read through the order). */
function gatheredColumns(order: Int32Array, resource: Int32Array, activity: Int32Array, startMs: Float64Array, endMs: Float64Array, carry: Float64Array): GroupedColumns {
  const n = order.length;
  const group = new Int32Array(n);
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const carried = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = order[i];
    group[i] = i > 0 && resource[k] === resource[order[i - 1]] && activity[k] === activity[order[i - 1]] ? group[i - 1] : i;
    start[i] = startMs[k];
    end[i] = endMs[k];
    carried[i] = carry[k];
  }
  return { group, start, end, carried };
}

/** @example detectBatches(instances, startMs, estimated, enabledMs).batchId */
export function detectBatches(
  instances: ActivityInstances,
  startMs: Float64Array,
  estimated: Uint8Array,
  enabledMs: Float64Array,
  { sequentialGapMs = 0, ordered, resources }: BatchOptions = {},
): Batches {
  const { count, resource, activity, endMs } = instances;
  const inOrder = ordered ? detectInResourceOrder(ordered, count, sequentialGapMs, resources) : null;
  if (inOrder !== null) return inOrder;
  const batchId = new Int32Array(count).fill(-1);
  const perBatch = new BatchColumns();
  // With `resources`, the candidates of that range of resource codes only (each batch is one resource's).
  const fromCode = resources?.start ?? 0;
  const toCode = resources?.end ?? Infinity;
  const candidate = (k: number) => estimated[k] === 0 && resource[k] !== MISSING_CODE && !Number.isNaN(startMs[k]) && resource[k] >= fromCode && resource[k] < toCode;
  let candidates = 0;
  for (let k = 0; k < count; k++) if (candidate(k)) candidates++;
  const order = new Int32Array(candidates);
  for (let k = 0, i = 0; k < count; k++) if (candidate(k)) order[i++] = k;
  // The columns by position: the loops below read them in order (through `order` each read missed the cache).
  let columns = order.length >= 2 ? sortByCountingGroups(order, resource, activity, startMs, endMs, enabledMs) : null;
  if (columns === null) {
    sortByGroupStartEnd(order, resource, activity, startMs, endMs);
    columns = gatheredColumns(order, resource, activity, startMs, endMs, enabledMs);
  }
  const { group, start, end, carried: enabled } = columns;
  const inBatch = new Uint8Array(order.length);
  let parallelCount = 0;
  let sequentialCount = 0;
  // Members of a batch are always a range order[from, to): no array per candidate batch.
  const close = (from: number, to: number, type: number) => {
    let ready = -Infinity;
    for (let i = from; i < to; i++) ready = Math.max(ready, enabled[i]);
    const id = perBatch.count;
    for (let i = from; i < to; i++) {
      batchId[order[i]] = id;
      inBatch[i] = 1;
    }
    perBatch.push(type, ready);
  };
  // Parallel batches: runs of equal starts.
  for (let n = 0; n < order.length; ) {
    let m = n + 1;
    while (m < order.length && group[m] === group[n] && start[m] === start[n]) m++;
    if (m - n >= 2) {
      close(n, m, BatchType.parallel);
      parallelCount++;
    }
    n = m;
  }
  // Sequential batches: back-to-back chains of the remaining instances, all enabled by the chain's first start.
  for (let n = 0; n < order.length; ) {
    if (inBatch[n] === 1) {
      n++;
      continue;
    }
    let m = n + 1;
    while (m < order.length) {
      if (group[m] !== group[n] || inBatch[m] === 1) break;
      const gapMs = start[m] - end[m - 1];
      if (gapMs < 0 || gapMs > sequentialGapMs || enabled[m] > start[n]) break;
      m++;
    }
    if (m - n >= 2) {
      close(n, m, BatchType.sequential);
      sequentialCount++;
    }
    n = Math.max(m, n + 1);
  }
  return { batchId, ...perBatch.finish(), parallelCount, sequentialCount };
}
