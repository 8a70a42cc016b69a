/**
 * The `--calendar` flag: `24x7`, or `"<IANA zone> <days> <hours>"`, e.g.
 * `"Europe/Berlin Mon-Fri 09:00-17:00"` or `"America/New_York Mon-Fri 08:00-12:00,13:00-17:00"`.
 * Holidays come separately (see holidays.ts) and are added by the caller.
 */
import { VsmError, quoteGot } from '../errors.js';
import { parseCalendarSpec, type CalendarSpec } from './calendar-spec.js';
import { isKnownTimeZone } from './zone-clock.js';

const FLAG = '--calendar';
const EXAMPLE_FIX = 'pass --calendar 24x7 or --calendar "Europe/Berlin Mon-Fri 09:00-17:00" (lunch break: "08:00-12:00,13:00-17:00")';
const WEEKDAY_PREFIXES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function fail(what: string, got: string, fix = EXAMPLE_FIX): never {
  throw new VsmError({ code: 'BAD_CALENDAR', what, where: FLAG, got: quoteGot(got), fix });
}

/** "Mon" / "monday" → 1 … "Sun" → 7; 0 when not a weekday name. */
function parseWeekday(name: string): number {
  const lower = name.toLowerCase();
  if (lower.length < 3) return 0;
  const index = WEEKDAY_PREFIXES.findIndex((prefix) => lower.startsWith(prefix));
  return index + 1;
}

/** "Mon-Fri", "Mon,Wed,Fri", "Fri-Mon" (wraps over the weekend) → ISO weekdays. */
function parseWeekdays(text: string): number[] {
  const days = new Set<number>();
  for (const part of text.split(',')) {
    const [firstName, lastName, extra] = part.split(/[-–]/);
    const first = parseWeekday(firstName ?? '');
    const last = lastName === undefined ? first : parseWeekday(lastName);
    if (first === 0 || last === 0 || extra !== undefined) fail('working days not understood', text);
    for (let day = first; ; day = (day % 7) + 1) {
      days.add(day);
      if (day === last) break;
    }
  }
  return [...days].sort((a, b) => a - b);
}

function normalizeClockTime(text: string, whole: string): string {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (match === null) fail('working hours not understood', whole);
  return `${match[1].padStart(2, '0')}:${match[2]}`;
}

/** "08:00-12:00,13:00-17:00" → spans; single-digit hours ("9:00") are accepted. */
function parseHours(text: string): { start: string; end: string }[] {
  return text.split(',').map((spanText) => {
    const ends = spanText.split(/[-–]/);
    if (ends.length !== 2) fail('working hours not understood', text);
    return { start: normalizeClockTime(ends[0], text), end: normalizeClockTime(ends[1], text) };
  });
}

/**
 * Parses the `--calendar` flag into a CalendarSpec with no holidays.
 * @example parseCalendarOption('Europe/Berlin Mon-Fri 09:00-17:00')
 * // { kind: 'business', timeZone: 'Europe/Berlin', workingDays: [1,2,3,4,5], hours: [{ start: '09:00', end: '17:00' }], holidays: [] }
 */
export function parseCalendarOption(text: string): CalendarSpec {
  const trimmed = text.trim();
  if (/^24\s*[x/]\s*7$/i.test(trimmed)) return { kind: '24x7' };
  const [timeZone, daysText, ...hoursParts] = trimmed.split(/\s+/);
  if (timeZone === undefined || timeZone === '' || daysText === undefined || hoursParts.length === 0) {
    fail('calendar needs a time zone, working days and hours', text);
  }
  if (!isKnownTimeZone(timeZone)) {
    fail('unknown IANA time zone', timeZone, 'use a zone name such as Europe/Berlin, America/New_York or UTC (see `Intl.supportedValuesOf("timeZone")`)');
  }
  const spec = {
    kind: 'business' as const,
    timeZone,
    workingDays: parseWeekdays(daysText),
    hours: parseHours(hoursParts.join('')),
    holidays: [],
  };
  return parseCalendarSpec(spec, FLAG);
}
