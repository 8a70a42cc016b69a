import { describe, it, expect } from 'vitest';
import { parseCalendarOption } from '../../src/calendar/calendar-option.js';
import { thrownVsmError } from '../vsm-error.js';

describe('parseCalendarOption', () => {
  it('reads 24x7 in any case', () => {
    expect(parseCalendarOption('24x7')).toEqual({ kind: '24x7' });
    expect(parseCalendarOption(' 24X7 ')).toEqual({ kind: '24x7' });
    expect(parseCalendarOption('24/7')).toEqual({ kind: '24x7' });
  });

  it('reads zone, day range and hours', () => {
    expect(parseCalendarOption('Europe/Berlin Mon-Fri 09:00-17:00')).toEqual({
      kind: 'business',
      timeZone: 'Europe/Berlin',
      workingDays: [1, 2, 3, 4, 5],
      hours: [{ start: '09:00', end: '17:00' }],
      holidays: [],
    });
  });

  it('reads a lunch break, day lists, wrap-around ranges and single-digit hours', () => {
    const spec = parseCalendarOption('America/New_York Mon-Fri 08:00-12:00, 13:00-17:00');
    expect(spec).toMatchObject({ hours: [{ start: '08:00', end: '12:00' }, { start: '13:00', end: '17:00' }] });
    expect(parseCalendarOption('UTC Mon,Wed,Fri 9:00-17:30')).toMatchObject({ workingDays: [1, 3, 5], hours: [{ start: '09:00', end: '17:30' }] });
    expect(parseCalendarOption('Asia/Dubai Sun-Thu 08:00-16:00')).toMatchObject({ workingDays: [1, 2, 3, 4, 7] });
    expect(parseCalendarOption('Asia/Dubai Fri–Mon 00:00–24:00')).toMatchObject({ workingDays: [1, 5, 6, 7], hours: [{ start: '00:00', end: '24:00' }] });
  });

  it('rejects an unknown zone with BAD_CALENDAR, the flag and a fix', () => {
    const error = thrownVsmError(() => parseCalendarOption('Europe/Atlantis Mon-Fri 09:00-17:00'));
    expect(error.code).toBe('BAD_CALENDAR');
    expect(error.where).toBe('--calendar');
    expect(error.got).toContain('Europe/Atlantis');
    expect(error.fix).toContain('Europe/Berlin');
  });

  it('rejects missing parts, bad days, bad hours and inverted spans', () => {
    for (const text of ['Europe/Berlin', 'Europe/Berlin Mon-Fri', 'Europe/Berlin Mon-Frx 09:00-17:00', 'Europe/Berlin Mon-Fri 9-17', 'Europe/Berlin Mon-Fri 17:00-09:00', 'Europe/Berlin Mon-Fri 09:00-13:00,12:00-17:00', '']) {
      expect(thrownVsmError(() => parseCalendarOption(text)).code, text).toBe('BAD_CALENDAR');
    }
    expect(thrownVsmError(() => parseCalendarOption('Europe/Berlin Mon-Fri 17:00-09:00')).where).toBe('--calendar.hours.0');
  });
});
