/**
 * Batches of work (docs/wait-causes.md "Batching"): instances of one activity by one resource that are processed
 * together. **Parallel**: two or more start at the same instant. **Sequential**: two or more run back to back
 * (each starts within `sequentialGapMs` of the previous one's completion) and every later member was already
 * enabled when the first one started — the work had accumulated. A batch is *ready* when its last member is
 * enabled; a member waits for the batch from its own enabled time to then.
 * Only recorded starts are used: estimated starts are back to back by construction and would invent batches.
 */
import { MISSING_CODE } from '../model/dictionary.js';
import type { ActivityInstances } from '../traces/activity-instances.js';
import { argsortFloat64 } from './radix-sort.js';

export const BatchType = { none: 0, parallel: 1, sequential: 2 } as const;
export const BATCH_TYPE_NAMES = ['', 'parallel', 'sequential'] as const;

export interface Batches {
  /** Batch number per instance, -1 when not in a batch. */
  readonly batchId: Int32Array;
  readonly batchType: Uint8Array;
  /** When the instance's batch was ready (its last member's enabled time); NaN outside batches. */
  readonly readyMs: Float64Array;
  readonly parallelCount: number;
  readonly sequentialCount: number;
}

export interface BatchOptions {
  /** Largest gap between one member's completion and the next member's start in a sequential batch. */
  sequentialGapMs?: number;
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

/** @example detectBatches(instances, startMs, estimated, enabledMs).batchId */
export function detectBatches(
  instances: ActivityInstances,
  startMs: Float64Array,
  estimated: Uint8Array,
  enabledMs: Float64Array,
  { sequentialGapMs = 0 }: BatchOptions = {},
): Batches {
  const { count, resource, activity, endMs } = instances;
  const batchId = new Int32Array(count).fill(-1);
  const batchType = new Uint8Array(count);
  const readyMs = new Float64Array(count).fill(NaN);
  const candidate = (k: number) => estimated[k] === 0 && resource[k] !== MISSING_CODE && !Number.isNaN(startMs[k]);
  let candidates = 0;
  for (let k = 0; k < count; k++) if (candidate(k)) candidates++;
  const order = new Int32Array(candidates);
  for (let k = 0, i = 0; k < count; k++) if (candidate(k)) order[i++] = k;
  sortByGroupStartEnd(order, resource, activity, startMs, endMs);
  const sameGroup = (a: number, b: number) => resource[a] === resource[b] && activity[a] === activity[b];
  let next = 0;
  let parallelCount = 0;
  let sequentialCount = 0;
  // Members of a batch are always a range order[from, to): no array per candidate batch.
  const close = (from: number, to: number, type: number) => {
    let ready = -Infinity;
    for (let i = from; i < to; i++) ready = Math.max(ready, enabledMs[order[i]]);
    for (let i = from; i < to; i++) {
      const k = order[i];
      batchId[k] = next;
      batchType[k] = type;
      readyMs[k] = ready;
    }
    next++;
  };
  // Parallel batches: runs of equal starts.
  for (let n = 0; n < order.length; ) {
    let m = n + 1;
    while (m < order.length && sameGroup(order[n], order[m]) && startMs[order[m]] === startMs[order[n]]) m++;
    if (m - n >= 2) {
      close(n, m, BatchType.parallel);
      parallelCount++;
    }
    n = m;
  }
  // Sequential batches: back-to-back chains of the remaining instances, all enabled by the chain's first start.
  for (let n = 0; n < order.length; ) {
    if (batchId[order[n]] >= 0) {
      n++;
      continue;
    }
    const first = order[n];
    let m = n + 1;
    while (m < order.length) {
      const k = order[m];
      const previous = order[m - 1];
      if (!sameGroup(first, k) || batchId[k] >= 0) break;
      const gapMs = startMs[k] - endMs[previous];
      if (gapMs < 0 || gapMs > sequentialGapMs || enabledMs[k] > startMs[first]) break;
      m++;
    }
    if (m - n >= 2) {
      close(n, m, BatchType.sequential);
      sequentialCount++;
    }
    n = Math.max(m, n + 1);
  }
  return { batchId, batchType, readyMs, parallelCount, sequentialCount };
}
