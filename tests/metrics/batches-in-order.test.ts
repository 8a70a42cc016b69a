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

  it('numbers many batches of several activities per resource as their own sort does: work back to back, starts shared', () => {
    // Per resource a timeline of instances one after another (gap 0 mostly: sequential chains of each activity,
    // interleaved with the others'), a few starting together (parallel batches), enabled before or after the first.
    const step = fc.record({ activity: fc.integer({ min: 0, max: 3 }), gap: fc.constantFrom(0, 0, 0, 0, 1, 3), duration: fc.integer({ min: 1, max: 4 }), together: fc.constantFrom(false, false, false, true), wait: fc.integer({ min: -2, max: 90 }), estimated: fc.constantFrom(0, 0, 0, 0, 1) });
    let sequentialRuns = 0;
    let parallelRuns = 0;
    fc.assert(
      fc.property(fc.array(fc.array(step, { maxLength: 60, size: 'max' }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 2 }), (timelines, sequentialGapMs) => {
        const rows: { resource: number; activity: number; start: number; duration: number; wait: number; estimated: number }[] = [];
        timelines.forEach((timeline, resource) => {
          // Each activity's own clock: its instances run back to back with each other, not with other activities'.
          const clock = [0, 7, 13, 21];
          for (const item of timeline) {
            const startMs = item.together ? clock[item.activity] - item.duration : clock[item.activity] + item.gap;
            rows.push({ resource, activity: item.activity, start: startMs, duration: item.duration, wait: item.wait, estimated: item.estimated });
            if (!item.together) clock[item.activity] = startMs + item.duration;
          }
        });
        // Instances in no particular order of resource or time (as instances are by case).
        const shuffled = rows.map((row, k) => ({ row, key: (k * 7919) % 101 })).sort((x, y) => x.key - y.key).map(({ row }) => row);
        const instances = instancesOf(shuffled);
        const estimated = Uint8Array.from(shuffled, (r) => r.estimated);
        const enabledMs = Float64Array.from(shuffled, (r) => r.start - r.wait);
        const expected = detectBatches(instances, instances.startMs, estimated, enabledMs, { sequentialGapMs });
        const ordered = buildResourceOrder(instances, instances.startMs, enabledMs, estimated);
        expect(detectBatches(instances, instances.startMs, estimated, enabledMs, { sequentialGapMs, ordered })).toEqual(expected);
        if (expected.sequentialCount >= 4) sequentialRuns++;
        if (expected.parallelCount >= 2) parallelRuns++;
      }),
      { numRuns: 300, seed: 41 },
    );
    // Many runs number several batches of each kind (the order of their numbers is what is compared).
    expect(sequentialRuns).toBeGreaterThan(100);
    expect(parallelRuns).toBeGreaterThan(50);
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
