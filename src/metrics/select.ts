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
  let lowerMiddle = values[from];
  for (let k = from + 1; k < upperRank; k++) if (values[k] > lowerMiddle) lowerMiddle = values[k];
  return (lowerMiddle + values[upperRank]) / 2;
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
