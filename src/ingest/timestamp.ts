import { daysFromCivil } from '../calendar/civil-date.js';
import { isKnownTimeZone } from '../calendar/zone-clock.js';
import { TZDate, tz, tzOffset } from '@date-fns/tz';
import { format as formatDate } from 'date-fns/format';
import { parse as parseDate } from 'date-fns/parse';
import { VsmError, quoteGot } from '../errors.js';
import { compileDateFormat } from './date-format-compiler.js';

/**
 * Timestamp parsing to epoch milliseconds (UTC). Returns NaN for anything it cannot read; callers
 * turn NaN into a `bad-timestamp` rejection with the file, row, column and value.
 *
 * Fast path: ISO 8601 / RFC 3339-like strings `YYYY-MM-DD[T ]hh:mm[:ss[.fff…]][Z|±hh[:]mm]`,
 * also with `/` as the date separator (Disco exports: `2012/10/09 14:50:17.000`).
 * Offset-less values are wall-clock times in `timeZone` (UTC when absent).
 */
export { daysFromCivil };

export interface ParsedTimestamp {
  /** Epoch ms, NaN when unparseable. */
  timestampMs: number;
  /** The offset as written (`+01:00`, `Z`), or '' when the value had none. */
  offset: string;
}

const DIGIT_0 = 48;

