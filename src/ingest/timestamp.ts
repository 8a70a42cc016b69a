/**
 * Timestamp parsing to epoch milliseconds (UTC). Returns NaN for anything it cannot read; callers
 * turn NaN into a `bad-timestamp` rejection with the file, row, column and value.
 *
 * Fast path: ISO 8601 / RFC 3339-like strings `YYYY-MM-DD[T ]hh:mm[:ss[.fff…]][Z|±hh[:]mm]`,
 * also with `/` as the date separator (Disco exports: `2012/10/09 14:50:17.000`).
 * Offset-less values are wall-clock times in `timeZone` (UTC when absent).
 */
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

/** Days from 1970-01-01 to the given civil date (proleptic Gregorian). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
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
