import { describe, expect, it } from 'vitest';
import { makeCalendar } from '../../src/calendar/business-calendar.js';
import { cycleTimeSummary, leadTimeSummary, survivalSummary } from '../../src/metrics/lead-time.js';
import { reconstructVisits } from '../../src/traces/reconstruct.js';
import { SurvivalSummarySchema } from '../../src/contracts/report-schema.js';
import { buildLog, HOUR_MS, T0 } from '../traces/build-log.js';
import { STATUS_ROWS } from '../traces/status-fixture.js';

const calendar = makeCalendar({ kind: '24x7' });

describe('lead and cycle time', () => {
  const { cases } = reconstructVisits(buildLog('status', STATUS_ROWS), { calendar, asOfMs: T0 + 12 * HOUR_MS });

  it('uses Kaplan–Meier when a case is open', () => {
    // Leads 10h, 7h, 5h and D open at 12h. KM: S(5h) = 3/4, S(7h) = 3/4·2/3 = 1/2, S(10h) = 1/2·1/2 = 1/4,
    // then D censored at 12h. Median = first time S ≤ 1/2 = 7h; S never reaches 0.15 → p85 null.
    const lead = leadTimeSummary(cases);
    expect(SurvivalSummarySchema.parse(lead)).toEqual(lead);
    expect(lead).toMatchObject({ n: 4, censored: 1, method: 'kaplan-meier', median: 7 * HOUR_MS, p85: null, p95: null, mean: null });
    expect([lead.min, lead.max, lead.sum]).toEqual([5 * HOUR_MS, 12 * HOUR_MS, 34 * HOUR_MS]);
    expect(lead.thin).toBe(true);
  });

  it('cycle time runs from first active work', () => {
    // Cycles 8h, 6h, 4h and D open (3h → 12h = 9h): S(4h) = 3/4, S(6h) = 1/2 → median 6h.
    const cycle = cycleTimeSummary(cases);
    expect(cycle).toMatchObject({ n: 4, censored: 1, median: 6 * HOUR_MS });
  });

  it('falls back to empirical statistics without censoring (numpy-compatible)', () => {
    // [1, 2, 3, 4] h, none open: median (2+3)/2 = 2.5h, p85 = 3 + 0.55·1 = 3.55h (type 7), mean 2.5h.
    const summary = survivalSummary(new Float64Array([1, 2, 3, 4].map((h) => h * HOUR_MS)), new Uint8Array(4), { seed: 3 });
    expect(summary).toMatchObject({ method: 'empirical', censored: 0, median: 2.5 * HOUR_MS, mean: 2.5 * HOUR_MS });
    expect(summary.p85).toBeCloseTo(3.55 * HOUR_MS, 6);
  });

  it('skips cases without a lead time (never triggered)', () => {
    const summary = survivalSummary(new Float64Array([NaN, 5]), new Uint8Array([1, 0]));
    expect([summary.n, summary.censored, summary.median]).toEqual([1, 0, 5]);
  });
});
