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
});
