import { describe, expect, it } from 'vitest';
import { makeCalendar } from '../../src/calendar/business-calendar.js';
import { computeFlowEfficiency } from '../../src/metrics/flow-efficiency.js';
import { reconstructVisits } from '../../src/traces/reconstruct.js';
import { buildLog, HOUR_MS, T0 } from '../traces/build-log.js';
import { STATUS_ROWS } from '../traces/status-fixture.js';

const calendar = makeCalendar({ kind: '24x7' });

describe('computeFlowEfficiency', () => {
  it('status log: closed cases only, per case and pooled', () => {
    // Closed: A 5h/10h = 0.5, B 6h/7h = 0.857…, C 2h/5h = 0.4 (D is open and left out).
    // Pooled = (5+6+2)/(10+7+5) = 13/22; per-case median 0.5.
    const { cases } = reconstructVisits(buildLog('status', STATUS_ROWS), { calendar, asOfMs: T0 + 12 * HOUR_MS });
    const efficiency = computeFlowEfficiency(cases, { activeKnown: true });
    expect(efficiency.pooled).toBeCloseTo(13 / 22, 12);
    expect(efficiency.perCase.n).toBe(3);
    expect(efficiency.perCase.median).toBe(0.5);
    expect(efficiency.perCase.max).toBeCloseTo(6 / 7, 12);
  });

  it('activity log: busy time is the union of parallel instances', () => {
    // X: A 0–10, B 30–60, C 40–50 → busy 10 + 30 = 40 of lead 60 → 2/3 (Σ of instance actives would give 50/60).
    const log = buildLog('activity', [
      ['X', 'A', 0, 'start'],
      ['X', 'A', 10, 'complete'],
      ['X', 'B', 30, 'start'],
      ['X', 'C', 40, 'start'],
      ['X', 'C', 50, 'complete'],
      ['X', 'B', 60, 'complete'],
    ]);
    const { cases } = reconstructVisits(log, { calendar });
    expect(computeFlowEfficiency(cases, { activeKnown: true }).pooled).toBeCloseTo(2 / 3, 12);
  });

  it('is unknown for single-timestamp logs', () => {
    const { cases, visits } = reconstructVisits(buildLog('activity', [['S', 'a', 0], ['S', 'b', 60]]), { calendar });
    const efficiency = computeFlowEfficiency(cases, { activeKnown: !visits.activeUnknown });
    expect(efficiency).toMatchObject({ pooled: null, activeKnown: false });
    expect(efficiency.perCase.n).toBe(0);
  });
});
