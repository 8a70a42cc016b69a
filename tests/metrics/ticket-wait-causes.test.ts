import { describe, expect, it } from 'vitest';
import { makeCalendar } from '../../src/calendar/business-calendar.js';
import { computeTicketWaitCauses, type TicketWaitCause } from '../../src/metrics/ticket-wait-causes.js';
import { parseCalendarOption } from '../../src/calendar/calendar-option.js';
import { reconstructVisits } from '../../src/traces/reconstruct.js';
import { buildLog, MINUTE_MS, type Row } from '../traces/build-log.js';

// Minutes after Mon 2024-01-01 00:00 UTC; the resource on each `enter` is the owner after it.
const ROWS: Row[] = [
  // T1 (ann): To Do 0–60, In Progress 60–120, Waiting for Customer 120–180, In Progress 180–200, Done.
  ['T1', 'To Do', 0, 'enter', undefined, 'ann'],
  ['T1', 'In Progress', 60, 'enter', undefined, 'ann'],
  ['T1', 'Waiting for Customer', 120, 'enter', undefined, 'ann'],
  ['T1', 'In Progress', 180, 'enter', undefined, 'ann'],
  ['T1', 'Done', 200, 'enter', undefined, 'ann'],
  // T2 (ann): To Do 30–150 while ann works T1 60–120 (owner WIP > 1: contention 60; extraneous 60), In Progress 150–170.
  ['T2', 'To Do', 30, 'enter', undefined, 'ann'],
  ['T2', 'In Progress', 150, 'enter', undefined, 'ann'],
  ['T2', 'Done', 170, 'enter', undefined, 'ann'],
  // T3 (nobody): To Do 0–10 unassigned, Blocked 10–40, In Progress 40–50.
  ['T3', 'To Do', 0, 'enter'],
  ['T3', 'Blocked', 10, 'enter'],
  ['T3', 'In Progress', 40, 'enter'],
  ['T3', 'Done', 50, 'enter'],
  // A release train: R1, R2, R3 enter To Do at 0, 10, 20 and all leave at 100 (≥ 3 in one minute).
  // Ready when the last arrived (20): batching R1 20, R2 10, R3 0; the rest (80 each) extraneous (owners known).
  ['R1', 'To Do', 0, 'enter', undefined, 'bob'],
  ['R2', 'To Do', 10, 'enter', undefined, 'carl'],
  ['R3', 'To Do', 20, 'enter', undefined, 'dan'],
  ['R1', 'In Progress', 100, 'enter', undefined, 'bob'],
  ['R2', 'In Progress', 100, 'enter', undefined, 'carl'],
  ['R3', 'In Progress', 100, 'enter', undefined, 'dan'],
  ['R1', 'Done', 110, 'enter', undefined, 'bob'],
  ['R2', 'Done', 110, 'enter', undefined, 'carl'],
  ['R3', 'Done', 110, 'enter', undefined, 'dan'],
];

function causesByStep(calendarText: string): Map<string, Record<TicketWaitCause, number>> {
  const calendar = makeCalendar(parseCalendarOption(calendarText));
  const { visits } = reconstructVisits(buildLog('status', ROWS), { calendar });
  const result = computeTicketWaitCauses(visits, calendar);
  const minutes = new Map<string, Record<TicketWaitCause, number>>();
  visits.steps.forEach((step, code) => {
    const entry = result.byStep[code];
    minutes.set(step.name, Object.fromEntries(Object.entries(entry.byCauseMs).map(([cause, ms]) => [cause, ms / MINUTE_MS])) as Record<TicketWaitCause, number>);
  });
  return minutes;
}

describe('ticket (status-log) wait causes', () => {
  it('splits each non-active stay: batching, contention, unassigned, blocked, waiting, extraneous (24x7)', () => {
    const byStep = causesByStep('24x7');
    // To Do: T1 60 extraneous; T2 60 contention + 60 extraneous; T3 10 unassigned; R1 20 + 80, R2 10 + 80, R3 0 + 80.
    expect(byStep.get('To Do')).toEqual({ batching: 30, contention: 60, unavailability: 0, blocked: 0, waiting: 0, unassigned: 10, extraneous: 360 });
    expect(byStep.get('Waiting for Customer')?.waiting).toBe(60);
    expect(byStep.get('Blocked')?.blocked).toBe(30);
  });

  it('off-hours on the business calendar are unavailability', () => {
    // Working Mon–Fri 01:00–24:00: minutes 0–60 are off. T1 To Do 0–60 → 60 unavailability (was extraneous);
    // T2 30–150: contention 60–120 first, then free 30–60 (off: 30) and 120–150 (on: extraneous 30);
    // T3 0–10 off (10 unavailability, no longer unassigned); R1 0–20 batching, 20–60 off (40), 60–100 extraneous 40;
    // R2 10–20 batching, 20–60 off 40, extraneous 40; R3 20–60 off 40, extraneous 40.
    const toDo = causesByStep('UTC Mon-Fri 01:00-24:00').get('To Do');
    expect(toDo).toEqual({ batching: 30, contention: 60, unavailability: 60 + 30 + 10 + 40 * 3, blocked: 0, waiting: 0, unassigned: 0, extraneous: 30 + 40 * 3 });
  });
});
