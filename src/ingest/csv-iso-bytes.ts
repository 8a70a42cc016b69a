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

/** The DataView of the last cells' buffer (made again when the buffer changes: once per chunk). */
let viewBytes: Uint8Array | undefined;
let view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

/**
 * The buffer the next timestamps lie in: its view is made now. The fast engine calls this once per chunk, so the check
 * in parseIsoBytes always passes there (a view made inside it at the second chunk had no type feedback, and V8 threw
 * its compiled code away, h27-read).
 */
export function useIsoBytesBuffer(bytes: Uint8Array): void {
  if (bytes === viewBytes) return;
  viewBytes = bytes;
  view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
}

/**
 * True when the bytes of `word` under `mask` (0xff per byte) are all ASCII digits: a byte is a digit when its high
 * nibble is 3 and stays 3 with 6 added (low nibble ≤ 9); the second nibble is moved down so that both must be 3 (an OR
 * of the two unshifted would let 0x1a and 0x2f through). A carry out of a byte ≥ 0xfa can only reach the byte above,
 * and the word already fails for the byte that made it (its high nibble is not 3).
 */
function digitsUnder(word: number, mask: number): boolean {
  return ((word & mask & 0xf0f0f0f0) | (((word + 0x06060606) & mask & 0xf0f0f0f0) >>> 4)) === (mask & 0x33333333);
}

/**
 * Epoch ms of bytes[start, end) in the ISO-like forms, wall clock when offset-less; NaN otherwise. The usual exports'
 * shapes are read a word at a time: `YYYY-MM-DDTHH:MM:SS` with or without `.fff`, then `±HH:MM`, `Z` or nothing (19,
 * 20, 25 bytes; 23, 24, 29 with the fraction). Anything else, and any value one of their checks refuses, goes to the
 * byte-by-byte parse, which decides.
 */
