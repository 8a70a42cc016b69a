import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WAIT_CAUSES } from '../../src/metrics/wait-causes.js';
import { runWaits, type InstanceRow } from './wait-fixture.js';

// Random logs: up to 6 cases of up to 5 instances over 3 activities and 3 resources, with recorded or missing
// starts, optionally on a split-day calendar. Whatever the log, every wait splits into five parts ≥ 0 that sum
// exactly (to the millisecond) to start − enabled.
const instanceArbitrary = fc.record({
  activity: fc.constantFrom('A', 'B', 'C'),
  resource: fc.constantFrom('r1', 'r2', 'r3', null),
  gapMin: fc.integer({ min: 0, max: 600 }),
  durationMin: fc.integer({ min: 0, max: 300 }),
  recorded: fc.boolean(),
});
const logArbitrary = fc.array(fc.array(instanceArbitrary, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 });

describe('wait causes — sum invariant', () => {
  it('five non-negative parts summing exactly to each wait', () => {
    fc.assert(
      fc.property(logArbitrary, fc.boolean(), (cases, withCalendar) => {
        const rows: InstanceRow[] = [];
        cases.forEach((instances, c) => {
          let clockMin = c * 37;
          for (const instance of instances) {
            const startMin = clockMin + instance.gapMin;
            const endMin = startMin + instance.durationMin;
            rows.push([`case${c}`, instance.activity, instance.resource, instance.recorded ? startMin : null, endMin]);
            clockMin = endMin;
          }
        });
        const config = withCalendar ? { resources: { r1: { calendar: 'UTC Mon-Fri 10:00-12:00,12:30-20:00' } } } : undefined;
        const { table } = runWaits(rows, config);
        if (!table) throw new Error('no activity table');
        for (let k = 0; k < table.instances.count; k++) {
          let sum = 0;
          for (const cause of WAIT_CAUSES) {
            expect(table.causes.causeMs[cause][k]).toBeGreaterThanOrEqual(0);
            sum += table.causes.causeMs[cause][k];
          }
          expect(sum).toBe(table.causes.waitMs[k]);
          const startMs = table.startMs[k];
          expect(table.causes.waitMs[k]).toBe(startMs > table.enabledMs[k] ? startMs - table.enabledMs[k] : 0);
        }
      }),
      { numRuns: 150, seed: 12 },
    );
  });
});
