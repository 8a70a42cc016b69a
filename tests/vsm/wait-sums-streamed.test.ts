/**
 * Without an activity table (`activityTable: false`, `vsm analyze --no-html`) the wait causes are summed as the
 * sweep hands them over, with no per-instance cause columns; with one, they are summed from the columns in instance
 * order. report.json's waitCauses and each step's causes must be the same bits either way.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/model/config-parse.js';
import { defaultAsOfMs } from '../../src/traces/censoring.js';
import { buildStepMap } from '../../src/traces/step-map.js';
import { collectInstances } from '../../src/traces/activity-instances.js';
import { analyzeInstances, analyzeWaits } from '../../src/vsm/wait-analysis.js';
import { instanceLog, type InstanceRow } from './wait-fixture.js';
import { WaitSummer } from '../../src/vsm/wait-transitions.js';
import type { WaitCauseColumns } from '../../src/metrics/wait-causes.js';

const instanceArbitrary = fc.record({
  activity: fc.constantFrom('A', 'B', 'C'),
  resource: fc.constantFrom('r1', 'r2', 'r3', null),
  gapMin: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 600 })),
  durationMin: fc.integer({ min: 0, max: 300 }),
  recorded: fc.boolean(),
});
const logArbitrary = fc.array(fc.array(instanceArbitrary, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 });

describe('wait sums without the activity table', () => {
  it('equal the sums over the cause columns (json and per step), estimated or not, with or without a calendar', () => {
    fc.assert(
      fc.property(logArbitrary, fc.boolean(), fc.boolean(), (cases, withCalendar, estimate) => {
        const rows: InstanceRow[] = [];
        cases.forEach((instances, c) => {
          // Cases start on a 40-minute grid: starts coincide across cases now and then (parallel batches).
          let clockMin = (c % 3) * 40;
          for (const instance of instances) {
            const startMin = clockMin + instance.gapMin;
            const endMin = startMin + instance.durationMin;
            rows.push([`case${c}`, instance.activity, instance.resource, instance.recorded ? startMin : null, endMin]);
            clockMin = endMin;
          }
        });
        const config = withCalendar ? parseConfig(JSON.stringify({ resources: { r1: { calendar: 'UTC Mon-Fri 10:00-12:00,12:30-20:00' } } }), 'test.json') : undefined;
        const log = instanceLog(rows);
        const options = { config, map: buildStepMap(log, config), asOfMs: defaultAsOfMs(log), estimate, timeZone: 'UTC' };
        const withTable = analyzeWaits(log, options);
        const streamed = analyzeWaits(log, { ...options, activityTable: false });
        expect(streamed.table).toBeUndefined();
        expect(JSON.stringify(streamed.json)).toBe(JSON.stringify(withTable.json));
        expect(JSON.stringify([...streamed.stepCauses])).toBe(JSON.stringify([...withTable.stepCauses]));
      }),
      { numRuns: 300, seed: 5 },
    );
  });
});

describe('the instance columns without the activity table', () => {
  const rows: InstanceRow[] = [
    ['c1', 'A', 'r1', 0, 30],
    ['c1', 'B', 'r2', 40, 90],
    ['c2', 'A', 'r1', 10, 50],
    ['c2', 'B', null, 60, 70],
  ];
  const run = (activityTable: boolean, recorded = true) => {
    const log = instanceLog(recorded ? rows : rows.map(([c, a, r, , end]): InstanceRow => [c, a, r, null, end]));
    const map = buildStepMap(log, undefined);
    const instances = collectInstances(log, map.stepOfActivity, defaultAsOfMs(log));
    const waits = analyzeInstances(instances, log, { map, asOfMs: defaultAsOfMs(log), estimate: true, timeZone: 'UTC', activityTable });
    return { instances, waits };
  };

  it('are let go before the sweep when nothing was estimated (the same json), kept with the table or an estimate', () => {
    const kept = run(true);
    const released = run(false);
    expect(JSON.stringify(released.waits.json)).toBe(JSON.stringify(kept.waits.json));
    expect(kept.instances.caseCode.length).toBe(4);
    expect(kept.instances.startMs.length).toBe(4);
    for (const column of [released.instances.caseCode, released.instances.activity, released.instances.caseStart, released.instances.startMs, released.instances.endMs]) expect(column.length).toBe(0);
    const estimated = run(false, false);
    expect(estimated.waits.json.startEstimated).toBe(true);
    expect(estimated.instances.startMs.length).toBe(4);
  });
});

describe('WaitSummer, summing per group only until clearSums', () => {
  const rows: InstanceRow[] = [
    ['c1', 'A', 'r1', 0, 30],
    ['c1', 'B', 'r2', 40, 90],
    ['c2', 'A', 'r1', 10, 50],
    ['c2', 'B', null, 60, 70],
    ['c3', 'A', 'r2', 70, 95],
  ];
  const summerOf = () => {
    const log = instanceLog(rows);
    const map = buildStepMap(log, undefined);
    const instances = collectInstances(log, map.stepOfActivity, defaultAsOfMs(log));
    return { summer: new WaitSummer(log, map, instances, new Int32Array(instances.count).fill(-1), new Uint8Array(instances.count)), count: instances.count };
  };
  /** Per instance: wait and its five parts (batching, contention, prioritization, unavailability, extraneous). */
  const columnsOf = (parts: number[][]): WaitCauseColumns => {
    const column = (i: number) => Float64Array.from(parts, (row) => row[i]);
    return { waitMs: column(0), causeMs: { batching: column(1), contention: column(2), prioritization: column(3), unavailability: column(4), extraneous: column(5) }, scanCapped: 0 };
  };
  const put = (summer: WaitSummer, parts: number[][], order: number[]) => {
    for (const k of order) summer.put(k, parts[k][0], parts[k][1], parts[k][2], parts[k][3], parts[k][4], parts[k][5]);
  };

  it('finishes with the step sums and totals of the columns in instance order, put in any order', () => {
    const parts = [
      [100, 10, 20, 30, 15, 25],
      [7, 0, 0, 7, 0, 0],
      [2 ** 40, 2 ** 39, 2 ** 38, 2 ** 38, 0, 0],
      [0, 0, 0, 0, 0, 0],
      [60_000, 0, 1, 2, 3, 59_994],
    ];
    const { summer: byColumns } = summerOf();
    byColumns.putColumns(columnsOf(parts));
    const { summer: streamed } = summerOf();
    put(streamed, parts, [4, 2, 0, 3, 1]);
    expect(streamed.exactInAnyOrder()).toBe(true);
    const expected = byColumns.finish();
    const found = streamed.finish();
    expect(JSON.stringify([...found.stepCauses])).toBe(JSON.stringify([...expected.stepCauses]));
    expect(JSON.stringify(found.groups)).toBe(JSON.stringify(expected.groups));
    expect([found.totalMs, found.byCauseMs]).toEqual([expected.totalMs, expected.byCauseMs]);
  });

  it('is not exact in any order with a part that is not a whole ms, or a total of 2^53 or more spread over groups', () => {
    const { summer: fraction } = summerOf();
    put(fraction, [[10.5, 0, 10.5, 0, 0, 0]], [0]);
    expect(fraction.exactInAnyOrder()).toBe(false);
    // Each group below 2^53, their total not: only the total over the groups shows it.
    const { summer: large, count } = summerOf();
    const parts = Array.from({ length: count }, () => [2 ** 51, 0, 2 ** 51, 0, 0, 0]);
    put(large, parts, [0, 1, 3, 4]);
    expect(large.exactInAnyOrder()).toBe(false);
    const { summer: below } = summerOf();
    put(below, parts, [0, 1, 3]);
    expect(below.exactInAnyOrder()).toBe(true);
  });
});
