import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectBatches, sortByGroupStartEnd } from '../../src/metrics/batches.js';
import type { ActivityInstances } from '../../src/traces/activity-instances.js';

// Few (resource, activity) groups take the counting sort; resource codes spread far apart (more groups than
// instances allow) take the radix sorts and read the columns through the order. Both must agree.
const SPREAD = 1_000_003;

const row = fc.record({
  resource: fc.integer({ min: 0, max: 3 }),
  activity: fc.integer({ min: 0, max: 2 }),
  start: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constant(-0)),
  duration: fc.integer({ min: 0, max: 6 }),
  wait: fc.integer({ min: -5, max: 30 }),
  estimated: fc.constantFrom(0, 0, 0, 1),
});

function instancesOf(rows: { resource: number; activity: number; start: number; duration: number }[], spread: number): ActivityInstances {
  const count = rows.length;
  return {
    count,
    caseCode: new Int32Array(count),
    activity: Int32Array.from(rows, (r) => r.activity),
    resource: Int32Array.from(rows, (r) => r.resource * spread),
    startMs: Float64Array.from(rows, (r) => r.start),
    endMs: Float64Array.from(rows, (r) => r.start + r.duration),
    firstEvent: new Int32Array(count),
    caseStart: Int32Array.from([0, count]),
    withStart: count,
  };
}

describe('batches — the counting-sort path equals the radix path', () => {
  it('sorts in the comparison sort’s order with codes spread beyond the counting sort', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 200 }), (rows) => {
        const { resource, activity, startMs, endMs } = instancesOf(rows, SPREAD);
        const expected = rows.map((_, k) => k);
        expected.sort((a, b) => resource[a] - resource[b] || activity[a] - activity[b] || startMs[a] - startMs[b] || endMs[a] - endMs[b] || a - b);
        const actual = Int32Array.from(rows, (_, k) => k);
        sortByGroupStartEnd(actual, resource, activity, startMs, endMs);
        expect([...actual]).toEqual(expected);
      }),
      { numRuns: 200, seed: 11 },
    );
  });

  it('finds the same batches, types and ready times either way', () => {
    let batched = 0;
    fc.assert(
      fc.property(fc.array(row, { maxLength: 200 }), fc.integer({ min: 0, max: 3 }), (rows, sequentialGapMs) => {
        const estimated = Uint8Array.from(rows, (r) => r.estimated);
        const enabledMs = Float64Array.from(rows, (r) => r.start - r.wait);
        const few = instancesOf(rows, 1);
        const many = instancesOf(rows, SPREAD);
        const expected = detectBatches(many, many.startMs, estimated, enabledMs, { sequentialGapMs });
        const actual = detectBatches(few, few.startMs, estimated, enabledMs, { sequentialGapMs });
        batched += expected.parallelCount + expected.sequentialCount;
        expect(actual).toEqual(expected);
      }),
      { numRuns: 300, seed: 13 },
    );
    expect(batched).toBeGreaterThan(0);
  });
});
