import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildResourceOrder } from '../../src/metrics/resource-order.js';
import { RunSweeper, planSweep, type WaitCauseSink } from '../../src/metrics/wait-causes.js';
import { MISSING_CODE } from '../../src/model/dictionary.js';
import { instancesOfMinuteRows } from './instances-fixture.js';

const rowArbitrary = fc.record({
  resource: fc.constantFrom(0, 1, 3, MISSING_CODE),
  // Few distinct starts: ties (kept in index order) and runs out of start order (permuted) both occur.
  startMin: fc.integer({ min: 0, max: 40 }),
  durationMin: fc.integer({ min: 0, max: 30 }),
  waitMin: fc.integer({ min: -5, max: 30 }),
  group: fc.integer({ min: 0, max: 6 }),
});
const rowsArbitrary = fc.array(rowArbitrary, { minLength: 1, maxLength: 60 });

const orderOf = (rows: Array<{ resource: number; startMin: number; durationMin: number; waitMin: number; group: number }>, withGroups: boolean) => {
  const { instances, startMs, enabledMs } = instancesOfMinuteRows(rows);
  const groupOf = Int32Array.from(rows, (row) => row.group);
  const ordered = buildResourceOrder(instances, startMs, enabledMs, undefined, false, withGroups ? groupOf : undefined);
  if (ordered === null) throw new Error('no order');
  return { ordered, groupOf, count: rows.length };
};

describe('buildResourceOrder groupAt', () => {
  it('holds each position’s instance group (groupOf[order[n]]), sorted runs included; null when not asked for', () => {
    fc.assert(
      fc.property(rowsArbitrary, (rows) => {
        const { ordered, groupOf } = orderOf(rows, true);
        expect(ordered.groupAt).not.toBeNull();
        expect(Array.from(ordered.groupAt ?? [])).toEqual(Array.from(ordered.order, (k) => groupOf[k]));
        expect(orderOf(rows, false).ordered.groupAt).toBeNull();
      }),
      { numRuns: 300, seed: 25 },
    );
  });

  it('lets the sweep put by group exactly the waits, in the order, it puts by instance', () => {
    fc.assert(
      fc.property(rowsArbitrary, (rows) => {
        const { ordered, groupOf, count } = orderOf(rows, true);
        const sweepAll = (sink: WaitCauseSink) => {
          const plan = planSweep(ordered, new Int32Array(count).fill(-1), count);
          if (plan === null) throw new Error('no plan');
          const sweeper = new RunSweeper(ordered, plan, plan.longestRun);
          for (let r = 0; r < plan.queriesOf.length; r++) if (plan.queriesOf[r] > 0) expect(sweeper.sweep(r, undefined, sink)).toBe(true);
        };
        const byInstance: number[][] = [];
        sweepAll({ put: (k, ...parts) => byInstance.push([groupOf[k], ...parts]) });
        const byGroup: number[][] = [];
        sweepAll({ put: () => { throw new Error('put by instance'); }, putGroup: (group, ...parts) => byGroup.push([group, ...parts]) });
        expect(byGroup).toEqual(byInstance);
      }),
      { numRuns: 300, seed: 26 },
    );
  });
});
