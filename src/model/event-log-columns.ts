/**
 * The event log builder's typed columns: grown (doubling, by a quarter past a reserved estimate) or resized (exactly)
 * as events are pushed, and permuted into the sorted order when the log is built (a view, not a copy, when the events
 * are already in order and the columns have little slack).
 */

/** One per-event column of the builder. */
export type Column = Int32Array | Float64Array | Uint8Array | Uint16Array;

/** `array` with room for at least `needed` values, doubling its capacity (the same array when it has room). */
export function grow<T extends Column>(array: T, needed: number): T {
  if (needed <= array.length) return array;
  let capacity = array.length * 2;
  while (capacity < needed) capacity *= 2;
  return resized(array, capacity);
}

/**
 * Growth past a reserved capacity (a reader's estimate of the event count): the estimate was a little short, so the
 * columns grow by a quarter instead of doubling — doubling a 100 M-event log would hold twice its columns, and the old
 * and new copies of each during the copy (issue 14, peak memory).
 */
export const GROWTH_PAST_RESERVE = 1.25;
/** build() copies the columns to their exact length when more than this share of their slots is unused. */
export const TRIM_SLACK = 1 / 8;

/** The capacity for at least `needed` slots: doubling up to `reserved` (0: none reserved), by a quarter past it. */
export function grownCapacity(capacity: number, needed: number, reserved: number): number {
  let next = Math.max(1, capacity);
  while (next < needed) next = reserved > 0 && next >= reserved ? Math.ceil(next * GROWTH_PAST_RESERVE) : next * 2;
  return next;
}

/** Whether columns of `capacity` slots holding `count` values are worth copying to their exact length. */
export function worthTrimming(capacity: number, count: number): boolean {
  return capacity - count > count * TRIM_SLACK;
}

/** A copy of `array` with exactly `capacity` slots (its first `capacity` values when it is longer). */
export function resized<T extends Column>(array: T, capacity: number): T {
  const Ctor = array.constructor as new (length: number) => T;
  const copy = new Ctor(capacity);
  copy.set(array.length <= capacity ? array : array.subarray(0, capacity));
  return copy;
}

/** The first `eventCount` values of `source` in `order` (a view of `source` when the order is undefined: in order). */
export function permutedInt32(source: Int32Array, order: Int32Array | undefined, eventCount: number): Int32Array {
  if (order === undefined) return source.subarray(0, eventCount);
  const out = new Int32Array(eventCount);
  for (let k = 0; k < eventCount; k++) out[k] = source[order[k]];
  return out;
}

/** permutedInt32 for a Float64Array column (timestamps). */
export function permutedFloat64(source: Float64Array, order: Int32Array | undefined, eventCount: number): Float64Array {
  if (order === undefined) return source.subarray(0, eventCount);
  const out = new Float64Array(eventCount);
  for (let k = 0; k < eventCount; k++) out[k] = source[order[k]];
  return out;
}
