import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeCalendar } from '../../src/calendar/business-calendar.js';
import type { Batches } from '../../src/metrics/batches.js';
import { MAX_BUCKET } from '../../src/metrics/spread-argsort.js';
import { computeWaitCauses, computeWaitCausesPlain, type WaitCauseInputs } from '../../src/metrics/wait-causes.js';
import { MISSING_CODE } from '../../src/model/dictionary.js';
import { oneCaseInstances } from './instances-fixture.js';

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
  const column = (pick: (row: (typeof rows)[number]) => number) => Float64Array.from(rows, pick);
  const startMs = column((row) => row.startMin * MINUTE_MS);
  const instances = oneCaseInstances(
    Int32Array.from(rows, (row) => row.resource),
    startMs,
    column((row) => (row.startMin + row.durationMin) * MINUTE_MS),
  );
  const enabledMs = column((row) => (row.startMin - row.waitMin) * MINUTE_MS);
  // A batch's ready time (per batch): its first member's enabled time plus that member's readyAfterMin.
  const readyMsOfBatch = new Float64Array(2).fill(NaN);
  rows.forEach((row, k) => {
    if (row.batch >= 0 && Number.isNaN(readyMsOfBatch[row.batch])) readyMsOfBatch[row.batch] = enabledMs[k] + row.readyAfterMin * MINUTE_MS;
  });
  const batches: Batches = {
    batchId: Int32Array.from(rows, (row) => row.batch),
    typeOfBatch: new Uint8Array(2).fill(1),
    readyMsOfBatch,
    parallelCount: 0,
    sequentialCount: 0,
  };
  const calendar = makeCalendar({ kind: 'business', timeZone: 'UTC', workingDays: [1, 2, 3, 4, 5], hours: [{ start: '09:00', end: '17:00' }], holidays: [] });
  return { instances, startMs, enabledMs, batches, calendarOf: (code) => (withCalendar && code === 1 ? calendar : undefined), maxOverlapScan };
}

describe('wait causes — the indexed path equals the plain scan', () => {
  it('gives the same five columns and scanCapped: exact outside batches, capped batch members, with and without a binding cap', () => {
    let cappedRuns = 0;
    fc.assert(
      fc.property(fc.array(rowArbitrary, { minLength: 1, maxLength: 120 }), fc.constantFrom(3, 10, 20_000), fc.boolean(), (rows, cap, withCalendar) => {
        const inputs = inputsOf(rows, cap, withCalendar);
        const expected = computeWaitCausesPlain(inputs);
        if (expected.scanCapped > 0) cappedRuns++;
        expect(computeWaitCauses(inputs)).toEqual(expected);
      }),
      { numRuns: 300, seed: 7 },
    );
    // The cap binds (on batch members) in some runs, so the comparison covers capped scans too.
    expect(cappedRuns).toBeGreaterThan(0);
  });

  it('caps every wait when a time is not a whole ms (the sweep cannot run): the plain scan with capOutsideBatches', () => {
    fc.assert(
      fc.property(fc.array(rowArbitrary, { minLength: 1, maxLength: 80 }), fc.constantFrom(3, 20_000), (rows, cap) => {
        const inputs = inputsOf(rows, cap, false);
        const startMs = inputs.startMs.map((ms) => ms + 0.5);
        const shifted = { ...inputs, startMs, instances: { ...inputs.instances, startMs } };
        expect(computeWaitCauses(shifted)).toEqual(computeWaitCausesPlain(shifted, { capOutsideBatches: true }));
      }),
      { numRuns: 100, seed: 11 },
    );
  });

  it('sweeps clumped times (more than MAX_BUCKET equal enabled times or ends: the sorts fall back to the radix argsort) as the plain scan does', () => {
    let clumped = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 })), { minLength: 2 * MAX_BUCKET + 1, maxLength: 120 }), (picks) => {
        // One resource; starts spread, enabled times and ends from two values each.
        const rows = picks.map(([enabledPick, endPick], k) => {
          const startMin = 100 + k;
          return { resource: 0, startMin, durationMin: 400 + 50 * endPick - startMin, waitMin: startMin - 20 * enabledPick, batch: -1, readyAfterMin: 0 };
        });
        const most = Math.max(...[0, 1].flatMap((v) => [picks.filter(([e]) => e === v).length, picks.filter(([, x]) => x === v).length]));
        if (most > MAX_BUCKET) clumped++;
        const inputs = inputsOf(rows, 20_000, true);
        expect(computeWaitCauses(inputs)).toEqual(computeWaitCausesPlain(inputs));
      }),
      { numRuns: 50, seed: 17 },
    );
    expect(clumped).toBe(50);
  });

  it('answers a wait overlapped by more instances than the cap exactly (the definition), and caps it in a batch', () => {
    // Resource 0, cap 3. The waiting instance X: enabled 01:40, starts 10:00 — its wait is [100, 600) min.
    // Five earlier instances overlap it: P1 [50, 200), P2 [200, 300), P3 [300, 400), P5 [500, 550) enabled at 0
    // (no later than X: contention) and P4 [400, 450) enabled at 200 (after X: prioritization).
    // Definition: contention [100, 400) + [500, 550) = 350 min, prioritization [400, 450) = 50,
    // extraneous [450, 500) + [550, 600) = 100.
    // A scan capped at 3 positions (P5, P4, P3) leaves out P1 and P2: contention 150, extraneous 300.
    const instance = (startMin: number, endMin: number, enabledMin: number, batch = -1) => ({
      resource: 0, startMin, durationMin: endMin - startMin, waitMin: startMin - enabledMin, batch, readyAfterMin: 0,
    });
    const rows = [instance(50, 200, 0), instance(200, 300, 0), instance(300, 400, 0), instance(400, 450, 200), instance(500, 550, 0), instance(600, 610, 100)];
    const exact = computeWaitCauses(inputsOf(rows, 3, false));
    expect(exact.waitMs[5]).toBe(500 * MINUTE_MS);
    expect(exact.causeMs.contention[5]).toBe(350 * MINUTE_MS);
    expect(exact.causeMs.prioritization[5]).toBe(50 * MINUTE_MS);
    expect(exact.causeMs.unavailability[5]).toBe(0);
    expect(exact.causeMs.extraneous[5]).toBe(100 * MINUTE_MS);
    expect(exact.scanCapped).toBe(0);
    // X alone in batch 0, ready when enabled (no batching): scanned, and the cap binds.
    rows[5] = instance(600, 610, 100, 0);
    const capped = computeWaitCauses(inputsOf(rows, 3, false));
    expect(capped.causeMs.contention[5]).toBe(150 * MINUTE_MS);
    expect(capped.causeMs.prioritization[5]).toBe(50 * MINUTE_MS);
    expect(capped.causeMs.extraneous[5]).toBe(300 * MINUTE_MS);
    expect(capped.scanCapped).toBe(1);
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
