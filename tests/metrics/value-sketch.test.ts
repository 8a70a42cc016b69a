import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DistributionSchema } from '../../src/contracts/distribution-schema.js';
import { medianOrderStatisticCi, quantileSorted, summarize, summarizeSketch } from '../../src/metrics/distribution.js';
import {
  DEFAULT_EXACT_VALUES_LIMIT,
  EXACT_VALUES_LIMIT_ENV,
  exactValuesLimit,
  SKETCH_RELATIVE_ACCURACY,
  ValueSketch,
} from '../../src/metrics/value-sketch.js';

const ALPHA = SKETCH_RELATIVE_ACCURACY;
/** The stated bound, with room for the rounding of the bucket's value (pow and log in doubles). */
const within = (approx: number, exact: number, scale = Math.abs(exact)): boolean => Math.abs(approx - exact) <= ALPHA * scale * (1 + 1e-9) + 1e-9;

function sketchOf(values: ArrayLike<number>): ValueSketch {
  const sketch = new ValueSketch();
  sketch.addAll(values);
  return sketch;
}

/** Every 0-based rank's value and a few quantiles: what a report can read from a sketch. */
function readings(sketch: ValueSketch): number[] {
  const out: number[] = [];
  for (let r = 0; r < sketch.count; r++) out.push(sketch.valueAtRank(r));
  for (const p of [0, 0.1, 0.5, 0.85, 0.95, 1]) out.push(sketch.quantile(p));
  return out;
}

describe('exactValuesLimit', () => {
  it('is the default unless VSM_EXACT_VALUES_LIMIT is a whole number', () => {
    expect(exactValuesLimit({})).toBe(DEFAULT_EXACT_VALUES_LIMIT);
    expect(DEFAULT_EXACT_VALUES_LIMIT).toBe(1 << 20);
    expect(exactValuesLimit({ [EXACT_VALUES_LIMIT_ENV]: '4' })).toBe(4);
    expect(exactValuesLimit({ [EXACT_VALUES_LIMIT_ENV]: ' 0 ' })).toBe(0);
    expect(exactValuesLimit({ [EXACT_VALUES_LIMIT_ENV]: '-3' })).toBe(DEFAULT_EXACT_VALUES_LIMIT);
    expect(exactValuesLimit({ [EXACT_VALUES_LIMIT_ENV]: 'many' })).toBe(DEFAULT_EXACT_VALUES_LIMIT);
    expect(exactValuesLimit({ [EXACT_VALUES_LIMIT_ENV]: '99999999999999' })).toBe(2 ** 31 - 1);
  });
});

describe('ValueSketch, hand-computed', () => {
  // γ = (1 + 0.01)/(1 − 0.01) = 1.0202…; the value 1 lies in bucket ⌈log_γ 1⌉ = 0, read back as 2γ⁰/(1 + γ) = 1 − α = 0.99.
  const values = [10, 0, 1000, 1, 0, 100, Number.NaN];
  const sketch = sketchOf(values);
  const sorted = Float64Array.from([0, 0, 1, 10, 100, 1000]);

  it('keeps count, sum, min, max and zeros exact and skips NaN', () => {
    expect(sketch.count).toBe(6);
    expect(sketch.sum).toBe(1111);
    expect(sketch.min).toBe(0);
    expect(sketch.max).toBe(1000);
    expect(sketch.zeros).toBe(2);
  });

  it('reads order statistics within α, zeros exactly, the ends clamped to min and max', () => {
    expect(sketch.valueAtRank(0)).toBe(0);
    expect(sketch.valueAtRank(1)).toBe(0);
    const gamma = (1 + ALPHA) / (1 - ALPHA);
    expect(sketch.valueAtRank(2)).toBeCloseTo(2 / (1 + gamma), 12);
    expect(sketch.valueAtRank(2)).toBeCloseTo(0.99, 12);
    expect(within(sketch.valueAtRank(3), 10)).toBe(true);
    expect(within(sketch.valueAtRank(4), 100)).toBe(true);
    // 1000's bucket reads back above 1000 (by < 1 %): clamped to the exact max.
    expect(sketch.valueAtRank(5)).toBe(1000);
  });

  it('gives type-7 quantiles within α: median of 6 interpolates ranks 2 and 3', () => {
    // h = 5·0.5 = 2.5 → (1 + 10)/2 = 5.5; p85: h = 4.25 → 100 + 0.25·900 = 325; p95: h = 4.75 → 775.
    expect(quantileSorted(sorted, 0.5)).toBe(5.5);
    expect(within(sketch.quantile(0.5), 5.5)).toBe(true);
    expect(sketch.quantile(0.5)).not.toBe(5.5);
    expect(within(sketch.quantile(0.85), 325)).toBe(true);
    expect(within(sketch.quantile(0.95), 775)).toBe(true);
    expect(sketch.quantile(0)).toBe(0);
    expect(sketch.quantile(1)).toBe(1000);
    expect(new ValueSketch().quantile(0.5)).toBeNaN();
  });

  it('summarizeSketch: exact n, mean, sum, min, max; the rest within α and marked', () => {
    const distribution = summarizeSketch(sketch);
    expect(DistributionSchema.parse(distribution)).toEqual(distribution);
    expect(distribution).toMatchObject({ n: 6, mean: 1111 / 6, sum: 1111, min: 0, max: 1000, thin: true, approximate: { method: 'DDSketch', relativeAccuracy: 0.01 } });
    expect(within(distribution.median as number, 5.5)).toBe(true);
    const { ciLow, ciHigh } = medianOrderStatisticCi(sorted);
    expect(within(distribution.ciLow as number, ciLow)).toBe(true);
    expect(within(distribution.ciHigh as number, ciHigh)).toBe(true);
    expect(summarizeSketch(new ValueSketch())).toEqual(summarize([]));
  });

  it('handles negative values on their own sketch (the library merge drops its negative store)', () => {
    const a = sketchOf([-50, -5, 3]);
    const b = sketchOf([-500, 0, 30]);
    a.merge(b);
    expect(a.count).toBe(6);
    expect(a.min).toBe(-500);
    expect(within(a.valueAtRank(0), -500)).toBe(true);
    expect(within(a.valueAtRank(1), -50)).toBe(true);
    expect(within(a.valueAtRank(2), -5)).toBe(true);
    expect(a.valueAtRank(3)).toBe(0);
    expect(within(a.valueAtRank(4), 3)).toBe(true);
    expect(a.valueAtRank(5)).toBe(30);
  });
});