export function parseIsoBytes(bytes: Uint8Array, start: number, end: number): number {
  const length = end - start;
  const withFraction = length === 23 || length === 24 || length === 29;
  if (!withFraction && length !== 19 && length !== 20 && length !== 25) return parseIsoBytesGeneral(bytes, start, end);
  if (bytes !== viewBytes) useIsoBytesBuffer(bytes);
  // Little-endian words: byte i of the text is bits 8i..8i+7. "YYYY" "-MM-" "DDTh" "h:mm", then ":ss" and what follows.
  const w0 = view.getInt32(start, true);
  const w1 = view.getInt32(start + 4, true);
  const w2 = view.getInt32(start + 8, true);
  const w3 = view.getInt32(start + 12, true);
  // ":ss" in bits 0–23: the word from byte 16, or from byte 15 shifted down when the cell ends with the seconds.
  const w4 = view.getInt32(start + (length === 19 ? 15 : 16), true);
  const seconds = length === 19 ? w4 >>> 8 : w4;
  const separator = w1 & 0xff;
  const timeSeparator = (w2 >>> 16) & 0xff;
  if (
    !digitsUnder(w0, -1) ||
    !digitsUnder(w1, 0x00ffff00) ||
    !digitsUnder(w2, 0xff00ffff) ||
    !digitsUnder(w3, 0xffff00ff) ||
    !digitsUnder(seconds, 0x00ffff00) ||
    (separator !== 45 && separator !== 47) ||
    w1 >>> 24 !== separator ||
    (timeSeparator !== 84 && timeSeparator !== 32 && timeSeparator !== 116) ||
    ((w3 >>> 8) & 0xff) !== 58 ||
    (seconds & 0xff) !== 58
  ) {
    return parseIsoBytesGeneral(bytes, start, end);
  }
  let fractionMs = 0;
  if (withFraction) {
    // ".fff": the separator is byte 19 (w4's top byte); the digits are bytes 20–22, read from byte 20 or from 19.
    const fractionSeparator = w4 >>> 24;
    const w5 = length === 23 ? view.getInt32(start + 19, true) : view.getInt32(start + 20, true);
    if ((fractionSeparator !== 46 && fractionSeparator !== 44) || !digitsUnder(w5, length === 23 ? 0xffffff00 : 0x00ffffff)) {
      return parseIsoBytesGeneral(bytes, start, end);
    }
    const fractionWord = length === 23 ? w5 >>> 8 : w5 & 0xffffff;
    fractionMs = ((fractionWord & 0xff) - DIGIT_0) * 100 + (((fractionWord >>> 8) & 0xff) - DIGIT_0) * 10 + (fractionWord >>> 16) - DIGIT_0;
  }
  // Two digits a lane: (10 × byte 0 + byte 1) in bits 0–7 and (10 × byte 2 + byte 3) in bits 16–23.
  const y = w0 - 0x30303030;
  const yearPairs = (y * 10 + (y >>> 8)) & 0x00ff00ff;
  const year = (yearPairs & 0xff) * 100 + (yearPairs >>> 16);
  const month = (((w1 >>> 8) & 0xff) - DIGIT_0) * 10 + ((w1 >>> 16) & 0xff) - DIGIT_0;
  const day = ((w2 & 0xff) - DIGIT_0) * 10 + ((w2 >>> 8) & 0xff) - DIGIT_0;
  const hour = ((w2 >>> 24) - DIGIT_0) * 10 + (w3 & 0xff) - DIGIT_0;
  const minute = (((w3 >>> 16) & 0xff) - DIGIT_0) * 10 + (w3 >>> 24) - DIGIT_0;
  const second = (((seconds >>> 8) & 0xff) - DIGIT_0) * 10 + ((seconds >>> 16) & 0xff) - DIGIT_0;
  if (month < 1 || month > 12 || day < 1 || hour > 24 || minute > 59 || second > 60) return parseIsoBytesGeneral(bytes, start, end);
  if (day > 28) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1])) return parseIsoBytesGeneral(bytes, start, end);
  }
  if (hour === 24 && (minute !== 0 || second !== 0 || fractionMs !== 0)) return parseIsoBytesGeneral(bytes, start, end);
  let offsetMinutes = 0;
  let offsetKey = NO_OFFSET;
  // The offset starts at byte 23 after a fraction, at byte 19 without one.
  const zoneAt = start + (withFraction ? 23 : 19);
  if (length === 24 || length === 20) {
    const zone = bytes[zoneAt];
    if (zone !== 90 && zone !== 122) return parseIsoBytesGeneral(bytes, start, end);
    offsetKey = OFFSET_Z;
  } else if (length === 29 || length === 25) {
    // "±hh:mm": the sign, "hh:m" in the next word, the last digit alone.
    const sign = bytes[zoneAt];
    const w6 = view.getInt32(zoneAt + 1, true);
    const lastDigit = bytes[zoneAt + 5] - DIGIT_0;
    if ((sign !== 43 && sign !== 45) || !digitsUnder(w6, 0xff00ffff) || ((w6 >>> 16) & 0xff) !== 58 || lastDigit < 0 || lastDigit > 9) {
      return parseIsoBytesGeneral(bytes, start, end);
    }
    const offsetHours = ((w6 & 0xff) - DIGIT_0) * 10 + ((w6 >>> 8) & 0xff) - DIGIT_0;
    const offsetMinutesPart = ((w6 >>> 24) - DIGIT_0) * 10 + lastDigit;
    if (offsetHours > 18 || offsetMinutesPart > 59) return parseIsoBytesGeneral(bytes, start, end);
    offsetMinutes = (sign === 45 ? -1 : 1) * (offsetHours * 60 + offsetMinutesPart);
    offsetKey = (sign === 45 ? 10000 : 0) + offsetHours * 100 + offsetMinutesPart;
  }
  isoBytesOffsetKey = offsetKey;
  return epochMsOf(year, month, day, hour, minute, second, fractionMs, offsetMinutes);
}

/** Epoch ms of checked civil fields at an offset (both parsers' last step), the month's day number cached. */
function epochMsOf(year: number, month: number, day: number, hour: number, minute: number, second: number, fractionMs: number, offsetMinutes: number): number {
  const monthKey = year * 16 + month;
  if (monthKey !== cachedMonthKey) {
    cachedMonthDaysBefore = daysFromCivil(year, month, 1) - 1;
    cachedMonthKey = monthKey;
  }
  const epochDays = cachedMonthDaysBefore + day;
  return ((epochDays * 24 + hour) * 60 + minute - offsetMinutes) * 60_000 + second * 1000 + fractionMs;
}

/** parseIsoBytes byte by byte: every ISO-like form it accepts. */
export function parseIsoBytesGeneral(bytes: Uint8Array, start: number, end: number): number {
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
  return epochMsOf(year, month, day, hour, minute, second, fractionMs, offsetMinutes);
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
