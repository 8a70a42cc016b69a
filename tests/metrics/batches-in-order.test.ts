import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectBatches } from '../../src/metrics/batches.js';
import { buildResourceOrder } from '../../src/metrics/resource-order.js';
import type { ActivityInstances } from '../../src/traces/activity-instances.js';

// The batches read from the shared resource order (no sort of their own) must equal detectBatches' own sort:
// the same batch numbers, types and ready times — with −0 starts, ties of start and end, missing resources.
const row = fc.record({
  resource: fc.integer({ min: -1, max: 3 }),
  activity: fc.integer({ min: 0, max: 2 }),
  start: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constant(-0)),
  duration: fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constant(-0)),
  wait: fc.integer({ min: -5, max: 30 }),
  estimated: fc.constantFrom(0, 0, 0, 1),
});

function instancesOf(rows: { resource: number; activity: number; start: number; duration: number }[]): ActivityInstances {
  const count = rows.length;
  return {
    count,
    caseCode: new Int32Array(count),
    activity: Int32Array.from(rows, (r) => r.activity),
    resource: Int32Array.from(rows, (r) => r.resource),
    startMs: Float64Array.from(rows, (r) => r.start),
    endMs: Float64Array.from(rows, (r) => r.start + r.duration),
    firstEvent: new Int32Array(count),
    caseStart: Int32Array.from([0, count]),
    withStart: count,
  };
}

describe('batches on the shared resource order', () => {
  it('finds the same batches as their own sort, and releases the activity column', () => {
    let batched = 0;
    fc.assert(
      fc.property(fc.array(row, { maxLength: 200 }), fc.integer({ min: 0, max: 3 }), (rows, sequentialGapMs) => {
        const instances = instancesOf(rows);
        const estimated = Uint8Array.from(rows, (r) => r.estimated);
        const enabledMs = Float64Array.from(rows, (r) => r.start - r.wait);
        const expected = detectBatches(instances, instances.startMs, estimated, enabledMs, { sequentialGapMs });
        const ordered = buildResourceOrder(instances, instances.startMs, enabledMs, estimated);
        expect(ordered?.batchActivity).not.toBeNull();
        const actual = detectBatches(instances, instances.startMs, estimated, enabledMs, { sequentialGapMs, ordered });
        expect(ordered?.batchActivity).toBeNull();
        batched += expected.parallelCount + expected.sequentialCount;
        expect(actual).toEqual(expected);
      }),
      { numRuns: 400, seed: 17 },
    );
    expect(batched).toBeGreaterThan(0);
  });

  it('falls back to its own sort when a candidate has no activity code or a start is missing', () => {
    const instances = instancesOf([
      { resource: 0, activity: -1, start: 5, duration: 1 },
      { resource: 0, activity: -1, start: 5, duration: 2 },
    ]);
    const estimated = new Uint8Array(2);
    const enabledMs = Float64Array.of(1, 2);
    const ordered = buildResourceOrder(instances, instances.startMs, enabledMs, estimated);
    expect(ordered?.batchActivity).toBeNull();
    expect(detectBatches(instances, instances.startMs, estimated, enabledMs, { ordered })).toEqual(detectBatches(instances, instances.startMs, estimated, enabledMs));
    expect(buildResourceOrder(instances, Float64Array.of(NaN, 5), enabledMs, estimated)).toBeNull();
  });
});