function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let k = from; k < from + count; k++) {
    const d = text.charCodeAt(k) - DIGIT_0;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeap(year) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/**
 * Parses the ISO-like forms above. Wall-clock (offset-less) values are returned as if UTC with
 * `offset === ''`; the caller converts them with its zone (see `wallClockToUtcMs`).
 */
export function parseIsoTimestamp(text: string): ParsedTimestamp {
  const bad: ParsedTimestamp = { timestampMs: NaN, offset: '' };
  const s = text.length > 0 && (text.charCodeAt(0) === 32 || text.charCodeAt(text.length - 1) === 32) ? text.trim() : text;
  if (s.length < 10) return bad;
  const year = digits(s, 0, 4);
  const sep = s[4];
  if (year < 0 || (sep !== '-' && sep !== '/') || s[7] !== sep) return bad;
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return bad;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let fractionMs = 0;
  let k = 10;
  if (k < s.length && (s[k] === 'T' || s[k] === ' ' || s[k] === 't')) {
    hour = digits(s, k + 1, 2);
    if (s[k + 3] !== ':') return bad;
    minute = digits(s, k + 4, 2);
    if (hour < 0 || hour > 24 || minute < 0 || minute > 59) return bad;
    k += 6;
    if (s[k] === ':') {
      second = digits(s, k + 1, 2);
      if (second < 0 || second > 60) return bad;
      k += 3;
      if (s[k] === '.' || s[k] === ',') {
        k++;
        let scale = 100;
        let fraction = 0;
        const begin = k;
        while (k < s.length) {
          const d = s.charCodeAt(k) - DIGIT_0;
          if (d < 0 || d > 9) break;
          fraction += d * scale;
          scale /= 10;
          k++;
        }
        if (k === begin) return bad;
        fractionMs = Math.round(fraction * 1000) / 1000;
      }
    }
    if (hour === 24 && (minute !== 0 || second !== 0 || fractionMs !== 0)) return bad;
  }
  let offsetMinutes = 0;
  let offset = '';
  if (k < s.length) {
    const c = s[k];
    if (c === 'Z' || c === 'z') {
      offset = 'Z';
      k++;
    } else if (c === '+' || c === '-') {
      const oh = digits(s, k + 1, 2);
      let om: number;
      let end: number;
      if (s[k + 3] === ':') {
        om = digits(s, k + 4, 2);
        end = k + 6;
      } else if (k + 5 <= s.length && digits(s, k + 3, 2) >= 0) {
        om = digits(s, k + 3, 2);
        end = k + 5;
      } else {
        om = 0;
        end = k + 3;
      }
      if (oh < 0 || om < 0 || oh > 18 || om > 59) return bad;
      offsetMinutes = (c === '-' ? -1 : 1) * (oh * 60 + om);
      offset = `${c}${s.slice(k + 1, k + 3)}:${String(om).padStart(2, '0')}`;
      k = end;
    } else if (c === ' ' && s.slice(k + 1) === 'UTC') {
      offset = 'Z';
      k = s.length;
    } else {
      return bad;
    }
  }
  if (k !== s.length) return bad;
  const epochDays = daysFromCivil(year, month, day);
  const timestampMs = ((epochDays * 24 + hour) * 60 + minute - offsetMinutes) * 60_000 + second * 1000 + fractionMs;
  return { timestampMs, offset };
}

// ---------------------------------------------------------------------------------------------
// Reusable parsers for every reader (CSV, XES, JSON adapters): zones, epoch numbers, date formats.
// ---------------------------------------------------------------------------------------------

const MS_PER_MINUTE = 60_000;

/**
 * The largest |epoch ms| a JavaScript Date can hold (±100,000,000 days around 1970, ECMA-262 §21.4.1.1).
 * A value beyond it cannot be shown or sorted meaningfully: every reader rejects its row as a bad timestamp.
 */
export const MAX_DATE_MS = 8.64e15;

/** The value when it is a finite epoch ms inside the Date range, else NaN (the row is then rejected). */
export function inDateRange(timestampMs: number): number {
  return timestampMs >= -MAX_DATE_MS && timestampMs <= MAX_DATE_MS ? timestampMs : NaN;
}
const MS_PER_HOUR = 3_600_000;
/** Offsets cached per wall-clock hour: 65,536 hours is about 7.5 years of distinct hours. */
const MAX_CACHED_HOURS = 65_536;

/** True when the runtime's Intl knows the zone (IANA names such as Europe/Amsterdam, also UTC). */
export const isValidTimeZone = isKnownTimeZone;

/** Throws VsmError BAD_TIME_ZONE unless `timeZone` is a zone this runtime knows. */
export function assertValidTimeZone(timeZone: string): void {
  if (!isValidTimeZone(timeZone)) {
    throw new VsmError({
      code: 'BAD_TIME_ZONE',
      what: 'unknown time zone',
      where: '--timezone',
      got: quoteGot(timeZone),
      fix: 'pass an IANA zone name such as "Europe/Amsterdam", "America/New_York" or "UTC"',
    });
  }
}

/**
 * Returns a converter from wall-clock ms (the local fields read as if UTC) in `timeZone` to true UTC
 * epoch ms. DST-correct with Temporal's "compatible" rule: a time inside the spring-forward gap moves
 * forward by the gap, an ambiguous autumn time takes the earlier instant — one rule for every reader (TZDate's own
 * choice depends on the zone's sign). Offsets are cached per local hour, so a log of millions of rows asks Intl
 * about twice per distinct hour, not once per value.
 */
export function makeWallClockConverter(timeZone: string): (wallClockMs: number) => number {
  assertValidTimeZone(timeZone);
  const offsetMsAt = (utcMs: number): number => tzOffset(timeZone, new Date(utcMs)) * MS_PER_MINUTE;
  const offsetByLocalHour = new Map<number, number>();
  const resolveOffsetMs = (wallClockMs: number): number => {
    // ±24 h brackets the wall-clock time in every zone (offsets run from −12 h to +14 h); ±12 h did not east of +12 h.
    const beforeMs = offsetMsAt(wallClockMs - 24 * MS_PER_HOUR);
    const afterMs = offsetMsAt(wallClockMs + 24 * MS_PER_HOUR);
    if (beforeMs === afterMs) return beforeMs;
    const earlierValid = offsetMsAt(wallClockMs - beforeMs) === beforeMs;
    const laterValid = offsetMsAt(wallClockMs - afterMs) === afterMs;
    // Both instants exist (the autumn repeat): the larger offset is the earlier instant.
    if (earlierValid && laterValid) return Math.max(beforeMs, afterMs);
    if (earlierValid) return beforeMs;
    if (laterValid) return afterMs;
    // In the gap: keep the offset in force before the change, which lands the instant after the gap.
    return beforeMs;
  };
  return (wallClockMs: number): number => {
    if (Number.isNaN(inDateRange(wallClockMs))) return NaN;
    const hourKey = Math.floor(wallClockMs / MS_PER_HOUR);
    let offsetMs = offsetByLocalHour.get(hourKey);
    if (offsetMs === undefined) {
      // An hour whose first and last millisecond resolve alike is cached; an hour with a transition inside it
      // (half-hour shifts such as Lord Howe's, historic LMT offsets) is marked NaN and resolved per value.
      const startMs = resolveOffsetMs(hourKey * MS_PER_HOUR);
      offsetMs = startMs === resolveOffsetMs(hourKey * MS_PER_HOUR + MS_PER_HOUR - 1) ? startMs : NaN;
      // Bounded: the cache follows the distinct hours read, so a log spanning centuries starts it afresh.
      if (offsetByLocalHour.size >= MAX_CACHED_HOURS) offsetByLocalHour.clear();
      offsetByLocalHour.set(hourKey, offsetMs);
    }
    return inDateRange(wallClockMs - (Number.isNaN(offsetMs) ? resolveOffsetMs(wallClockMs) : offsetMs));
  };
}

/** Unit of a numeric epoch column, decided from the magnitude of a value. */
export type EpochUnit = 's' | 'ms' | 'us' | 'ns';

const NUMERIC_PATTERN = /^\s*-?\d+(\.\d+)?\s*$/;

/** True for text that is a plain decimal number (a candidate epoch value). */
export function isNumericText(text: string): boolean {
  return NUMERIC_PATTERN.test(text);
}

/**
 * Epoch unit from magnitude: below 1e11 seconds (year 5138), below 1e14 milliseconds (year 5138),
 * below 1e17 microseconds, else nanoseconds. Any real event time lands in exactly one band.
 */
export function epochUnitOf(value: number): EpochUnit {
  const magnitude = Math.abs(value);
  if (magnitude < 1e11) return 's';
  if (magnitude < 1e14) return 'ms';
  if (magnitude < 1e17) return 'us';
  return 'ns';
}

const MS_PER_EPOCH_UNIT: Record<EpochUnit, number> = { s: 1000, ms: 1, us: 1e-3, ns: 1e-6 };

/** Epoch ms from numeric text in `unit`; NaN when the text is not a number. */
export function parseEpochText(text: string, unit: EpochUnit): number {
  if (!isNumericText(text)) return NaN;
  return inDateRange(Math.round(Number(text) * MS_PER_EPOCH_UNIT[unit] * 1000) / 1000);
}

const SLASH_DATE_PATTERN = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\b/;

/**
 * For a value like `13/02/2024 10:00` (day or month first), the fix to suggest: which `--date-format`
 * reads it. Undefined when the text is not such a date.
 */
export function suggestDateFormat(text: string): string | undefined {
  const match = SLASH_DATE_PATTERN.exec(text);
  if (!match) return undefined;
  const first = Number(match[1]);
  const second = Number(match[2]);
  const separator = text.trim()[match[1].length];
  const year = match[3].length === 2 ? 'yy' : 'yyyy';
  const rest = text.trim().slice(match[0].trim().length);
  const time = /^[ T]\d{1,2}:\d{2}:\d{2}/.test(rest) ? ' HH:mm:ss' : /^[ T]\d{1,2}:\d{2}/.test(rest) ? ' HH:mm' : '';
  const dayFirst = `dd${separator}MM${separator}${year}${time}`;
  const monthFirst = `MM${separator}dd${separator}${year}${time}`;
  if (first > 12 && second <= 12) return `pass --date-format "${dayFirst}" (the value is day-first)`;
  if (second > 12 && first <= 12) return `pass --date-format "${monthFirst}" (the value is month-first)`;
  return `day and month order is ambiguous: pass --date-format "${dayFirst}" or "${monthFirst}"`;
}

/** Tokens that make a date-fns pattern carry its own offset, so no zone applies. */
const OFFSET_TOKEN_PATTERN = /(^|[^'])[XxOz]/;

/** True when the date-fns pattern carries its own offset (its values are absolute: no zone, no compiled fast path). */
export function dateFormatHasOffset(dateFormat: string): boolean {
  return OFFSET_TOKEN_PATTERN.test(dateFormat);
}

export interface TimestampParserOptions {
  /** IANA zone for offset-less values (UTC when absent). */
  timeZone?: string;
  /** date-fns `parse` tokens; when given, every value is read with it. */
  dateFormat?: string;
  /** Read all-digit values as epoch numbers in this unit; by default decided per value from magnitude. */
  epochUnit?: EpochUnit;
}

/**
 * Builds a text → ParsedTimestamp function shared by all readers. Order: a date format when given,
 * else epoch numbers, else the ISO fast path. Offset-less results are converted from wall-clock time
 * in `timeZone` (UTC when absent) and keep `offset === ''` so callers can count them.
 */
export function makeTimestampParser(options: TimestampParserOptions = {}): (text: string) => ParsedTimestamp {
  const { timeZone, dateFormat, epochUnit } = options;
  const toUtc = timeZone === undefined ? undefined : makeWallClockConverter(timeZone);
  const fromWallClock = (parsed: ParsedTimestamp): ParsedTimestamp =>
    parsed.offset === '' && toUtc !== undefined && !Number.isNaN(parsed.timestampMs)
      ? { timestampMs: toUtc(parsed.timestampMs), offset: '' }
      : parsed;
  if (dateFormat !== undefined) {
    const parseWithFormat = makeDateFormatParser(dateFormat);
    return (text) => fromWallClock(parseWithFormat(text));
  }
  return (text) => {
    if (isNumericText(text)) {
      const value = Number(text);
      return { timestampMs: parseEpochText(text, epochUnit ?? epochUnitOf(value)), offset: 'Z' };
    }
    return fromWallClock(parseIsoTimestamp(text));
  };
}

/**
 * A parser for one date-fns pattern (e.g. "dd/MM/yyyy HH:mm"). Values are read as wall-clock fields
 * (offset '') unless the pattern has an offset token (X, x, O, z), in which case the result is absolute
 * and the offset is reported as 'pattern'. Throws BAD_DATE_FORMAT for a pattern date-fns rejects.
 */
export function makeDateFormatParser(dateFormat: string): (text: string) => ParsedTimestamp {
  const hasOffset = dateFormatHasOffset(dateFormat);
  const referenceDate = new TZDate(2000, 0, 1, 'UTC');
  const inUtc = tz('UTC');
  try {
    // format() walks every token and throws on unknown letters, which parse() would only meet later.
    formatDate(referenceDate, dateFormat, { in: inUtc });
  } catch (error) {
    throw new VsmError({
      code: 'BAD_DATE_FORMAT',
      what: 'date format not understood',
      where: '--date-format',
      got: quoteGot(dateFormat),
      fix: `use date-fns tokens such as "dd/MM/yyyy HH:mm:ss" (${error instanceof Error ? error.message : String(error)})`,
    });
  }
  // The compiled fast path reads the canonical values; date-fns reads whatever it leaves (see date-format-compiler).
  const compiled = hasOffset ? undefined : compileDateFormat(dateFormat, 2000);
  let lastText = '';
  let lastParsed: ParsedTimestamp = { timestampMs: NaN, offset: '' };
  return (text) => {
    // Exports often repeat a timestamp on consecutive rows: skip repeats.
    if (text === lastText) return lastParsed;
    // A value with surrounding spaces is never canonical, so it reaches date-fns, trimmed as before.
    const timestampMs = compiled?.(text) ?? parseDate(text.trim(), dateFormat, referenceDate, { in: inUtc }).getTime();
    lastText = text;
    lastParsed = { timestampMs: inDateRange(timestampMs), offset: hasOffset ? 'pattern' : '' };
    return lastParsed;
  };
}
