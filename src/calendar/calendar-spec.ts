/**
 * The calendar durations are counted on: `24x7` (elapsed time) or business hours in an IANA zone.
 * One zod schema is both the config check and the type (see DESIGN.md §4 "Calendar").
 */
import { z } from 'zod';
import { VsmError, quoteGot } from '../errors.js';
import { parseIsoDate } from './civil-date.js';
import { isKnownTimeZone } from './zone-clock.js';
import { clockTimeToMinutes } from './clock-time.js';

const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

// In a module of its own (no zod), for the calendar a worker thread builds (working-durations.ts); re-exported here.
export { clockTimeToMinutes } from './clock-time.js';

const ClockTimeSchema = z.string().regex(CLOCK_TIME, 'expected a clock time "HH:mm" (00:00–24:00)');

const WorkingSpanSchema = z
  .object({ start: ClockTimeSchema, end: ClockTimeSchema })
  .refine((span) => clockTimeToMinutes(span.start) < clockTimeToMinutes(span.end), {
    message: 'a working span must end after it starts on the same day (split overnight shifts at 24:00)',
  });

export const CalendarSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('24x7') }),
  z.object({
    kind: z.literal('business'),
    /** IANA zone name, e.g. Europe/Berlin; working hours are wall-clock times there. */
    timeZone: z.string().refine(isKnownTimeZone, { message: 'unknown IANA time zone' }),
    /** ISO weekdays, 1 = Monday … 7 = Sunday. */
    workingDays: z.array(z.number().int().min(1).max(7)).min(1),
    /** Working spans of one day, e.g. 08:00–12:00 and 13:00–17:00 for a lunch break; must not overlap. */
    hours: z
      .array(WorkingSpanSchema)
      .min(1)
      .refine(
        (spans) => {
          const sorted = [...spans].sort((a, b) => clockTimeToMinutes(a.start) - clockTimeToMinutes(b.start));
          return sorted.every((span, k) => k === 0 || clockTimeToMinutes(sorted[k - 1].end) <= clockTimeToMinutes(span.start));
        },
        { message: 'working spans overlap' },
      ),
    /** Local dates (yyyy-MM-dd) with no working time. */
    holidays: z.array(z.string().refine((text) => !Number.isNaN(parseIsoDate(text)), { message: 'expected a date yyyy-MM-dd' })),
  }),
]);

export type CalendarSpec = z.infer<typeof CalendarSpecSchema>;
export type BusinessCalendarSpec = Extract<CalendarSpec, { kind: 'business' }>;

export const CALENDAR_24X7: CalendarSpec = { kind: '24x7' };

/**
 * Validates an unknown value (config file, library caller) as a CalendarSpec, throwing a VsmError that names
 * the first problem's path, e.g. `calendar.hours.1.end`.
 */
export function parseCalendarSpec(value: unknown, where = 'calendar'): CalendarSpec {
  const result = CalendarSpecSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = [where, ...issue.path.map(String)].join('.');
  const got = issue.path.reduce<unknown>(
    (node, key) => (node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined),
    value,
  );
  return fail(issue.message, path, got);
}

function fail(what: string, where: string, got: unknown): never {
  throw new VsmError({
    code: 'BAD_CALENDAR',
    what: `calendar invalid: ${what}`,
    where,
    got: got === undefined ? undefined : quoteGot(typeof got === 'string' ? got : (JSON.stringify(got) ?? String(got))),
    fix: 'use { "kind": "24x7" } or { "kind": "business", "timeZone": "Europe/Berlin", "workingDays": [1,2,3,4,5], "hours": [{ "start": "09:00", "end": "17:00" }], "holidays": [] }',
  });
}
