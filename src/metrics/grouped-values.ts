/**
 * The value holder of the mergeable partials (src/vsm/case-chain.ts): the values of many distributions at once (a
 * DFG edge's times, a handoff pair's waits), group g's at values[offset[g], end[g]) in the order they were met.
 * Partials of contiguous case partitions merge by concatenating each group's values in partition order, which
 * is the order one pass over all cases meets them: a sum in that order (a DFG edge's mean) is the same bit for bit.
 *
 * Bounded (issue 14, item 3): a group whose count (known before any value is written) is over the exact-values limit
 * gets no room; it holds a ValueSketch instead (src/metrics/value-sketch.ts), written with `addGroupValue`. A merged
 * group over the limit is a sketch of its parts (their sketches merged, their exact values added in partition order):
 * the same bucket counts, count, min and max as one pass, so K partitions give the same report as one.
 */
import { exactValuesLimit, ValueSketch } from './value-sketch.js';

export interface GroupedValues {
  /** Length groups + 1: group g holds at most offset[g + 1] − offset[g] values. */
  readonly offset: Int32Array;
  /** Group g's values end here (values may be fewer than the room: a DFG edge's transitions without a time). */
  readonly end: Int32Array;
  readonly values: Float64Array;
  /** sketches[g]: group g's sketch when its count was over the limit (its room is empty); null when no group is. */
  readonly sketches: ReadonlyArray<ValueSketch | undefined> | null;
}

/** Group g's exact values (a view, no copy; empty for a sketched group: see groupSketch). */
export function groupValues(grouped: GroupedValues, group: number): Float64Array {
  return grouped.values.subarray(grouped.offset[group], grouped.end[group]);
}

/** Group g's sketch when it is held as one, else undefined (its values are exact: groupValues). */
export function groupSketch(grouped: GroupedValues, group: number): ValueSketch | undefined {
  return grouped.sketches === null ? undefined : grouped.sketches[group];
}

/** Writes one value of group g: into its room, or into its sketch when it has one (the slow path of the writers). */
export function addGroupValue(grouped: GroupedValues, group: number, value: number): void {
  const sketch = groupSketch(grouped, group);
  if (sketch !== undefined) sketch.add(value);
  else grouped.values[grouped.end[group]++] = value;
}

/**
 * Room for `counts[g]` values per group, nothing written yet (end = offset); a group with more than `limit` values
 * gets a sketch and no room, so its values are never all allocated.
 */
export function groupedRoom(counts: ArrayLike<number>, groupCount: number, limit: number = exactValuesLimit()): GroupedValues {
  const offset = new Int32Array(groupCount + 1);
  let sketches: Array<ValueSketch | undefined> | null = null;
  for (let g = 0; g < groupCount; g++) {
    if (counts[g] > limit) {
      sketches ??= new Array<ValueSketch | undefined>(groupCount).fill(undefined);
      sketches[g] = new ValueSketch();
      offset[g + 1] = offset[g];
    } else {
      offset[g + 1] = offset[g] + counts[g];
    }
  }
  return { offset, end: offset.slice(0, groupCount), values: new Float64Array(offset[groupCount]), sketches };
}

/**
 * The groups of several partials as one, in partition order: part p's group g is group `groupOf[p][g]` of the
 * result, which has `groupCount` groups with room for `counts` values each (counts ≥ what the parts hold, so a part's
 * sketched group always lands in a sketched group).
 */
export function mergeGroupedValues(
  parts: readonly GroupedValues[],
  groupOf: readonly ArrayLike<number>[],
  counts: ArrayLike<number>,
  groupCount: number,
  limit: number = exactValuesLimit(),
): GroupedValues {
  const merged = groupedRoom(counts, groupCount, limit);
  const { end, values } = merged;
  parts.forEach((part, p) => {
    const map = groupOf[p];
    for (let g = 0; g < part.end.length; g++) {
      const from = part.offset[g];
      const length = part.end[g] - from;
      const target = map[g];
      const targetSketch = groupSketch(merged, target);
      const partSketch = groupSketch(part, g);
      if (targetSketch !== undefined) {
        if (partSketch !== undefined) targetSketch.merge(partSketch);
        else targetSketch.addAll(part.values.subarray(from, from + length));
        continue;
      }
      if (partSketch !== undefined) throw new Error('mergeGroupedValues: a sketched group cannot merge into a group within the exact-values limit');
      values.set(part.values.subarray(from, from + length), end[target]);
      end[target] += length;
    }
  });
  return merged;
}
