/**
 * Compiles a date-fns `parse` pattern (e.g. `dd/MMM/yy h:mm a`, `d/M/yyyy HH:mm`) once into a char-code parser that
 * reads the common numeric/month-name/AM-PM tokens at ISO speed. It is a fast path, never a second definition:
 * it returns a wall-clock epoch ms only when the value is in the canonical form it fully understands, and
 * `undefined` for anything else, so the caller falls back to date-fns for that value (a differential property test
 * holds the two to the same result). Patterns it cannot compile (offset tokens, week dates, two adjacent numeric
 * tokens, …) compile to `undefined` and date-fns reads every value.
 *
 * date-fns semantics kept here: a numeric token of n letters reads 1..n digits greedily (`dd` reads "5" too); `yy`
 * is a two-digit year normalised against the reference year (1950–2049 for reference year 2000); `S…` reads
 * 1..n digits scaled as value × 10^(3−n) truncated; `MMM` reads an English three-letter month, any case; `a` reads
 * AM/PM (12 AM is 00, 12 PM is 12); the day is validated against its month and year; fields the pattern lacks come
 * from the reference date's midnight.
 */
import { daysFromCivil } from '../calendar/civil-date.js';

type NumericField = 'year' | 'twoDigitYear' | 'month' | 'day' | 'hour24' | 'hour12' | 'minute' | 'second' | 'fraction';

type Part =
  | { kind: 'number'; field: NumericField; maxDigits: number; fractionScale: number }
  | { kind: 'monthName' }
  | { kind: 'amPm' }
  | { kind: 'literal'; text: string };

const NUMERIC_TOKENS: Record<string, { field: NumericField; maxDigits: number }> = {
  y: { field: 'year', maxDigits: 4 },
  yyyy: { field: 'year', maxDigits: 4 },
  yy: { field: 'twoDigitYear', maxDigits: 2 },
  M: { field: 'month', maxDigits: 2 },
  MM: { field: 'month', maxDigits: 2 },
  d: { field: 'day', maxDigits: 2 },
  dd: { field: 'day', maxDigits: 2 },
  H: { field: 'hour24', maxDigits: 2 },
  HH: { field: 'hour24', maxDigits: 2 },
  h: { field: 'hour12', maxDigits: 2 },
  hh: { field: 'hour12', maxDigits: 2 },
  m: { field: 'minute', maxDigits: 2 },
  mm: { field: 'minute', maxDigits: 2 },
  s: { field: 'second', maxDigits: 2 },
  ss: { field: 'second', maxDigits: 2 },
  S: { field: 'fraction', maxDigits: 1 },
  SS: { field: 'fraction', maxDigits: 2 },
  SSS: { field: 'fraction', maxDigits: 3 },
};

