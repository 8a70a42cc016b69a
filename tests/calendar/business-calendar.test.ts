import { describe, it, expect } from 'vitest';
import { makeCalendar, describeWeekdays } from '../../src/calendar/business-calendar.js';
import type { BusinessCalendarSpec, CalendarSpec } from '../../src/calendar/calendar-spec.js';
import { VsmError } from '../../src/errors.js';

const HOUR_MS = 3_600_000;
const utc = (iso: string): number => Date.parse(iso);

const berlinOffice: BusinessCalendarSpec = {
  kind: 'business',
  timeZone: 'Europe/Berlin',
  workingDays: [1, 2, 3, 4, 5],
  hours: [{ start: '09:00', end: '17:00' }],
  holidays: [],
};

/** Every Sunday is one whole working day: its length is the real length of the local day. */
const sundayAllDay = (timeZone: string): BusinessCalendarSpec => ({
  kind: 'business',
  timeZone,
  workingDays: [7],
  hours: [{ start: '00:00', end: '24:00' }],
  holidays: [],
});

describe('makeCalendar: hand-computed business durations', () => {
  it('Mon 16:00 → Tue 10:00 Berlin with 09–17 counts 2 h', () => {
    // 2024-06-03 is a Monday; CEST is UTC+2, so 16:00 local = 14:00Z and Tue 10:00 local = 08:00Z.
    // Working time: Mon 16:00–17:00 (1 h) + Tue 09:00–10:00 (1 h) = 2 h.
    const calendar = makeCalendar(berlinOffice);
    expect(calendar.durationMs(utc('2024-06-03T14:00:00Z'), utc('2024-06-04T08:00:00Z'))).toBe(2 * HOUR_MS);
  });

  it('counts 0 for a stay wholly inside a weekend and 0 when the end is before the start', () => {
    const calendar = makeCalendar(berlinOffice);
    // Sat 2024-06-08 08:00Z → Sun 2024-06-09 20:00Z.
    expect(calendar.durationMs(utc('2024-06-08T08:00:00Z'), utc('2024-06-09T20:00:00Z'))).toBe(0);
    expect(calendar.durationMs(utc('2024-06-04T10:00:00Z'), utc('2024-06-03T10:00:00Z'))).toBe(0);
  });

  it('counts 0 on a holiday and skips it inside a longer stay', () => {
    const calendar = makeCalendar({ ...berlinOffice, holidays: ['2024-10-03'] });
    // Thu 2024-10-03 is a holiday: 00:00Z–23:00Z that day counts nothing.
    expect(calendar.durationMs(utc('2024-10-03T00:00:00Z'), utc('2024-10-03T23:00:00Z'))).toBe(0);
    // Wed 2024-10-02 12:00 local (10:00Z) → Fri 2024-10-04 12:00 local: Wed 5 h + Thu 0 + Fri 3 h = 8 h.
    expect(calendar.durationMs(utc('2024-10-02T10:00:00Z'), utc('2024-10-04T10:00:00Z'))).toBe(8 * HOUR_MS);
  });

  it('Europe/Berlin 2024-03-31 (spring forward) is a 23 h day and 2024-10-27 (fall back) a 25 h day', () => {
    const calendar = makeCalendar(sundayAllDay('Europe/Berlin'));
    // Monday to Monday spans exactly one Sunday; only that Sunday counts.
    expect(calendar.durationMs(utc('2024-03-25T12:00:00Z'), utc('2024-04-01T12:00:00Z'))).toBe(23 * HOUR_MS);
    expect(calendar.durationMs(utc('2024-10-21T12:00:00Z'), utc('2024-10-28T12:00:00Z'))).toBe(25 * HOUR_MS);
    // An ordinary Sunday (2024-06-09) is 24 h.
    expect(calendar.durationMs(utc('2024-06-03T12:00:00Z'), utc('2024-06-10T12:00:00Z'))).toBe(24 * HOUR_MS);
  });

  it('a 09:00–17:00 span on a DST day is still 8 h when the change falls outside it', () => {
    const calendar = makeCalendar({ ...berlinOffice, workingDays: [7] });
    // 2024-03-31 09:00 CEST = 07:00Z, 17:00 CEST = 15:00Z.
    expect(calendar.durationMs(utc('2024-03-31T00:00:00Z'), utc('2024-04-01T00:00:00Z'))).toBe(8 * HOUR_MS);
  });

  it('America/New_York 2024-03-10: 23 h day; a span holding the change counts real elapsed time', () => {
    expect(makeCalendar(sundayAllDay('America/New_York')).durationMs(utc('2024-03-04T12:00:00Z'), utc('2024-03-11T12:00:00Z'))).toBe(23 * HOUR_MS);
    const span = (start: string, end: string): CalendarSpec => ({ ...sundayAllDay('America/New_York'), hours: [{ start, end }] });
    const week: [number, number] = [utc('2024-03-04T12:00:00Z'), utc('2024-03-11T12:00:00Z')];
    // 01:00 EST (06:00Z) → 05:00 EDT (09:00Z): 3 h of real time inside a 4 h local span.
    expect(makeCalendar(span('01:00', '05:00')).durationMs(...week)).toBe(3 * HOUR_MS);
    // 02:00–03:00 does not exist that day: 0.
    expect(makeCalendar(span('02:00', '03:00')).durationMs(...week)).toBe(0);
    // 02:30 is skipped, so the span starts at the transition (07:00Z = 03:00 EDT) and ends 04:00 EDT (08:00Z): 1 h.
    expect(makeCalendar(span('02:30', '04:00')).durationMs(...week)).toBe(1 * HOUR_MS);
  });

  it('America/New_York 2024-11-03 (fall back): 01:00–02:00 runs from the first 01:00 (EDT) to 02:00 EST, 2 h', () => {
    const calendar = makeCalendar({ ...sundayAllDay('America/New_York'), hours: [{ start: '01:00', end: '02:00' }] });
    // 01:00 EDT = 05:00Z, 02:00 EST = 07:00Z.
    expect(calendar.durationMs(utc('2024-10-28T12:00:00Z'), utc('2024-11-04T12:00:00Z'))).toBe(2 * HOUR_MS);
  });

  it('honours a lunch break', () => {
    const calendar = makeCalendar({
      kind: 'business',
      timeZone: 'America/New_York',
      workingDays: [1, 2, 3, 4, 5],
      hours: [{ start: '13:00', end: '17:00' }, { start: '08:00', end: '12:00' }],
      holidays: [],
    });
    // Mon 2024-06-03 07:00 EDT (11:00Z) → 18:00 EDT (22:00Z): 4 h + 4 h.
    expect(calendar.durationMs(utc('2024-06-03T11:00:00Z'), utc('2024-06-03T22:00:00Z'))).toBe(8 * HOUR_MS);
    // 11:30 → 13:30 local: 30 min before lunch + 30 min after.
    expect(calendar.durationMs(utc('2024-06-03T15:30:00Z'), utc('2024-06-03T17:30:00Z'))).toBe(HOUR_MS);
  });

  it('sums two years of working days', () => {
    // 2024 (leap, starts Monday) has 262 weekdays, 2025 (starts Wednesday) 261: 523 days × 8 h.
    // Three holidays on weekdays (Wed 2024-12-25, Thu 2024-12-26, Wed 2025-01-01) leave 520 days.
    const from = utc('2023-12-31T23:00:00Z'); // 2024-01-01 00:00 CET
    const to = utc('2025-12-31T23:00:00Z'); // 2026-01-01 00:00 CET
    expect(makeCalendar(berlinOffice).durationMs(from, to)).toBe(523 * 8 * HOUR_MS);
    const withHolidays = makeCalendar({ ...berlinOffice, holidays: ['2024-12-25', '2024-12-26', '2025-01-01', '2024-12-28'] });
    expect(withHolidays.durationMs(from, to)).toBe(520 * 8 * HOUR_MS);
    // Asking for a later interval first, then an earlier one, gives the same answers (the index grows both ways).
    const growing = makeCalendar(berlinOffice);
    expect(growing.durationMs(utc('2025-06-02T07:00:00Z'), utc('2025-06-02T15:00:00Z'))).toBe(8 * HOUR_MS);
    expect(growing.durationMs(from, to)).toBe(523 * 8 * HOUR_MS);
    expect(growing.durationMs(utc('2019-06-03T07:00:00Z'), utc('2019-06-03T15:00:00Z'))).toBe(8 * HOUR_MS);
  });

  it('24x7 counts elapsed time; NaN stays NaN', () => {
    const calendar = makeCalendar({ kind: '24x7' });
    expect(calendar.durationMs(1_000, 4_600_000)).toBe(4_599_000);
    expect(calendar.durationMs(5, 1)).toBe(0);
    expect(calendar.durationMs(NaN, 1)).toBeNaN();
    expect(makeCalendar(berlinOffice).durationMs(0, NaN)).toBeNaN();
  });
});

