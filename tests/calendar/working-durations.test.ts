/** The worker thread's calendars (working-durations.ts, no zod) count what makeCalendar's count. */
import { describe, expect, it } from 'vitest';
import { makeCalendar } from '../../src/calendar/business-calendar.js';
import { parseCalendarOption } from '../../src/calendar/calendar-option.js';
import { workingDurations } from '../../src/calendar/working-durations.js';

describe('workingDurations', () => {
  it("gives makeCalendar's durations on its checked spec (business hours with a DST change, holidays, 24x7)", () => {
    const specs = [parseCalendarOption('Europe/Berlin Mon-Fri 09:00-12:00,13:00-17:30'), { ...parseCalendarOption('UTC Mon-Sat 08:00-20:00'), holidays: ['2024-03-29'] }, { kind: '24x7' as const }];
    const startMs = Date.UTC(2024, 2, 25);
    for (const spec of specs) {
      const calendar = makeCalendar(spec);
      const durations = workingDurations(calendar.spec);
      let checked = 0;
      for (let fromHour = 0; fromHour < 24 * 9; fromHour += 5) {
        for (const lengthHours of [0, 1, 7, 30, 100]) {
          const fromMs = startMs + fromHour * 3_600_000 + 17_000;
          const toMs = fromMs + lengthHours * 3_600_000;
          expect(durations.durationMs(fromMs, toMs)).toBe(calendar.durationMs(fromMs, toMs));
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(100);
    }
    expect(workingDurations(makeCalendar(specs[0]).spec).durationMs(startMs, startMs + 7 * 86_400_000)).toBe(5 * 7.5 * 3_600_000);
    expect(workingDurations({ kind: '24x7' }).durationMs(5, 2)).toBe(0);
  });

  it('gives every business calendar the same durationMs function (the worker sweep’s call site keeps one target)', () => {
    const a = workingDurations(parseCalendarOption('Europe/Berlin Mon-Fri 09:00-17:00'));
    const b = workingDurations(parseCalendarOption('UTC Mon-Sat 07:00-15:00'));
    expect(b.durationMs).toBe(a.durationMs);
    const mondayMs = Date.UTC(2024, 0, 1);
    expect(a.durationMs(mondayMs, mondayMs + 7 * 86_400_000)).toBe(5 * 8 * 3_600_000);
    expect(b.durationMs(mondayMs, mondayMs + 7 * 86_400_000)).toBe(6 * 8 * 3_600_000);
  });
});