describe('ValueSketch, properties', () => {
  const durations = fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 3_000_000_000 })), { minLength: 1, maxLength: 1500 });

  it('every quantile of non-negative values is within relative error α of the exact type-7 quantile', () => {
    fc.assert(
      fc.property(durations, fc.double({ min: 0, max: 1, noNaN: true }), (values, p) => {
        const sketch = sketchOf(values);
        const sorted = Float64Array.from(values).sort();
        for (const q of [p, 0, 0.5, 0.85, 0.95, 1]) expect(within(sketch.quantile(q), quantileSorted(sorted, q))).toBe(true);
        for (let r = 0; r < sorted.length; r += 7) expect(within(sketch.valueAtRank(r), sorted[r])).toBe(true);
        const distribution = summarizeSketch(sketch);
        const exact = summarize(values);
        expect(distribution.n).toBe(exact.n);
        expect(distribution.sum).toBe(exact.sum);
        expect(distribution.mean).toBe(exact.mean);
        expect(distribution.min).toBe(exact.min);
        expect(distribution.max).toBe(exact.max);
        const ci = medianOrderStatisticCi(sorted);
        expect(within(distribution.ciLow as number, ci.ciLow)).toBe(true);
        expect(within(distribution.ciHigh as number, ci.ciHigh)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('values of both signs: within α of the larger magnitude of the two order statistics read', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1_000_000, max: 1_000_000 }), { minLength: 1, maxLength: 300 }), fc.double({ min: 0, max: 1, noNaN: true }), (values, p) => {
        const sketch = sketchOf(values);
        const sorted = Float64Array.from(values).sort();
        const h = (sorted.length - 1) * p;
        const scale = Math.max(Math.abs(sorted[Math.floor(h)]), Math.abs(sorted[Math.min(sorted.length - 1, Math.floor(h) + 1)]));
        expect(within(sketch.quantile(p), quantileSorted(sorted, p), scale)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('merge is exact: any split into parts, merged in any order, reads as one pass', () => {
    fc.assert(
      fc.property(durations, fc.array(fc.nat(), { maxLength: 6 }), fc.boolean(), (values, cuts, reverse) => {
        const whole = sketchOf(values);
        const bounds = [...new Set([0, ...cuts.map((cut) => cut % (values.length + 1)), values.length])].sort((a, b) => a - b);
        const parts = bounds.slice(1).map((end, k) => sketchOf(values.slice(bounds[k], end)));
        const merged = new ValueSketch();
        for (const part of reverse ? parts.reverse() : parts) merged.merge(part);
        expect(merged.count).toBe(whole.count);
        expect(merged.sum).toBe(whole.sum);
        expect(merged.min).toBe(whole.min);
        expect(merged.max).toBe(whole.max);
        expect(readings(merged)).toEqual(readings(whole));
      }),
      { numRuns: 200 },
    );
  });
});
