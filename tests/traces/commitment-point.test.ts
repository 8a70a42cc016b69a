import { describe, expect, it } from 'vitest';
import { makeCalendar } from '../../src/calendar/business-calendar.js';
import { parseConfig } from '../../src/model/config-parse.js';
import { reconstructVisits } from '../../src/traces/reconstruct.js';
import { buildLog, HOUR_MS, T0 } from './build-log.js';
import { STATUS_ROWS } from './status-fixture.js';

const calendar = makeCalendar({ kind: '24x7' });
const asOfMs = T0 + 12 * HOUR_MS;

describe('commitment point (config trigger) naming a config step', () => {
  it('starts lead time at the first entry to any status merged into that step', () => {
    // Step "Review" = In Review + Waiting for Customer. A enters Waiting for Customer at 5h → Done 10h = 5h;
    // B enters In Review at 3h → Done 7h = 4h; C and D never reach Review: no lead time (NaN, not 0).
    const config = parseConfig(
      '{ "steps": [{ "name": "Review", "members": ["In Review", "Waiting for Customer"] }], "trigger": { "activity": "Review" } }',
      'vsm.config.json',
    );
    const result = reconstructVisits(buildLog('status', STATUS_ROWS), { calendar, asOfMs, config });
    expect([...result.cases.leadMs].map((ms) => ms / HOUR_MS)).toEqual([5, 4, NaN, NaN]);
    expect(result.quality.casesWithoutTrigger).toBe(2);
    expect(result.boundaries.trigger).toBe('first "Review"');
  });
});

describe('left-censoring and cases without status', () => {
  it('a case first seen already done gets no lead time and no visits; an owner-only case is counted apart', () => {
    // E: first observed status Done at 1h (history starts mid-flow); F: only an owner change, no status.
    const rows = [...STATUS_ROWS, ['E', 'Done', 60, 'enter', 'L1'], ['F', '', 120, 'owner', 'L2']] as typeof STATUS_ROWS;
    const result = reconstructVisits(buildLog('status', rows), { calendar, asOfMs });
    const e = 4;
    expect(result.cases.leadMs[e]).toBeNaN();
    expect(result.cases.leftCensored?.[e]).toBe(1);
    expect(result.visits.caseVisitStart[e + 1] - result.visits.caseVisitStart[e]).toBe(0);
    expect(result.quality.leftCensoredCases).toBe(1);
    expect(result.quality.leftCensoredFirstDone).toBe(1);
    expect(result.quality.casesWithoutStatus).toBe(1);
    expect(result.quality.notes).toContain(
      '1 cases are left-censored (1 first seen already done, 0 with history starting after creation): excluded from lead time and step times (e.g. E)',
    );
  });
});
