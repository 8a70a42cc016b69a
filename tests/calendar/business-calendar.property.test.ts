import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { makeCalendar } from '../../src/calendar/business-calendar.js';
import type { CalendarSpec } from '../../src/calendar/calendar-spec.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const FROM_MS = Date.parse('2023-01-01T00:00:00Z');
const TO_MS = Date.parse('2026-12-31T00:00:00Z');

const specs: Record<string, CalendarSpec> = {
  berlinOffice: { kind: 'business', timeZone: 'Europe/Berlin', workingDays: [1, 2, 3, 4, 5], hours: [{ start: '09:00', end: '17:00' }], holidays: ['2024-12-25', '2025-05-01'] },
  newYorkLunch: { kind: 'business', timeZone: 'America/New_York', workingDays: [1, 2, 3, 4, 5], hours: [{ start: '08:00', end: '12:00' }, { start: '13:00', end: '17:00' }], holidays: [] },
  berlinAllWeek: { kind: 'business', timeZone: 'Europe/Berlin', workingDays: [1, 2, 3, 4, 5, 6, 7], hours: [{ start: '00:00', end: '24:00' }], holidays: [] },
  lordHoweNights: { kind: 'business', timeZone: 'Australia/Lord_Howe', workingDays: [6, 7], hours: [{ start: '01:00', end: '03:00' }, { start: '20:00', end: '24:00' }], holidays: [] },
  kathmandu: { kind: 'business', timeZone: 'Asia/Kathmandu', workingDays: [7, 1, 2, 3, 4], hours: [{ start: '10:00', end: '17:30' }], holidays: ['2024-10-11'] },
};
const calendars = Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, makeCalendar(spec)]));
const calendarName = fc.constantFrom(...Object.keys(specs));
const instant = fc.integer({ min: FROM_MS, max: TO_MS });

/** Local weekday (1..7), date and minute of day of an instant, straight from Intl: an oracle independent of the index. */
function localParts(timeZone: string): (utcMs: number) => { weekday: number; date: string; minuteOfDay: number } {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  return (utcMs) => {
    const parts = Object.fromEntries(format.formatToParts(utcMs).map((part) => [part.type, part.value]));
    return { weekday: weekdays.indexOf(parts.weekday) + 1, date: `${parts.year}-${parts.month}-${parts.day}`, minuteOfDay: Number(parts.hour) * 60 + Number(parts.minute) };
  };
}

