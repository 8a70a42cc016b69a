/**
 * The ISO fast path of `parseIsoTimestamp` on raw bytes, so the CSV fast engine parses timestamps
 * without making strings. It must agree exactly with `parseIsoTimestamp` on every value it accepts;
 * anything it does not accept (NaN) the caller re-reads through the text parser, which decides.
 */
import { daysFromCivil } from './timestamp.js';
import { NO_OFFSET, OFFSET_Z } from './csv-time-column.js';

const DIGIT_0 = 48;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Offset key of the last successful parse (NO_OFFSET, OFFSET_Z, or sign·10000 + hh·100 + mm). */
export let isoBytesOffsetKey = NO_OFFSET;

/**
 * The month of the last parse (year · 16 + month) and daysFromCivil(year, month, 1) − 1: a log's timestamps run
 * through few months, and daysFromCivil is that plus the day (integers, exact).
 */
let cachedMonthKey = -1;
let cachedMonthDaysBefore = 0;

function digits2(bytes: Uint8Array, at: number, end: number): number {
  if (at + 2 > end) return -1;
  const a = bytes[at] - DIGIT_0;
  const b = bytes[at + 1] - DIGIT_0;
  if (a < 0 || a > 9 || b < 0 || b > 9) return -1;
  return a * 10 + b;
}

/** Epoch ms of bytes[start, end) in the ISO-like forms, wall clock when offset-less; NaN otherwise. */
export function parseIsoBytes(bytes: Uint8Array, start: number, end: number): number {
  if (end - start < 10) return NaN;
  const y1 = digits2(bytes, start, end);
  const y2 = digits2(bytes, start + 2, end);
  if (y1 < 0 || y2 < 0) return NaN;
  const year = y1 * 100 + y2;
  const separator = bytes[start + 4];
  if ((separator !== 45 && separator !== 47) || bytes[start + 7] !== separator) return NaN;
  const month = digits2(bytes, start + 5, end);
  const day = digits2(bytes, start + 8, end);
  if (month < 1 || month > 12 || day < 1) return NaN;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1])) return NaN;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let fractionMs = 0;
  let k = start + 10;
  if (k < end && (bytes[k] === 84 || bytes[k] === 32 || bytes[k] === 116)) {
    hour = digits2(bytes, k + 1, end);
    if (bytes[k + 3] !== 58 || k + 3 >= end) return NaN;
    minute = digits2(bytes, k + 4, end);
    if (hour < 0 || hour > 24 || minute < 0 || minute > 59) return NaN;
    k += 6;
    if (k < end && bytes[k] === 58) {
      second = digits2(bytes, k + 1, end);
      if (second < 0 || second > 60) return NaN;
      k += 3;
      if (k < end && (bytes[k] === 46 || bytes[k] === 44)) {
        k++;
        const begin = k;
        let ms = 0;
        while (k < end) {
          const d = bytes[k] - DIGIT_0;
          if (d < 0 || d > 9) break;
          if (k - begin < 3) ms = ms * 10 + d;
          k++;
        }
        const digits = k - begin;
        if (digits === 0) return NaN;
        // Up to 3 digits the milliseconds are an integer (what the scaled sum below gives exactly); more need its rounding.
        fractionMs = digits === 3 ? ms : digits === 2 ? ms * 10 : digits === 1 ? ms * 100 : fractionDigitsMs(bytes, begin, k);
      }
    }
    if (hour === 24 && (minute !== 0 || second !== 0 || fractionMs !== 0)) return NaN;
  }
  let offsetMinutes = 0;
  let offsetKey = NO_OFFSET;
  if (k < end) {
    const c = bytes[k];
    if (c === 90 || c === 122) {
      offsetKey = OFFSET_Z;
      k++;
    } else if (c === 43 || c === 45) {
      const oh = digits2(bytes, k + 1, end);
      let om: number;
      let next: number;
      if (k + 3 < end && bytes[k + 3] === 58) {
        om = digits2(bytes, k + 4, end);
        next = k + 6;
      } else if (k + 5 <= end && digits2(bytes, k + 3, end) >= 0) {
        om = digits2(bytes, k + 3, end);
        next = k + 5;
      } else {
        om = 0;
        next = k + 3;
      }
      if (oh < 0 || om < 0 || oh > 18 || om > 59) return NaN;
      offsetMinutes = (c === 45 ? -1 : 1) * (oh * 60 + om);
      offsetKey = (c === 45 ? 10000 : 0) + oh * 100 + om;
      k = next;
    } else {
      // " UTC" and other rarities: the text parser decides.
      return NaN;
    }
  }
  if (k !== end) return NaN;
  isoBytesOffsetKey = offsetKey;
  const monthKey = year * 16 + month;
  if (monthKey !== cachedMonthKey) {
    cachedMonthDaysBefore = daysFromCivil(year, month, 1) - 1;
    cachedMonthKey = monthKey;
  }
  const epochDays = cachedMonthDaysBefore + day;
  return ((epochDays * 24 + hour) * 60 + minute - offsetMinutes) * 60_000 + second * 1000 + fractionMs;
}

/** Milliseconds of the fraction digits bytes[begin, end) past the third, rounded as parseIsoTimestamp rounds them. */
function fractionDigitsMs(bytes: Uint8Array, begin: number, end: number): number {
  let scale = 100;
  let fraction = 0;
  for (let k = begin; k < end; k++) {
    fraction += (bytes[k] - DIGIT_0) * scale;
    scale /= 10;
  }
  return Math.round(fraction * 1000) / 1000;
}