const MONTH_ABBREVIATIONS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Splits a date-fns pattern into letter runs, quoted literals and other characters (date-fns' own tokenising). */
function tokenize(pattern: string): Part[] | undefined {
  const parts: Part[] = [];
  const pushLiteral = (text: string) => {
    const last = parts[parts.length - 1];
    if (last?.kind === 'literal') last.text += text;
    else parts.push({ kind: 'literal', text });
  };
  let k = 0;
  while (k < pattern.length) {
    const c = pattern[k];
    if (c === "'") {
      if (pattern[k + 1] === "'") {
        pushLiteral("'");
        k += 2;
        continue;
      }
      const end = pattern.indexOf("'", k + 1);
      // An unclosed quote or an escaped quote inside a quoted run: leave such patterns to date-fns.
      if (end < 0 || pattern[end + 1] === "'") return undefined;
      pushLiteral(pattern.slice(k + 1, end));
      k = end + 1;
      continue;
    }
    if (/[A-Za-z]/.test(c)) {
      let end = k;
      while (pattern[end] === c) end++;
      const token = pattern.slice(k, end);
      k = end;
      if (token === 'MMM') parts.push({ kind: 'monthName' });
      else if (token === 'a' || token === 'aa' || token === 'aaa') parts.push({ kind: 'amPm' });
      else {
        const numeric = NUMERIC_TOKENS[token];
        if (numeric === undefined) return undefined;
        const fractionScale = numeric.field === 'fraction' ? 10 ** (3 - numeric.maxDigits) : 1;
        parts.push({ kind: 'number', field: numeric.field, maxDigits: numeric.maxDigits, fractionScale });
      }
      continue;
    }
    pushLiteral(c);
    k++;
  }
  return parts;
}

/** date-fns' normalizeTwoDigitYear for a common-era reference year. */
function normalizeTwoDigitYear(twoDigitYear: number, referenceYear: number): number {
  if (referenceYear <= 50) return twoDigitYear || 100;
  const rangeEnd = referenceYear + 50;
  const rangeEndCentury = Math.trunc(rangeEnd / 100) * 100;
  return twoDigitYear + rangeEndCentury - (twoDigitYear >= rangeEnd % 100 ? 100 : 0);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A compiled pattern: text → wall-clock epoch ms (the civil fields read as if UTC), or undefined when unsure. */
export type CompiledDateFormat = (text: string) => number | undefined;

/**
 * Compiles `pattern` for the fast path, or returns undefined when the pattern has a token outside the supported
 * set, lacks a year, month or day, mixes 12- and 24-hour fields, or has two numeric tokens with nothing between
 * them (date-fns' per-field patterns would split such digits differently from a greedy read).
 */
export function compileDateFormat(pattern: string, referenceYear = 2000): CompiledDateFormat | undefined {
  const parts = tokenize(pattern);
  if (parts === undefined) return undefined;
  const fields = new Set<string>();
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p];
    const key = part.kind === 'number' ? (part.field === 'twoDigitYear' ? 'year' : part.field) : part.kind === 'monthName' ? 'month' : part.kind;
    if (part.kind !== 'literal') {
      if (fields.has(key)) return undefined;
      fields.add(key);
    }
    if (part.kind === 'number' && parts[p + 1]?.kind === 'number') return undefined;
  }
  if (!fields.has('year') || !fields.has('month') || !fields.has('day')) return undefined;
  if (fields.has('hour12') !== fields.has('amPm') || (fields.has('hour12') && fields.has('hour24'))) return undefined;

  return (text: string): number | undefined => {
    let year = referenceYear;
    let month = 1;
    let day = 1;
    let hour = 0;
    let pm = -1;
    let minute = 0;
    let second = 0;
    let fractionMs = 0;
    let k = 0;
    for (const part of parts) {
      if (part.kind === 'literal') {
        if (!text.startsWith(part.text, k)) return undefined;
        k += part.text.length;
      } else if (part.kind === 'number') {
        let value = 0;
        let count = 0;
        while (count < part.maxDigits) {
          const d = text.charCodeAt(k) - 48;
          if (!(d >= 0 && d <= 9)) break;
          value = value * 10 + d;
          count++;
          k++;
        }
        if (count === 0) return undefined;
        switch (part.field) {
          case 'year':
            year = value;
            break;
          case 'twoDigitYear':
            year = normalizeTwoDigitYear(value, referenceYear);
            break;
          case 'month':
            month = value;
            break;
          case 'day':
            day = value;
            break;
          case 'hour24':
          case 'hour12':
            hour = value;
            break;
          case 'minute':
            minute = value;
            break;
          case 'second':
            second = value;
            break;
          case 'fraction':
            fractionMs = value * part.fractionScale;
            break;
        }
      } else if (part.kind === 'monthName') {
        const name = text.slice(k, k + 3).toLowerCase();
        const index = MONTH_ABBREVIATIONS.indexOf(name);
        if (index < 0) return undefined;
        month = index + 1;
        k += 3;
      } else {
        const first = text.charCodeAt(k) | 0x20;
        const second2 = text.charCodeAt(k + 1) | 0x20;
        // 'a.m.' and 'a m' are read by date-fns too, but not here: leave them to it.
        if ((first !== 0x61 && first !== 0x70) || second2 !== 0x6d || text[k + 2] === '.') return undefined;
        pm = first === 0x70 ? 1 : 0;
        k += 2;
      }
    }
    if (k !== text.length) return undefined;
    const wallMs = wallClockMsOf(year, month, day, hour, pm, minute, second, fractionMs);
    return Number.isNaN(wallMs) ? undefined : wallMs;
  };
}

/**
 * The wall-clock epoch ms of fields read from a value, NaN when they are no valid date and time: the one check and sum
 * both compiled parsers (text and bytes) end with. `pm` is −1 without an AM/PM field, 0 for AM, 1 for PM.
 */
