import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildResourceOrder } from '../../src/metrics/resource-order.js';
import { planSweep } from '../../src/metrics/wait-causes.js';
import { MISSING_CODE } from '../../src/model/dictionary.js';
import { instancesOfMinuteRows } from './instances-fixture.js';

const rowArbitrary = fc.record({
  // Codes 0, 3 and 5 only: runs 1, 2 and 4 are empty (the plan finds a batch member's run past them).
  resource: fc.constantFrom(0, 3, 5, MISSING_CODE),
  startMin: fc.integer({ min: 0, max: 500 }),
  durationMin: fc.integer({ min: 0, max: 60 }),
  waitMin: fc.integer({ min: -10, max: 100 }),
  batch: fc.constantFrom(-1, -1, 0, 1, 2),
});

describe('planSweep', () => {
  it('asks the sweep for every waiting position outside batches, per run, and marks the rest done as a plain count does', () => {
    fc.assert(
      fc.property(fc.array(rowArbitrary, { minLength: 1, maxLength: 80 }), (rows) => {
        const count = rows.length;
        const { instances, startMs, enabledMs } = instancesOfMinuteRows(rows);
        const batchId = Int32Array.from(rows, (row) => row.batch);
        const ordered = buildResourceOrder(instances, startMs, enabledMs);
        if (ordered === null) throw new Error('no order');
        const plan = planSweep(ordered, batchId, count);
        if (plan === null) throw new Error('no plan');
        const queriesOf = new Int32Array(ordered.runStart.length);
        for (let k = 0; k < count; k++) {
          const waits = startMs[k] > enabledMs[k];
          const n = ordered.positionOf[k];
          expect(plan.done[k]).toBe(n >= 0 && !waits ? 1 : 0);
          if (n < 0) continue;
          const query = waits && batchId[k] < 0;
          expect(plan.isQuery[n]).toBe(query ? 1 : 0);
          if (query) queriesOf[rows[k].resource]++;
        }
        expect(Array.from(plan.queriesOf)).toEqual(Array.from(queriesOf));
        expect(plan.toSweep).toBe(queriesOf.filter((q) => q > 0).length);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('is null when a positioned time is not a whole ms or is at or past ±2^51 ms, an enabled time of NaN aside', () => {
    const planOf = (startMs: number[], endMs: number[], enabledMs: number[], resource = startMs.map(() => 0)) => {
      const rows = startMs.map((_, k) => ({ resource: resource[k], startMin: 0, durationMin: 0, waitMin: 0 }));
      const { instances } = instancesOfMinuteRows(rows);
      const start = Float64Array.from(startMs);
      const withTimes = { ...instances, startMs: start, endMs: Float64Array.from(endMs) };
      const ordered = buildResourceOrder(withTimes, start, Float64Array.from(enabledMs));
      if (ordered === null) throw new Error('no order');
      return planSweep(ordered, new Int32Array(startMs.length).fill(-1), startMs.length);
    };
    const limit = 2 ** 51;
    expect(planOf([10, 20], [15, 30], [0, NaN])).not.toBeNull();
    expect(planOf([10, 20], [15, 30], [0.5, 5])).toBeNull();
    expect(planOf([10, 20.25], [15, 30], [0, 5])).toBeNull();
    expect(planOf([10, 20], [15, 30.5], [0, 5])).toBeNull();
    expect(planOf([10, limit - 1], [15, limit - 1], [0, -(limit - 1)])).not.toBeNull();
    expect(planOf([10, 20], [15, limit], [0, 5])).toBeNull();
    expect(planOf([10, 20], [15, 30], [-limit, 5])).toBeNull();
    expect(planOf([-limit, 20], [15, 30], [0, 5])).toBeNull();
    expect(planOf([10, 20], [15, Infinity], [0, 5])).toBeNull();
    // Times of instances without a resource are not positioned: not checked here.
    expect(planOf([10, 20.5], [15, 30], [0, 5], [0, MISSING_CODE])).not.toBeNull();
  });
});
