/**
 * Why each instance waited (docs/wait-causes.md "Wait causes"), after Lashkevich, Milani, Chapela-Campa,
 * Suvorau & Dumas, "Why am I waiting?" (CAiSE 2023). The wait of an instance is [enabled, start); each instant
 * of it gets exactly one cause, in this precedence:
 *   1. batching       — before the instance's batch was ready (its last member enabled);
 *   2. contention     — its resource was working on another instance enabled no later than this one;
 *   3. prioritization — its resource was working on an instance enabled *after* this one;
 *   4. unavailability — its resource was off its working calendar;
 *   5. extraneous     — nothing in the data explains it.
 * "Enabled" for 2–3 is the instance's own enabled time for other members of its batch, else when its batch was
 * ready (an instance cannot be overtaken before it could start). The five parts are ms of elapsed time and sum
 * exactly to start − enabled; each is ≥ 0.
 * Waits outside batches are answered exactly (a sweep per resource, no cap). Batch members' waits are scanned
 * instance by instance over at most MAX_OVERLAP_SCAN earlier instances of the resource; overlaps past that count
 * as extraneous, and `scanCapped` counts those waits.
 */
import type { BusinessCalendar } from '../calendar/business-calendar.js';
import { MISSING_CODE } from '../model/dictionary.js';
import type { ActivityInstances } from '../traces/activity-instances.js';
import type { ResourceRange } from '../traces/start-estimation.js';
import type { Batches } from './batches.js';
import { CoverSet, type CoverSetColumns } from './cover-set.js';
import { argsortFloat64 } from './radix-sort.js';
import { argsortSpread, spreadCountsLength, type SpreadScratch } from './spread-argsort.js';
import { buildResourceOrder, type ResourceOrder } from './resource-order.js';
import { uint8Column } from './shared-columns.js';

export const WAIT_CAUSES = ['batching', 'contention', 'prioritization', 'unavailability', 'extraneous'] as const;
export type WaitCause = (typeof WAIT_CAUSES)[number];

export interface WaitCauseColumns {
  /** start − enabled, ms (0 when the start is not after the enabled time). */
  readonly waitMs: Float64Array;
  /** Per cause, ms: WAIT_CAUSES order. */
  readonly causeMs: Record<WaitCause, Float64Array>;
  /** Scanned waits (batch members) whose overlap scan hit MAX_OVERLAP_SCAN (later overlaps count as extraneous). */
  readonly scanCapped: number;
}

export interface WaitCauseInputs {
  readonly instances: ActivityInstances;
  readonly startMs: Float64Array;
  readonly enabledMs: Float64Array;
  readonly batches: Batches;
  readonly calendarOf: (resourceCode: number) => BusinessCalendar | undefined;
  /** Cap of the overlap scan of batch members' waits (default MAX_OVERLAP_SCAN; tests lower it). */
  readonly maxOverlapScan?: number;
  /** The order of the batches' call when built before them (null: it could not be built); built here when absent. */
  readonly ordered?: ResourceOrder | null;
  /** Progress of the sweep: resources begun of those with waits to sweep (throttled by the caller). */
  readonly onProgress?: (done: number, total: number) => void;
  /** The sweep plan's columns in SharedArrayBuffers (for `sweepRuns` on worker threads). */
  readonly shared?: boolean;
  /**
   * Sweeps the plan's runs instead of this thread in resource order (wait-sweep-threads.ts): puts every answer into
   * the sink, sets `done`, and returns false when a run could not be swept exactly (as RunSweeper.sweep).
   */
  readonly sweepRuns?: (ordered: ResourceOrder, plan: SweepPlan) => boolean;
  /**
   * The plan, the sweep and the scan range by range of resource codes (the wait chain's per-resource pass,
   * src/vsm/wait-partitions.ts), the instances without a resource last (as the range [−1, 0)); every part is per
   * instance or per resource and goes to the sink (sums exact in any order when they are whole ms, which the summer
   * checks; the columns are per instance), scanCapped summed; the plan's "every time a whole ms" an AND over the
   * ranges. With `sweepRuns` the sweep stays whole (the worker splits the runs itself). Absent: one pass, as before.
   */
  readonly resourceRanges?: readonly ResourceRange[];
  /**
   * With resourceRanges: the sink of range p (p = resourceRanges.length: the instances without a resource) instead of
   * the one given, e.g. one partial sum per range, added up by the caller (exact in any order: whole ms, checked).
   */
  readonly rangeSinks?: readonly WaitCauseSink[];
}

/** Receives each waiting instance's wait and its five parts (ms, WAIT_CAUSES order), once per instance. */
export interface WaitCauseSink {
  put(k: number, waitMs: number, batching: number, contention: number, prioritization: number, unavailability: number, extraneous: number): void;
  /** As put, for a sink that sums by group: the instance's group given (the resource order's groupAt), not its index. */
  putGroup?(group: number, waitMs: number, batching: number, contention: number, prioritization: number, unavailability: number, extraneous: number): void;
}

/** The sink that stores the parts as columns (instances that do not wait keep 0). */
class ColumnSink implements WaitCauseSink {
  readonly waitMs: Float64Array;
  readonly causeMs: Record<WaitCause, Float64Array>;
  constructor(count: number) {
    this.waitMs = new Float64Array(count);
    this.causeMs = Object.fromEntries(WAIT_CAUSES.map((cause) => [cause, new Float64Array(count)])) as Record<WaitCause, Float64Array>;
  }
  put(k: number, waitMs: number, batching: number, contention: number, prioritization: number, unavailability: number, extraneous: number): void {
    this.waitMs[k] = waitMs;
    this.causeMs.batching[k] = batching;
    this.causeMs.contention[k] = contention;
    this.causeMs.prioritization[k] = prioritization;
    this.causeMs.unavailability[k] = unavailability;
    this.causeMs.extraneous[k] = extraneous;
  }
}

/**
 * Other instances of one resource looked at per scanned wait: the waits of batch members (and every wait in the
 * fallback for times that are not whole ms, which the readers do not produce). Other waits are swept, uncapped.
 */
export const MAX_OVERLAP_SCAN = 20_000;

/** Sorted, disjoint union of [from, to) intervals given as flat pairs. */
function unionOf(pairs: number[]): number[] {
  const order: number[] = [];
  for (let k = 0; k < pairs.length; k += 2) order.push(k);
  order.sort((a, b) => pairs[a] - pairs[b]);
  const merged: number[] = [];
  for (const k of order) {
    const from = pairs[k];
    const to = pairs[k + 1];
    if (merged.length > 0 && from <= merged[merged.length - 1]) merged[merged.length - 1] = Math.max(merged[merged.length - 1], to);
    else merged.push(from, to);
  }
  return merged;
}

/** ms of [fromMs, toMs) covered by a sorted disjoint union. */
function coveredMs(union: number[], fromMs: number, toMs: number): number {
  let total = 0;
  for (let k = 0; k < union.length; k += 2) total += Math.max(0, Math.min(toMs, union[k + 1]) - Math.max(fromMs, union[k]));
  return total;
}

/** [fromMs, toMs) minus a sorted disjoint union, as flat pairs. */
function minus(fromMs: number, toMs: number, union: number[]): number[] {
  const rest: number[] = [];
  let cursor = fromMs;
  for (let k = 0; k < union.length && cursor < toMs; k += 2) {
    if (union[k + 1] <= cursor) continue;
    if (union[k] >= toMs) break;
    if (union[k] > cursor) rest.push(cursor, union[k]);
    cursor = Math.max(cursor, union[k + 1]);
  }
  if (cursor < toMs) rest.push(cursor, toMs);
  return rest;
}

/**
 * Union of intervals pushed as flat pairs in non-increasing `from` order (the backward scan below pushes them
 * so): the same sorted, disjoint union as unionOf, without the sort.
 */
