/**
 * The value holder of the mergeable partials (src/vsm/case-chain.ts): the values of many distributions at once (a
 * DFG edge's times, a handoff pair's waits), group g's at values[offset[g], end[g]) in the order they were met.
 * Partials of contiguous case partitions merge by concatenating each group's values in partition order, which
 * is the order one pass over all cases meets them: a sum in that order (a DFG edge's mean) is the same bit for bit.
 * The values stay exact; a quantile sketch above a size limit would replace this type's merge and its readers.
 */
export interface GroupedValues {
  /** Length groups + 1: group g holds at most offset[g + 1] − offset[g] values. */
  readonly offset: Int32Array;
  /** Group g's values end here (values may be fewer than the room: a DFG edge's transitions without a time). */
  readonly end: Int32Array;
  readonly values: Float64Array;
}

/** Group g's values (a view, no copy). */
export function groupValues(grouped: GroupedValues, group: number): Float64Array {
  return grouped.values.subarray(grouped.offset[group], grouped.end[group]);
}

/** Room for `counts[g]` values per group, nothing written yet (end = offset). */
export function groupedRoom(counts: ArrayLike<number>, groupCount: number): GroupedValues {
  const offset = new Int32Array(groupCount + 1);
  for (let g = 0; g < groupCount; g++) offset[g + 1] = offset[g] + counts[g];
  return { offset, end: offset.slice(0, groupCount), values: new Float64Array(offset[groupCount]) };
}

/**
 * The groups of several partials as one, in partition order: part p's group g is group `groupOf[p][g]` of the
 * result, which has `groupCount` groups with room for `counts` values each (counts ≥ what the parts hold).
 */
export function mergeGroupedValues(parts: readonly GroupedValues[], groupOf: readonly ArrayLike<number>[], counts: ArrayLike<number>, groupCount: number): GroupedValues {
  const merged = groupedRoom(counts, groupCount);
  const { end, values } = merged;
  parts.forEach((part, p) => {
    const map = groupOf[p];
    for (let g = 0; g < part.end.length; g++) {
      const from = part.offset[g];
      const length = part.end[g] - from;
      const target = map[g];
      values.set(part.values.subarray(from, from + length), end[target]);
      end[target] += length;
    }
  });
  return merged;
}
