import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CoverSet } from '../../src/metrics/cover-set.js';

describe('CoverSet', () => {
  it('answers covered lengths and covered segments as a brute-force count does, after every add', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: -1000, max: 1000 }), { minLength: 2, maxLength: 40 }), fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 30 }), (points, adds) => {
        const xs = Float64Array.from(points.sort((a, b) => a - b));
        const segments = xs.length - 1;
        const set = new CoverSet(xs);
        const covered = new Uint8Array(segments);
        for (const [a, b] of adds) {
          const from = a % (segments + 1);
          const to = from + (b % (segments + 1 - from));
          set.add(from, to);
          for (let i = from; i < to; i++) covered[i] = 1;
          for (let i = 0; i < segments; i++) expect(set.isCovered(i)).toBe(covered[i] === 1);
          for (let f = 0; f < segments; f++) {
            let expected = 0;
            for (let t = f; t < segments; t++) {
              if (covered[t]) expected += xs[t + 1] - xs[t];
              expect(set.coveredOf(f, t)).toBe(expected);
            }
          }
          expect(set.coveredOf(3, 2)).toBe(0);
        }
      }),
      { numRuns: 200, seed: 3 },
    );
  });

  it('answers the same on reused scratch columns left dirty by an earlier set', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: -1000, max: 1000 }), { minLength: 2, maxLength: 40 }), fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 30 }), (points, adds) => {
        const xs = Float64Array.from(points.sort((a, b) => a - b));
        const segments = xs.length - 1;
        // Longer than needed and full of another set's values.
        const columns = { next: new Int32Array(segments + 6).fill(7), lengths: new Float64Array(segments + 6).fill(123) };
        const own = new CoverSet(xs);
        const reused = new CoverSet(xs, columns);
        for (const [a, b] of adds) {
          const from = a % (segments + 1);
          const to = from + (b % (segments + 1 - from));
          own.add(from, to);
          reused.add(from, to);
          for (let i = 0; i < segments; i++) expect(reused.isCovered(i)).toBe(own.isCovered(i));
          for (let f = 0; f < segments; f++) for (let t = f; t < segments; t++) expect(reused.coveredOf(f, t)).toBe(own.coveredOf(f, t));
        }
      }),
      { numRuns: 100, seed: 5 },
    );
  });

  it('refuses scratch columns shorter than its segments', () => {
    const xs = Float64Array.of(0, 1, 2, 3);
    expect(() => new CoverSet(xs, { next: new Int32Array(3), lengths: new Float64Array(4) })).toThrow(/shorter/);
  });
});
