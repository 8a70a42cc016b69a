/**
 * reconstructVisits for a case range (ReconstructOptions.cases) and the join of the ranges (src/vsm/case-chain.ts
 * joinPartitions): for every partition count, the ranges joined are the whole log's reconstruction — visits in map
 * order (the order from the ranges' summed order counts), case times, quality counters and notes (the left-censored
 * cases named across ranges), boundaries.
 */
import { describe, expect, it } from 'vitest';
import { makeCalendar } from '../../src/calendar/business-calendar.js';
import type { EventLog } from '../../src/model/event-log.js';
import { reconstructVisits, type Reconstruction } from '../../src/traces/reconstruct.js';
import { casePartitionRanges, joinPartitions } from '../../src/vsm/case-chain.js';
import { buildLog, type Row } from './build-log.js';
import { STATUS_ROWS } from './status-fixture.js';

const calendar = makeCalendar({ kind: '24x7' });
const H = 60;

/** STATUS_ROWS plus seven cases first seen already done (left-censored: five are named), one with owner changes only, one with an event after asOf. */
const STATUS_LOG_ROWS: Row[] = [
  ...STATUS_ROWS,
  ...Array.from({ length: 7 }, (_, k): Row => [`L${k}`, 'Done', k * H, 'enter', 'L1']),
  ['O', 'To Do', 2 * H, 'owner', 'L2'],
  ['E', 'To Do', 1 * H, 'enter', 'L1'],
  ['E', 'In Progress', 30 * H, 'enter', 'L1'],
];

/** An activity log with start/complete pairs whose map order needs every case: X is first in most cases, last in the first ones. */
const ACTIVITY_LOG_ROWS: Row[] = [
  ['a1', 'Y', 0, 'start', undefined, 'r1'],
  ['a1', 'Y', 10, 'complete', undefined, 'r1'],
  ['a1', 'X', 20, 'start', undefined, 'r2'],
  ['a1', 'X', 30, 'complete', undefined, 'r2'],
  ['a2', 'Y', 0, 'start', undefined, 'r1'],
  ['a2', 'X', 40, 'complete', undefined, 'r2'],
  ...['a3', 'a4', 'a5', 'a6'].flatMap((id, k): Row[] => [
    [id, 'X', k, 'start', undefined, 'r2'],
    [id, 'X', k + 5, 'complete', undefined, 'r2'],
    [id, 'Y', k + 7, 'start', undefined, 'r1'],
    [id, 'Y', k + 20, 'complete', undefined, k % 2 === 0 ? 'r1' : 'r3'],
    [id, 'X', k + 30, 'complete', undefined, 'r2'],
  ]),
];

/** A reconstruction without the range's join data (a whole log's has none). */
function withoutPartition(reconstruction: Reconstruction): Reconstruction {
  const { partition: _partition, ...rest } = reconstruction;
  return rest;
}

function joined(log: EventLog, count: number, asOfMs?: number): Reconstruction {
  const ranges = casePartitionRanges(log.caseCount, count);
  return joinPartitions(
    ranges.map((cases) => reconstructVisits(log, { calendar, asOfMs, cases })),
    log.eventCount,
  ).whole;
}

describe('reconstructVisits over case ranges, joined', () => {
  const logs: Array<[string, EventLog, number | undefined]> = [
    ['status', buildLog('status', STATUS_LOG_ROWS), Date.UTC(2024, 0, 1) + 12 * 3_600_000],
    ['activity', buildLog('activity', ACTIVITY_LOG_ROWS), undefined],
  ];
  for (const [name, log, asOfMs] of logs) {
    it(`${name} log: every partition count joins to the whole reconstruction`, () => {
      const whole = reconstructVisits(log, { calendar, asOfMs });
      expect(whole.quality.notes.length).toBeGreaterThan(0);
      for (let count = 2; count <= log.caseCount; count++) expect(joined(log, count, asOfMs), `${count} partitions`).toEqual(withoutPartition(whole));
    });
  }

  it('the status log exercises what the join must add up: left-censored names across ranges, step order', () => {
    const log = buildLog('status', STATUS_LOG_ROWS);
    const whole = reconstructVisits(log, { calendar, asOfMs: Date.UTC(2024, 0, 1) + 12 * 3_600_000 });
    expect(whole.quality.leftCensoredCases).toBe(7);
    expect(whole.quality.notes.some((note) => note.includes('L0, L1, L2, L3, L4, …'))).toBe(true);
    const activity = buildLog('activity', ACTIVITY_LOG_ROWS);
    // The first range alone would put Y first; the whole log puts X first.
    const first = reconstructVisits(activity, { calendar, cases: { start: 0, end: 2 } });
    expect(first.visits.steps.map((step) => step.name)).toEqual(['Y', 'X']);
    expect(reconstructVisits(activity, { calendar }).visits.steps.map((step) => step.name)).toEqual(['X', 'Y']);
  });

  it('a range outside the log is refused', () => {
    const log = buildLog('activity', ACTIVITY_LOG_ROWS);
    expect(() => reconstructVisits(log, { calendar, cases: { start: 2, end: log.caseCount + 1 } })).toThrow(/case range/);
  });
});
