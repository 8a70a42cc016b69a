import { describe, expect, it } from 'vitest';
import { BatchType } from '../../src/metrics/batches.js';
import { instanceOf, runWaits } from './wait-fixture.js';

const causesOf = (i: ReturnType<typeof instanceOf>) => [i.wait, i.batching, i.contention, i.prioritization, i.unavailability, i.extraneous];

describe('wait causes — one cause at a time (minutes after Mon 00:00 UTC)', () => {
  it('contention: the resource works on an instance enabled earlier', () => {
    // X: A by r1 0–10 enables B (by r) at 10; B starts at 30. Meanwhile r works on Y's C 5–30, enabled at 5 ≤ 10.
    // Wait 30 − 10 = 20, all of it r busy with earlier-enabled work: contention 20.
    const waits = runWaits([
      ['X', 'A', 'r1', 0, 10],
      ['X', 'B', 'r', 30, 40],
      ['Y', 'A', 'r2', 0, 5],
      ['Y', 'C', 'r', 5, 30],
    ]);
    const b = instanceOf(waits, 'X', 'B');
    expect([b.enabled, b.start]).toEqual([10, 30]);
    // [wait, batching, contention, prioritization, unavailability, extraneous]
    expect(causesOf(b)).toEqual([20, 0, 20, 0, 0, 0]);
  });

  it('prioritization: the resource works on an instance enabled later', () => {
    // X's B enabled at 10, starts at 30. r works on Y's C 12–30, enabled at 12 > 10: prioritization 18.
    // 10–12 r is idle and no calendar is known: extraneous 2. 18 + 2 = 20 = the wait.
    const waits = runWaits([
      ['X', 'A', 'r1', 0, 10],
      ['X', 'B', 'r', 30, 40],
      ['Y', 'A', 'r2', 0, 12],
      ['Y', 'C', 'r', 12, 30],
    ]);
    expect(causesOf(instanceOf(waits, 'X', 'B'))).toEqual([20, 0, 0, 18, 0, 2]);
  });

  it('unavailability: the resource is off its configured calendar (split day with a lunch break)', () => {
    // r works "UTC Mon-Fri 10:00-12:00,12:30-20:00". B enabled 09:00 (540), starts 13:00 (780): wait 240 min.
    // Off: 09:00–10:00 (60) + 12:00–12:30 (30) = 90 unavailability; on but idle 10–12 (120) + 12:30–13 (30) = 150 extraneous.
    const waits = runWaits(
      [
        ['X', 'A', 'r1', 0, 540],
        ['X', 'B', 'r', 780, 800],
      ],
      { resources: { r: { calendar: 'UTC Mon-Fri 10:00-12:00,12:30-20:00' } } },
    );
    expect(causesOf(instanceOf(waits, 'X', 'B'))).toEqual([240, 0, 0, 0, 90, 150]);
    expect(waits.json.calendars).toEqual([{ resource: 'r', source: 'config', description: 'Mon–Fri 10:00–12:00, 12:30–20:00 UTC' }]);
  });

  it('batching, parallel: instances of one activity and resource start together', () => {
    // B of X enabled 10, B of Y enabled 20; both start at 30 (a parallel batch, ready at 20).
    // X: batching 10–20 = 10, then 20–30 idle = 10 extraneous. Y: enabled when the batch is ready, 10 extraneous.
    const waits = runWaits([
      ['X', 'A', 'r1', 0, 10],
      ['X', 'B', 'r', 30, 40],
      ['Y', 'A', 'r2', 0, 20],
      ['Y', 'B', 'r', 30, 45],
    ]);
    const x = instanceOf(waits, 'X', 'B');
    expect(causesOf(x)).toEqual([20, 10, 0, 0, 0, 10]);
    expect(x.batchType).toBe(BatchType.parallel);
    expect(causesOf(instanceOf(waits, 'Y', 'B'))).toEqual([10, 0, 0, 0, 0, 10]);
    expect(waits.json.batches).toEqual({ parallel: 1, sequential: 0 });
  });

  it('batching, sequential: accumulated instances run back to back', () => {
    // X's B 30–40, Y's B 40–50 (no gap), Y's B enabled at 20 ≤ 30 (when the batch began): one sequential batch,
    // ready at max(10, 20) = 20. X: batching 10–20 = 10, idle 20–30 = 10 extraneous.
    // Y: enabled 20 (= ready, no batching); 20–30 idle = 10 extraneous; 30–40 r works on X's B, enabled 10 ≤ 20:
    // contention 10. Sum 20 = 40 − 20.
    const waits = runWaits([
      ['X', 'A', 'r1', 0, 10],
      ['X', 'B', 'r', 30, 40],
      ['Y', 'A', 'r2', 0, 20],
      ['Y', 'B', 'r', 40, 50],
    ]);
    expect(causesOf(instanceOf(waits, 'X', 'B'))).toEqual([20, 10, 0, 0, 0, 10]);
    const y = instanceOf(waits, 'Y', 'B');
    expect(causesOf(y)).toEqual([20, 0, 10, 0, 0, 10]);
    expect(y.batchType).toBe(BatchType.sequential);
  });
});

