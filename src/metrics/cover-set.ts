/**
 * Coverage of the elementary segments [xs[i], xs[i+1]) by intervals that are only ever added (never removed), as
 * the wait-cause sweep needs: a segment becomes covered once, so a "next uncovered segment" union-find skips
 * what is covered already and each segment's length enters a Fenwick tree of covered lengths exactly once.
 * Adding costs the newly covered segments (amortised), not a tree walk per interval; the covered length of a range
 * is two prefix sums. With whole-ms coordinates every sum is an exact integer, as in a segment tree.
 */
/** Columns a CoverSet may be built on (reused scratch): see its constructor. */
export interface CoverSetColumns {
  readonly next: Int32Array;
  readonly lengths: Float64Array;
}

export class CoverSet {
  private readonly segments: number;
  /**
   * next[i] = i: segment i is uncovered; else a segment > i that may be uncovered (every segment in between is
   * covered), compressed towards the first uncovered one. next[segments] = segments ends every walk.
   */
  private readonly next: Int32Array;
  /** Fenwick tree (1-based) of covered segment lengths. */
  private readonly lengths: Float64Array;

  /**
   * @param columns scratch to build on instead of columns of its own (at least segments + 1 long each,
   * segments = xs.length − 1): reset here, then owned by this set until it is dropped.
   */
  constructor(
    private readonly xs: Float64Array,
    columns?: CoverSetColumns,
  ) {
    const segments = Math.max(0, xs.length - 1);
    this.segments = segments;
    if (columns && (columns.next.length < segments + 1 || columns.lengths.length < segments + 1)) throw new Error('CoverSet: scratch columns shorter than the segments');
    this.next = identity(columns ? columns.next.subarray(0, segments + 1) : new Int32Array(segments + 1));
    this.lengths = columns ? columns.lengths.subarray(0, segments + 1).fill(0) : new Float64Array(segments + 1);
  }

  /** The first uncovered segment ≥ i (this.segments when none), halving the path walked. */
  private firstUncovered(i: number): number {
    const { next } = this;
    while (next[i] !== i) {
      const up = next[next[i]];
      next[i] = up;
      i = up;
    }
    return i;
  }

  /**
   * Covers segments [fromIndex, toIndex) (the interval [xs[fromIndex], xs[toIndex])). Each run of newly covered
   * adjacent segments [i, j) enters the tree at once: node t (1-based) holds segments [t − lowbit(t), t), so it gains
   * xs[min(t, j)] − xs[max(t − lowbit(t), i)] — the nodes t in (i, j] and those above j on j's path, instead of
   * a path per segment. The node sums are the same (exact integers with whole-ms coordinates). The run's segments
   * point at j (covered, or toIndex): a later walk from inside it takes one step to leave it.
   */
  add(fromIndex: number, toIndex: number): void {
    const { xs, next, lengths, segments } = this;
    let i = this.firstUncovered(fromIndex);
    while (i < toIndex) {
      let j = i + 1;
      while (j < toIndex && next[j] === j) j++;
      for (let s = i; s < j; s++) next[s] = j;
      for (let node = i + 1; node <= j; node++) lengths[node] += xs[node] - xs[Math.max(node - (node & -node), i)];
      for (let node = j + (j & -j); node <= segments; node += node & -node) lengths[node] += xs[j] - xs[Math.max(node - (node & -node), i)];
      if (j >= toIndex) break;
      i = this.firstUncovered(j);
    }
  }

  /**
   * Covered length of segments [from, to] (indices): the prefix sum to to + 1 minus the one to from, the two walks
   * stopping where they meet (the nodes above are in both sums and cancel; with whole-ms coordinates every partial
   * sum is an exact integer, so leaving them out changes nothing). A short range costs a short walk.
   */
  coveredOf(from: number, to: number): number {
    if (from > to) return 0;
    const { lengths } = this;
    let total = 0;
    let high = to + 1;
    let low = from;
    while (high !== low) {
      if (high > low) {
        total += lengths[high];
        high -= high & -high;
      } else {
        total -= lengths[low];
        low -= low & -low;
      }
    }
    return total;
  }

  /** Whether segment i is covered. */
  isCovered(i: number): boolean {
    return this.next[i] !== i;
  }
}

/**
 * next[i] = i for every i (every segment uncovered): a function of its own, so the constructor is not compiled on entry
 * into this loop (OSR) and bailed out of on its next statement, once per set built (a cover set per resource run).
 */
function identity(next: Int32Array): Int32Array {
  for (let i = 0; i < next.length; i++) next[i] = i;
  return next;
}
