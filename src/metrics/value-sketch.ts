/**
 * Bounded distributions (issue 14, item 3): a distribution keeps its values exactly up to `exactValuesLimit()` values
 * and holds a quantile sketch above it. The sketch is DDSketch (@datadog/sketches-js, Apache-2.0): a value v > 0
 * goes to bucket ⌈log_γ v⌉ with γ = (1 + α)/(1 − α), and a bucket is read back as 2γ^k/(1 + γ), within relative
 * error α of every value in it. Merging adds bucket counts, so it is exact and independent of order and grouping:
 * K partitions merged hold the very counts one pass gives (tests/metrics/value-sketch.test.ts).
 *
 * What the library does not do and this wrapper does: count, sum, min and max stay exact beside the sketch (the
 * library's own sum is a float sum in merge order); zeros are counted exactly (the library counts values
 * ≤ 2^−1023·γ as zero, and durations are whole ms, so every other value is ≥ 1); negative values go to a second sketch
 * of their magnitudes, because the library's merge (2.1.1) drops the negative store; NaN is skipped as summarize
 * skips it. The library's getValueAtQuantile reads the *lower* order statistic at rank q·(n − 1); vsm's quantile is
 * type 7 (interpolated between ranks ⌊h⌋ and ⌊h⌋ + 1, h = (n − 1)·p), so `quantile` reads both order statistics
 * from the buckets and interpolates: each is within α of the true one and the interpolation is a convex combination,
 * so for values of one sign the result is within relative error α of the exact type-7 quantile (for a quantile
 * that interpolates across 0 between a negative and a positive value the bound is α·max(|x⌊h⌋|, |x⌊h⌋+1|)). Each
 * order statistic is clamped into the exact [min, max], which can only bring it closer.
 */
import { DDSketch } from '@datadog/sketches-js';

/** α: the relative error bound of every quantile read from a sketch (stated in report.json and the README). */
export const SKETCH_RELATIVE_ACCURACY = 0.01;

/** What report.json says of a figure read from a sketch. */
export const SKETCH_APPROXIMATION = { method: 'DDSketch', relativeAccuracy: SKETCH_RELATIVE_ACCURACY } as const;

/**
 * Default exact-values limit per distribution: 2^20 = 1,048,576 values (8 MiB of doubles). No shared log and neither
 * bench log crosses it (the largest distributions of the 5 M bench log: a step's 622,924 visits, a DFG edge's 418,476
 * transitions, a handoff pair's 381,161 handoffs), so their reports stay exact and byte-identical; at 100 M events
 * (≈ 50 M visits, 12 M cases) the large distributions go to sketches, a few thousand buckets each.
 */
export const DEFAULT_EXACT_VALUES_LIMIT = 1 << 20;

/** Largest limit accepted from the environment (a cap on a user-controlled number: the Int32 offsets of the rooms). */
export const MAX_EXACT_VALUES_LIMIT = 2 ** 31 - 1;

/** The internal environment variable that forces a (small) limit, for tests; read here only. */
export const EXACT_VALUES_LIMIT_ENV = 'VSM_EXACT_VALUES_LIMIT';

/** The exact-values limit: VSM_EXACT_VALUES_LIMIT when it is a whole number ≥ 0, else the default. */
export function exactValuesLimit(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[EXACT_VALUES_LIMIT_ENV];
  if (text === undefined || !/^\d+$/.test(text.trim())) return DEFAULT_EXACT_VALUES_LIMIT;
  return Math.min(MAX_EXACT_VALUES_LIMIT, Number(text.trim()));
}

/** A distribution's values as a sketch: exact count, sum, min, max and zeros; approximate order statistics. */
export class ValueSketch {
  /** Values that are not NaN. */
  count = 0;
  /** Their sum, added in the order they were met (partials: part by part). */
  sum = 0;
  min = Infinity;
  max = -Infinity;
  /** Values equal to 0 (±0). */
  zeros = 0;
  /** Values > 0. */
  readonly positive = new DDSketch({ relativeAccuracy: SKETCH_RELATIVE_ACCURACY });
  /** Magnitudes of the values < 0. */
  readonly negative = new DDSketch({ relativeAccuracy: SKETCH_RELATIVE_ACCURACY });

  /** Adds one value (NaN is skipped). */
  add(value: number): void {
    if (Number.isNaN(value)) return;
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    if (value > 0) this.positive.accept(value);
    else if (value < 0) this.negative.accept(-value);
    else this.zeros++;
  }

  /** Adds every value of `values` in their order. */
  addAll(values: ArrayLike<number>): void {
    for (let k = 0; k < values.length; k++) this.add(values[k]);
  }

  /** Adds another sketch's counts (exact: bucket counts add); the sum adds `other`'s after this one's. */
  merge(other: ValueSketch): void {
    if (other.count === 0) return;
    this.count += other.count;
    this.sum += other.sum;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
    this.zeros += other.zeros;
    this.positive.merge(other.positive);
    this.negative.merge(other.negative);
  }

  /**
   * The value of 0-based ascending rank r (0 ≤ r < count) read from the buckets, clamped into [min, max]: within
   * relative error α of the exact r-th smallest value.
   */
  valueAtRank(rank: number): number {
    const r = Math.min(this.count - 1, Math.max(0, Math.floor(rank)));
    const negatives = this.negative.count;
    let value: number;
    if (r < negatives) {
      // Ascending rank r among the negatives is descending rank negatives − 1 − r among their magnitudes.
      const magnitudeRank = negatives - 1 - r;
      value = magnitudeRank < this.negative.zeroCount ? 0 : -this.negative.mapping.value(this.negative.store.keyAtRank(magnitudeRank - this.negative.zeroCount));
    } else if (r < negatives + this.zeros) {
      value = 0;
    } else {
      const positiveRank = r - negatives - this.zeros;
      // The library counts values ≤ 2^−1023·γ as its zeros: they are the smallest positives.
      value = positiveRank < this.positive.zeroCount ? this.min : this.positive.mapping.value(this.positive.store.keyAtRank(positiveRank - this.positive.zeroCount));
    }
    return Math.min(this.max, Math.max(this.min, value));
  }

  /** Type-7 p-quantile from the order statistics at ranks ⌊h⌋ and ⌊h⌋ + 1 (NaN when empty); see the header for the bound. */
  quantile(p: number): number {
    const n = this.count;
    if (n === 0) return NaN;
    const h = (n - 1) * Math.min(1, Math.max(0, p));
    const lowRank = Math.floor(h);
    const fraction = h - lowRank;
    const low = this.valueAtRank(lowRank);
    return fraction === 0 ? low : low + fraction * (this.valueAtRank(lowRank + 1) - low);
  }
}
