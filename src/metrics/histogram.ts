/**
 * A histogram of case durations for the lead-time chart: equal "nice" bins (1, 2 or 5 × 10^k of an hour or a day)
 * from 0 up to the 99th percentile, then one overflow bin for the tail, each split into closed and censored cases
 * (a censored case is counted at the duration measured so far: it will end in that bin or later).
 */
import { quantileInPlace } from './select.js';

export interface HistogramBin {
  fromMs: number;
  /** Exclusive; null for the overflow bin. */
  toMs: number | null;
  closed: number;
  censored: number;
}

const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;
const NICE_STEPS = [1, 2, 5];

/** The smallest "nice" width ≥ `rawMs`: 1/2/5 × 10^k minutes below an hour, hours below a day, days above. */
export function niceBinWidthMs(rawMs: number): number {
  const unit = rawMs >= MS_PER_DAY ? MS_PER_DAY : rawMs >= MS_PER_HOUR ? MS_PER_HOUR : 60_000;
  const scaled = rawMs / unit;
  const power = 10 ** Math.floor(Math.log10(Math.max(scaled, 1e-9)));
  for (const step of NICE_STEPS) if (step * power >= scaled) return step * power * unit;
  return 10 * power * unit;
}

export function durationHistogram(durationsMs: Float64Array, censored: Uint8Array, binCount = 20): HistogramBin[] {
  // p99 by selection, not a sort: it is quantileSorted's value (a ±0 either way ends as the floor of 1 ms).
  const values = new Float64Array(durationsMs.length);
  const kept = copyKept(durationsMs, values);
  if (kept === 0) return [];
  const upperMs = Math.max(quantileInPlace(values.subarray(0, kept), 0.99), 1);
  const widthMs = niceBinWidthMs(upperMs / binCount);
  // floor + 1 so the bin holding p99 itself is regular (bins are half-open [from, to)).
  const regular = Math.floor(upperMs / widthMs) + 1;
  // Counts per bin, the overflow bin last. An infinite p99 makes `regular` NaN: no regular bin, every case in the
  // overflow bin (from NaN), as the bins built with Array.from's length of NaN (0) always had it.
  const overflow = Number.isNaN(regular) ? 0 : regular;
  const closed = new Int32Array(overflow + 1);
  const censoredCounts = new Int32Array(overflow + 1);
  countBins(durationsMs, censored, widthMs, overflow, closed, censoredCounts);
  const bins: HistogramBin[] = Array.from({ length: overflow }, (_, k) => ({ fromMs: k * widthMs, toMs: (k + 1) * widthMs, closed: closed[k], censored: censoredCounts[k] }));
  if (closed[overflow] + censoredCounts[overflow] > 0) bins.push({ fromMs: regular * widthMs, toMs: null, closed: closed[overflow], censored: censoredCounts[overflow] });
  return bins;
}

/*
 * durationHistogram's two passes over every case as leaf functions over typed arrays: inside it, each loop was
 * compiled on the fly and thrown away at the cold code after it (4 times in a 1 M-event analysis), and the second
 * one counted into objects.
 */

/** Copies the durations that are not NaN to the front of `values`, in their order; returns how many. */
function copyKept(durationsMs: Float64Array, values: Float64Array): number {
  let kept = 0;
  const length = durationsMs.length;
  for (let k = 0; k < length; k++) {
    const ms = durationsMs[k];
    if (!Number.isNaN(ms)) values[kept++] = ms;
  }
  return kept;
}

/** Counts each duration (NaN skipped) into its bin of width `widthMs`, bin `overflow` from there on, closed or censored. */
function countBins(durationsMs: Float64Array, censored: Uint8Array, widthMs: number, overflow: number, closed: Int32Array, censoredCounts: Int32Array): void {
  const length = durationsMs.length;
  for (let k = 0; k < length; k++) {
    const ms = durationsMs[k];
    if (Number.isNaN(ms)) continue;
    const index = Math.floor(Math.max(ms, 0) / widthMs);
    const bin = index < overflow ? index : overflow;
    // The target chosen by a conditional, one increment on every value (h27b-cold): an increment only censored values
    // reach had no type feedback when V8 compiled the loop on the fly, and that code was thrown away at the first one.
    const counts = censored[k] === 1 ? censoredCounts : closed;
    counts[bin]++;
  }
}