describe('business calendar properties', () => {
  it('is additive: d(a,c) = d(a,b) + d(b,c) for a ≤ b ≤ c', () => {
    fc.assert(
      fc.property(calendarName, instant, instant, instant, (name, x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p - q);
        const calendar = calendars[name];
        expect(calendar.durationMs(a, c)).toBe(calendar.durationMs(a, b) + calendar.durationMs(b, c));
      }),
      { numRuns: 2000 },
    );
  });

  it('is never negative and never more than the elapsed time', () => {
    fc.assert(
      fc.property(calendarName, instant, instant, (name, a, b) => {
        const durationMs = calendars[name].durationMs(a, b);
        expect(durationMs).toBeGreaterThanOrEqual(0);
        expect(durationMs).toBeLessThanOrEqual(Math.max(0, b - a));
      }),
      { numRuns: 2000 },
    );
  });

  it('24x7 equals elapsed time', () => {
    const calendar = makeCalendar({ kind: '24x7' });
    fc.assert(fc.property(instant, instant, (a, b) => calendar.durationMs(a, b) === Math.max(0, b - a)));
  });

  it('counts 0 for any stay wholly inside a Berlin weekend or on a holiday', () => {
    const calendar = calendars.berlinOffice;
    const saturdayMidnightMs = Date.parse('2024-06-07T22:00:00Z'); // Sat 2024-06-08 00:00 CEST
    const christmasMidnightMs = Date.parse('2024-12-24T23:00:00Z'); // Wed 2024-12-25 00:00 CET
    const weeks = fc.integer({ min: -20, max: 20 });
    const offsetsMs = fc.tuple(fc.integer({ min: 0, max: 2 * DAY_MS }), fc.integer({ min: 0, max: 2 * DAY_MS }));
    fc.assert(
      fc.property(weeks, offsetsMs, (week, [p, q]) => {
        // ±20 weeks from June stays inside CEST, so a weekend is exactly 48 h from Saturday 00:00 local.
        const startMs = saturdayMidnightMs + week * 7 * DAY_MS;
        expect(calendar.durationMs(startMs + Math.min(p, q), startMs + Math.max(p, q))).toBe(0);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: DAY_MS }), fc.integer({ min: 0, max: DAY_MS }), (p, q) => {
        expect(calendar.durationMs(christmasMidnightMs + Math.min(p, q), christmasMidnightMs + Math.max(p, q))).toBe(0);
      }),
    );
  });

  it('agrees with counting working minutes one by one through Intl', () => {
    // Spans here never start or end on a repeated or skipped wall time, where "inside the span" is ambiguous.
    const names = ['berlinOffice', 'newYorkLunch', 'berlinAllWeek', 'kathmandu'];
    const minuteInstant = fc.integer({ min: FROM_MS / MINUTE_MS, max: TO_MS / MINUTE_MS }).map((minute) => minute * MINUTE_MS);
    fc.assert(
      fc.property(fc.constantFrom(...names), minuteInstant, fc.integer({ min: 0, max: 3 * 24 * 60 }), (name, fromMs, minutes) => {
        const spec = specs[name];
        if (spec.kind !== 'business') return;
        const local = localParts(spec.timeZone);
        const spans = spec.hours.map((span) => [span.start, span.end].map((clock) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3))));
        let workingMinutes = 0;
        for (let k = 0; k < minutes; k++) {
          const { weekday, date, minuteOfDay } = local(fromMs + k * MINUTE_MS);
          if (!spec.workingDays.includes(weekday) || spec.holidays.includes(date)) continue;
          if (spans.some(([start, end]) => minuteOfDay >= start && minuteOfDay < end)) workingMinutes++;
        }
        expect(calendars[name].durationMs(fromMs, fromMs + minutes * MINUTE_MS)).toBe(workingMinutes * MINUTE_MS);
      }),
      { numRuns: 40 },
    );
  });

  it('stitches local days without gap or overlap: an all-week 00:00–24:00 calendar equals elapsed time, DST days included', () => {
    // Berlin changes at 02:00/03:00, Santiago at midnight (so local midnight itself is skipped or repeated),
    // Lord Howe by 30 minutes.
    const cases = fc.constantFrom(
      ['Europe/Berlin', '2024-03-28T00:00:00Z'],
      ['Europe/Berlin', '2024-10-24T00:00:00Z'],
      ['America/Santiago', '2024-09-05T00:00:00Z'],
      ['America/Santiago', '2024-04-04T00:00:00Z'],
      ['Australia/Lord_Howe', '2024-10-03T00:00:00Z'],
      ['Australia/Lord_Howe', '2024-04-04T00:00:00Z'],
    );
    const allWeek = new Map(
      ['Europe/Berlin', 'America/Santiago', 'Australia/Lord_Howe'].map((timeZone) => [
        timeZone,
        makeCalendar({ kind: 'business', timeZone, workingDays: [1, 2, 3, 4, 5, 6, 7], hours: [{ start: '00:00', end: '24:00' }], holidays: [] }),
      ]),
    );
    const withinWeekMs = fc.integer({ min: 0, max: 7 * DAY_MS });
    fc.assert(
      fc.property(cases, withinWeekMs, withinWeekMs, ([timeZone, weekIso], p, q) => {
        const weekMs = Date.parse(weekIso);
        const [a, b] = [weekMs + Math.min(p, q), weekMs + Math.max(p, q)];
        expect(allWeek.get(timeZone)!.durationMs(a, b)).toBe(b - a);
      }),
      { numRuns: 500 },
    );
  });

  it('Santiago 2024-09-08 (midnight skipped) is a 23 h day', () => {
    // Clocks jump from 2024-09-08 00:00 −04 to 01:00 −03: the local day runs 04:00Z (the transition) → 2024-09-09
    // 00:00 −03 = 03:00Z, i.e. 23 h.
    const sundays = makeCalendar({ kind: 'business', timeZone: 'America/Santiago', workingDays: [7], hours: [{ start: '00:00', end: '24:00' }], holidays: [] });
    expect(sundays.durationMs(Date.parse('2024-09-02T12:00:00Z'), Date.parse('2024-09-09T12:00:00Z'))).toBe(23 * 3_600_000);
  });
});
