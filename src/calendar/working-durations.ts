/**
 * The working-time index of a calendar spec already checked (a BusinessCalendar's `spec`), without the zod schema
 * that checks one: makeCalendar builds its index here, and the wait-cause sweep's worker thread rebuilds its calendars
 * here from the main thread's specs without loading zod (≈ 13 MB of its resident memory; issue 14).
 */
import type { CalendarSpec } from './calendar-spec.js';
import { parseIsoDate } from './civil-date.js';
import { clockTimeToMinutes } from './clock-time.js';
import { WorkingTimeIndex } from './working-time-index.js';

/** The index of a checked business calendar spec, with its holidays' day numbers. */
export function workingTimeIndexOf(checked: Extract<CalendarSpec, { kind: 'business' }>): { index: WorkingTimeIndex; holidayDays: Set<number> } {
  const isWorkingWeekday = new Array<boolean>(8).fill(false);
  for (const weekday of checked.workingDays) isWorkingWeekday[weekday] = true;
  const spans = checked.hours
    .map((span) => ({ startMinute: clockTimeToMinutes(span.start), endMinute: clockTimeToMinutes(span.end) }))
    .sort((a, b) => a.startMinute - b.startMinute);
  const holidayDays = new Set(checked.holidays.map(parseIsoDate));
  return { index: new WorkingTimeIndex({ timeZone: checked.timeZone, isWorkingWeekday, holidayDays, spans }), holidayDays };
}

/**
 * Working ms in [fromMs, toMs) on a checked spec, as makeCalendar(spec).durationMs counts them.
 * @example workingDurations({ kind: '24x7' }).durationMs(0, 3_600_000) // 3 600 000
 */
export function workingDurations(checked: CalendarSpec): { durationMs(fromMs: number, toMs: number): number } {
  // The index itself for a business calendar (its durationMs a method of the class, so the sweep's call site keeps
  // one target from resource to resource, not a closure per calendar).
  return checked.kind === '24x7' ? ELAPSED : workingTimeIndexOf(checked).index;
}

const ELAPSED = {
  durationMs(fromMs: number, toMs: number): number {
    return toMs > fromMs ? toMs - fromMs : Number.isNaN(fromMs) || Number.isNaN(toMs) ? NaN : 0;
  },
};