function wallClockMsOf(year: number, month: number, day: number, hour: number, pm: number, minute: number, second: number, fractionMs: number): number {
  if (year < 1 || month < 1 || month > 12) return NaN;
  // A log's values run through few months: the day number before the 1st and the month's length are kept for the last
  // month met (exact integers; daysFromCivil was ≈ 15 ns of ≈ 95 per value at 1 M).
  const monthKey = year * 16 + month;
  if (monthKey !== cachedMonthKey) {
    cachedMonthKey = monthKey;
    cachedDaysBeforeMonth = daysFromCivil(year, month, 1) - 1;
    cachedMonthDays = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
  }
  if (day < 1 || day > cachedMonthDays || minute > 59 || second > 59) return NaN;
  let hour24 = hour;
  if (pm >= 0) {
    if (hour < 1 || hour > 12) return NaN;
    hour24 = pm === 1 ? (hour === 12 ? 12 : hour + 12) : hour === 12 ? 0 : hour;
  } else if (hour > 23) {
    return NaN;
  }
  return (((cachedDaysBeforeMonth + day) * 24 + hour24) * 60 + minute) * 60_000 + second * 1000 + fractionMs;
}

/** wallClockMsOf's last month: year · 16 + month (−1 before the first value), its day number before the 1st, its days. */
let cachedMonthKey = -1;
let cachedDaysBeforeMonth = 0;
let cachedMonthDays = 0;

const OP_LITERAL = 0;
const OP_NUMBER = 1;
const OP_MONTH_NAME = 2;
const OP_AM_PM = 3;

const FIELD_YEAR = 0;
const FIELD_TWO_DIGIT_YEAR = 1;
const FIELD_MONTH = 2;
const FIELD_DAY = 3;
const FIELD_HOUR = 4;
const FIELD_MINUTE = 5;
const FIELD_SECOND = 6;
const FIELD_FRACTION = 7;

const FIELD_CODES: Record<NumericField, number> = {
  year: FIELD_YEAR,
  twoDigitYear: FIELD_TWO_DIGIT_YEAR,
  month: FIELD_MONTH,
  day: FIELD_DAY,
  hour24: FIELD_HOUR,
  hour12: FIELD_HOUR,
  minute: FIELD_MINUTE,
  second: FIELD_SECOND,
  fraction: FIELD_FRACTION,
};

/** The three letters of each month, lower case, as one number (first letter in the high byte). */
const MONTH_KEYS = Int32Array.from(MONTH_ABBREVIATIONS, (name) => (name.charCodeAt(0) << 16) | (name.charCodeAt(1) << 8) | name.charCodeAt(2));

/**
 * A pattern compiled for UTF-8 bytes (the CSV fast engine's cells, without making a string): a program of parts in
 * typed arrays, run by one loop. It answers exactly what the text parser of the same pattern answers for the same
 * value, and NaN wherever that one answers undefined; it also answers NaN for any value with a byte outside ASCII
 * (every byte it accepts is ASCII and it must reach the value's end, so an accepted value decodes to a string of the
 * same characters at the same indices, which the text parser reads alike). NaN sends the caller to the text path.
 */
export class CompiledDateFormatBytes {
  constructor(
    /** Per part: OP_LITERAL, OP_NUMBER, OP_MONTH_NAME or OP_AM_PM. */
    private readonly ops: Uint8Array,
    /** Per part: the field code (numbers) or the literal's first index in `literalBytes`. */
    private readonly targets: Int32Array,
    /** Per part: the most digits (numbers) or the literal's length. */
    private readonly widths: Int32Array,
    /** Per part: the fraction's scale (10^(3 − n)), 1 otherwise. */
    private readonly scales: Int32Array,
    /**
     * Per part: the one-byte literal that follows a token (`/` after `dd`), checked by the token's own step, or −1 (then
     * the literal, if any, is a part of its own). Half the steps for the usual patterns (micro bench: 84 → 65 ns a value).
     */
    private readonly separators: Int32Array,
    private readonly literalBytes: Uint8Array,
    private readonly referenceYear: number,
  ) {}