function unionOfDescending(pairs: Float64Array, length: number): number[] {
  const merged: number[] = [];
  for (let k = length - 2; k >= 0; k -= 2) {
    const from = pairs[k];
    const to = pairs[k + 1];
    if (merged.length > 0 && from <= merged[merged.length - 1]) merged[merged.length - 1] = Math.max(merged[merged.length - 1], to);
    else merged.push(from, to);
  }
  return merged;
}

/** Positions per block of the block-maximum index that lets the backward scan skip instances ended long ago. */
const BLOCK_SHIFT = 4;
/** Positions per super-block (256): a long scan over positions mostly ended long ago skips them whole. */
const SUPER_BLOCK_SHIFT = 8;

/**
 * What bounds the backward scan exactly, for one resource's run: the latest end among all earlier positions of the
 * run (prefix maximum, by run offset) and per block of 16 and 256 positions (by block number from the run's first
 * block). Built only for a run with a scanned wait (after the sweep, so its columns are not alive with the sweep's):
 * on a log with few batch members, a few runs, not every position. A block the run shares with another run holds
 * this run's ends only; the scan reads a block's maximum only when the whole block lies inside its range, within
 * the run.
 */
interface ScanBounds {
  readonly runStart: number;
  /** The run's first block and super-block numbers: blockMaxEnd[b − firstBlock] is block b's. */
  readonly firstBlock: number;
  readonly firstSuperBlock: number;
  readonly prefixMaxEnd: Float64Array;
  readonly blockMaxEnd: Float64Array;
  readonly superBlockMaxEnd: Float64Array;
}

function scanBounds(ordered: ResourceOrder, r: number): ScanBounds {
  const { end } = ordered;
  const runStart = ordered.runStart[r];
  const runEnd = ordered.runStart[r + 1];
  const prefixMaxEnd = new Float64Array(runEnd - runStart);
  const firstBlock = runStart >> BLOCK_SHIFT;
  const firstSuperBlock = runStart >> SUPER_BLOCK_SHIFT;
  const blockMaxEnd = new Float64Array(runEnd > runStart ? ((runEnd - 1) >> BLOCK_SHIFT) - firstBlock + 1 : 0).fill(-Infinity);
  const superBlockMaxEnd = new Float64Array(runEnd > runStart ? ((runEnd - 1) >> SUPER_BLOCK_SHIFT) - firstSuperBlock + 1 : 0).fill(-Infinity);
  fillScanBounds(end, runStart, runEnd, firstBlock, firstSuperBlock, prefixMaxEnd, blockMaxEnd, superBlockMaxEnd);
  return { runStart, firstBlock, firstSuperBlock, prefixMaxEnd, blockMaxEnd, superBlockMaxEnd };
}

/** scanBounds' loop, alone in its function (V8 compiles it on entry into the loop: the object after it bailed out). */
function fillScanBounds(end: Float64Array, runStart: number, runEnd: number, firstBlock: number, firstSuperBlock: number, prefixMaxEnd: Float64Array, blockMaxEnd: Float64Array, superBlockMaxEnd: Float64Array): void {
  for (let n = runStart; n < runEnd; n++) {
    prefixMaxEnd[n - runStart] = n > runStart ? Math.max(prefixMaxEnd[n - runStart - 1], end[n]) : end[n];
    const block = (n >> BLOCK_SHIFT) - firstBlock;
    blockMaxEnd[block] = Math.max(blockMaxEnd[block], end[n]);
    const superBlock = (n >> SUPER_BLOCK_SHIFT) - firstSuperBlock;
    superBlockMaxEnd[superBlock] = Math.max(superBlockMaxEnd[superBlock], end[n]);
  }
}

/**
 * Splits every instance's wait into the five causes.
 * @example computeWaitCauses({ instances, startMs, enabledMs, batches, calendarOf: () => undefined }).causeMs.contention
 */
export function computeWaitCauses(inputs: WaitCauseInputs): WaitCauseColumns {
  const ordered = inputs.ordered !== undefined ? inputs.ordered : buildResourceOrder(inputs.instances, inputs.startMs, inputs.enabledMs);
  if (ordered === null) return computeWaitCausesPlain(inputs, { capOutsideBatches: true });
  const sink = new ColumnSink(inputs.instances.count);
  const done = sweepWaitCauses(inputs, ordered, sink);
  const scanCapped = scanByResource(inputs, ordered, sink, done ?? undefined);
  return { waitMs: sink.waitMs, causeMs: sink.causeMs, scanCapped };
}

/**
 * The same parts as computeWaitCauses, handed to `sink` as they are found (in no particular instance order) instead
 * of stored in six columns — for callers that only sum them. Null, having perhaps put some already, when the sweep
 * cannot run (a start or end missing, a time not a whole ms): then use computeWaitCauses.
 */
export function streamWaitCauses(inputs: WaitCauseInputs, sink: WaitCauseSink): { scanCapped: number } | null {
  const ordered = inputs.ordered !== undefined ? inputs.ordered : buildResourceOrder(inputs.instances, inputs.startMs, inputs.enabledMs);
  if (ordered === null) return null;
  const done = sweepWaitCauses(inputs, ordered, sink);
  if (done === null) return null;
  return { scanCapped: scanByResource(inputs, ordered, sink, done) };
}

/** The instances without a resource, as a range of codes (MISSING_CODE is −1). */
const NO_RESOURCE: ResourceRange = { start: MISSING_CODE, end: MISSING_CODE + 1 };

/** computeWaitCausesIndexed, once or range by range (inputs.resourceRanges, then the instances without a resource). */
function scanByResource(inputs: WaitCauseInputs, ordered: ResourceOrder, sink: WaitCauseSink, done: Uint8Array | undefined): number {
  const ranges = inputs.resourceRanges;
  if (ranges === undefined) return computeWaitCausesIndexed(inputs, ordered, sink, done);
  let scanCapped = 0;
  const parts = [...ranges, NO_RESOURCE];
  for (let p = 0; p < parts.length; p++) scanCapped += computeWaitCausesIndexed(inputs, ordered, inputs.rangeSinks?.[p] ?? sink, done, parts[p]);
  return scanCapped;
}

/** A safe integer: sums and differences of such ms values are exact in any order. */
const isExactMs = (value: number): boolean => Number.isSafeInteger(value) && Math.abs(value) < 2 ** 51;

/**
 The five parts of the definition, uncapped, for every instance outside batches, by a sweep per resource
 * instead of one scan per instance (the scan costs the number of the resource's instances overlapping each
 * wait, which grows with the log's density; capped at MAX_OVERLAP_SCAN it still grew superlinearly past 5 M
 * events, and the cap turned the overlaps it left out into unavailability and extraneous time).
 * For such an instance the uncapped scan's intervals are, within its wait W = [enabled, start), exactly the
 * resource's instances (any others add nothing inside W), and it splits them by enabled ≤ its own enabled time. So:
 *   contention     = |C ∩ W|, C the union of the resource's instances enabled no later — a cover set
 *                    filled in enabled order while the waits are visited in enabled order;
 *   prioritization = |U ∩ W| − contention, U the union of all the resource's instances (prefix sums);
 *   unavailability = Σ over the gaps of U inside W of (length − calendar time): the gaps between pieces of U
 *                    are the scan's free pieces, their calendar times summed once (prefix sums).
 * Every value is an integer ms (checked; otherwise null and the scan does all), so each sum is exact in any
 * order and the result is bit-identical to the uncapped scan's (computeWaitCausesPlain). Puts each into `sink` and
 * returns the instances the scan skips (1: computed here, or not waiting), or null (then the scan must do every wait).
 */
