/**
 * IsoInstants.format is toISOString's text for every time value: four-digit years built by arithmetic, extended years
 * and invalid values left to Date (the same text, the same RangeError).
 */
import { describe, expect, it } from 'vitest';
import { IsoInstants } from '../../src/model/iso-instant.js';
import { mulberry32 } from '../../src/synthetic/working-time.js';

const MAX_TIME = 8.64e15;

describe('IsoInstants.format', () => {
  it('formats hand-picked instants as toISOString does', () => {
    const instants = new IsoInstants();
    expect(instants.format(Date.UTC(2024, 0, 1, 12, 17, 2, 233))).toBe('2024-01-01T12:17:02.233Z');
    expect(instants.format(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(instants.format(-1)).toBe('1969-12-31T23:59:59.999Z');
    expect(instants.format(Date.UTC(2024, 1, 29, 23, 59, 59, 999))).toBe('2024-02-29T23:59:59.999Z');
  });

  it('keeps the integer part of a fractional time value, toward zero, and writes −0 as 0', () => {
    const instants = new IsoInstants();
    for (const ms of [1.7, -1.5, -0.4, 0.999, -0, 1e12 + 0.5, -1e12 - 0.5]) expect(instants.format(ms)).toBe(new Date(ms).toISOString());
  });

  it('agrees with toISOString at the edges of the four-digit years and of Date', () => {
    const instants = new IsoInstants();
    const edges = [-62_167_219_200_000, -62_167_219_200_001, Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(9999, 11, 31, 23, 59, 59, 999) + 1, MAX_TIME, -MAX_TIME];
    for (const ms of edges) expect(instants.format(ms)).toBe(new Date(ms).toISOString());
    // Leap days of century years: 1900 and 2100 have none, 2000 and 1600 do.
    for (const [y, m, d] of [[1900, 1, 28], [1900, 2, 1], [2000, 1, 29], [2100, 2, 1], [1600, 1, 29], [400, 1, 29]] as const) {
      const ms = Date.UTC(2000, m, d) + (Date.UTC(y, 0, 1) - Date.UTC(2000, 0, 1));
      const date = new Date(Date.UTC(2000, m, d));
      date.setUTCFullYear(y);
      expect(instants.format(date.getTime())).toBe(date.toISOString());
      expect(instants.format(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it('throws toISOString\'s RangeError for NaN and values beyond Date', () => {
    const instants = new IsoInstants();
    for (const ms of [Number.NaN, MAX_TIME + 1, Number.POSITIVE_INFINITY]) expect(() => instants.format(ms)).toThrow(RangeError);
  });

  it.each([1, 2, 3, 4])('matches toISOString on 20,000 random instants, in runs on one day and across days (seed %i)', (seed) => {
    const random = mulberry32(seed);
    const instants = new IsoInstants();
    let ms = 0;
    for (let k = 0; k < 20_000; k++) {
      const pick = random();
      // Mostly steps within a day (the writer's case), sometimes a jump anywhere in Date's range or in years 0–9999.
      if (pick < 0.7) ms += Math.floor(random() * 4 * 3_600_000) - 3_600_000;
      else if (pick < 0.85) ms = Math.floor((random() * 2 - 1) * MAX_TIME);
      else ms = -62_167_219_200_000 + Math.floor(random() * 315_569_520_000_000);
      if (Math.abs(ms) > MAX_TIME) ms = 0;
      expect(instants.format(ms)).toBe(new Date(ms).toISOString());
    }
  });
});
