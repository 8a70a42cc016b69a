import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { kaplanMeier, kmQuantile, kmSummary } from '../../src/metrics/survival.js';

/**
 * The 6-MP arm of Freireich et al. (1963), the textbook Kaplan–Meier example (Kleinbaum & Klein, Survival
 * Analysis, ch. 2): weeks in remission, + = censored.
 * 6 6 6 6+ 7 9+ 10 10+ 11+ 13 16 17+ 19+ 20+ 22 23 25+ 32+ 32+ 34+ 35+
 */
const remissionWeeks = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35];
const relapsed = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0].map(Boolean);

describe('kaplanMeier', () => {
  it('reproduces the 6-MP table', () => {
    const km = kaplanMeier(remissionWeeks, relapsed);
    // At risk: 21; 21 − 3 events − 1 censored at 6 = 17; 17 − 1 − 1 (9+) = 15; 15 − 1 − 2 (10+, 11+) = 12;
    // 11; 11 − 1 − 3 (17+, 19+, 20+) = 7; 6.
    expect(km.timesMs).toEqual([6, 7, 10, 13, 16, 22, 23]);
    expect(km.atRisk).toEqual([21, 17, 15, 12, 11, 7, 6]);
    expect(km.events).toEqual([3, 1, 1, 1, 1, 1, 1]);
    // S = 18/21, ·16/17, ·14/15, ·11/12, ·10/11, ·6/7, ·5/6.
    const expected = [0.857143, 0.806723, 0.752941, 0.690196, 0.627451, 0.537815, 0.448179];
    km.survival.forEach((s, k) => expect(s).toBeCloseTo(expected[k], 6));
  });

  it('counts censored cases tied with events as still at risk, and skips NaN', () => {
    const km = kaplanMeier([5, 5, 5, NaN, 8], Uint8Array.from([1, 0, 0, 1, 1]));
    // 4 valid; at 5: 4 at risk, 1 event → 0.75; the two censored at 5 leave, at 8: 1 at risk → 0.
    expect(km).toEqual({ timesMs: [5, 8], survival: [0.75, 0], atRisk: [4, 1], events: [1, 1] });
  });

  it('is empty with no events', () => {
    expect(kaplanMeier([1, 2], [false, false])).toEqual({ timesMs: [], survival: [], atRisk: [], events: [] });
    expect(kmQuantile(kaplanMeier([], []), 0.5)).toBeNull();
  });
});

describe('kmQuantile and kmSummary', () => {
  it('gives the 6-MP median of 23 weeks with R survfit\'s interval [16, NA]', () => {
    const summary = kmSummary(remissionWeeks, relapsed);
    // Median: first S ≤ 0.5 is 0.448 at 23. Lower band exp(log S − 1.96·√Greenwood): at 13, S = 0.690,
    // Σ d/(n(n−d)) = 3/378 + 1/272 + 1/210 + 1/132 = 0.02395 → 0.690/e^0.3033 = 0.510 > 0.5; at 16 the sum is
    // 0.03304 → 0.627/e^0.3563 = 0.439 ≤ 0.5, so ciLow = 16. The upper band never reaches 0.5: ciHigh null.
    expect(summary).toEqual({ n: 21, censored: 12, median: 23, p85: null, p95: null, ciLow: 16, ciHigh: null });
  });

  it('returns null when censoring keeps S above 1 − p', () => {
    const km = kaplanMeier(remissionWeeks, relapsed);
    expect(kmQuantile(km, 0.25)).toBe(13); // S(13) = 0.690 ≤ 0.75, S(10) = 0.753 > 0.75
    expect(kmQuantile(km, 0.6)).toBeNull(); // S never drops to 0.4
  });

  it('without censoring equals the inverse empirical CDF x(⌈n·p⌉)', () => {
    // 1..10 uncensored: S(t_j) = 1 − j/10. Median: first S ≤ 0.5 is at 5 (= x(5), the lower middle; type 7 gives
    // 5.5). p85: ⌈8.5⌉ = 9. p95: ⌈9.5⌉ = 10.
    const summary = kmSummary(Array.from({ length: 10 }, (_, k) => k + 1), new Array<boolean>(10).fill(true));
    expect(summary).toMatchObject({ n: 10, censored: 0, median: 5, p85: 9, p95: 10 });
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 60 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), (values, p) => {
        const sorted = [...values].sort((x, y) => x - y);
        const km = kaplanMeier(values, new Array<boolean>(values.length).fill(true));
        expect(kmQuantile(km, p)).toBe(sorted[Math.ceil(values.length * p - 1e-9) - 1]);
      }),
    );
  });

  it('uses the level for the interval', () => {
    const times = Array.from({ length: 200 }, (_, k) => k + 1);
    const observed = times.map((t) => t % 4 !== 0);
    const narrow = kmSummary(times, observed, { level: 0.8 });
    const wide = kmSummary(times, observed, { level: 0.99 });
    expect(narrow.ciLow!).toBeGreaterThanOrEqual(wide.ciLow!);
    expect(narrow.ciHigh!).toBeLessThanOrEqual(wide.ciHigh!);
    expect(narrow.ciLow!).toBeLessThanOrEqual(narrow.median!);
    expect(narrow.ciHigh!).toBeGreaterThanOrEqual(narrow.median!);
  });
});
