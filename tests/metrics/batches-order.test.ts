import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortByGroupStartEnd } from '../../src/metrics/batches.js';

describe('sortByGroupStartEnd', () => {
  it('orders by resource, activity, start, end, index (hand case)', () => {
    const resource = Int32Array.of(1, 0, 0, 1, 0);
    const activity = Int32Array.of(0, 1, 0, 0, 0);
    const startMs = Float64Array.of(5, 1, 9, 5, 9);
    const endMs = Float64Array.of(6, 2, 10, 6, 9.5);
    const order = Int32Array.of(0, 1, 2, 3, 4);
    sortByGroupStartEnd(order, resource, activity, startMs, endMs);
    // resource 0: activity 0 → k=4 (start 9, end 9.5) before k=2 (start 9, end 10); activity 1 → k=1; resource 1: k=0, k=3 (ties by index)
    expect([...order]).toEqual([4, 2, 1, 0, 3]);
  });

  it('gives the comparison sort’s order on random instances (repeats, −0 and NaN ends included)', () => {
    const instance = fc.record({
      resource: fc.integer({ min: 0, max: 4 }),
      activity: fc.integer({ min: 0, max: 3 }),
      start: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(-0), fc.double({ noNaN: true, noDefaultInfinity: true })),
      end: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(-0), fc.constant(Number.NaN)),
    });
    fc.assert(
      fc.property(fc.array(instance, { maxLength: 300 }), fc.boolean(), (rows, withNaN) => {
        const resource = Int32Array.from(rows, (row) => row.resource);
        const activity = Int32Array.from(rows, (row) => row.activity);
        const startMs = Float64Array.from(rows, (row) => row.start);
        const endMs = Float64Array.from(rows, (row) => (withNaN || !Number.isNaN(row.end) ? row.end : 1));
        const expected = rows.map((_, k) => k);
        expected.sort((a, b) => resource[a] - resource[b] || activity[a] - activity[b] || startMs[a] - startMs[b] || endMs[a] - endMs[b] || a - b);
        const actual = Int32Array.from(rows, (_, k) => k);
        sortByGroupStartEnd(actual, resource, activity, startMs, endMs);
        expect([...actual]).toEqual(expected);
      }),
      { numRuns: 300, seed: 5 },
    );
  });

  it('gives the comparison sort’s order on whole-ms starts (the one-key path), ties on start ordered by end', () => {
    const instance = fc.record({
      resource: fc.integer({ min: 0, max: 4 }),
      activity: fc.integer({ min: 0, max: 3 }),
      start: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(-0), fc.integer({ min: 1_700_000_000_000, max: 1_700_000_000_005 })),
      end: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(-0), fc.double({ noNaN: true })),
    });
    fc.assert(
      fc.property(fc.array(instance, { maxLength: 300 }), (rows) => {
        const resource = Int32Array.from(rows, (row) => row.resource);
        const activity = Int32Array.from(rows, (row) => row.activity);
        const startMs = Float64Array.from(rows, (row) => row.start);
        const endMs = Float64Array.from(rows, (row) => row.end);
        const expected = rows.map((_, k) => k);
        expected.sort((a, b) => resource[a] - resource[b] || activity[a] - activity[b] || startMs[a] - startMs[b] || endMs[a] - endMs[b] || a - b);
        const actual = Int32Array.from(rows, (_, k) => k);
        sortByGroupStartEnd(actual, resource, activity, startMs, endMs);
        expect([...actual]).toEqual(expected);
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