describe('makeCalendar: validation and description', () => {
  it('rejects an unknown zone with BAD_CALENDAR naming the path', () => {
    expect.assertions(3);
    try {
      makeCalendar({ ...berlinOffice, timeZone: 'Europe/Atlantis' });
    } catch (error) {
      expect(error).toBeInstanceOf(VsmError);
      expect((error as VsmError).code).toBe('BAD_CALENDAR');
      expect((error as VsmError).message).toContain('calendar.timeZone');
    }
  });

  it('rejects overlapping, inverted and malformed spans and bad holidays', () => {
    const bad = (spec: unknown): void => {
      expect(() => makeCalendar(spec as CalendarSpec)).toThrow(VsmError);
    };
    bad({ ...berlinOffice, hours: [{ start: '09:00', end: '13:00' }, { start: '12:00', end: '17:00' }] });
    bad({ ...berlinOffice, hours: [{ start: '22:00', end: '06:00' }] });
    bad({ ...berlinOffice, hours: [{ start: '9:00', end: '17:00' }] });
    bad({ ...berlinOffice, holidays: ['2024-02-30'] });
    bad({ ...berlinOffice, workingDays: [0] });
  });

  it('throws BAD_TIMESTAMP for a timestamp far outside the indexed years', () => {
    expect(() => makeCalendar(berlinOffice).durationMs(0, 1e15)).toThrow(/1900–2200/);
  });

  it('describes itself', () => {
    expect(makeCalendar({ ...berlinOffice, holidays: ['2024-12-25', '2024-12-26'] }).describe()).toBe('Mon–Fri 09:00–17:00 Europe/Berlin, 2 holidays');
    expect(makeCalendar({ kind: '24x7' }).describe()).toBe('24x7 (elapsed time)');
    expect(describeWeekdays([1, 3, 5, 6, 7])).toBe('Mon, Wed, Fri–Sun');
    expect(describeWeekdays([6, 7])).toBe('Sat, Sun');
  });
});

