/** The as-of instants vsm refuses (src/vsm/analyze.ts assertAsOfWithinLog): before the whole log, or in the future. */
import { describe, expect, it } from 'vitest';
import { assertAsOfWithinLog } from '../../src/vsm/analyze.js';

describe('assertAsOfWithinLog', () => {
  const range = { from: '2024-03-04T09:00:00.000Z', to: '2024-03-06T09:20:00.000Z' };
  const now = Date.parse('2026-12-06T12:00:00Z');
  it('takes an as-of inside the log, after it up to a day past the clock, and no as-of at all', () => {
    for (const asOf of [Date.parse(range.from), Date.parse(range.to), Date.parse('2025-06-01'), now + 86_400_000, undefined]) expect(() => assertAsOfWithinLog(asOf, range, now)).not.toThrow();
    // A log that itself runs past the clock (synthetic dates): an as-of inside it is taken.
    expect(() => assertAsOfWithinLog(Date.parse('2030-01-02'), { from: '2030-01-01T00:00:00.000Z', to: '2030-02-01T00:00:00.000Z' }, now)).not.toThrow();
  });
  it('refuses one before the first event, and one after both the clock (plus a day) and the last event', () => {
    expect(() => assertAsOfWithinLog(Date.parse(range.from) - 1, range, now)).toThrow('as-of is before every event in the log');
    expect(() => assertAsOfWithinLog(now + 86_400_001, range, now)).toThrow('as-of is in the future');
  });
});