function sweepWaitCauses(inputs: WaitCauseInputs, ordered: ResourceOrder, sink: WaitCauseSink): Uint8Array | null {
  // The order's columns only (not the instances' start, end and enabled columns, which a caller may have let go).
  const plan = planSweep(ordered, inputs.batches.batchId, inputs.instances.count, inputs.shared === true, inputs.resourceRanges);
  if (plan === null) return null;
  const ranges = inputs.resourceRanges;
  const progress = { swept: 0 };
  const complete = inputs.sweepRuns
    ? inputs.sweepRuns(ordered, plan)
    : ranges === undefined
      ? sweepRunsInOrder(ordered, plan, inputs.calendarOf, sink, inputs.onProgress)
      : ranges.every((range, p) => sweepRunsInOrder(ordered, plan, inputs.calendarOf, inputs.rangeSinks?.[p] ?? sink, inputs.onProgress, range, progress));
  return complete ? plan.done : null;
}

/** The columns of the resource order the sweep reads (a worker thread gets these only). */
export type SweptColumns = Pick<ResourceOrder, 'order' | 'runStart' | 'start' | 'end' | 'enabled'> & { readonly groupAt?: Int32Array | null };

/** What the sweep answers, decided before any run is swept (planSweep). */
export interface SweepPlan {
  /** By position: 1 for a wait the sweep answers (outside batches). */
  readonly isQuery: Uint8Array;
  /** By resource code: its waits to sweep. */
  readonly queriesOf: Int32Array;
  /** By instance: 1 when not waiting or answered by the sweep (the scan skips it); the runs' sweeps write it. */
  readonly done: Uint8Array;
  /** Resources with a wait to sweep. */
  readonly toSweep: number;
  /** The longest run with a wait to sweep (the sweep's scratch is sized by it). */
  readonly longestRun: number;
}

/**
 * The waits the sweep answers and the instances that do not wait, or null when a time is not a whole ms (then the
 * scan does every wait). With `shared`, isQuery and done live in SharedArrayBuffers (a worker sweeps runs too).
 */
export function planSweep(ordered: SweptColumns & Pick<ResourceOrder, 'positionOf'>, batchId: Int32Array, count: number, shared = false, resourceRanges?: readonly ResourceRange[]): SweepPlan | null {
  const { order, positionOf, runStart: runStartOf } = ordered;
  const m = order.length;
  const done = uint8Column(count, shared);
  // The waits to sweep: flagged by position, counted per resource (their instances' runs in `order`); in the same
  // pass, every positioned instance's times checked (one not a whole ms: no plan, the columns are dropped). Each long
  // loop is a function of its own (a leaf), so the code compiled for it on entry (OSR) is not thrown away at the
  // next one (issue 14, warm-up at 1 M).
  const isQuery = uint8Column(m, shared);
  const queriesOf = new Int32Array(runStartOf.length);
  // Every time a whole number here, the least and greatest (NaN enabled times left out) checked against ±2^51 after
  // the loop: isExactMs of each, with two comparisons a time fewer.
  const range = new Float64Array(2);
  if (resourceRanges === undefined) {
    if (!flagQueries(ordered, done, isQuery, queriesOf, range)) return null;
    if (m > 0 && !(range[0] > -(2 ** 51) && range[1] < 2 ** 51)) return null;
    unflagBatchMembers(batchId, count, positionOf, runStartOf, isQuery, queriesOf);
  } else if (!planRanges(ordered, batchId, count, resourceRanges, { done, isQuery, queriesOf })) return null;
  let toSweep = 0;
  let longestRun = 0;
  for (let r = 0; r < queriesOf.length; r++) {
    if (queriesOf[r] === 0) continue;
    toSweep++;
    longestRun = Math.max(longestRun, runStartOf[r + 1] - runStartOf[r]);
  }
  return { isQuery, queriesOf, done, toSweep, longestRun };
}

/**
 * planSweep's passes range by range of resource codes (each range's positions, then its batch members), merged: the
 * flags are by position and instance, the counts by resource; "every time a whole ms" is an AND over the ranges, the
 * least and greatest time a min and a max. False where planSweep returns null.
 */
function planRanges(
  ordered: SweptColumns & Pick<ResourceOrder, 'positionOf'>,
  batchId: Int32Array,
  count: number,
  resourceRanges: readonly ResourceRange[],
  flags: { done: Uint8Array; isQuery: Uint8Array; queriesOf: Int32Array },
): boolean {
  const { runStart: runStartOf, positionOf } = ordered;
  const runs = runStartOf.length - 1;
  let lowMs = Infinity;
  let highMs = -Infinity;
  for (const codes of resourceRanges) {
    const firstRun = Math.min(codes.start, runs);
    const endRun = Math.min(codes.end, runs);
    const range = new Float64Array(2);
    if (!flagQueries(ordered, flags.done, flags.isQuery, flags.queriesOf, range, runStartOf[firstRun], runStartOf[endRun], firstRun)) return false;
    if (runStartOf[endRun] > runStartOf[firstRun]) {
      lowMs = Math.min(lowMs, range[0]);
      highMs = Math.max(highMs, range[1]);
    }
  }
  if (ordered.order.length > 0 && !(lowMs > -(2 ** 51) && highMs < 2 ** 51)) return false;
  for (const codes of resourceRanges) {
    const from = runStartOf[Math.min(codes.start, runs)];
    const to = runStartOf[Math.min(codes.end, runs)];
    unflagBatchMembers(batchId, count, positionOf, runStartOf, flags.isQuery, flags.queriesOf, from, to);
  }
  return true;
}

/**
 * planSweep's first pass: each position with a wait flagged in isQuery and counted for its run, each without one
 * marked done; the least and greatest time into range[0] and range[1]. False when a time is not a whole number.
 */
function flagQueries(ordered: SweptColumns, done: Uint8Array, isQuery: Uint8Array, queriesOf: Int32Array, range: Float64Array, from = 0, to = ordered.order.length, firstRun = 0): boolean {
  const { order, runStart: runStartOf, start, end, enabled: runEnabled } = ordered;
  let lowMs = Infinity;
  let highMs = -Infinity;
  // One loop over the positions, the run followed along (a loop per run left code after the first run's loop, run
  // before it had type feedback, in the code compiled during that loop: it bailed out there, at 1 M after one run).
  // The step to the next run is an addition made at every position (of 0 inside a run): a step taken only at a run's
  // end had no type feedback when the loop was compiled during the first run, and that code bailed out at the second
  // run, whose positions then ran unoptimised (taking the step once at the first position is not enough: V8 gives a
  // function its feedback only after it has run a little).
  for (let n = from, r = firstRun; n < to; n++) {
    for (;;) {
      const step = n >= runStartOf[r + 1] ? 1 : 0;
      r += step;
      if (step === 0) break;
    }
    const fromMs = runEnabled[n];
    const toMs = start[n];
    const endMs = end[n];
    if (toMs !== Math.floor(toMs) || endMs !== Math.floor(endMs) || (fromMs !== Math.floor(fromMs) && !Number.isNaN(fromMs))) return false;
    lowMs = Math.min(lowMs, toMs, endMs);
    highMs = Math.max(highMs, toMs, endMs);
    if (fromMs < lowMs) lowMs = fromMs;
    if (fromMs > highMs) highMs = fromMs;
    // No wait: nothing to put, and the scan need not read its times (by position, out of instance order).
    if (!(toMs > fromMs)) {
      done[order[n]] = 1;
      continue;
    }
    isQuery[n] = 1;
    queriesOf[r]++;
  }
  range[0] = lowMs;
  range[1] = highMs;
  return true;
}

/**
 * Batch members' waits are scanned, not swept: found in instance order (batchId read in order, not gathered by
 * position: one cache miss per position), the resource of a position by its run.
 */
function unflagBatchMembers(batchId: Int32Array, count: number, positionOf: Int32Array, runStartOf: Int32Array, isQuery: Uint8Array, queriesOf: Int32Array, from = 0, to = isQuery.length): void {
  for (let k = 0; k < count; k++) {
    if (batchId[k] < 0) continue;
    const n = positionOf[k];
    if (n < from || n >= to || isQuery[n] === 0) continue;
    isQuery[n] = 0;
    queriesOf[runOf(runStartOf, n)]--;
  }
}

