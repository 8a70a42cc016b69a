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
  let kept = 0;
  const values = new Float64Array(durationsMs.length);
  for (let k = 0; k < durationsMs.length; k++) if (!Number.isNaN(durationsMs[k])) values[kept++] = durationsMs[k];
  if (kept === 0) return [];
  const upperMs = Math.max(quantileInPlace(values.subarray(0, kept), 0.99), 1);
  const widthMs = niceBinWidthMs(upperMs / binCount);
  // floor + 1 so the bin holding p99 itself is regular (bins are half-open [from, to)).
  const regular = Math.floor(upperMs / widthMs) + 1;
  const bins: HistogramBin[] = Array.from({ length: regular }, (_, k) => ({ fromMs: k * widthMs, toMs: (k + 1) * widthMs, closed: 0, censored: 0 }));
  const overflow: HistogramBin = { fromMs: regular * widthMs, toMs: null, closed: 0, censored: 0 };
  for (let k = 0; k < durationsMs.length; k++) {
    const ms = durationsMs[k];
    if (Number.isNaN(ms)) continue;
    const index = Math.floor(Math.max(ms, 0) / widthMs);
    const bin = index < regular ? bins[index] : overflow;
    if (censored[k] === 1) bin.censored++;
    else bin.closed++;
  }
  if (overflow.closed + overflow.censored > 0) bins.push(overflow);
  return bins;
}
