import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeCalendar } from '../../src/calendar/business-calendar.js';
import type { Batches } from '../../src/metrics/batches.js';
import { computeWaitCauses, computeWaitCausesPlain, type WaitCauseInputs } from '../../src/metrics/wait-causes.js';
import { MISSING_CODE } from '../../src/model/dictionary.js';
import type { ActivityInstances } from '../../src/traces/activity-instances.js';

const MINUTE_MS = 60_000;

const rowArbitrary = fc.record({
  resource: fc.constantFrom(0, 1, 2, MISSING_CODE),
  startMin: fc.integer({ min: 0, max: 3_000 }),
  durationMin: fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 2_000 })),
  waitMin: fc.integer({ min: -30, max: 1_500 }),
  batch: fc.constantFrom(-1, -1, -1, 0, 1),
  readyAfterMin: fc.integer({ min: 0, max: 400 }),
});

function inputsOf(rows: { resource: number; startMin: number; durationMin: number; waitMin: number; batch: number; readyAfterMin: number }[], maxOverlapScan: number, withCalendar: boolean): WaitCauseInputs {
  const count = rows.length;
  const column = (pick: (row: (typeof rows)[number]) => number) => Float64Array.from(rows, pick);
  const startMs = column((row) => row.startMin * MINUTE_MS);
  const instances: ActivityInstances = {
    count,
    caseCode: new Int32Array(count),
    activity: new Int32Array(count),
    resource: Int32Array.from(rows, (row) => row.resource),
    startMs,
    endMs: column((row) => (row.startMin + row.durationMin) * MINUTE_MS),
    firstEvent: new Int32Array(count),
    lastEvent: new Int32Array(count),
    caseStart: Int32Array.from([0, count]),
    withStart: count,
  };
  const enabledMs = column((row) => (row.startMin - row.waitMin) * MINUTE_MS);
  const batches: Batches = {
    batchId: Int32Array.from(rows, (row) => row.batch),
    batchType: new Uint8Array(count),
    readyMs: Float64Array.from(rows, (row, k) => (row.batch < 0 ? NaN : enabledMs[k] + row.readyAfterMin * MINUTE_MS)),
    parallelCount: 0,
    sequentialCount: 0,
  };
  const calendar = makeCalendar({ kind: 'business', timeZone: 'UTC', workingDays: [1, 2, 3, 4, 5], hours: [{ start: '09:00', end: '17:00' }], holidays: [] });
  return { instances, startMs, enabledMs, batches, calendarOf: (code) => (withCalendar && code === 1 ? calendar : undefined), maxOverlapScan };
}

describe('wait causes — the indexed scan equals the plain scan', () => {
  it('gives the same five columns and scanCapped, with and without the scan cap', () => {
    fc.assert(
      fc.property(fc.array(rowArbitrary, { minLength: 1, maxLength: 120 }), fc.constantFrom(3, 10, 20_000), fc.boolean(), (rows, cap, withCalendar) => {
        const inputs = inputsOf(rows, cap, withCalendar);
        expect(computeWaitCauses(inputs)).toEqual(computeWaitCausesPlain(inputs));
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('on a hand-computed case: r0 busy 10:00–11:00 on an instance enabled earlier is contention inside a 09:30–11:30 wait', () => {
    const rows = [
      { resource: 0, startMin: 600, durationMin: 60, waitMin: 60, batch: -1, readyAfterMin: 0 },
      { resource: 0, startMin: 690, durationMin: 10, waitMin: 120, batch: -1, readyAfterMin: 0 },
    ];
    const result = computeWaitCauses(inputsOf(rows, 20_000, false));
    expect(result.waitMs[1]).toBe(120 * MINUTE_MS);
    expect(result.causeMs.contention[1]).toBe(60 * MINUTE_MS);
    expect(result.causeMs.extraneous[1]).toBe(60 * MINUTE_MS);
    expect(result.scanCapped).toBe(0);
  });
});
