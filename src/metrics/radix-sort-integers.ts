/**
 * The fast paths of radix-sort.ts for columns of whole numbers (ms timestamps and durations, almost always):
 * each value minus the column's minimum is an exact non-negative integer of `bits` bits (a year of ms is 35), so
 * an LSD radix sort needs only ceil(bits / 12) passes of 12-bit digits (4,096 counters: they stay in the L1
 * cache, where the general path's 65,536 do not), and the keys travel with the indices (sequential reads instead
 * of one random read per element and pass): argsort 2–3× faster on a year of ms timestamps. The plain sort
 * takes it for mid-sized columns spanning ≤ 32 bits (2–3× faster there; on millions of values the general path,
 * which already moves the keys, measured as fast). The order is the general path's exactly: numeric, ties in index
 * order. Columns with a fraction, −0, NaN, an infinity or a span beyond 2^53 take the general path. The argsort
 * moves one 32-bit key word per pass up to 43 bits (the upper part of the key after the first pass) and does not
 * read the identity index in its first pass (h22-speed: ≈ 1.5× on 100,000 ms timestamps of a year).
 */

const TWO_32 = 4294967296;
const MAX_DIGIT_BITS = 12;

/** Offsets from the minimum as 32-bit halves (`high` only when some offset needs more than 32 bits). */
export interface IntegerKeys {
  readonly low: Uint32Array<ArrayBuffer>;
  readonly high: Uint32Array<ArrayBuffer> | null;
  readonly bits: number;
  readonly min: number;
}

/**
 * The least and greatest value when every value is a whole number other than −0 (NaN and the infinities are not),
 * else null; an empty column gives { min: Infinity, max: -Infinity }. The callers check the span they need.
 */
export function wholeNumberRange(values: Float64Array): { min: number; max: number } | null {
  return scanWholeRange(values, rangeScratch) ? { min: rangeScratch[0], max: rangeScratch[1] } : null;
}

/** The least and greatest value found by scanWholeRange (one pair for the thread: each call reads it at once). */
const rangeScratch = new Float64Array(2);

/**
 * The scan of wholeNumberRange, writing the least and greatest value into `range`: a loop alone in its function, so
 * the code V8 compiles on entry into the loop (OSR) ends with the loop (it bailed out at the result's object, once
 * a call: the sorts call this once per resource run). `range` is written before the loop and as a new least or
 * greatest value is found, nothing after the loop but the return: a store after the loop, without type feedback
 * when the loop was compiled in its first long call, made the cached OSR code bail out at the end of every later
 * call, ≈ 75 times a 1 M run (h26b-wait).
 */
function scanWholeRange(values: Float64Array, range: Float64Array): boolean {
  let min = POSITIVE_INFINITY;
  let max = NEGATIVE_INFINITY;
  range[0] = min;
  range[1] = max;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value !== Math.floor(value) || (value === 0 && 1 / value < 0)) return false;
    if (value < min) {
      min = value;
      range[0] = value;
    }
    if (value > max) {
      max = value;
      range[1] = value;
    }
  }
  return true;
}

const POSITIVE_INFINITY = Number.POSITIVE_INFINITY;
const NEGATIVE_INFINITY = Number.NEGATIVE_INFINITY;

/**
 * Null unless every value is a safe integer other than −0 (the minimum and the span too), and unless the span fits
 * in `maxBits` bits (default 53: any safe span); checked before any key is written.
 */
export function integerKeys(values: Float64Array, maxBits = 53): IntegerKeys | null {
  const n = values.length;
  const range = wholeNumberRange(values);
  if (range === null) return null;
  const { min, max } = range;
  if (!(Number.isSafeInteger(min) && Number.isSafeInteger(max) && Number.isSafeInteger(max - min))) return null;
  const span = max - min;
  let bits = 0;
  while (bits < 53 && 2 ** bits <= span) bits++;
  if (bits > maxBits) return null;
  const low = new Uint32Array(n);
  const high = bits > 32 ? new Uint32Array(n) : null;
  // The fill a function of its own (a leaf): compiled on entry (OSR), its code bailed out at the result's object.
  fillKeys(values, min, low, high);
  return { low, high, bits, min };
}

/** Each value's offset from min as its low 32 bits, and (with `high`) the bits above. */
function fillKeys(values: Float64Array, min: number, low: Uint32Array, high: Uint32Array | null): void {
  for (let i = 0; i < values.length; i++) {
    const offset = values[i] - min;
    low[i] = offset >>> 0;
    if (high) high[i] = Math.floor(offset / TWO_32);
  }
}

