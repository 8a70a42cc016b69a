/**
 * The event log builder's typed columns: grown (doubling) or resized (exactly) as events are pushed, and permuted into
 * the sorted order when the log is built (a view, not a copy, when the events are already in order).
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

/** A copy of `array` with exactly `capacity` slots. */
export function resized<T extends Column>(array: T, capacity: number): T {
  const Ctor = array.constructor as new (length: number) => T;
  const bigger = new Ctor(capacity);
  bigger.set(array);
  return bigger;
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
