import { describe, expect, it } from 'vitest';
import { durationHistogram, niceBinWidthMs } from '../../src/metrics/histogram.js';

const H = 3_600_000;
const D = 86_400_000;

describe('niceBinWidthMs', () => {
  it('rounds up to 1, 2 or 5 × 10^k of minutes, hours or days', () => {
    expect(niceBinWidthMs(1.3 * H)).toBe(2 * H);
    expect(niceBinWidthMs(3 * H)).toBe(5 * H);
    expect(niceBinWidthMs(1.5 * D)).toBe(2 * D);
    expect(niceBinWidthMs(7 * D)).toBe(10 * D);
    expect(niceBinWidthMs(25 * 60_000)).toBe(50 * 60_000);
  });
});

describe('durationHistogram', () => {
  it('puts closed and censored cases in equal bins up to p99', () => {
    // 0 h, 1 h, 3 h (censored), 5 h, and 100 h. p99 (type 7) = 5 + 0.96 × 95 = 96.2 h → raw width 96.2 / 4 = 24.05 h → 2 d bins.
    // ⌊96.2 h / 48 h⌋ + 1 = 3 regular bins cover [0, 6 d): [0, 2 d) holds 0, 1, 3 (censored), 5 h; [2 d, 4 d) nothing;
    // [4 d, 6 d) holds 100 h = 4.17 d. Nothing is beyond, so there is no overflow bin.
    const durations = Float64Array.from([0, 1 * H, 3 * H, 5 * H, 100 * H]);
    const censored = Uint8Array.from([0, 0, 1, 0, 0]);
    expect(durationHistogram(durations, censored, 4)).toEqual([
      { fromMs: 0, toMs: 2 * D, closed: 3, censored: 1 },
      { fromMs: 2 * D, toMs: 4 * D, closed: 0, censored: 0 },
      { fromMs: 4 * D, toMs: 6 * D, closed: 1, censored: 0 },
    ]);
  });
  it('adds an overflow bin for values beyond the regular bins', () => {
    // 100 values of 1 h and one of 1,000 h: p99 (type 7, rank 99 of 0..100) = 1 h; raw width 3 m → 5 m bins;
    // ⌊60 / 5⌋ + 1 = 13 regular bins [0, 65 m): the 1 h values sit in [60 m, 65 m), 1,000 h in the overflow bin [65 m, ∞).
    const durations = Float64Array.from([...Array.from({ length: 100 }, () => 1 * H), 1000 * H]);
    const bins = durationHistogram(durations, new Uint8Array(101), 20);
    expect(bins).toHaveLength(14);
    expect(bins.at(-1)).toEqual({ fromMs: 65 * 60_000, toMs: null, closed: 1, censored: 0 });
    expect(bins.at(-2)).toEqual({ fromMs: 60 * 60_000, toMs: 65 * 60_000, closed: 100, censored: 0 });
  });
  it('is empty for no cases and skips NaN durations', () => {
    expect(durationHistogram(new Float64Array(0), new Uint8Array(0))).toEqual([]);
    expect(durationHistogram(Float64Array.from([NaN]), Uint8Array.from([0]))).toEqual([]);
  });
});
