/**
 * The calendar every duration is counted on (DESIGN.md §4 "Calendar"): `24x7` counts elapsed time; a business
 * calendar counts only working hours, as wall-clock spans in an IANA zone, on working weekdays that are not
 * holidays. DST-correct: a span's length is the real elapsed time between its local start and end, so a
 * 09:00–17:00 span is 8 h on any day unless a clock change falls inside it (then 7 h or 9 h).
 */
import { clockTimeToMinutes, parseCalendarSpec, type CalendarSpec } from './calendar-spec.js';
import type { WorkingTimeIndex } from './working-time-index.js';
import { workingTimeIndexOf } from './working-durations.js';

export interface BusinessCalendar {
  readonly spec: CalendarSpec;
  /** Working ms in [fromMs, toMs); 0 when toMs <= fromMs (NaN when either is NaN). */
  durationMs(fromMs: number, toMs: number): number;
  /** Human description, e.g. "Mon–Fri 09:00–17:00 Europe/Berlin, 12 holidays". */
  describe(): string;
  /** Business calendars: the working-time table over [fromMs, toMs] (WorkingTimeIndex.table); absent for 24x7. */
  workingTimeTable?: WorkingTimeIndex['table'];
}

const WEEKDAY_NAMES = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/**
 * Builds the calendar for a spec (validated again here, so config and library callers get a BAD_CALENDAR
 * VsmError rather than wrong numbers).
 * @example makeCalendar({ kind: '24x7' }).durationMs(0, 3_600_000) // 3 600 000
 */
export function makeCalendar(spec: CalendarSpec): BusinessCalendar {
  const checked = parseCalendarSpec(spec);
  if (checked.kind === '24x7') return new ElapsedCalendar(checked);
  const { index, holidayDays } = workingTimeIndexOf(checked);
  const description = [
    describeWeekdays(checked.workingDays),
    [...checked.hours].sort((a, b) => clockTimeToMinutes(a.start) - clockTimeToMinutes(b.start)).map((span) => `${span.start}–${span.end}`).join(', '),
    checked.timeZone,
  ].join(' ');
  const holidayCount = holidayDays.size;
  return new IndexedCalendar(checked, index, holidayCount === 0 ? description : `${description}, ${holidayCount} holiday${holidayCount === 1 ? '' : 's'}`);
}

/*
 * The calendars are instances of two classes, their durationMs one method over each calendar's data rather than a
 * closure per calendar: a call site that meets the calendars of many resources (the wait-cause sweep) then keeps one
 * target, and its compiled code is not thrown away at the next resource (issue 14).
 */

/** 24x7: elapsed time. */
class ElapsedCalendar implements BusinessCalendar {
  constructor(readonly spec: CalendarSpec) {}

  durationMs(fromMs: number, toMs: number): number {
    return toMs > fromMs ? toMs - fromMs : Number.isNaN(fromMs) || Number.isNaN(toMs) ? NaN : 0;
  }

  describe(): string {
    return '24x7 (elapsed time)';
  }
}

/** A business calendar: its working time W(t) from its index. */
class IndexedCalendar implements BusinessCalendar {
  constructor(
    readonly spec: CalendarSpec,
    private readonly index: WorkingTimeIndex,
    private readonly description: string,
  ) {}

  durationMs(fromMs: number, toMs: number): number {
    return this.index.durationMs(fromMs, toMs);
  }

  workingTimeTable(fromMs: number, toMs: number): ReturnType<WorkingTimeIndex['table']> {
    return this.index.table(fromMs, toMs);
  }

  describe(): string {
    return this.description;
  }
}

/** [1,2,3,4,5] → "Mon–Fri"; [1,3,5,6,7] → "Mon, Wed, Fri–Sun". */
export function describeWeekdays(workingDays: readonly number[]): string {
  const days = [...new Set(workingDays)].sort((a, b) => a - b);
  const runs: string[] = [];
  for (let k = 0; k < days.length; ) {
    let end = k;
    while (end + 1 < days.length && days[end + 1] === days[end] + 1) end++;
    const first = WEEKDAY_NAMES[days[k]];
    const last = WEEKDAY_NAMES[days[end]];
    if (end === k) runs.push(first);
    else if (end === k + 1) runs.push(`${first}, ${last}`);
    else runs.push(`${first}–${last}`);
    k = end + 1;
  }
  return runs.join(', ');
}
