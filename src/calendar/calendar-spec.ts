/**
 * The calendar durations are counted on: `24x7` (elapsed time) or business hours in an IANA zone.
 * One zod schema is both the config check and the type (see DESIGN.md §4 "Calendar"): `calendarSpecSchemaOf`
 * builds it, calendar-spec-schema.ts exports it built with the bundled zod. This module stays zod-free, because every
 * analysis makes a calendar (issue 14, start-up): `parseCalendarSpec` accepts a spec the schema accepts by a
 * direct check, and asks the schema (zod required on demand) only for a spec that check does not accept, so every
 * error and every accepted value is the schema's.
 */
import { createRequire } from 'node:module';
import type { z as Zod } from 'zod';
import { VsmError, quoteGot } from '../errors.js';
import { parseIsoDate } from './civil-date.js';
import { isKnownTimeZone } from './zone-clock.js';
import { clockTimeToMinutes } from './clock-time.js';

const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

// In a module of its own (no zod), for the calendar a worker thread builds (working-durations.ts); re-exported here.
export { clockTimeToMinutes } from './clock-time.js';

/** Do the spans (each ending after it starts) not overlap, in start order? */
function spansDisjoint(spans: readonly { start: string; end: string }[]): boolean {
  const sorted = [...spans].sort((a, b) => clockTimeToMinutes(a.start) - clockTimeToMinutes(b.start));
  return sorted.every((span, k) => k === 0 || clockTimeToMinutes(sorted[k - 1].end) <= clockTimeToMinutes(span.start));
}

/**
 * The calendar schema, built with the zod it is given (calendar-spec-schema.ts passes the bundled one).
 * @example calendarSpecSchemaOf(z).parse({ kind: '24x7' })
 */
export function calendarSpecSchemaOf(z: typeof Zod) {
  const ClockTimeSchema = z.string().regex(CLOCK_TIME, 'expected a clock time "HH:mm" (00:00–24:00)');
  const WorkingSpanSchema = z
    .object({ start: ClockTimeSchema, end: ClockTimeSchema })
    .refine((span) => clockTimeToMinutes(span.start) < clockTimeToMinutes(span.end), {
      message: 'a working span must end after it starts on the same day (split overnight shifts at 24:00)',
    });
  return z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('24x7') }),
    z.object({
      kind: z.literal('business'),
      /** IANA zone name, e.g. Europe/Berlin; working hours are wall-clock times there. */
      timeZone: z.string().refine(isKnownTimeZone, { message: 'unknown IANA time zone' }),
      /** ISO weekdays, 1 = Monday … 7 = Sunday. */
      workingDays: z.array(z.number().int().min(1).max(7)).min(1),
      /** Working spans of one day, e.g. 08:00–12:00 and 13:00–17:00 for a lunch break; must not overlap. */
      hours: z.array(WorkingSpanSchema).min(1).refine(spansDisjoint, { message: 'working spans overlap' }),
      /** Local dates (yyyy-MM-dd) with no working time. */
      holidays: z.array(z.string().refine((text) => !Number.isNaN(parseIsoDate(text)), { message: 'expected a date yyyy-MM-dd' })),
    }),
  ]);
}

export type CalendarSpec = Zod.infer<ReturnType<typeof calendarSpecSchemaOf>>;
export type BusinessCalendarSpec = Extract<CalendarSpec, { kind: 'business' }>;

export const CALENDAR_24X7: CalendarSpec = { kind: '24x7' };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Working days 1–7 copied, or null when a value is not one (or there is none). */
function acceptedWeekdays(value: unknown): number[] | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  const days: number[] = [];
  for (let k = 0; k < value.length; k++) {
    const day: unknown = value[k];
    if (typeof day !== 'number' || !Number.isInteger(day) || day < 1 || day > 7) return null;
    days.push(day);
  }
  return days;
}

/** Working spans copied as { start, end }, or null unless each is well-formed, ends after it starts, and none overlap. */
function acceptedSpans(value: unknown): { start: string; end: string }[] | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  const spans: { start: string; end: string }[] = [];
  for (let k = 0; k < value.length; k++) {
    const span: unknown = value[k];
    if (!isPlainObject(span)) return null;
    const { start, end } = span;
    if (typeof start !== 'string' || typeof end !== 'string' || !CLOCK_TIME.test(start) || !CLOCK_TIME.test(end)) return null;
    if (!(clockTimeToMinutes(start) < clockTimeToMinutes(end))) return null;
    spans.push({ start, end });
  }
  return spansDisjoint(spans) ? spans : null;
}

/** Holiday dates copied, or null unless each is a valid yyyy-MM-dd date. */
function acceptedHolidays(value: unknown): string[] | null {
  if (!Array.isArray(value)) return null;
  const dates: string[] = [];
  for (let k = 0; k < value.length; k++) {
    const date: unknown = value[k];
    if (typeof date !== 'string' || Number.isNaN(parseIsoDate(date))) return null;
    dates.push(date);
  }
  return dates;
}

/**
 * What the schema returns for a spec it accepts, checked without zod: a new object of the schema's keys in its order,
 * arrays copied. Null when in doubt (any value the direct check does not accept): parseCalendarSpec asks the schema.
 * @example acceptedCalendarSpec({ kind: '24x7', note: 1 }) // { kind: '24x7' }
 */
export function acceptedCalendarSpec(value: unknown): CalendarSpec | null {
  if (!isPlainObject(value)) return null;
  if (value.kind === '24x7') return { kind: '24x7' };
  if (value.kind !== 'business') return null;
  const timeZone = value.timeZone;
  if (typeof timeZone !== 'string' || !isKnownTimeZone(timeZone)) return null;
  const workingDays = acceptedWeekdays(value.workingDays);
  const hours = workingDays && acceptedSpans(value.hours);
  const holidays = hours && acceptedHolidays(value.holidays);
  return workingDays && hours && holidays ? { kind: 'business', timeZone, workingDays, hours, holidays } : null;
}

let requiredSchema: ReturnType<typeof calendarSpecSchemaOf> | undefined;

/** The schema built with zod required from node_modules (CommonJS, synchronous), for specs the direct check refuses. */
function schemaOnDemand(): ReturnType<typeof calendarSpecSchemaOf> {
  requiredSchema ??= calendarSpecSchemaOf((createRequire(import.meta.url)('zod') as { z: typeof Zod }).z);
  return requiredSchema;
}

/**
 * Validates an unknown value (config file, library caller) as a CalendarSpec, throwing a VsmError that names
 * the first problem's path, e.g. `calendar.hours.1.end`.
 */
export function parseCalendarSpec(value: unknown, where = 'calendar'): CalendarSpec {
  const accepted = acceptedCalendarSpec(value);
  if (accepted !== null) return accepted;
  const result = schemaOnDemand().safeParse(value);
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
