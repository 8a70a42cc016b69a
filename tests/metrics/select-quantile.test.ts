import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quantileSorted } from '../../src/metrics/distribution.js';
import { quantileInPlace } from '../../src/metrics/select.js';

describe('quantileInPlace', () => {
  it('equals quantileSorted of the sorted values, repeats included', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 5 }), fc.double({ min: 0, max: 1440, noNaN: true })), { maxLength: 400 }), fc.double({ min: 0, max: 1, noNaN: true }), (list, p) => {
        const sorted = Float64Array.from(list).sort();
        const expected = quantileSorted(sorted, p);
        const actual = quantileInPlace(Float64Array.from(list), p);
        expect(Object.is(actual, expected) || actual === expected).toBe(true);
      }),
      { numRuns: 500, seed: 9 },
    );
    expect(quantileInPlace(new Float64Array(0), 0.5)).toBeNaN();
  });
});
