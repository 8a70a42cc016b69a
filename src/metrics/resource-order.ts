/**
 * Each resource's activity instances in start order (positions), with their starts, ends and enabled times as
 * typed columns by position: built once and shared by the batches (docs/wait-causes.md "Batching": their groups are
 * runs of this order) and the wait-cause sweep and scan (wait-causes.ts), instead of one start sort each.
 */
import { MISSING_CODE } from '../model/dictionary.js';
import { prefixSumsInPlace } from '../model/prefix-sums.js';
import type { ActivityInstances } from '../traces/activity-instances.js';
import type { ResourceRange } from '../traces/start-estimation.js';
import { argsortFloat64 } from './radix-sort.js';
import { argsortSpread, spreadCountsLength } from './spread-argsort.js';
import { float64Column, int32Column } from './shared-columns.js';

export interface ResourceOrder {
  /** Instance index at each position: by (resource, start, index). */
  readonly order: Int32Array;
  /** Position of each instance, −1 without a resource. */
  readonly positionOf: Int32Array;
  /** By resource code: its first position (its run is runStart[code] … runStart[code + 1] − 1). */
  readonly runStart: Int32Array;
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly enabled: Float64Array;
  /**
   * The start and enabled times of the instances without a resource (no position), in instance order: with the
   * columns by position, every instance's times, so the wait causes need not the instances' own columns.
   */
  readonly looseStart: Float64Array;
  readonly looseEnabled: Float64Array;
  /** By resource code: its longest instance, ms (0 when none is longer). */
  readonly longestMs: Float64Array;
  /**
   * By position, for the batches: the activity code of a batch candidate (a recorded start), −1 otherwise. The
   * batches read it once and release it (null), so the sweep does not hold it; null when not asked for.
   */
  batchActivity: Int32Array | null;
  /**
   * By position, the wait summer's group of the instance (buildResourceOrder's `groupOf` scattered with the other
   * columns), so the sweep puts its waits by position, in order, instead of reading the instance → group column once
   * a wait out of instance order. The wait analysis releases it (null) once the sweep ends; null when not asked for.
   */
  groupAt: Int32Array | null;
}

/**
 * The order by (resource, start, index), start read + 0 (−0 as +0, as the comparison sort held them equal). Null
 * when a start or end is not a number (the sort is then not a total order: callers take their plain paths).
 * With `estimated`, also the batches' activity column (batchActivity). With `shared`, the columns the wait-cause
 * sweep reads (order, start, end, enabled) live in SharedArrayBuffers, for a worker thread (wait-sweep-threads.ts).
 * With `groupOf` (by instance), also that column by position (groupAt).
 * @example buildResourceOrder(instances, startMs, enabledMs)?.runStart
 */
export function buildResourceOrder(
  instances: ActivityInstances,
  startMs: Float64Array,
  enabledMs: Float64Array,
  estimated?: Uint8Array,
  shared = false,
  groupOf?: Int32Array,
  resourceRanges?: readonly ResourceRange[],
): ResourceOrder | null {
  const { count, endMs, activity } = instances;
  // The columns may hold spare slots past count (collectInstances sizes them by the events that may close one).
  const resource = instances.resource.subarray(0, count);
  // A counting sort on the resource codes (stable, so each resource's instances stay in index order; the columns
  // are written as they are read, one stream per resource), then a stable sort of each resource's run by start.
  // Each long loop is a function of its own (a leaf): compiled while it runs (OSR), it is not thrown away when this
  // function reaches code that had not run yet (issue 14, warm-up at 1 M).
  // seen[0]: a start of −0 (then each run's starts are copied + 0 for the sort, as the comparison sort held −0 and
  // +0 equal); written in the loop, not after it (a store after a long loop bailed out of its OSR code).
  const seen = new Uint8Array(1);
  const resourceCount = resourceCountOf(resource, startMs, endMs, seen);
  if (resourceCount < 0) return null;
  const runStart = new Int32Array(resourceCount + 1);
  countRuns(resource, runStart);
  prefixSumsInPlace(runStart);
  const m = runStart[resourceCount];
  const order = int32Column(m, shared);
  const start = float64Column(m, shared);
  const end = float64Column(m, shared);
  const enabled = float64Column(m, shared);
  let batchActivity = estimated === undefined ? null : new Int32Array(m);
  const groupAt = groupOf === undefined ? null : new Int32Array(m);
  // Each resource's longest instance, ms, found as its instances are scattered (0 when none is longer).
  const longestMs = new Float64Array(resourceCount);
  const columns: ScatteredColumns = { order, start, end, enabled, longestMs };
  scatterByResource(resource, startMs, endMs, enabledMs, runStart.slice(0, resourceCount), columns);
  // The two code columns by a scatter of their own each (the instance columns read in order, one write stream per
  // resource), not gathered through `order` (a read out of instance order per position: ≈ 55 ms at 5 M events).
  if (groupAt !== null && groupOf !== undefined) scatterInt32(resource, groupOf.subarray(0, count), runStart.slice(0, resourceCount), groupAt);
  // A candidate without an activity code: the batches take their own sort (which orders code −1 first).
  if (batchActivity !== null && estimated !== undefined && !scatterBatchActivity(resource, estimated, activity, runStart.slice(0, resourceCount), batchActivity)) batchActivity = null;
  // The runs' sorts (each run is one resource's): at once, or range by range of resource codes (the wait chain's
  // per-resource pass, src/vsm/wait-partitions.ts; the scatter before it is the exchange from case order to resource
  // order, what a partitioned producer hands out sorted).
  if (resourceRanges === undefined) sortRuns(runStart, columns, batchActivity, groupAt, seen[0] === 1);
  else for (const range of resourceRanges) sortRuns(runStart, columns, batchActivity, groupAt, seen[0] === 1, range);
  const positionOf = new Int32Array(count).fill(-1);
  invertOrder(order, positionOf);
  const looseStart = new Float64Array(count - m);
  const looseEnabled = new Float64Array(count - m);
  copyLoose(positionOf, startMs, looseStart);
  copyLoose(positionOf, enabledMs, looseEnabled);
  return { order, positionOf, runStart, start, end, enabled, looseStart, looseEnabled, longestMs, batchActivity, groupAt };
}