describe('wait causes — mixed', () => {
  it('batching, contention, prioritization, unavailability and extraneous in one wait', () => {
    // r works "UTC Mon-Fri 01:00-24:00" (off 00:00–01:00). Times in minutes.
    // B of X and B of Z start together at 200 (a parallel batch); Z's B is enabled at 80, so the batch is ready at 80.
    // X's B: enabled 30 (A ends), start 200: wait 170.
    //   batching 30–80 = 50.
    //   r works on Y's C 90–120 (enabled 20 ≤ 80, the reference once the batch is ready): contention 30.
    //   r works on W's D 150–180 (enabled 140 > 80): prioritization 30.
    //   free: 80–90, 120–150, 180–200 = 10 + 30 + 20 = 60, all within working hours: extraneous 60.
    //   50 + 30 + 30 + 0 + 60 = 170.
    const waits = runWaits(
      [
        ['X', 'A', 'r1', 0, 30],
        ['X', 'B', 'r', 200, 210],
        ['Z', 'A', 'r2', 0, 80],
        ['Z', 'B', 'r', 200, 215],
        ['Y', 'A', 'r3', 0, 20],
        ['Y', 'C', 'r', 90, 120],
        ['W', 'A', 'r4', 0, 140],
        ['W', 'D', 'r', 150, 180],
      ],
      { resources: { r: { calendar: 'UTC Mon-Sun 01:00-24:00' } } },
    );
    expect(causesOf(instanceOf(waits, 'X', 'B'))).toEqual([170, 50, 30, 30, 0, 60]);
    // Y's C: enabled 20, starts 90: r is off 00:00–01:00, i.e. minutes 20–60 (40), then idle 60–90 (30).
    expect(causesOf(instanceOf(waits, 'Y', 'C'))).toEqual([70, 0, 0, 0, 40, 30]);
  });

  it('parallel branches: a join is enabled by the later branch, a branch by the split', () => {
    // A 0–10, then B 10–30 and C 15–25 overlap (B ∥ C by the overlapping oracle), then D 40–50.
    // D: the latest non-concurrent completion before its start is B's at 30 (C ended at 25): wait 10.
    // C: B is concurrent with C, so A enables it at 10: wait 5.
    const waits = runWaits([
      ['X', 'A', 'r1', 0, 10],
      ['X', 'B', 'r2', 10, 30],
      ['X', 'C', 'r3', 15, 25],
      ['X', 'D', 'r4', 40, 50],
    ]);
    expect(waits.json.concurrency).toEqual({ oracle: 'overlapping', pairs: [['B', 'C']] });
    expect([instanceOf(waits, 'X', 'D').enabled, instanceOf(waits, 'X', 'D').wait]).toEqual([30, 10]);
    expect([instanceOf(waits, 'X', 'C').enabled, instanceOf(waits, 'X', 'C').wait]).toEqual([10, 5]);
    const join = waits.json.transitions.find((t) => t.toStep === 'D');
    expect(join).toMatchObject({ fromStep: 'B', fromResource: 'r2', toResource: 'r4', count: 1, cases: 1, totalMs: 10 * 60_000, extraneousMs: 10 * 60_000 });
  });
});

