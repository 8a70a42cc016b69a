/**
 * Median by quickselect, shared by the directly-follows graph, handoff costs and the permutation test: each
 * needs many medians of scratch ranges, where a full sort per median would dominate the run time.
 */

/** Median as pandas computes it (mean of the two middle values for even n), by quickselect; reorders `values`. */
export function medianInPlace(values: Float64Array): number | null {
  return values.length === 0 ? null : medianOfRangeInPlace(values, 0, values.length);
}

/** Median of values[from, to) (non-empty; mean of the two middle values for even length) by quickselect; reorders that range. */
export function medianOfRangeInPlace(values: Float64Array, from: number, to: number): number {
  const n = to - from;
  const upperRank = from + (n >> 1);
  selectInPlace(values, from, to - 1, upperRank);
  if (n % 2 === 1) return values[upperRank];
  // Even n: the lower middle is the largest value left of the upper middle after selection.
  return (largestOf(values, from, upperRank) + values[upperRank]) / 2;
}

/**
 * The largest of values[from, to) (to > from; the first of equal ones, NaN kept as `>` keeps it). A leaf: inside
 * medianOfRangeInPlace the loop ran only for even n, so code compiled after odd-n calls was thrown away on the first
 * even one and the loop began in the interpreter (3 deopts in a 1 M-event analysis).
 */
function largestOf(values: Float64Array, from: number, to: number): number {
  let largest = values[from];
  for (let k = from + 1; k < to; k++) if (values[k] > largest) largest = values[k];
  return largest;
}

/**
 * The sum of the values in their order. A leaf function: a sum loop inside a caller with cold code after it (the
 * result object of summarizeKept, a DFG edge's) was compiled on the fly and thrown away at its end on every call
 * (11 times each in a 1 M-event analysis).
 */
export function sumInOrder(values: Float64Array): number {
  let sum = 0;
  const n = values.length;
  for (let k = 0; k < n; k++) sum += values[k];
  return sum;
}

/** Hoare-style quickselect over values[left..right]: afterwards values[rank] is in sorted position, smaller left, larger right. */
export function selectInPlace(values: Float64Array, left: number, right: number, rank: number): void {
  while (right > left) {
    const pivot = values[(left + right) >> 1];
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const swap = values[i];
        values[i] = values[j];
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (rank <= j) right = j;
    else if (rank >= i) left = i;
    else return;
  }
}

/**
 * The type-7 p-quantile (quantileSorted's definition) of values without NaN, by quickselect instead of a sort:
 * the value at rank ⌊h⌋ and the smallest value right of it; reorders `values`. NaN for an empty array.
 */
export function quantileInPlace(values: Float64Array, p: number): number {
  const n = values.length;
  if (n === 0) return NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, p));
  const lowRank = Math.floor(h);
  const fraction = h - lowRank;
  selectInPlace(values, 0, n - 1, lowRank);
  const low = values[lowRank];
  if (fraction === 0) return low;
  let next = values[lowRank + 1];
  for (let k = lowRank + 2; k < n; k++) if (values[k] < next) next = values[k];
  return low + fraction * (next - low);
}

/**
 * Several order statistics at once: afterwards values[rank] is in sorted position for every rank of `ranks`
 * (ascending, distinct, within [left, right]). Each quickselect splits the range, the ranks on either side are
 * selected within their part only, so k ranks cost about log k passes over the values instead of a sort.
 */
export function selectRanksInPlace(values: Float64Array, ranks: readonly number[], left = 0, right = values.length - 1, first = 0, last = ranks.length - 1): void {
  if (first > last || right < left) return;
  const middle = (first + last) >> 1;
  const rank = ranks[middle];
  selectInPlace(values, left, right, rank);
  selectRanksInPlace(values, ranks, left, rank - 1, first, middle - 1);
  selectRanksInPlace(values, ranks, rank + 1, right, middle + 1, last);
}

/** Bucket counts of `wholeRanks`, reused across calls (one level at a time; 256 KiB). */
let bucketCounts: Int32Array | null = null;
/** Bucket → 1 + the index of its segment in the gathered values (0: no asked rank falls in it). */
let bucketSlots: Int32Array | null = null;
const MAX_BUCKET_BITS = 16;
/** At most this many values are sorted instead of bucketed again. */
const SORT_AT_MOST = 256;

/**
 * The values at several ranks (ascending, distinct, in [0, values.length)) of whole numbers in [min, max], where
 * max − min < 2^53, without reordering `values`: a radix selection. One pass counts the values per bucket of the
 * top bits of value − min (at most 2^16 buckets, each a power of two wide, so the bucket is exact and
 * monotone in the value), a walk of the counts finds the bucket of every asked rank, and a second pass gathers the
 * few buckets asked for; each is then sorted (≤ 256 values) or bucketed again by its own span (at most four levels
 * for 53 bits). Two predictable passes instead of quickselect's data-dependent swaps (issue 14: the per-step
 * distributions). Exact: the k-th smallest value is one number whatever finds it.
 * @example wholeRanks(Float64Array.of(5, 1, 4), [0, 2], 1, 5) // Float64Array [1, 5]
 */
export function wholeRanks(values: Float64Array, ranks: readonly number[], min: number, max: number): Float64Array {
  const out = new Float64Array(ranks.length);
  rankLevel(values, ranks, Array.from(ranks, (_, k) => k), min, max, out);
  return out;
}