/** The columns by position the scatter writes and the runs' sort permutes. */
interface ScatteredColumns {
  order: Int32Array;
  start: Float64Array;
  end: Float64Array;
  enabled: Float64Array;
  longestMs: Float64Array;
}

/**
 * 1 + the greatest resource code (0 when none), or −1 when an instance with a resource has a NaN start or end;
 * negativeZero[0] = 1 when such an instance starts at −0.
 */
function resourceCountOf(resource: Int32Array, startMs: Float64Array, endMs: Float64Array, negativeZero: Uint8Array): number {
  let resourceCount = 0;
  for (let k = 0; k < resource.length; k++) {
    const r = resource[k];
    if (r === MISSING_CODE) continue;
    const startAtMs = startMs[k];
    if (Number.isNaN(startAtMs) || Number.isNaN(endMs[k])) return -1;
    if (startAtMs === 0 && 1 / startAtMs < 0) negativeZero[0] = 1;
    if (r + 1 > resourceCount) resourceCount = r + 1;
  }
  return resourceCount;
}

/**
 * runStart[r + 1] = the instances of code r (runStart zeroed, one longer than the codes); prefixSumsInPlace then makes them
 * the instances of codes ≤ r. Two leaves: as one function, the code compiled on the fly for the count's loop bailed
 * out at the next statement (no type feedback yet), once a run.
 */
function countRuns(resource: Int32Array, runStart: Int32Array): void {
  for (let k = 0; k < resource.length; k++) if (resource[k] !== MISSING_CODE) runStart[resource[k] + 1]++;
}

/** Each instance with a resource to the next position of its run (`cursor`: each run's next position). */
function scatterByResource(resource: Int32Array, startMs: Float64Array, endMs: Float64Array, enabledMs: Float64Array, cursor: Int32Array, into: ScatteredColumns): void {
  const { order, start, end, enabled, longestMs } = into;
  for (let k = 0; k < resource.length; k++) {
    const r = resource[k];
    if (r === MISSING_CODE) continue;
    const n = cursor[r]++;
    order[n] = k;
    start[n] = startMs[k];
    end[n] = endMs[k];
    enabled[n] = enabledMs[k];
    const durationMs = endMs[k] - startMs[k];
    if (durationMs > longestMs[r]) longestMs[r] = durationMs;
  }
}

/** Each instance's value with a resource to the next position of its run (`cursor`: each run's next position). */
function scatterInt32(resource: Int32Array, byInstance: Int32Array, cursor: Int32Array, column: Int32Array): void {
  for (let k = 0; k < resource.length; k++) {
    const r = resource[k];
    if (r === MISSING_CODE) continue;
    column[cursor[r]++] = byInstance[k];
  }
}

/**
 * The batches' activity column by position (−1 for an estimated start), scattered as scatterInt32; false when a
 * candidate has no activity code.
 */
function scatterBatchActivity(resource: Int32Array, estimated: Uint8Array, activity: Int32Array, cursor: Int32Array, batchActivity: Int32Array): boolean {
  let withoutActivity = false;
  for (let k = 0; k < resource.length; k++) {
    const r = resource[k];
    if (r === MISSING_CODE) continue;
    const code = estimated[k] === 0 ? activity[k] : -1;
    batchActivity[cursor[r]++] = code;
    if (estimated[k] === 0 && code < 0) withoutActivity = true;
  }
  return !withoutActivity;
}

/** The longest run's length. */
function longestRun(runStart: Int32Array, firstRun: number, endRun: number): number {
  let longest = 0;
  for (let r = firstRun; r < endRun; r++) longest = Math.max(longest, runStart[r + 1] - runStart[r]);
  return longest;
}