  /** Wall-clock epoch ms of bytes[start, end), NaN when the value is not canonical (the text path decides). */
  parse(bytes: Uint8Array, start: number, end: number): number {
    const ops = this.ops;
    const partCount = ops.length;
    let year = this.referenceYear;
    let month = 1;
    let day = 1;
    let hour = 0;
    let pm = -1;
    let minute = 0;
    let second = 0;
    let fractionMs = 0;
    let k = start;
    for (let p = 0; p < partCount; p++) {
      const op = ops[p];
      if (op === OP_NUMBER) {
        const maxDigits = this.widths[p];
        let value = 0;
        let count = 0;
        while (count < maxDigits && k < end) {
          const d = bytes[k] - 48;
          if (d < 0 || d > 9) break;
          value = value * 10 + d;
          count++;
          k++;
        }
        if (count === 0) return NaN;
        const field = this.targets[p];
        if (field === FIELD_DAY) day = value;
        else if (field === FIELD_MONTH) month = value;
        else if (field === FIELD_HOUR) hour = value;
        else if (field === FIELD_MINUTE) minute = value;
        else if (field === FIELD_TWO_DIGIT_YEAR) year = normalizeTwoDigitYear(value, this.referenceYear);
        else if (field === FIELD_YEAR) year = value;
        else if (field === FIELD_SECOND) second = value;
        else fractionMs = value * this.scales[p];
      } else if (op === OP_LITERAL) {
        const length = this.widths[p];
        if (k + length > end) return NaN;
        const from = this.targets[p];
        for (let j = 0; j < length; j++) if (bytes[k + j] !== this.literalBytes[from + j]) return NaN;
        k += length;
      } else if (op === OP_MONTH_NAME) {
        if (k + 3 > end) return NaN;
        // b | 0x20 is a lower-case letter only when b is that letter in either case; bytes ≥ 0x80 never match.
        const key = ((bytes[k] | 0x20) << 16) | ((bytes[k + 1] | 0x20) << 8) | (bytes[k + 2] | 0x20);
        let index = 0;
        while (index < 12 && MONTH_KEYS[index] !== key) index++;
        if (index === 12) return NaN;
        month = index + 1;
        k += 3;
      } else {
        if (k + 2 > end) return NaN;
        const first = bytes[k] | 0x20;
        if ((first !== 0x61 && first !== 0x70) || (bytes[k + 1] | 0x20) !== 0x6d || (k + 2 < end && bytes[k + 2] === 0x2e)) return NaN;
        pm = first === 0x70 ? 1 : 0;
        k += 2;
      }
      const separator = this.separators[p];
      if (separator >= 0) {
        if (k >= end || bytes[k] !== separator) return NaN;
        k++;
      }
    }
    if (k !== end) return NaN;
    return wallClockMsOf(year, month, day, hour, pm, minute, second, fractionMs);
  }
}

/**
 * `pattern` compiled for bytes, or undefined when the text compiler declines it (the same rules) or a literal holds a
 * character outside ASCII.
 */
export function compileDateFormatBytes(pattern: string, referenceYear = 2000): CompiledDateFormatBytes | undefined {
  if (compileDateFormat(pattern, referenceYear) === undefined) return undefined;
  const parts = tokenize(pattern);
  if (parts === undefined) return undefined;
  let literalLength = 0;
  for (const part of parts) {
    if (part.kind !== 'literal') continue;
    for (let c = 0; c < part.text.length; c++) if (part.text.charCodeAt(c) > 0x7f) return undefined;
    literalLength += part.text.length;
  }
  const ops: number[] = [];
  const targets: number[] = [];
  const widths: number[] = [];
  const scales: number[] = [];
  const separators: number[] = [];
  const literalBytes = new Uint8Array(literalLength);
  let literalAt = 0;
  for (const part of parts) {
    const last = ops.length - 1;
    if (part.kind === 'literal') {
      // A one-character literal right after a token is that token's separator, not a step of its own.
      if (part.text.length === 1 && last >= 0 && ops[last] !== OP_LITERAL && separators[last] < 0) {
        separators[last] = part.text.charCodeAt(0);
        continue;
      }
      ops.push(OP_LITERAL);
      targets.push(literalAt);
      widths.push(part.text.length);
      for (let c = 0; c < part.text.length; c++) literalBytes[literalAt++] = part.text.charCodeAt(c);
      scales.push(1);
    } else if (part.kind === 'number') {
      ops.push(OP_NUMBER);
      targets.push(FIELD_CODES[part.field]);
      widths.push(part.maxDigits);
      scales.push(part.fractionScale);
    } else {
      ops.push(part.kind === 'monthName' ? OP_MONTH_NAME : OP_AM_PM);
      targets.push(0);
      widths.push(0);
      scales.push(1);
    }
    separators.push(-1);
  }
  return new CompiledDateFormatBytes(Uint8Array.from(ops), Int32Array.from(targets), Int32Array.from(widths), Int32Array.from(scales), Int32Array.from(separators), literalBytes, referenceYear);
}