/** Bits [shift, shift + width) of the key high·2^32 + low (width ≤ 12). */
function digitAt(low: number, high: number, shift: number, mask: number): number {
  if (shift >= 32) return (high >>> (shift - 32)) & mask;
  if (shift + MAX_DIGIT_BITS <= 32) return (low >>> shift) & mask;
  return ((low >>> shift) | (high << (32 - shift))) & mask;
}

/**
 * Sorts the keys (low, high and the indices carried along), stable; returns the arrays that hold the result
 * (they may be the scratch ones).
 */
function radixPasses(keys: IntegerKeys, index: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  let { low, high } = keys;
  const n = low.length;
  const passes = Math.ceil(keys.bits / MAX_DIGIT_BITS);
  if (passes === 0) return index;
  const width = Math.ceil(keys.bits / passes);
  const mask = (1 << width) - 1;
  const buckets = 1 << width;
  // Every pass's digit counts in one read of the keys.
  const counts = new Int32Array(passes * buckets);
  for (let i = 0; i < n; i++) {
    const lowKey = low[i];
    const highKey = high ? high[i] : 0;
    for (let pass = 0; pass < passes; pass++) counts[pass * buckets + digitAt(lowKey, highKey, pass * width, mask)]++;
  }
  let lowScratch = new Uint32Array(n);
  let highScratch = high ? new Uint32Array(n) : null;
  let indexScratch = new Int32Array(n);
  for (let pass = 0; pass < passes; pass++) {
    const shift = pass * width;
    const base = pass * buckets;
    // A digit every key shares moves nothing: skip the pass.
    if (counts[base + digitAt(low[0], high ? high[0] : 0, shift, mask)] === n) continue;
    let offset = 0;
    for (let b = base; b < base + buckets; b++) {
      const count = counts[b];
      counts[b] = offset;
      offset += count;
    }
    for (let i = 0; i < n; i++) {
      const lowKey = low[i];
      const highKey = high ? high[i] : 0;
      const to = counts[base + digitAt(lowKey, highKey, shift, mask)]++;
      lowScratch[to] = lowKey;
      if (high && highScratch) highScratch[to] = highKey;
      indexScratch[to] = index[i];
    }
    [low, lowScratch] = [lowScratch, low];
    [high, highScratch] = [highScratch, high];
    [index, indexScratch] = [indexScratch, index];
  }
  return index;
}

/**
 * Stable LSD passes over 32-bit keys (`key` and the indices carried along), the digits of `shift0`, `shift0 + width`, …
 * (`passes` of them, counted in `counts`); `index` null is the identity (not read). Returns the sorted indices.
 */
function keyPasses(key: Uint32Array<ArrayBuffer>, index: Int32Array<ArrayBuffer> | null, counts: Int32Array, passes: number, width: number, shift0: number, firstBase: number): Int32Array<ArrayBuffer> {
  const n = key.length;
  const mask = (1 << width) - 1;
  const buckets = 1 << width;
  let keyScratch: Uint32Array<ArrayBuffer> | null = null;
  let indexScratch: Int32Array<ArrayBuffer> | null = null;
  let sorted = index;
  for (let pass = 0; pass < passes; pass++) {
    const shift = shift0 + pass * width;
    const base = firstBase + pass * buckets;
    // A digit every key shares moves nothing: skip the pass.
    if (counts[base + ((key[0] >>> shift) & mask)] === n) continue;
    let offset = 0;
    for (let b = base; b < base + buckets; b++) {
      const count = counts[b];
      counts[b] = offset;
      offset += count;
    }
    keyScratch ??= new Uint32Array(n);
    const into = indexScratch ?? new Int32Array(n);
    if (sorted === null) {
      for (let i = 0; i < n; i++) {
        const value = key[i];
        const to = counts[base + ((value >>> shift) & mask)]++;
        keyScratch[to] = value;
        into[to] = i;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const value = key[i];
        const to = counts[base + ((value >>> shift) & mask)]++;
        keyScratch[to] = value;
        into[to] = sorted[i];
      }
    }
    [key, keyScratch] = [keyScratch, key];
    indexScratch = sorted;
    sorted = into;
  }
  if (sorted !== null) return sorted;
  const identity = new Int32Array(n);
  for (let i = 0; i < n; i++) identity[i] = i;
  return identity;
}

