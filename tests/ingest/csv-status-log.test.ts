import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/ingest/csv.js';
import { analyzeLog } from '../../src/vsm/analyze.js';

const H = 3_600_000;

describe('CSV status-change logs (--status-log)', () => {
  it('reads every row as a status entry and measures time per status class', async () => {
    const { log, report } = await readCsv('fixtures/csv/status-changes.csv', {
      shape: 'status',
      mapping: { case: 'ticket', activity: 'status', resource: 'agent', group: 'team', timestamp: 'changed' },
    });
    expect(log.shape).toBe('status');
    expect([...log.lifecycle].every((code) => code === 3 /* enter */)).toBe(true);
    const analysis = analyzeLog(log, report, { logName: 'status-changes' }).report;
    const byName = Object.fromEntries(analysis.steps.map((step) => [step.name, step]));
    // K-1: New 09:00→11:00 = 2 h queue; K-2: New 10:00→16:00 = 6 h queue → median of (2 h, 6 h) = 4 h.
    expect(byName.New.queueMs.median).toBe(4 * H);
    // K-1 waits on the customer 12:00 → 09:00 next day = 21 h, reported as waiting, not active.
    expect(byName['Waiting for Customer'].waitingMs.sum).toBe(21 * H);
    expect(byName['Waiting for Customer'].activeMs.sum).toBe(0);
    // K-1 lead: 09:00 → Done 10:30 next day = 25.5 h; K-2 is open (censored).
    expect(analysis.leadTimeMs.censored).toBe(1);
    expect(analysis.log.openCases).toBe(1);
  });
});