/** The run (resource code) holding position n: the last r with runStart[r] ≤ n (empty runs skipped). */
function runOf(runStart: Int32Array, n: number): number {
  let low = 0;
  let high = runStart.length - 2;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (runStart[middle] <= n) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** Every run with a wait to sweep, by resource code, on this thread; false when one could not be swept exactly. */
function sweepRunsInOrder(
  ordered: SweptColumns,
  plan: SweepPlan,
  calendarOf: WaitCauseInputs['calendarOf'],
  sink: WaitCauseSink,
  onProgress: WaitCauseInputs['onProgress'],
  codes?: ResourceRange,
  progress = { swept: 0 },
): boolean {
  const sweeper = new RunSweeper(ordered, plan, plan.longestRun);
  const firstRun = codes === undefined ? 0 : Math.min(codes.start, plan.queriesOf.length);
  const endRun = codes === undefined ? plan.queriesOf.length : Math.min(codes.end, plan.queriesOf.length);
  for (let r = firstRun; r < endRun; r++) {
    if (plan.queriesOf[r] === 0) continue;
    onProgress?.(++progress.swept, plan.toSweep);
    if (!sweeper.sweep(r, calendarOf(r), sink)) return false;
  }
  return true;
}

/**
 * Where a RunSweeper's columns come from: new ones, or views carved in turn out of one buffer that another thread
 * allocated (the worker's scratch is then in the main thread's malloc heap, which the main thread reuses after the
 * sweep, not in the worker thread's arena, which would stay resident: issue 14, peak memory).
 */
class ColumnSource {
  private offset = 0;
  /** @param buffer carve from it; absent: allocate, or only count the bytes (`countOnly`). */
  constructor(
    private readonly buffer?: SharedArrayBuffer,
    private readonly countOnly = false,
  ) {}
  get bytes(): number {
    return this.offset;
  }
  private carve(bytes: number): number {
    const at = this.offset;
    this.offset += Math.ceil(bytes / 8) * 8;
    if (this.buffer && this.offset > this.buffer.byteLength) throw new Error('RunSweeper: the scratch buffer is too small');
    return at;
  }
  float64(length: number): Float64Array {
    const at = this.carve(8 * length);
    return this.buffer ? new Float64Array(this.buffer, at, length) : new Float64Array(this.countOnly ? 0 : length);
  }
  int32(length: number): Int32Array {
    const at = this.carve(4 * length);
    return this.buffer ? new Int32Array(this.buffer, at, length) : new Int32Array(this.countOnly ? 0 : length);
  }
  uint8(length: number): Uint8Array {
    const at = this.carve(length);
    return this.buffer ? new Uint8Array(this.buffer, at, length) : new Uint8Array(this.countOnly ? 0 : length);
  }
}

/** A RunSweeper's columns for runs of up to `longestRun` positions, from `source`. */
function sweeperColumns(longestRun: number, source: ColumnSource) {
  return { answered: source.uint8(longestRun), answers: source.float64(3 * longestRun), scratch: new SweepScratch(longestRun, source) };
}

/** Bytes of the buffer a RunSweeper for runs of up to `longestRun` positions carves its columns from (≈ 145 B a position, the sorts' scratch included). */
export function sweepScratchBytes(longestRun: number): number {
  const counter = new ColumnSource(undefined, true);
  sweeperColumns(longestRun, counter);
  return counter.bytes;
}

/**
 * Sweeps one resource's run at a time (the runs are independent: each reads its own positions and writes `done`
 * of its own instances only, so two threads may sweep different runs of the same plan at once).
 */
export class RunSweeper {
  // Each resource's answers by run position, put after its queries in position order: the instance indices then
  // mostly ascend (cases are numbered in time order), so the sink's per-instance reads are near-sequential instead
  // of one cache miss per wait (enabled order); a sink that sums by group (putGroup) gets the group by position from
  // the order's groupAt, read in order. Sums of whole ms: the order does not change them. Three values a
  // position (contention, prioritization, unavailability): the wait and the extraneous rest follow from its times.
  private readonly answered: Uint8Array;
  private readonly answers: Float64Array;
  // Every per-run column, sized once by the longest run and viewed per run (issue 14, peak memory: allocated per
  // run, the dead columns of the runs before piled up until a GC and in the malloc heap, ≈ 100 MB at 5 M events).
  private readonly scratch: SweepScratch;

  constructor(
    private readonly ordered: SweptColumns,
    private readonly plan: Pick<SweepPlan, 'isQuery' | 'done'>,
    longestRun: number,
    /** Carve the columns out of this buffer (sweepScratchBytes(longestRun) long) instead of allocating them. */
    memory?: SharedArrayBuffer,
  ) {
    const columns = sweeperColumns(longestRun, new ColumnSource(memory));
    this.answered = columns.answered;
    this.answers = columns.answers;
    this.scratch = columns.scratch;
  }

  /** Resource r's waits into `sink`; false when a calendar time between its pieces is not a whole ms (then the scan must do every wait). */
  sweep(r: number, calendar: Pick<BusinessCalendar, 'durationMs'> | undefined, sink: WaitCauseSink): boolean {
    // Each pass over the run is a function of its own: a run is swept once, each pass a long loop, so V8 optimizes the
    // passes as functions; as one method its loops were compiled on entry (OSR) before the later loops had run, and
    // the cached code bailed out at the next loop on every run (60 deopts in one analysis at 5 M events).
    const { runStart: runStartOf, start, end, enabled: runEnabled } = this.ordered;
    const { isQuery } = this.plan;
    const { answered, answers, scratch } = this;
    const runStart = runStartOf[r];
    const runEnd = runStartOf[r + 1];
    // U: the union of the resource's instances (touching ones merged, as unionOf does), with prefix sums.
    const pieces = unionPieces(start, end, runStart, runEnd, scratch.fromRoom, scratch.toRoom);
    const pieceFrom = scratch.fromRoom.subarray(0, pieces);
    const pieceTo = scratch.toRoom.subarray(0, pieces);
    prefixLengths(pieceFrom, pieceTo, scratch.lengthBefore);
    // Gap g lies between piece g and g + 1: its length minus its calendar time, summed.
    if (calendar && !offHoursBefore(pieceFrom, pieceTo, calendar, scratch.offBefore)) return false;
    // C: the cover set over the run's distinct instance starts and ends, filled in enabled order. One argsort of the
    // run's enabled times orders both the inserts (its intervals) and the queries (its waits): an answer depends only
    // on the query's own enabled time, so ties among queries need no particular order.
    const length = runEnd - runStart;
    const intervals = countIntervals(start, end, runStart, runEnd);
    const candidates = countCandidates(start, end, runEnabled, isQuery, runStart, runEnd);
    // Interval i is the i-th position with end > start: its start is ascending in i (positions are in start order).
    // Usually every position is one: then the run's own columns are read, not copied.
    let intervalStart = start.subarray(runStart, runEnd);
    let intervalEnd = end.subarray(runStart, runEnd);
    if (intervals < length) {
      intervalStart = scratch.intervalStart.subarray(0, intervals);
      intervalEnd = scratch.intervalEnd.subarray(0, intervals);
      copyIntervals(start, end, runStart, runEnd, intervalStart, intervalEnd);
    }
    // The distinct coordinates in order (sorted starts merged with argsorted ends), and each interval's start and
    // end ranks among them (its elementary segments).
    const { xsDistinct, startCoordinate, endCoordinate, sortedEnds, sort } = scratch;
    const endOrder = sortedWithOrder(intervalEnd, sortedEnds, sort);
    const distinct = mergeCoordinates(intervalStart, sortedEnds, endOrder, xsDistinct, startCoordinate, endCoordinate);
    const xs = xsDistinct.subarray(0, distinct);
    // What the queries' loop reads of a position, in one 16-byte record by run offset (one cache line fetched per
    // candidate, not one per column): its start when it is a wait to answer (NaN otherwise), and its interval's
    // start and end coordinates (−1: not an interval). A query's wait ends at its own start, so the last segment
    // it meets is known without a search.
    const { recordTimes, recordCoordinates } = scratch;
    buildRecords(start, end, isQuery, runStart, runEnd, startCoordinate, endCoordinate, recordTimes, recordCoordinates);
    // The candidates' enabled times in order (byEnabledMs) and their run offsets in that order (enabledOrder, or
    // through candidateOffset when not every position is a candidate).
    const everyPosition = candidates === length;
    const { candidateOffset, byEnabledMs } = scratch;
    const candidateEnabled = everyPosition ? runEnabled.subarray(runStart, runEnd) : scratch.candidateEnabled.subarray(0, candidates);
    if (!everyPosition) fillCandidates(start, end, runEnabled, isQuery, runStart, runEnd, candidateOffset, candidateEnabled);
    const enabledOrder = sortedWithOrder(candidateEnabled, byEnabledMs, sort);
    // The records in enabled order, by one tight gather (its independent reads overlap; in the queries' loop below,
    // whose body is long, each was a cache miss of its own): over the candidates' enabled times, dead after the sort,
    // and the sort's bucket counts.
    const offsets = everyPosition ? enabledOrder : gatherOffsets(enabledOrder, candidateOffset, candidates, scratch.sort.index);
    const { orderedTimes, orderedCoordinates } = scratch;
    gatherRecords(offsets, candidates, recordTimes, recordCoordinates, orderedTimes, orderedCoordinates);
    // The cover set's columns over the interval and coordinate columns, which are not read from here on.
    const tree = distinct >= 2 ? new CoverSet(xs, scratch.coverSetColumns(distinct - 1)) : null;
    const queries: QueryColumns = { offsets, candidates, byEnabledMs, orderedTimes, orderedCoordinates, xs, pieceFrom, pieceTo, lengthBefore: scratch.lengthBefore, offBefore: scratch.offBefore };
    answerQueries(queries, tree, calendar, answered, answers);
    putAnswers(this.ordered, this.plan.done, runStart, runEnd, answered, answers, sink);
    return true;
  }
}

/** U's pieces: the run's intervals (end > start) in start order, touching or overlapping ones merged. */
function unionPieces(start: Float64Array, end: Float64Array, runStart: number, runEnd: number, fromRoom: Float64Array, toRoom: Float64Array): number {
  let pieces = 0;
  for (let n = runStart; n < runEnd; n++) {
    if (!(end[n] > start[n])) continue;
    if (pieces > 0 && start[n] <= toRoom[pieces - 1]) toRoom[pieces - 1] = Math.max(toRoom[pieces - 1], end[n]);
    else {
      fromRoom[pieces] = start[n];
      toRoom[pieces++] = end[n];
    }
  }
  return pieces;
}

/** lengthBefore[p] = the length of pieces before p. */
function prefixLengths(pieceFrom: Float64Array, pieceTo: Float64Array, lengthBefore: Float64Array): void {
  lengthBefore[0] = 0;
  for (let p = 0; p < pieceFrom.length; p++) lengthBefore[p + 1] = lengthBefore[p] + (pieceTo[p] - pieceFrom[p]);
}

/** offBefore[g] = the off-calendar time of the gaps before gap g; false when one is not a whole ms. */
function offHoursBefore(pieceFrom: Float64Array, pieceTo: Float64Array, calendar: Pick<BusinessCalendar, 'durationMs'>, offBefore: Float64Array): boolean {
  offBefore[0] = 0;
  for (let g = 0; g + 1 < pieceFrom.length; g++) {
    const off = pieceFrom[g + 1] - pieceTo[g] - calendar.durationMs(pieceTo[g], pieceFrom[g + 1]);
    if (!isExactMs(off)) return false;
    offBefore[g + 1] = offBefore[g] + off;
  }
  return true;
}

function countIntervals(start: Float64Array, end: Float64Array, runStart: number, runEnd: number): number {
  let intervals = 0;
  for (let n = runStart; n < runEnd; n++) if (end[n] > start[n]) intervals++;
  return intervals;
}

/** The positions the enabled order holds: intervals and waits to answer, with an enabled time. */
function countCandidates(start: Float64Array, end: Float64Array, runEnabled: Float64Array, isQuery: Uint8Array, runStart: number, runEnd: number): number {
  let candidates = 0;
  for (let n = runStart; n < runEnd; n++) if ((end[n] > start[n] || isQuery[n] === 1) && !Number.isNaN(runEnabled[n])) candidates++;
  return candidates;
}

function copyIntervals(start: Float64Array, end: Float64Array, runStart: number, runEnd: number, intervalStart: Float64Array, intervalEnd: Float64Array): void {
  for (let n = runStart, interval = 0; n < runEnd; n++) {
    if (!(end[n] > start[n])) continue;
    intervalStart[interval] = start[n];
    intervalEnd[interval++] = end[n];
  }
}

/** xsDistinct: the intervals' starts (ascending) merged with their ends in order, once each; returns how many. */
function mergeCoordinates(intervalStart: Float64Array, sortedEnds: Float64Array, endOrder: Int32Array, xsDistinct: Float64Array, startCoordinate: Int32Array, endCoordinate: Int32Array): number {
  const intervals = intervalStart.length;
  let distinct = 0;
  for (let a = 0, b = 0; a < intervals || b < intervals; ) {
    const takeStart = b >= intervals || (a < intervals && intervalStart[a] <= sortedEnds[b]);
    const x = takeStart ? intervalStart[a] : sortedEnds[b];
    if (distinct === 0 || x !== xsDistinct[distinct - 1]) xsDistinct[distinct++] = x;
    if (takeStart) startCoordinate[a++] = distinct - 1;
    else endCoordinate[endOrder[b++]] = distinct - 1;
  }
  return distinct;
}

function buildRecords(
  start: Float64Array,
  end: Float64Array,
  isQuery: Uint8Array,
  runStart: number,
  runEnd: number,
  startCoordinate: Int32Array,
  endCoordinate: Int32Array,
  recordTimes: Float64Array,
  recordCoordinates: Int32Array,
): void {
  for (let n = runStart, interval = 0; n < runEnd; n++) {
    const at = n - runStart;
    recordTimes[2 * at] = isQuery[n] === 1 ? start[n] : NaN;
    if (end[n] > start[n]) {
      recordCoordinates[4 * at + 2] = startCoordinate[interval];
      recordCoordinates[4 * at + 3] = endCoordinate[interval++];
    } else recordCoordinates[4 * at + 2] = -1;
  }
}

function fillCandidates(start: Float64Array, end: Float64Array, runEnabled: Float64Array, isQuery: Uint8Array, runStart: number, runEnd: number, candidateOffset: Int32Array, candidateEnabled: Float64Array): void {
  for (let n = runStart, c = 0; n < runEnd; n++) {
    if ((end[n] > start[n] || isQuery[n] === 1) && !Number.isNaN(runEnabled[n])) {
      candidateOffset[c] = n - runStart;
      candidateEnabled[c++] = runEnabled[n];
    }
  }
}

/** The candidates' run offsets in enabled order, into `into` (the enabled order's own column: each read before written). */
function gatherOffsets(enabledOrder: Int32Array, candidateOffset: Int32Array, candidates: number, into: Int32Array): Int32Array {
  for (let i = 0; i < candidates; i++) into[i] = candidateOffset[enabledOrder[i]];
  return into.subarray(0, candidates);
}

function gatherRecords(offsets: Int32Array, candidates: number, recordTimes: Float64Array, recordCoordinates: Int32Array, orderedTimes: Float64Array, orderedCoordinates: Int32Array): void {
  for (let i = 0; i < candidates; i++) {
    const at = offsets[i];
    orderedTimes[i] = recordTimes[2 * at];
    orderedCoordinates[2 * i] = recordCoordinates[4 * at + 2];
    orderedCoordinates[2 * i + 1] = recordCoordinates[4 * at + 3];
  }
}

/** What the queries' loop reads: the candidates in enabled order, the coordinates, U's pieces and their prefix sums. */
interface QueryColumns {
  /** Run offset of each candidate, in enabled order. */
  readonly offsets: Int32Array;
  readonly candidates: number;
  readonly byEnabledMs: Float64Array;
  /** The candidate's start when it is a wait to answer, NaN otherwise. */
  readonly orderedTimes: Float64Array;
  /** Its interval's start and end coordinates (start −1: not an interval). */
  readonly orderedCoordinates: Int32Array;
  readonly xs: Float64Array;
  readonly pieceFrom: Float64Array;
  readonly pieceTo: Float64Array;
  readonly lengthBefore: Float64Array;
  readonly offBefore: Float64Array;
}

/** Each wait's contention, prioritization and unavailability into answers (by run offset, flagged in answered). */
function answerQueries(columns: QueryColumns, tree: CoverSet | null, calendar: Pick<BusinessCalendar, 'durationMs'> | undefined, answered: Uint8Array, answers: Float64Array): void {
  const { offsets, candidates, byEnabledMs, orderedTimes, orderedCoordinates, xs, pieceFrom, pieceTo, lengthBefore, offBefore } = columns;
  const distinct = xs.length;
  const pieces = pieceFrom.length;
  // Candidates [0, inserted) have had their intervals added: every one enabled no later than the current query.
  let inserted = 0;
  // Queries come in enabled order, so the first piece of U and the first coordinate they meet only move forward.
  let firstPiece = 0;
  let firstCoordinate = 0;
  for (let i = 0; i < candidates; i++) {
    const toMs = orderedTimes[i];
    if (Number.isNaN(toMs)) continue;
    const fromMs = byEnabledMs[i];
    while (inserted < candidates && byEnabledMs[inserted] <= fromMs) {
      const from = orderedCoordinates[2 * inserted];
      if (from >= 0) tree?.add(from, orderedCoordinates[2 * inserted + 1]);
      inserted++;
    }
    // |C ∩ W|
    let contentionMs = 0;
    if (tree) {
      const from = Math.max(fromMs, xs[0]);
      const to = Math.min(toMs, xs[distinct - 1]);
      if (to > from) {
        while (firstCoordinate + 1 < distinct && xs[firstCoordinate + 1] <= from) firstCoordinate++;
        const first = firstCoordinate;
        // to = toMs = xs[its start coordinate] when the query is an interval (xs ascends strictly, and
        // xs[first] ≤ from < to): the gallop's answer, found by the merge.
        const own = orderedCoordinates[2 * i];
        const last = (own >= 0 ? own : gallopLowerBound(xs, first, distinct, to)) - 1;
        if (first === last) contentionMs = tree.isCovered(first) ? to - from : 0;
        else {
          if (tree.isCovered(first)) contentionMs += xs[first + 1] - from;
          if (tree.isCovered(last)) contentionMs += to - xs[last];
          contentionMs += tree.coveredOf(first + 1, last - 1);
        }
      }
    }
    // Pieces of U meeting W: p0 = first ending after fromMs, p1 = last starting before toMs.
    while (firstPiece < pieces && pieceTo[firstPiece] <= fromMs) firstPiece++;
    const p0 = firstPiece;
    const p1 = gallopLowerBound(pieceFrom, p0, pieces, toMs) - 1;
    let busyMs = 0;
    let unavailabilityMs = 0;
    let exact = true;
    if (p0 > p1) {
      if (calendar) {
        unavailabilityMs = toMs - fromMs - calendar.durationMs(fromMs, toMs);
        exact = isExactMs(unavailabilityMs);
      }
    } else {
      busyMs = lengthBefore[p1 + 1] - lengthBefore[p0] - Math.max(0, fromMs - pieceFrom[p0]) - Math.max(0, pieceTo[p1] - toMs);
      if (calendar) {
        if (pieceFrom[p0] > fromMs) {
          const offMs = pieceFrom[p0] - fromMs - calendar.durationMs(fromMs, pieceFrom[p0]);
          exact = isExactMs(offMs);
          unavailabilityMs += offMs;
        }
        unavailabilityMs += offBefore[p1] - offBefore[p0];
        if (pieceTo[p1] < toMs) {
          const offMs = toMs - pieceTo[p1] - calendar.durationMs(pieceTo[p1], toMs);
          exact &&= isExactMs(offMs);
          unavailabilityMs += offMs;
        }
      }
    }
    // A calendar time that is not a whole ms: the scan sums in its own order, so leave this one to it.
    if (!exact) continue;
    const at = offsets[i];
    answered[at] = 1;
    answers[3 * at] = contentionMs;
    answers[3 * at + 1] = busyMs - contentionMs;
    answers[3 * at + 2] = unavailabilityMs;
  }
}

/**
 * The run's answers into the sink in position order (instance indices then mostly ascend, so the sink's reads are
 * near-sequential); a sink that sums by group takes the group by position (read in order), not through the instance
 * index. The wait and the extraneous rest from the position's own times (read in order here, not stored per query).
 */
function putAnswers(ordered: SweptColumns, done: Uint8Array, runStart: number, runEnd: number, answered: Uint8Array, answers: Float64Array, sink: WaitCauseSink): void {
  const { order, start, enabled: runEnabled } = ordered;
  const groupAt = ordered.groupAt ?? null;
  const byGroup = groupAt !== null && sink.putGroup !== undefined;
  for (let at = 0; at < runEnd - runStart; at++) {
    if (answered[at] === 0) continue;
    answered[at] = 0;
    const k = order[runStart + at];
    const totalMs = start[runStart + at] - runEnabled[runStart + at];
    const contentionMs = answers[3 * at];
    const prioritizationMs = answers[3 * at + 1];
    const unavailabilityMs = answers[3 * at + 2];
    const extraneousMs = totalMs - 0 - contentionMs - prioritizationMs - unavailabilityMs;
    if (byGroup) sink.putGroup!(groupAt[runStart + at], totalMs, 0, contentionMs, prioritizationMs, unavailabilityMs, extraneousMs);
    else sink.put(k, totalMs, 0, contentionMs, prioritizationMs, unavailabilityMs, extraneousMs);
    done[k] = 1;
  }
}

/**
 * The sweep's per-run columns, allocated once for the longest run (L positions). Columns dead before the cover set
 * is built lend it their bytes: its Fenwick lengths the interval columns', its links the coordinate columns'
 * (≈ 120 B × L, and 25 B × L of answers in the RunSweeper: the sorts' index and counts included).
 */
class SweepScratch {
  readonly fromRoom: Float64Array;
  readonly toRoom: Float64Array;
  readonly lengthBefore: Float64Array;
  readonly offBefore: Float64Array;
  /** intervalStart, then intervalEnd (when some position is not an interval); later the cover set's Fenwick lengths (2L + 1). */
  private readonly intervalColumns: Float64Array;
  readonly intervalStart: Float64Array;
  readonly intervalEnd: Float64Array;
  /** startCoordinate, then endCoordinate (by interval); later the cover set's next-uncovered links (2L + 1). */
  private readonly coordinateColumns: Int32Array;
  readonly startCoordinate: Int32Array;
  readonly endCoordinate: Int32Array;
  /** The interval ends in order (read by the merge of coordinates), then the candidates' enabled times. */
  readonly sortedEnds: Float64Array;
  readonly candidateEnabled: Float64Array;
  /** By run offset, 16 bytes: [0, 8) the query's start (NaN: not a wait to answer), [8, 12) and [12, 16) its interval's coordinates. */
  readonly recordTimes: Float64Array;
  readonly recordCoordinates: Int32Array;
  readonly candidateOffset: Int32Array;
  readonly byEnabledMs: Float64Array;
  /** The records' start and coordinates in enabled order, over candidateEnabled's bytes and the sort's counts. */
  readonly orderedTimes: Float64Array;
  readonly orderedCoordinates: Int32Array;
  readonly xsDistinct: Float64Array;
  /** argsortSpread's index and bucket counts, for the end sort and then the enabled sort. */
  readonly sort: SpreadScratch;

  constructor(longestRun: number, columns: ColumnSource) {
    const length = longestRun;
    this.fromRoom = columns.float64(length);
    this.toRoom = columns.float64(length);
    this.lengthBefore = columns.float64(length + 1);
    this.offBefore = columns.float64(length);
    this.intervalColumns = columns.float64(2 * length + 1);
    this.intervalStart = this.intervalColumns.subarray(0, length);
    this.intervalEnd = this.intervalColumns.subarray(length, 2 * length);
    this.coordinateColumns = columns.int32(2 * length + 1);
    this.startCoordinate = this.coordinateColumns.subarray(0, length);
    this.endCoordinate = this.coordinateColumns.subarray(length, 2 * length);
    this.sortedEnds = columns.float64(length);
    this.candidateEnabled = this.sortedEnds;
    this.recordTimes = columns.float64(2 * length);
    // (A counting ColumnSource hands out empty columns: then this view is empty too.)
    this.recordCoordinates = new Int32Array(this.recordTimes.buffer, this.recordTimes.byteOffset, 2 * this.recordTimes.length);
    this.candidateOffset = columns.int32(length);
    this.byEnabledMs = columns.float64(length);
    this.xsDistinct = columns.float64(2 * length);
    this.sort = { index: columns.int32(length), counts: columns.int32(Math.max(2 * length, spreadCountsLength(length))) };
    this.orderedTimes = this.candidateEnabled;
    this.orderedCoordinates = this.sort.counts;
  }

  /** Columns for a cover set of `segments` segments (≤ 2L − 1): views the CoverSet constructor resets. */
  coverSetColumns(segments: number): CoverSetColumns {
    return { next: this.coordinateColumns.subarray(0, segments + 1), lengths: this.intervalColumns.subarray(0, segments + 1) };
  }
}

/**
 * argsortFloat64(values) with the values in that order written into `sorted` (at least values.length long): by
 * argsortSpread when the values are spread whole numbers (the sweep's are), else the radix argsort and a gather.
 */
function sortedWithOrder(values: Float64Array, sorted: Float64Array, scratch: SpreadScratch): Int32Array {
  const spread = argsortSpread(values, sorted, scratch);
  if (spread !== null) return spread;
  const order = argsortFloat64(values);
  for (let i = 0; i < order.length; i++) sorted[i] = values[order[i]];
  return order;
}

/** First index in sorted[from, to) whose value is ≥ x (lower bound). */
function lowerBound(sorted: Float64Array, from: number, to: number, x: number): number {
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] >= x) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** First index in ascending[from, to) whose value is > x (to when none). */
function firstAbove(ascending: Float64Array, from: number, to: number, x: number): number {
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (ascending[middle] > x) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * lowerBound for an answer known to be ≥ from and likely near it: doubling steps from `from`, then a binary
 * search in the last step (a wait usually spans few pieces of a long history).
 */
function gallopLowerBound(sorted: Float64Array, from: number, to: number, x: number): number {
  let low = from;
  let step = 1;
  while (low + step < to && sorted[low + step] < x) {
    low += step;
    step *= 2;
  }
  return lowerBound(sorted, low, Math.min(to, low + step + 1), x);
}

/**
 * The backward overlap scan of computeWaitCausesPlain for the waits the sweep left (batch members; all waits when
 * the sweep could not run), visiting the same positions in the same order up to the MAX_OVERLAP_SCAN cap, but stopping (or skipping a block) where every earlier instance of the resource
 * ended by the enabled time: those overlap nothing, so the intervals pushed, the causes and scanCapped are
 * identical. Without the bound a long wait rescans the resource's whole history (the scan was superlinear).
 */
function computeWaitCausesIndexed(inputs: WaitCauseInputs, ordered: ResourceOrder, sink: WaitCauseSink, done?: Uint8Array, codes?: ResourceRange): number {
  // The order's columns only, as the sweep (instances without a resource: the order's loose columns).
  const { instances, batches, calendarOf } = inputs;
  const { count, resource } = instances;
  const { order, positionOf, runStart, start, end, enabled, longestMs, looseStart, looseEnabled } = ordered;
  let loose = 0;
  // By resource code: its run's bounds, built when its first scanned wait comes.
  const boundsOf = new Map<number, ScanBounds>();
  const blockSize = 1 << BLOCK_SHIFT;
  const superBlockSize = 1 << SUPER_BLOCK_SHIFT;
  const maxOverlapScan = inputs.maxOverlapScan ?? MAX_OVERLAP_SCAN;
  let scanCapped = 0;
  // Busy intervals found by the scan, as flat pairs in typed buffers reused across instances (grown before a scan to
  // hold a pair per position it may visit, so the pushes need no check).
  let contention: Float64Array = new Float64Array(1024);
  let prioritization: Float64Array = new Float64Array(1024);
  let contentionLength = 0;
  let prioritizationLength = 0;

  for (let k = 0; k < count; k++) {
    // A done instance has a position (the sweep's and the plan's are positioned): skipped before its position is read.
    if (done !== undefined && done[k] === 1) continue;
    // One range of resource codes: the others' instances are another range's (before `loose` counts: the instances
    // without a resource are all in one range, NO_RESOURCE).
    if (codes !== undefined && !(resource[k] >= codes.start && resource[k] < codes.end)) continue;
    const position = positionOf[k];
    const at = position >= 0 ? position : loose++;
    const fromMs = position >= 0 ? enabled[at] : looseEnabled[at];
    const toMs = position >= 0 ? start[at] : looseStart[at];
    if (!(toMs > fromMs)) continue;
    const totalMs = toMs - fromMs;
    const inBatch = batches.batchId[k] >= 0;
    const batchEndMs = inBatch ? Math.min(toMs, Math.max(fromMs, batches.readyMsOfBatch[batches.batchId[k]])) : fromMs;
    const batching = batchEndMs - fromMs;
    contentionLength = 0;
    prioritizationLength = 0;
    if (position >= 0) {
      const floorMs = fromMs - longestMs[resource[k]];
      // The plain scan visits position − 1 down to the first position of the resource starting at floorMs or
      // later (starts ascend within a resource), at most MAX_OVERLAP_SCAN of them.
      let low = runStart[resource[k]];
      let high = position;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (start[middle] >= floorMs) high = middle;
        else low = middle + 1;
      }
      let limit = low;
      if (position - low > maxOverlapScan) {
        scanCapped++;
        limit = position - maxOverlapScan;
      }
      // prefixMaxEnd ascends within the resource: the scan would stop at the first position (going down) whose
      // prefix maximum is ≤ fromMs, so it runs down to the first one above it (found once, not tested per step).
      let bounds = boundsOf.get(resource[k]);
      if (bounds === undefined) {
        bounds = scanBounds(ordered, resource[k]);
        boundsOf.set(resource[k], bounds);
      }
      const { prefixMaxEnd, blockMaxEnd, superBlockMaxEnd, firstBlock, firstSuperBlock } = bounds;
      const floor = bounds.runStart + firstAbove(prefixMaxEnd, limit - bounds.runStart, position - bounds.runStart, fromMs);
      const most = 2 * (position - floor);
      if (contention.length < most) contention = new Float64Array(Math.max(most, 2 * contention.length));
      if (prioritization.length < most) prioritization = new Float64Array(Math.max(most, 2 * prioritization.length));
      const referenceOfOthersMs = inBatch ? Math.min(batches.readyMsOfBatch[batches.batchId[k]], toMs) : fromMs;
      for (let n = position - 1; n >= floor; n--) {
        if ((n & (superBlockSize - 1)) === superBlockSize - 1 && n - superBlockSize + 1 >= floor && !(superBlockMaxEnd[(n >> SUPER_BLOCK_SHIFT) - firstSuperBlock] > fromMs)) {
          n -= superBlockSize - 1;
          continue;
        }
        if ((n & (blockSize - 1)) === blockSize - 1 && n - blockSize + 1 >= floor && !(blockMaxEnd[(n >> BLOCK_SHIFT) - firstBlock] > fromMs)) {
          n -= blockSize - 1;
          continue;
        }
        if (!(start[n] < toMs) || !(end[n] > fromMs)) continue;
        const busyFrom = Math.max(start[n], fromMs);
        const busyTo = Math.min(end[n], toMs);
        if (!(busyTo > busyFrom)) continue;
        const referenceMs = inBatch && batches.batchId[order[n]] !== batches.batchId[k] ? referenceOfOthersMs : fromMs;
        if (enabled[n] <= referenceMs) {
          contention[contentionLength++] = busyFrom;
          contention[contentionLength++] = busyTo;
        } else {
          prioritization[prioritizationLength++] = busyFrom;
          prioritization[prioritizationLength++] = busyTo;
        }
      }
    }
    const contentionUnion = unionOfDescending(contention, contentionLength);
    const prioritizationUnion = unionOfDescending(prioritization, prioritizationLength);
    splitRest(k, toMs, totalMs, batchEndMs, batching, contentionUnion, prioritizationUnion, resource[k] === MISSING_CODE ? undefined : calendarOf(resource[k]), sink);
  }
  return scanCapped;
}