/**
 * Keys of more than 32 bits whose digits after the first fit 32 bits (up to 43 bits: ms over 270 years): the first
 * pass sorts by the low digit and carries only the key's upper part, one 32-bit word, so no pass moves two words.
 */
function argsortWideKeys(low: Uint32Array<ArrayBuffer>, high: Uint32Array<ArrayBuffer>, passes: number, width: number): Int32Array<ArrayBuffer> {
  const n = low.length;
  const mask = (1 << width) - 1;
  const buckets = 1 << width;
  const counts = new Int32Array(passes * buckets);
  // The upper part replaces `high` in place (the keys are used up): no column beyond the general path's.
  const upper = high;
  for (let i = 0; i < n; i++) {
    const lowKey = low[i];
    const rest = ((lowKey >>> width) | (high[i] << (32 - width))) >>> 0;
    upper[i] = rest;
    counts[lowKey & mask]++;
    for (let pass = 1; pass < passes; pass++) counts[pass * buckets + ((rest >>> ((pass - 1) * width)) & mask)]++;
  }
  if (counts[low[0] & mask] === n) return keyPasses(upper, null, counts, passes - 1, width, 0, buckets);
  let offset = 0;
  for (let b = 0; b < buckets; b++) {
    const count = counts[b];
    counts[b] = offset;
    offset += count;
  }
  const upperSorted = new Uint32Array(n);
  const index = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const to = counts[low[i] & mask]++;
    upperSorted[to] = upper[i];
    index[to] = i;
  }
  return keyPasses(upperSorted, index, counts, passes - 1, width, 0, buckets);
}

/** Indices in ascending order of the keys' values, ties in index order. The keys are used up (their arrays serve as scratch). */
export function argsortIntegerKeys(keys: IntegerKeys): Int32Array {
  const { low, high, bits } = keys;
  const n = low.length;
  const passes = Math.ceil(bits / MAX_DIGIT_BITS);
  const width = passes === 0 ? 0 : Math.ceil(bits / passes);
  if (high === null || bits - width <= 32) {
    if (high !== null) return argsortWideKeys(low, high, passes, width);
    const buckets = 1 << width;
    const mask = buckets - 1;
    const counts = new Int32Array(passes * buckets);
    for (let i = 0; i < n; i++) for (let pass = 0; pass < passes; pass++) counts[pass * buckets + ((low[i] >>> (pass * width)) & mask)]++;
    return keyPasses(low, null, counts, passes, width, 0, 0);
  }
  const index = new Int32Array(n);
  for (let i = 0; i < n; i++) index[i] = i;
  return radixPasses(keys, index);
}

/**
 * Sorts whole numbers spanning at most 32 bits (durations up to 49 days in ms) ascending in place: LSD passes of
 * ≤ 12-bit digits on the offsets from the minimum, written back as min + offset (exact). For the mid-sized
 * columns of a report (a few thousand to a few hundred thousand values) this beats both the built-in sort and
 * the general 16-bit radix, whose 65,536 counters per pass dominate there. False (values untouched) otherwise.
 */
export function sortSmallSpanIntegers(values: Float64Array): boolean {
  // At most 32 bits asked for before the keys are made (h27b-cold): a wider span (lead times over 49.7 days of ms)
  // filled both key halves, 8 bytes a value, only to be turned down here.
  const keys = integerKeys(values, 32);
  if (keys === null || keys.high !== null) return false;
  const n = values.length;
  const passes = Math.ceil(keys.bits / MAX_DIGIT_BITS);
  let low = keys.low;
  if (passes > 0) {
    const width = Math.ceil(keys.bits / passes);
    const mask = (1 << width) - 1;
    const buckets = 1 << width;
    const counts = new Int32Array(passes * buckets);
    for (let i = 0; i < n; i++) for (let pass = 0; pass < passes; pass++) counts[pass * buckets + ((low[i] >>> (pass * width)) & mask)]++;
    let scratch = new Uint32Array(n);
    for (let pass = 0; pass < passes; pass++) {
      const shift = pass * width;
      const base = pass * buckets;
      if (counts[base + ((low[0] >>> shift) & mask)] === n) continue;
      let offset = 0;
      for (let b = base; b < base + buckets; b++) {
        const count = counts[b];
        counts[b] = offset;
        offset += count;
      }
      for (let i = 0; i < n; i++) scratch[counts[base + ((low[i] >>> shift) & mask)]++] = low[i];
      [low, scratch] = [scratch, low];
    }
  }
  for (let i = 0; i < n; i++) values[i] = keys.min + low[i];
  return true;
}
