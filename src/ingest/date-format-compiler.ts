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
    if (year < 1 || month < 1 || month > 12) return undefined;
    const monthDays = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
    if (day < 1 || day > monthDays || minute > 59 || second > 59) return undefined;
    if (pm >= 0) {
      if (hour < 1 || hour > 12) return undefined;
      hour = pm === 1 ? (hour === 12 ? 12 : hour + 12) : hour === 12 ? 0 : hour;
    } else if (hour > 23) {
      return undefined;
    }
    return ((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + fractionMs;
  };
}
