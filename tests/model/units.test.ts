import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatCount, formatDurationMs, formatPercent, groupThousands, MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE } from '../../src/model/units.js';

describe('formatDurationMs', () => {
  it('shows days and hours for multi-day durations', () => {
    // 2 d 4 h = 2 × 86,400,000 + 4 × 3,600,000 = 187,200,000 ms
    expect(formatDurationMs(187_200_000)).toBe('2 d 4 h');
    expect(formatDurationMs(12 * MS_PER_DAY + 5 * MS_PER_HOUR)).toBe('12 d');
    expect(formatDurationMs(MS_PER_DAY + 23.6 * MS_PER_HOUR)).toBe('2 d');
  });
  it('separates thousands of days, also when the hours round up to a whole day', () => {
    // 4,670,190 d 23.6 h rounds to 4,670,191 d (a 20 M-event log's total wait printed "4670191 d" before).
    expect(formatDurationMs(4_670_190 * MS_PER_DAY + 23.6 * MS_PER_HOUR)).toBe('4,670,191 d');
    expect(formatDurationMs(4_670_191 * MS_PER_DAY + 2 * MS_PER_HOUR)).toBe('4,670,191 d');
  });
  it('shows hours with one decimal under 10 h, minutes, seconds', () => {
    expect(formatDurationMs(3.24 * MS_PER_HOUR)).toBe('3.2 h');
    expect(formatDurationMs(12 * MS_PER_MINUTE)).toBe('12 m');
    expect(formatDurationMs(45_000)).toBe('45 s');
    expect(formatDurationMs(0)).toBe('0 s');
    expect(formatDurationMs(250)).toBe('250 ms');
  });
  it('keeps the sign and shows a dash for missing values', () => {
    expect(formatDurationMs(-2 * MS_PER_HOUR)).toBe('−2 h');
    expect(formatDurationMs(null)).toBe('—');
    expect(formatDurationMs(Number.NaN)).toBe('—');
  });
});

describe('formatPercent and formatCount', () => {
  it('rounds percentages, one decimal under 10 %', () => {
    expect(formatPercent(0.3412)).toBe('34 %');
    expect(formatPercent(0.0032)).toBe('0.3 %');
    expect(formatPercent(null)).toBe('—');
  });
  it('separates thousands', () => {
    expect(formatCount(4580)).toBe('4,580');
  });
});

describe('formatDurationMs on a business calendar', () => {
  it('counts working days of the calendar length', () => {
    // 36 working hours on an 8-hour day = 4 wd 4 h; on a 9-hour day = 4 wd.
    expect(formatDurationMs(36 * MS_PER_HOUR, { workdayMs: 8 * MS_PER_HOUR })).toBe('4 wd 4 h');
    expect(formatDurationMs(36 * MS_PER_HOUR, { workdayMs: 9 * MS_PER_HOUR })).toBe('4 wd');
    expect(formatDurationMs(5 * MS_PER_HOUR, { workdayMs: 8 * MS_PER_HOUR })).toBe('5 h');
  });
});

describe('groupThousands (toLocaleString without Intl, issue 14 start-up)', () => {
  it("writes what toLocaleString('en-US') writes, for integers of every size and sign and the values it hands over", () => {
    const same = (value: number): void => {
      expect(groupThousands(value), String(value)).toBe(value.toLocaleString('en-US'));
    };
    for (const value of [0, -0, 1, 12, 123, 1234, 12345, 123456, 1234567, -1, -999, -1000, -1234567, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53, 1e21, 0.5, 1234.5678, Number.NaN, Infinity, -Infinity]) same(value);
    fc.assert(fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.double()), (value) => {
      same(value);
    }));
  });
});
