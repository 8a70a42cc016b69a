import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { argsortFloat64, sortFloat64 } from '../../src/metrics/radix-sort.js';

/** The radix sort must give exactly Float64Array#sort's order (the reports depend on it byte for byte). */
function expectSameAsBuiltIn(values: Float64Array): void {
  const expected = values.slice().sort();
  const actual = sortFloat64(values.slice());
  expect(actual.length).toBe(expected.length);
  for (let k = 0; k < expected.length; k++) {
    if (!Object.is(actual[k], expected[k])) throw new Error(`differs at ${k}: ${actual[k]} vs ${expected[k]}`);
  }
}

describe('sortFloat64', () => {
  it('sorts small arrays like the built-in sort', () => {
    expect(Array.from(sortFloat64(Float64Array.from([3, -1, 0, 2.5, -0])))).toEqual([-1, -0, 0, 2.5, 3]);
  });

  it('orders negatives, −0 before +0, infinities and denormals as the built-in sort (radix path)', () => {
    const values = new Float64Array(50_000);
    let seed = 7;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let k = 0; k < values.length; k++) {
      const r = random();
      values[k] = r < 0.1 ? 0 : r < 0.15 ? -0 : r < 0.3 ? -Math.round(random() * 1e6) : r < 0.35 ? random() * 1e-310 : Math.round(random() * 1e10) / 7;
    }
    values[1] = Infinity;
    values[2] = -Infinity;
    values[3] = Number.MAX_VALUE;
    values[4] = -Number.MIN_VALUE;
    expectSameAsBuiltIn(values);
  });

  it('handles columns where whole digits are constant (small integers: passes skipped)', () => {
    const values = new Float64Array(10_000);
    for (let k = 0; k < values.length; k++) values[k] = (k * 7919) % 1000;
    expectSameAsBuiltIn(values);
    expectSameAsBuiltIn(new Float64Array(5000).fill(42));
  });
});

describe('argsortFloat64', () => {
  it('gives the indices in ascending value order, ties in index order (hand case)', () => {
    expect(Array.from(argsortFloat64(Float64Array.of(3, 1, 2, 1, -5, 0)))).toEqual([4, 5, 1, 3, 2, 0]);
  });

  it('matches a stable comparison argsort on random values, negatives and repeats included', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ noNaN: true })), { maxLength: 5000 }), (list) => {
        const values = Float64Array.from(list);
        const expected = Array.from(values.keys()).sort((a, b) => (values[a] < values[b] ? -1 : values[a] > values[b] ? 1 : Object.is(values[a], -0) && !Object.is(values[b], -0) ? -1 : !Object.is(values[a], -0) && Object.is(values[b], -0) ? 1 : a - b));
        expect(Array.from(argsortFloat64(values))).toEqual(expected);
      }),
      { numRuns: 60, seed: 3 },
    );
  });

  it('returns the identity for input already in order (ties, −0 before +0) and sorts when only a +0, −0 pair is out of order', () => {
    expect(Array.from(argsortFloat64(Float64Array.of(-3, -0, 0, 0, 2, 2, Infinity)))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(Array.from(argsortFloat64(Float64Array.of(-3, 0, -0, 5)))).toEqual([0, 2, 1, 3]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 300 }), (values) => {
        const ascending = Float64Array.from(values).sort();
        expect(Array.from(argsortFloat64(ascending))).toEqual(Array.from(ascending, (_, k) => k));
      }),
      { numRuns: 60, seed: 9 },
    );
  });
});
