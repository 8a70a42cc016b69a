/**
 * Ascending sort of a Float64Array by LSD radix on the IEEE-754 bits (16-bit digits, constant digits
 * skipped). It gives exactly the order of `Float64Array.prototype.sort()` (−0 before +0; NaN must be
 * absent) but in O(n), which matters for the multi-million-value duration columns of a big log: the
 * comparison sort was the largest single cost of an analysis.
 */
import { argsortIntegerKeys, integerKeys, sortSmallSpanIntegers } from './radix-sort-integers.js';

/** Below this length the built-in sort is as fast and needs no scratch space. */
const RADIX_MIN_LENGTH = 2048;
/** Up to this length whole numbers spanning ≤ 32 bits take the small-digit integer sort (measured faster there). */
const SMALL_SPAN_MAX_LENGTH = 262_144;
/** Four 16-bit digits, two per 32-bit half (11-bit digits measured no faster). */
const BUCKETS = 1 << 16;
const PASSES = 4;

/**
 * The values' bits as unsigned keys in a private buffer starting at 0 (low 32-bit half at 2i, high at 2i+1), mapped
 * so unsigned order is numeric order: negatives get every bit flipped, the rest the sign bit.
 */
function orderedKeys(values: Float64Array): Uint32Array<ArrayBuffer> {
  const n = values.length;
  const keys = new Uint32Array(2 * n);
  new Float64Array(keys.buffer).set(values);
  for (let i = 0; i < n; i++) {
    const high = keys[2 * i + 1];
    if (high >>> 31 === 1) {
      keys[2 * i] = ~keys[2 * i];
      keys[2 * i + 1] = ~high;
    } else {
      keys[2 * i + 1] = high | 0x80000000;
    }
  }
  return keys;
}

/**
 * Sorts `values` (no NaN) ascending in place and returns it. Each long loop is a function of its own (a leaf): this
 * function is called for columns of every size, and code compiled for one of its loops while it ran (OSR) was thrown
 * away when the function reached the next one (issue 14, warm-up at 1 M).
 */
export function sortFloat64(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < RADIX_MIN_LENGTH) return values.sort();
  if (n < SMALL_SPAN_MAX_LENGTH && sortSmallSpanIntegers(values)) return values;
  let keys = orderedKeys(values);
  const counts = new Int32Array(PASSES * BUCKETS);
  countDigits(keys, counts);
  let scratch = new Uint32Array(2 * n);
  for (let pass = 0; pass < PASSES; pass++) {
    const base = pass * BUCKETS;
    const word = pass >> 1;
    const shift = (pass & 1) * 16;
    // A digit every key shares moves nothing: skip the pass.
    const firstDigit = (keys[word] >>> shift) & 0xffff;
    if (counts[base + firstDigit] === n) continue;
    offsetsFromCounts(counts, base);
    scatterByDigit(keys, scratch, counts, base, word, shift);
    const swap = keys;
    keys = scratch;
    scratch = swap;
  }
  unmapKeys(keys);
  values.set(new Float64Array(keys.buffer));
  return values;
}

/** The four 16-bit digits' counts of the keys (pairs of 32-bit halves), digit d of pass p at p * BUCKETS + d. */
function countDigits(keys: Uint32Array, counts: Int32Array): void {
  const n = keys.length >> 1;
  for (let i = 0; i < n; i++) {
    const low = keys[2 * i];
    const high = keys[2 * i + 1];
    counts[low & 0xffff]++;
    counts[BUCKETS + (low >>> 16)]++;
    counts[2 * BUCKETS + (high & 0xffff)]++;
    counts[3 * BUCKETS + (high >>> 16)]++;
  }
}

/** One pass's counts (from `base`) turned into each bucket's first slot. */
function offsetsFromCounts(counts: Int32Array, base: number): void {
  let offset = 0;
  for (let b = 0; b < BUCKETS; b++) {
    const count = counts[base + b];
    counts[base + b] = offset;
    offset += count;
  }
}

/** The keys into `scratch` by the digit of the pass (half `word`, bits from `shift`), stable. */
function scatterByDigit(keys: Uint32Array, scratch: Uint32Array, counts: Int32Array, base: number, word: number, shift: number): void {
  const n = keys.length >> 1;
  for (let i = 0; i < n; i++) {
    const low = keys[2 * i];
    const high = keys[2 * i + 1];
    const digit = ((word === 0 ? low : high) >>> shift) & 0xffff;
    const to = 2 * counts[base + digit]++;
    scratch[to] = low;
    scratch[to + 1] = high;
  }
}

/** orderedKeys' mapping undone in place: the keys are the values' bits again. */
function unmapKeys(keys: Uint32Array): void {
  const n = keys.length >> 1;
  for (let i = 0; i < n; i++) {
    const high = keys[2 * i + 1];
    if (high >>> 31 === 1) {
      keys[2 * i + 1] = high & 0x7fffffff;
    } else {
      keys[2 * i] = ~keys[2 * i];
      keys[2 * i + 1] = ~high;
    }
  }
}

/** Whether the values are already in the sort's order (−0 before +0): the stable argsort is then the identity. */
function isAscending(values: Float64Array): boolean {
  for (let i = 1; i < values.length; i++) {
    const before = values[i - 1];
    const at = values[i];
    if (at < before || (at === 0 && before === 0 && 1 / at < 0 && 1 / before > 0)) return false;
  }
  return true;
}

/**
 * The indices of `values` (no NaN) in ascending order of their values, ties in index order (a stable LSD radix
 * sort on the same order-preserving bit mapping as sortFloat64).
 * @example argsortFloat64(Float64Array.of(3, 1, 2)) // Int32Array [1, 2, 0]
 */
export function argsortFloat64(values: Float64Array): Int32Array {
  const n = values.length;
  let index = new Int32Array(n);
  for (let i = 0; i < n; i++) index[i] = i;
  if (n < 2 || isAscending(values)) return index;
  const integers = integerKeys(values);
  if (integers) return argsortIntegerKeys(integers);
  const keys = orderedKeys(values);
  const counts = new Int32Array(BUCKETS);
  let scratch = new Int32Array(n);
  for (let pass = 0; pass < PASSES; pass++) {
    const word = pass >> 1;
    const shift = (pass & 1) * 16;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(keys[2 * i + word] >>> shift) & 0xffff]++;
    if (counts[(keys[word] >>> shift) & 0xffff] === n) continue;
    let offset = 0;
    for (let b = 0; b < BUCKETS; b++) {
      const count = counts[b];
      counts[b] = offset;
      offset += count;
    }
    for (let i = 0; i < n; i++) {
      const k = index[i];
      scratch[counts[(keys[2 * k + word] >>> shift) & 0xffff]++] = k;
    }
    const swap = index;
    index = scratch;
    scratch = swap;
  }
  return index;
}