describe('estimated starts (single-timestamp log)', () => {
  it('start = max(enabled, the resource’s previous completion), labelled estimated', () => {
    // X: A (r1) at 0, B (r) at 60. Y: A (r2) at 10, B (r) at 90.
    // X's B: enabled 0, r has no earlier completion → start 0 (60 min active).
    // Y's B: enabled 10, r completed X's B at 60 → start 60; wait 10–60 = 50, r busy with X's B (enabled 0 ≤ 10): contention 50.
    const waits = runWaits([
      ['X', 'A', 'r1', null, 0],
      ['X', 'B', 'r', null, 60],
      ['Y', 'A', 'r2', null, 10],
      ['Y', 'B', 'r', null, 90],
    ]);
    expect(instanceOf(waits, 'X', 'B')).toMatchObject({ enabled: 0, start: 0, estimated: true });
    const y = instanceOf(waits, 'Y', 'B');
    expect([y.enabled, y.start, y.estimated]).toEqual([10, 60, true]);
    expect(causesOf(y)).toEqual([50, 0, 50, 0, 0, 0]);
    expect(waits.json).toMatchObject({ startEstimated: true, estimatedStarts: 4 });
    // The log handed to reconstruction carries the estimates as start timestamps.
    expect(Array.from(waits.logWithStarts.startTimestampMs ?? []).filter((ms) => !Number.isNaN(ms))).toHaveLength(4);
  });

  it('instant activities and bot resources take no time; outliers are re-estimated to the median', () => {
    // B's estimated durations: X 0→60 = 60, Y 60→70 = 10, Z 70→80 = 10 (lower median 10). With outlierMultiple 2,
    // X's 60 > 2 × 10 is repaired to start = 60 − 10 = 50. "Notify" is instant; bot "robot" work takes no time.
    const waits = runWaits(
      [
        ['X', 'A', 'r1', null, 0],
        ['X', 'B', 'r', null, 60],
        ['Y', 'A', 'r2', null, 5],
        ['Y', 'B', 'r', null, 70],
        ['Z', 'A', 'r3', null, 6],
        ['Z', 'B', 'r', null, 80],
        ['Z', 'Notify', 'r9', null, 100],
        ['Z', 'Scan', 'robot', null, 120],
      ],
      { estimate: { instantActivities: ['Notify'], botResources: ['/^rob/'], outlierMultiple: 2 } },
    );
    expect(instanceOf(waits, 'X', 'B').start).toBe(50);
    expect(instanceOf(waits, 'Y', 'B').start).toBe(60);
    expect(instanceOf(waits, 'Z', 'Notify').start).toBe(100);
    expect(instanceOf(waits, 'Z', 'Scan').start).toBe(120);
    expect(waits.json.repairedEstimates).toBe(1);
  });

  it('an estimate off the resource’s configured calendar moves to its next working instant', () => {
    // r works "UTC Mon-Fri 10:00-12:00,12:30-20:00". X's B (by r) completes at 13:00 (780), enabled at 00:00 (A at 0),
    // r has no earlier completion: the estimate 00:00 is off-hours and moves to 10:00 (600).
    // Its wait 0–600 is all off the calendar: unavailability 600.
    const waits = runWaits(
      [
        ['X', 'A', 'r1', null, 0],
        ['X', 'B', 'r', null, 780],
      ],
      { resources: { r: { calendar: 'UTC Mon-Fri 10:00-12:00,12:30-20:00' } } },
    );
    const b = instanceOf(waits, 'X', 'B');
    expect([b.enabled, b.start]).toEqual([0, 600]);
    expect(causesOf(b)).toEqual([600, 0, 0, 0, 600, 0]);
  });

  it('--no-estimate leaves single-timestamp starts unknown', () => {
    const waits = runWaits([['X', 'A', 'r1', null, 0], ['X', 'B', 'r', null, 60]], undefined, false);
    expect(waits.json.estimatedStarts).toBe(0);
    expect(Number.isNaN(instanceOf(waits, 'X', 'B').start)).toBe(true);
    expect(waits.logWithStarts.startTimestampMs).toBeUndefined();
  });
});

describe('wait analysis — the carrying-event column (issue 14: peak memory)', () => {
  it('is emptied when no start is estimated, and kept (one per instance) when some are', () => {
    const recorded = runWaits([
      ['X', 'A', 'r1', 0, 10],
      ['X', 'B', 'r', 30, 40],
    ]);
    expect(recorded.json.estimatedStarts).toBe(0);
    expect(recorded.table?.instances.firstEvent.length).toBe(0);
    // B has no start (null): it is estimated, written into the log at its carrying event.
    const estimated = runWaits([
      ['X', 'A', 'r1', 0, 10],
      ['X', 'B', 'r', null, 40],
    ]);
    expect(estimated.json.estimatedStarts).toBe(1);
    expect(estimated.table?.instances.firstEvent.length).toBe(estimated.table?.instances.count);
    expect(estimated.logWithStarts.startsEstimated).toBe(true);
  });
});
