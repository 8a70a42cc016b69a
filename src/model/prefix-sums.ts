/**
 * Each count plus the counts before it, in place: counts of per-key items at key + 1 become each key's first place.
 * A leaf of its own: a caller's counting loop compiled on entry (OSR) does not reach a second loop without type feedback.
 * @example prefixSumsInPlace(Int32Array.of(0, 2, 1, 3)) // Int32Array [0, 2, 3, 6]
 */
export function prefixSumsInPlace(counts: Int32Array): Int32Array {
  for (let k = 1; k < counts.length; k++) counts[k] += counts[k - 1];
  return counts;
}
