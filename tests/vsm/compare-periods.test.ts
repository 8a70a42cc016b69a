import { describe, expect, it } from 'vitest';
import { VsmError } from '../../src/errors.js';
import type { CaseTimes } from '../../src/traces/step-visits.js';
import { casesInPeriod, parsePeriods } from '../../src/vsm/compare-periods.js';

const utc = (text: string): number => Date.parse(text);

describe('parsePeriods', () => {
  it('reads quarters as half-open intervals of local midnights (UTC by default)', () => {
    const [q3, q4] = parsePeriods('2024-Q3,2024-Q4');
    // 2024-Q3 = [2024-07-01T00:00, 2024-10-01T00:00), Q4 ends at the new year.
    expect(q3).toEqual({ label: '2024-Q3', fromMs: utc('2024-07-01T00:00:00Z'), toMs: utc('2024-10-01T00:00:00Z') });
    expect(q4).toEqual({ label: '2024-Q4', fromMs: utc('2024-10-01T00:00:00Z'), toMs: utc('2025-01-01T00:00:00Z') });
  });
  it('reads inclusive date ranges and months the same way', () => {
    const [range, month] = parsePeriods('2024-07-01..2024-09-30, 2024-02');
    expect([range.fromMs, range.toMs]).toEqual([utc('2024-07-01T00:00:00Z'), utc('2024-10-01T00:00:00Z')]);
    // February of a leap year: Feb 1 → Mar 1.
    expect([month.fromMs, month.toMs]).toEqual([utc('2024-02-01T00:00:00Z'), utc('2024-03-01T00:00:00Z')]);
  });
  it('bounds periods by local midnight in the calendar zone (Berlin: UTC+2 in July, UTC+1 in January)', () => {
    const [q3, q4] = parsePeriods('2024-Q3,2024-Q4', 'Europe/Berlin');
    expect(q3.fromMs).toBe(utc('2024-06-30T22:00:00Z'));
    expect(q3.toMs).toBe(utc('2024-09-30T22:00:00Z'));
    expect(q4.toMs).toBe(utc('2024-12-31T23:00:00Z'));
  });
  it.each([
    ['2024-Q3', 'exactly two periods'],
    ['2024-Q5,2024-Q4', 'period not understood'],
    ['Q3,Q4', 'period not understood'],
    ['2024-13,2024-12', 'month out of range'],
    ['2024-02-30..2024-03-31,2024-Q2', 'two real yyyy-MM-dd dates'],
    ['2024-09-30..2024-07-01,2024-Q4', 'ends before it starts'],
    ['2024-Q3,2024-08', 'overlap'],
  ])('rejects %s with a what · where · got · fix message', (text, what) => {
    let caught: unknown;
    try {
      parsePeriods(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(VsmError);
    const error = caught as VsmError;
    expect(error.code).toBe('BAD_OPTION');
    expect(error.message).toContain(what);
    expect(error.message).toMatch(/ · flag --periods · got ".*" · pass two periods/);
  });
});

describe('casesInPeriod', () => {
  // Four cases: closed at Sep 30 23:59:59.999, closed exactly at Oct 1 00:00 (belongs to Q4), open (censored), closed Jul 1 00:00.
  const cases = {
    caseCount: 4,
    triggeredAt: Float64Array.from([utc('2024-06-15T00:00:00Z'), utc('2024-07-10T00:00:00Z'), utc('2024-09-01T00:00:00Z'), utc('2024-07-01T00:00:00Z')]),
    outcomeAt: Float64Array.from([utc('2024-09-30T23:59:59.999Z'), utc('2024-10-01T00:00:00Z'), NaN, utc('2024-07-01T00:00:00Z')]),
    censored: Uint8Array.from([0, 0, 1, 0]),
  } as unknown as CaseTimes;
  const [q3, q4] = parsePeriods('2024-Q3,2024-Q4');
  it('by completion: the outcome instant decides, open cases belong to no period', () => {
    expect([...casesInPeriod(cases, q3, 'completed')]).toEqual([1, 0, 0, 1]);
    expect([...casesInPeriod(cases, q4, 'completed')]).toEqual([0, 1, 0, 0]);
  });
  it('by start: the trigger instant decides, open cases included', () => {
    expect([...casesInPeriod(cases, q3, 'started')]).toEqual([0, 1, 1, 1]);
    expect([...casesInPeriod(cases, q4, 'started')]).toEqual([0, 0, 0, 0]);
  });
});