/** Precedence: batching, then contention, then prioritization, then unavailability, on what is left of the wait. */
function splitRest(
  k: number,
  toMs: number,
  totalMs: number,
  batchEndMs: number,
  batching: number,
  contentionUnion: number[],
  prioritizationUnion: number[],
  calendar: BusinessCalendar | undefined,
  sink: WaitCauseSink,
): void {
  const contentionMs = coveredMs(contentionUnion, batchEndMs, toMs);
  const free1 = minus(batchEndMs, toMs, contentionUnion);
  let prioritizationMs = 0;
  for (let p = 0; p < free1.length; p += 2) prioritizationMs += coveredMs(prioritizationUnion, free1[p], free1[p + 1]);
  const free2 = prioritizationUnion.length === 0 ? free1 : minus(batchEndMs, toMs, unionOf([...contentionUnion, ...prioritizationUnion]));
  let unavailabilityMs = 0;
  if (calendar) for (let p = 0; p < free2.length; p += 2) unavailabilityMs += free2[p + 1] - free2[p] - calendar.durationMs(free2[p], free2[p + 1]);
  sink.put(k, totalMs, batching, contentionMs, prioritizationMs, unavailabilityMs, totalMs - batching - contentionMs - prioritizationMs - unavailabilityMs);
}

/**
 * The reference scan: no index, the resource's history scanned back. By default the definition's semantics of
 * computeWaitCauses: exact (uncapped) outside batches, MAX_OVERLAP_SCAN for batch members — exported for the test
 * that holds the indexed path to it. With `capOutsideBatches` every wait is capped: the fallback used when a start
 * or end is missing (NaN), where the sweep cannot run.
 */
