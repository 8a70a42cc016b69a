import { describe, expect, it } from 'vitest';
import { formatCount, formatDurationMs, formatPercent, MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE } from '../../src/model/units.js';

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
