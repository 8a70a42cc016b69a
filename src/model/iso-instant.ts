/**
 * `new Date(ms).toISOString()` from integer arithmetic, for writers that format millions of instants: activities.csv
 * writes three per activity instance, and at 5 M events `toISOString` took 2.9 s of the 10.5 CPU s of `vsm analyze`
 * (docs/benchmarks.md, stop 31). The text is toISOString's for every time value (tests/model/iso-instant.test.ts); the
 * years 0000–9999 are built here, the extended years (±YYYYYY) are left to Date.
 */

import { DAY_MS, civilFromDays } from '../calendar/civil-date.js';

const PAD2 = Array.from({ length: 100 }, (_, n) => (n < 10 ? `0${n}` : String(n)));
const ZERO = 0x30;
const COLON = 0x3a;
const DOT = 0x2e;
const LETTER_Z = 0x5a;
/** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: toISOString writes four-digit years between them. */
const FIRST_FOUR_DIGIT_MS = -62_167_219_200_000; // Date.UTC reads years 0–99 as 1900–1999, so not Date.UTC(0, 0, 1)
const LAST_FOUR_DIGIT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** "YYYY-MM-DDT" of a day number (four-digit years only). */
function dayPrefix(dayNumber: number): string {
  const { year, month, day } = civilFromDays(dayNumber);
  return `${PAD2[Math.floor(year / 100)]}${PAD2[year % 100]}-${PAD2[month]}-${PAD2[day]}T`;
}

/**
 * toISOString's text of an instant, keeping the last day's "YYYY-MM-DDT" (a writer's instants mostly fall on the day
 * before them). Throws toISOString's RangeError for NaN and for values outside Date's range.
 * @example new IsoInstants().format(Date.UTC(2024, 0, 1, 12, 17, 2, 233)) // '2024-01-01T12:17:02.233Z'
 */
export class IsoInstants {
  private day = Number.NaN;
  private readonly prefixBytes = new Uint8Array(11);

  /** Written as writeAscii writes it (one code path for both). */
  private readonly scratch = Buffer.alloc(24);

  format(ms: number): string {
    return this.writeAscii(ms, this.scratch, 0) < 0 ? new Date(ms).toISOString() : this.scratch.toString('latin1');
  }

  /**
   * format(ms)'s 24 ASCII bytes written into `target` from `at`, returning the offset past them; -1, with nothing
   * written, when format would not give a four-digit year (an extended year, NaN, a value beyond Date): the caller
   * then uses format. `target` must have 24 bytes free from `at`.
   */
  writeAscii(ms: number, target: Uint8Array, at: number): number {
    // Date keeps the integer part of its time value (toward zero), so 1.7 ms is …00.001Z and −1.5 ms …59.999Z.
    const time = Math.trunc(ms);
    if (!(time >= FIRST_FOUR_DIGIT_MS && time <= LAST_FOUR_DIGIT_MS)) return -1;
    const day = this.dayOf(time);
    const prefix = this.prefixBytes;
    for (let i = 0; i < 11; i++) target[at + i] = prefix[i];
    let rest = (time - day * DAY_MS) | 0; // ms of the day, < 2³¹: integer arithmetic from here
    const millis = rest % 1000;
    rest = ((rest - millis) / 1000) | 0;
    const seconds = rest % 60;
    rest = ((rest - seconds) / 60) | 0;
    const minutes = rest % 60;
    const hours = (rest - minutes) / 60;
    const hoursTens = (hours / 10) | 0;
    const minutesTens = (minutes / 10) | 0;
    const secondsTens = (seconds / 10) | 0;
    const millisHundreds = (millis / 100) | 0;
    const millisTens = ((millis - millisHundreds * 100) / 10) | 0;
    target[at + 11] = ZERO + hoursTens;
    target[at + 12] = ZERO + hours - hoursTens * 10;
    target[at + 13] = COLON;
    target[at + 14] = ZERO + minutesTens;
    target[at + 15] = ZERO + minutes - minutesTens * 10;
    target[at + 16] = COLON;
    target[at + 17] = ZERO + secondsTens;
    target[at + 18] = ZERO + seconds - secondsTens * 10;
    target[at + 19] = DOT;
    target[at + 20] = ZERO + millisHundreds;
    target[at + 21] = ZERO + millisTens;
    target[at + 22] = ZERO + millis - millisHundreds * 100 - millisTens * 10;
    target[at + 23] = LETTER_Z;
    return at + 24;
  }

  /** The day of a four-digit-year time value, its "YYYY-MM-DDT" kept as bytes. */
  private dayOf(time: number): number {
    const day = Math.floor(time / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      const prefix = dayPrefix(day);
      for (let i = 0; i < 11; i++) this.prefixBytes[i] = prefix.charCodeAt(i);
    }
    return day;
  }
}