describe('makeCalendar: one durationMs over each calendar’s data', () => {
  it('gives every business calendar the same durationMs function (a call site over many resources keeps one target), each counting its own hours', () => {
    const early = makeCalendar({ kind: 'business', timeZone: 'UTC', workingDays: [1, 2, 3, 4, 5], hours: [{ start: '06:00', end: '10:00' }], holidays: [] });
    const late = makeCalendar({ kind: 'business', timeZone: 'Europe/Berlin', workingDays: [1, 2, 3, 4, 5, 6], hours: [{ start: '12:00', end: '20:00' }], holidays: ['2024-01-03'] });
    expect(late.durationMs).toBe(early.durationMs);
    const mondayMs = utc('2024-01-01T00:00:00Z');
    // Mon 1 – Sat 6 January 2024 (UTC; Berlin +1 h): 5 × 4 h early; 5 × 8 h late (Wed 3 a holiday).
    expect(early.durationMs(mondayMs, mondayMs + 6 * 24 * HOUR_MS)).toBe(20 * HOUR_MS);
    expect(late.durationMs(mondayMs, mondayMs + 6 * 24 * HOUR_MS)).toBe(40 * HOUR_MS);
    expect(makeCalendar({ kind: '24x7' }).durationMs).toBe(makeCalendar({ kind: '24x7' }).durationMs);
    expect(early.workingTimeTable).toBeDefined();
    expect(makeCalendar({ kind: '24x7' }).workingTimeTable).toBeUndefined();
  });
});
