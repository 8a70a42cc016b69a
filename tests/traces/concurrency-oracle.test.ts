import { describe, expect, it } from 'vitest';
import type { ActivityInstances } from '../../src/traces/activity-instances.js';
import { DEFAULT_CONCURRENCY_THRESHOLDS, concurrentFromOverlaps, discoverConcurrency } from '../../src/traces/concurrency-oracle.js';

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** The overlapping oracle's counts by the definition: every pair of instances of a case, each order once. */
function referenceOverlaps(activity: Int32Array, startMs: Float64Array, endMs: Float64Array, caseStart: Int32Array, n: number): Uint8Array {
  const overlaps = new Float64Array(n * n);
  const together = new Float64Array(n * n);
  for (let c = 0; c + 1 < caseStart.length; c++) {
    for (let i = caseStart[c]; i < caseStart[c + 1]; i++) {
      for (let j = caseStart[c]; j < caseStart[c + 1]; j++) {
        if (i === j || activity[i] === activity[j]) continue;
        together[activity[i] * n + activity[j]]++;
        if (startMs[i] < endMs[j] && startMs[j] < endMs[i]) overlaps[activity[i] * n + activity[j]]++;
      }
    }
  }
  return concurrentFromOverlaps(overlaps, together, n, DEFAULT_CONCURRENCY_THRESHOLDS);
}

describe('the overlapping concurrency oracle', () => {
  it('agrees with the pairwise definition on random cases (repeated activities, touching and overlapping intervals)', () => {
    const random = seeded(11);
    let concurrentPairs = 0;
    let separatePairs = 0;
    for (let round = 0; round < 60; round++) {
      const n = 2 + Math.floor(random() * 5);
      const caseCount = 1 + Math.floor(random() * 6);
      const caseStart = new Int32Array(caseCount + 1);
      const activities: number[] = [];
      const starts: number[] = [];
      const ends: number[] = [];
      for (let c = 0; c < caseCount; c++) {
        const size = Math.floor(random() * 7);
        for (let k = 0; k < size; k++) {
          activities.push(Math.floor(random() * n));
          // Whole minutes on a short clock: intervals touch (end = start) and coincide often.
          const start = Math.floor(random() * 8);
          starts.push(start);
          ends.push(start + Math.floor(random() * 4));
        }
        caseStart[c + 1] = activities.length;
      }
      const activity = Int32Array.from(activities);
      const startMs = Float64Array.from(starts);
      const endMs = Float64Array.from(ends);
      const instances = { count: activity.length, activity, caseStart, startMs, endMs, withStart: activity.length } as unknown as ActivityInstances;
      const oracle = discoverConcurrency(instances, n);
      const expected = activity.length === 0 ? new Uint8Array(n * n) : referenceOverlaps(activity, startMs, endMs, caseStart, n);
      if (activity.length > 0) expect(oracle.kind).toBe('overlapping');
      expect(Array.from(oracle.concurrent)).toEqual(Array.from(expected));
      for (let k = 0; k < n * n; k++) {
        if (k % (n + 1) === 0) continue;
        if (expected[k] === 1) concurrentPairs++;
        else separatePairs++;
      }
    }
    // Both answers were exercised.
    expect(concurrentPairs).toBeGreaterThan(20);
    expect(separatePairs).toBeGreaterThan(20);
  });
});