/** Each resource's run by start (stable), the columns permuted alike. */
function sortRuns(runStart: Int32Array, columns: ScatteredColumns, batchActivity: Int32Array | null, groupAt: Int32Array | null, negativeZero: boolean, codes?: ResourceRange): void {
  const { order, start, end, enabled } = columns;
  const runs = runStart.length - 1;
  const firstRun = codes === undefined ? 0 : Math.min(codes.start, runs);
  const endRun = codes === undefined ? runs : Math.min(codes.end, runs);
  // The runs' scratch, sized once by the longest run (allocated per run, the dead copies piled up until a GC and
  // in the malloc heap: issue 14, peak memory).
  const longest = longestRun(runStart, firstRun, endRun);
  // The starts' copy only when a start is −0 (else the sort reads the run's starts in place).
  const startsScratch = new Float64Array(negativeZero ? longest : 0);
  const runScratch = new Float64Array(longest);
  const codeScratch = new Int32Array(longest);
  const sortScratch = { index: new Int32Array(longest), counts: new Int32Array(spreadCountsLength(longest)) };
  for (let r = firstRun; r < endRun; r++) {
    const from = runStart[r];
    const length = runStart[r + 1] - from;
    // Already in start order (a read that stops at the first descent: at once, on a run in case order): no sort.
    if (length < 2 || isAscendingRun(start, from, from + length)) continue;
    // A stable radix argsort of the run's starts: read in place, or, when some start is −0, copied + 0 (−0 as +0:
    // the comparison sort held them equal).
    const starts = negativeZero ? startsScratch.subarray(0, length) : start.subarray(from, from + length);
    const seen = negativeZero ? copyStarts(start, from, starts) : 0;
    // Spread whole-ms starts by one bucket pass, else the radix argsort (the same order either way). The spread
    // sort hands the starts back in order: the start column takes them as they are, unless a −0 (kept in the column)
    // was read as +0 for the sort.
    const spread = argsortSpread(starts, runScratch, sortScratch);
    const byStart = spread ?? argsortFloat64(starts);
    permuteInt32Run(order, from, byStart, codeScratch);
    if (spread !== null && (seen & NEGATIVE_ZERO) === 0) start.set(runScratch.subarray(0, length), from);
    else permuteFloat64Run(start, from, byStart, runScratch);
    permuteFloat64Run(end, from, byStart, runScratch);
    permuteFloat64Run(enabled, from, byStart, runScratch);
    if (batchActivity !== null) permuteInt32Run(batchActivity, from, byStart, codeScratch);
    if (groupAt !== null) permuteInt32Run(groupAt, from, byStart, codeScratch);
  }
}

const NEGATIVE_ZERO = 2;

/** Whether start[from … to) ascends (equal neighbours allowed: the stable sort keeps them). */
function isAscendingRun(start: Float64Array, from: number, to: number): boolean {
  for (let n = from + 1; n < to; n++) if (start[n] < start[n - 1]) return false;
  return true;
}

/** starts[i] = start[from + i] + 0; NEGATIVE_ZERO when one read −0. */
function copyStarts(start: Float64Array, from: number, starts: Float64Array): number {
  let seen = 0;
  for (let i = 0; i < starts.length; i++) {
    const startMs = start[from + i];
    if (startMs === 0 && 1 / startMs < 0) seen |= NEGATIVE_ZERO;
    starts[i] = startMs + 0;
  }
  return seen;
}

/** positionOf[order[n]] = n. */
function invertOrder(order: Int32Array, positionOf: Int32Array): void {
  for (let n = 0; n < order.length; n++) positionOf[order[n]] = n;
}

/** The values of the instances without a position, in instance order, into `loose` (their count long). */
function copyLoose(positionOf: Int32Array, values: Float64Array, loose: Float64Array): void {
  for (let k = 0, n = 0; k < positionOf.length && n < loose.length; k++) {
    if (positionOf[k] >= 0) continue;
    loose[n++] = values[k];
  }
}

/**
 * column[from + i] = old column[from + permutation[i]] for the run's positions (`scratch`: at least the run's
 * length). One function per element type: one generic function, compiled for one type, was thrown away at the first
 * call with the other (1–2 times a 1 M run).
 */
function permuteFloat64Run(column: Float64Array, from: number, permutation: Int32Array, scratch: Float64Array): void {
  const run = scratch.subarray(0, permutation.length);
  run.set(column.subarray(from, from + permutation.length));
  for (let i = 0; i < permutation.length; i++) column[from + i] = run[permutation[i]];
}

/** permuteFloat64Run for an Int32Array column. */
function permuteInt32Run(column: Int32Array, from: number, permutation: Int32Array, scratch: Int32Array): void {
  const run = scratch.subarray(0, permutation.length);
  run.set(column.subarray(from, from + permutation.length));
  for (let i = 0; i < permutation.length; i++) column[from + i] = run[permutation[i]];
}
