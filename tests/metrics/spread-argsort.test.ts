import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { argsortFloat64 } from '../../src/metrics/radix-sort.js';
import { MAX_BUCKET, argsortSpread, spreadCountsLength } from '../../src/metrics/spread-argsort.js';

/** argsortSpread must give argsortFloat64's order exactly, and the values in that order. */
function expectSameOrder(values: Float64Array): void {
  const sorted = new Float64Array(values.length);
  const index = argsortSpread(values, sorted);
  if (index === null) throw new Error('declined');
  const expected = argsortFloat64(values);
  expect(Array.from(index)).toEqual(Array.from(expected));
  expect(Array.from(sorted)).toEqual(Array.from(expected, (k) => values[k]));
}

describe('argsortSpread', () => {
  it('orders ms timestamps over a year (office hours only, some repeated) as argsortFloat64 does', () => {
    let seed = 5;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const values = new Float64Array(50_000);
    for (let k = 0; k < values.length; k++) values[k] = 1_704_067_200_000 + Math.floor(random() * 365) * 86_400_000 + Math.floor((8 + random() * 10) * 3_600_000);
    for (let k = 0; k < 3000; k++) values[k * 11] = values[k * 5];
    expectSameOrder(values);
  });

  it('orders any whole numbers it accepts as argsortFloat64 does (ties in index order), negatives and repeats included', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: -50, max: 50 }), fc.integer({ min: -(2 ** 40), max: 2 ** 40 })), { maxLength: 300 }), (numbers) => {
        const values = Float64Array.from(numbers);
        const sorted = new Float64Array(values.length);
        const index = argsortSpread(values, sorted);
        // Declining is allowed (clumps); accepting must give the same order.
        if (index !== null) {
          accepted++;
          expect(Array.from(index)).toEqual(Array.from(argsortFloat64(values)));
          expect(Array.from(sorted)).toEqual(Array.from(index, (k) => values[k]));
        }
      }),
      { numRuns: 400, seed: 13 },
    );
    // Most arrays are accepted, so the comparison is not vacuous.
    expect(accepted).toBeGreaterThan(200);
  });

  it('gives the same order on caller scratch reused from sort to sort (left dirty, longer than needed) as on its own columns', () => {
    const scratch = { index: new Int32Array(301).fill(9), counts: new Int32Array(spreadCountsLength(301)).fill(5) };
    let compared = 0;
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: -50, max: 50 }), fc.integer({ min: -(2 ** 40), max: 2 ** 40 })), { maxLength: 300 }), (numbers) => {
        const values = Float64Array.from(numbers);
        const own = argsortSpread(values, new Float64Array(values.length));
        const sorted = new Float64Array(values.length);
        const reused = argsortSpread(values, sorted, scratch);
        expect(reused === null).toBe(own === null);
        if (own === null || reused === null) return;
        compared++;
        expect(reused.buffer).toBe(scratch.index.buffer);
        expect(Array.from(reused)).toEqual(Array.from(own));
        expect(Array.from(sorted)).toEqual(Array.from(own, (k) => values[k]));
      }),
      { numRuns: 300, seed: 29 },
    );
    expect(compared).toBeGreaterThan(150);
    expect(() => argsortSpread(Float64Array.of(3, 1, 2), new Float64Array(3), { index: new Int32Array(2), counts: new Int32Array(8) })).toThrow(/scratch/);
    expect(() => argsortSpread(Float64Array.of(3, 1, 2), new Float64Array(3), { index: new Int32Array(3), counts: new Int32Array(4) })).toThrow(/scratch/);
  });

  it('declines what is not a spread of whole numbers: a fraction, −0, NaN, an infinity, a span beyond 2^53, a clump', () => {
    const out = new Float64Array(64);
    expect(argsortSpread(Float64Array.of(1, 2.5), out)).toBeNull();
    expect(argsortSpread(Float64Array.of(1, -0), out)).toBeNull();
    expect(argsortSpread(Float64Array.of(1, NaN), out)).toBeNull();
    expect(argsortSpread(Float64Array.of(1, Infinity), out)).toBeNull();
    expect(argsortSpread(Float64Array.of(-(2 ** 52), 2 ** 52), out)).toBeNull();
    // MAX_BUCKET + 1 equal values share one bucket.
    expect(argsortSpread(new Float64Array(MAX_BUCKET + 1).fill(7), out)).toBeNull();
    expectSameOrder(new Float64Array(MAX_BUCKET).fill(7));
    expect(Array.from(argsortSpread(new Float64Array(0), out) ?? [1])).toEqual([]);
    expect(() => argsortSpread(Float64Array.of(1, 2), new Float64Array(1))).toThrow(/shorter/);
  });
});