function rankLevel(values: Float64Array, ranks: readonly number[], slots: readonly number[], min: number, max: number, out: Float64Array): void {
  const count = values.length;
  if (min === max) {
    for (const slot of slots) out[slot] = min;
    return;
  }
  if (count <= SORT_AT_MOST) {
    const sorted = Float64Array.from(values).sort();
    for (let k = 0; k < ranks.length; k++) out[slots[k]] = sorted[ranks[k]];
    return;
  }
  const span = max - min;
  let spanBits = 0;
  while (spanBits < 54 && 2 ** spanBits <= span) spanBits++;
  let bucketBits = MAX_BUCKET_BITS;
  while (bucketBits > 8 && 2 ** (bucketBits + 2) > count) bucketBits--;
  const shift = Math.max(0, spanBits - bucketBits);
  const scale = 2 ** -shift;
  const bucketCount = 2 ** Math.min(spanBits, bucketBits);
  bucketCounts ??= new Int32Array(2 ** MAX_BUCKET_BITS);
  bucketSlots ??= new Int32Array(2 ** MAX_BUCKET_BITS);
  const counts = bucketCounts;
  counts.fill(0, 0, bucketCount);
  countBuckets(values, min, scale, counts);
  // The bucket of each asked rank, and the ranks below it.
  const bucketOf = new Int32Array(ranks.length);
  const belowOf = new Float64Array(ranks.length);
  locateRanks(counts, ranks, bucketOf, belowOf);
  // One segment per distinct bucket asked for.
  const segmentBuckets: number[] = [];
  const segmentStart: number[] = [];
  let size = 0;
  for (const b of bucketOf) {
    if (segmentBuckets.length > 0 && segmentBuckets[segmentBuckets.length - 1] === b) continue;
    segmentBuckets.push(b);
    segmentStart.push(size);
    size += counts[b];
  }
  const slotOf = bucketSlots;
  segmentBuckets.forEach((b, s) => (slotOf[b] = s + 1));
  const gathered = new Float64Array(size);
  const fill = Int32Array.from(segmentStart);
  gatherBuckets(values, min, scale, slotOf, fill, gathered);
  for (const b of segmentBuckets) slotOf[b] = 0;
  // counts is reused by the next level: everything needed from it is read here. An Int32Array: the array `map` gave
  // had an elements kind that changed from call to call, and rankLevel's compiled code was thrown away at it ("wrong
  // map") and compiled again (≈ 30 ms of compile time each, h27b-cold).
  const segmentCounts = new Int32Array(segmentBuckets.length);
  for (let s = 0; s < segmentBuckets.length; s++) segmentCounts[s] = counts[segmentBuckets[s]];
  const segmentMin = segmentBuckets.map(() => Infinity);
  const segmentMax = segmentBuckets.map(() => -Infinity);
  const range = rangeScratch;
  for (let s = 0; s < segmentBuckets.length; s++) {
    rangeOf(gathered.subarray(segmentStart[s], segmentStart[s] + segmentCounts[s]), range);
    segmentMin[s] = range[0];
    segmentMax[s] = range[1];
  }
  for (let s = 0; s < segmentBuckets.length; s++) {
    const innerRanks: number[] = [];
    const innerSlots: number[] = [];
    for (let k = 0; k < ranks.length; k++) {
      if (bucketOf[k] !== segmentBuckets[s]) continue;
      innerRanks.push(ranks[k] - belowOf[k]);
      innerSlots.push(slots[k]);
    }
    const segment = gathered.subarray(segmentStart[s], segmentStart[s] + segmentCounts[s]);
    rankLevel(segment, innerRanks, innerSlots, segmentMin[s], segmentMax[s], out);
  }
}

/*
 * rankLevel's two passes over all values, as leaf functions: they see only typed arrays and numbers, so V8 optimises
 * them once and keeps them, while rankLevel itself (recursive, with cold paths after its loops) was deoptimised
 * 121 times in a 1 M-event analysis and ran its loops in the interpreter after each (h25-read).
 */

/**
 * The bucket of each asked rank (ascending) into bucketOf, the count of the values in the buckets below it into
 * belowOf. A leaf (h27b-cold): the walk can cross all 2^16 buckets, and inside rankLevel V8 compiled the whole of
 * rankLevel on the fly for it (≈ 30 ms of compile time, twice a 1 M-event analysis).
 */
function locateRanks(counts: Int32Array, ranks: readonly number[], bucketOf: Int32Array, belowOf: Float64Array): void {
  let bucket = 0;
  let below = 0;
  for (let k = 0; k < ranks.length; k++) {
    const rank = ranks[k];
    while (below + counts[bucket] <= rank) below += counts[bucket++];
    bucketOf[k] = bucket;
    belowOf[k] = below;
  }
}

/** counts[bucket of v]++ for every value; (value − min) · scale is in [0, 2^16), so truncating with | 0 is its floor. */
function countBuckets(values: Float64Array, min: number, scale: number, counts: Int32Array): void {
  const count = values.length;
  for (let k = 0; k < count; k++) counts[((values[k] - min) * scale) | 0]++;
}

/** rangeOf's results: min, max. */
const rangeScratch = new Float64Array(2);

/** Min and max of the values (Infinity and −Infinity when there are none) into range[0] and range[1]. */
function rangeOf(values: Float64Array, range: Float64Array): void {
  let min = Infinity;
  let max = -Infinity;
  const count = values.length;
  for (let k = 0; k < count; k++) {
    const value = values[k];
    if (value < min) min = value;
    if (value > max) max = value;
  }
  range[0] = min;
  range[1] = max;
}

/** Appends each value whose bucket has a slot (1 + segment) to its segment of `gathered`, in value order. */
function gatherBuckets(values: Float64Array, min: number, scale: number, slotOf: Int32Array, fill: Int32Array, gathered: Float64Array): void {
  const count = values.length;
  for (let k = 0; k < count; k++) {
    const value = values[k];
    const slot = slotOf[((value - min) * scale) | 0];
    if (slot !== 0) gathered[fill[slot - 1]++] = value;
  }
}
