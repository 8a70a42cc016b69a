/**
 * Day numbers and civil dates both ways: civilFromDays is daysFromCivil's inverse, and both agree with Date's
 * proleptic Gregorian calendar (leap days of century years included), before 1970 and far from it.
 */
import { describe, expect, it } from 'vitest';
import { DAY_MS, civilFromDays, daysFromCivil } from '../../src/calendar/civil-date.js';

describe('civilFromDays', () => {
  it('gives hand-picked dates', () => {
    expect(civilFromDays(0)).toEqual({ year: 1970, month: 1, day: 1 });
    expect(civilFromDays(-1)).toEqual({ year: 1969, month: 12, day: 31 });
    expect(civilFromDays(daysFromCivil(2000, 2, 29))).toEqual({ year: 2000, month: 2, day: 29 });
    expect(civilFromDays(daysFromCivil(1900, 3, 1) - 1)).toEqual({ year: 1900, month: 2, day: 28 });
  });

  it('is daysFromCivil\'s inverse and Date\'s calendar on every 7th day of years 0–9999', () => {
    const first = daysFromCivil(0, 1, 1);
    const last = daysFromCivil(9999, 12, 31);
    for (let dayNumber = first; dayNumber <= last; dayNumber += 7) {
      const civil = civilFromDays(dayNumber);
      expect(daysFromCivil(civil.year, civil.month, civil.day)).toBe(dayNumber);
      const date = new Date(dayNumber * DAY_MS);
      if (civil.year !== date.getUTCFullYear() || civil.month !== date.getUTCMonth() + 1 || civil.day !== date.getUTCDate()) {
        expect({ dayNumber, ...civil }).toEqual({ dayNumber, year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() });
      }
    }
  });
});