export function computeWaitCausesPlain(inputs: WaitCauseInputs, options: { readonly capOutsideBatches?: boolean } = {}): WaitCauseColumns {
  const { instances, startMs, enabledMs, batches, calendarOf } = inputs;
  const cap = inputs.maxOverlapScan ?? MAX_OVERLAP_SCAN;
  const { count, resource, endMs } = instances;
  const waitMs = new Float64Array(count);
  const causeMs = Object.fromEntries(WAIT_CAUSES.map((cause) => [cause, new Float64Array(count)])) as Record<WaitCause, Float64Array>;
  // Each resource's instances in start order, and its longest instance (bounds the backward scan).
  const order = Array.from({ length: count }, (_, k) => k).filter((k) => resource[k] !== MISSING_CODE);
  order.sort((a, b) => resource[a] - resource[b] || startMs[a] - startMs[b] || a - b);
  const positionOf = new Int32Array(count).fill(-1);
  order.forEach((k, n) => (positionOf[k] = n));
  const longestMs = new Map<number, number>();
  for (const k of order) longestMs.set(resource[k], Math.max(longestMs.get(resource[k]) ?? 0, endMs[k] - startMs[k]));
  let scanCapped = 0;

  for (let k = 0; k < count; k++) {
    const fromMs = enabledMs[k];
    const toMs = startMs[k];
    if (!(toMs > fromMs)) continue;
    const totalMs = toMs - fromMs;
    waitMs[k] = totalMs;
    const inBatch = batches.batchId[k] >= 0;
    const batchEndMs = inBatch ? Math.min(toMs, Math.max(fromMs, batches.readyMsOfBatch[batches.batchId[k]])) : fromMs;
    const batching = batchEndMs - fromMs;
    const maxOverlapScan = inBatch || options.capOutsideBatches === true ? cap : Infinity;
    const contention: number[] = [];
    const prioritization: number[] = [];
    const position = positionOf[k];
    if (position >= 0) {
      const floorMs = fromMs - (longestMs.get(resource[k]) ?? 0);
      let scanned = 0;
      for (let n = position - 1; n >= 0 && resource[order[n]] === resource[k] && startMs[order[n]] >= floorMs; n--) {
        if (++scanned > maxOverlapScan) {
          scanCapped++;
          break;
        }
        const j = order[n];
        if (!(startMs[j] < toMs) || !(endMs[j] > fromMs)) continue;
        const busyFrom = Math.max(startMs[j], fromMs);
        const busyTo = Math.min(endMs[j], toMs);
        if (!(busyTo > busyFrom)) continue;
        const sameBatch = inBatch && batches.batchId[j] === batches.batchId[k];
        const referenceMs = sameBatch || !inBatch ? fromMs : Math.min(batches.readyMsOfBatch[batches.batchId[k]], toMs);
        (enabledMs[j] <= referenceMs ? contention : prioritization).push(busyFrom, busyTo);
      }
      // Instances starting at the same instant or later cannot have kept the resource busy before this start.
    }
    // Precedence: batching, then contention, then prioritization, on what is left of the wait.
    const contentionUnion = unionOf(contention);
    const contentionMs = coveredMs(contentionUnion, batchEndMs, toMs);
    const free1 = minus(batchEndMs, toMs, contentionUnion);
    const prioritizationUnion = unionOf(prioritization);
    let prioritizationMs = 0;
    for (let p = 0; p < free1.length; p += 2) prioritizationMs += coveredMs(prioritizationUnion, free1[p], free1[p + 1]);
    const free2 = minus(batchEndMs, toMs, unionOf([...contentionUnion, ...prioritizationUnion]));
    const calendar = resource[k] === MISSING_CODE ? undefined : calendarOf(resource[k]);
    let unavailabilityMs = 0;
    if (calendar) for (let p = 0; p < free2.length; p += 2) unavailabilityMs += free2[p + 1] - free2[p] - calendar.durationMs(free2[p], free2[p + 1]);
    causeMs.batching[k] = batching;
    causeMs.contention[k] = contentionMs;
    causeMs.prioritization[k] = prioritizationMs;
    causeMs.unavailability[k] = unavailabilityMs;
    causeMs.extraneous[k] = totalMs - batching - contentionMs - prioritizationMs - unavailabilityMs;
  }
  return { waitMs, causeMs, scanCapped };
}
