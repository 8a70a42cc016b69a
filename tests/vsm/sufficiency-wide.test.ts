/**
 * A wide stage-date CSV (one date per stage and item) cannot show rework or handoffs: the sufficiency check says so,
 * so the report answers "unknown: this log cannot support it" instead of "none found in this log", and no wait is
 * blamed on "unassigned" work when the shape records no owner at all.
 */
import { describe, expect, it } from 'vitest';
import { readLog } from '../../src/ingest/read-log.js';
import { analyzeLog } from '../../src/vsm/analyze.js';

describe('sufficiency on a wide stage-date CSV (fixtures/wide/jira-to-analytics.csv)', () => {
  it('marks rework and handoffs unsupported with the reason and the fix; step times stay ok', async () => {
    const read = await readLog('fixtures/wide/jira-to-analytics.csv', {});
    expect(read.report.format).toBe('wide-csv');
    const { report } = analyzeLog(read.log, read.report, { logName: 'wide' });
    const sufficiency = report.dataQuality.sufficiency;
    expect(sufficiency?.rework).toMatchObject({ verdict: 'unsupported', reason: 'a wide stage-date CSV holds one date per stage: backward moves and repeat visits are invisible' });
    expect(sufficiency?.rework?.fix).toMatch(/status history/);
    expect(sufficiency?.handoffs).toMatchObject({ verdict: 'unsupported', reason: 'a wide stage-date CSV names no owner per stage' });
    expect(sufficiency?.stepTimes?.verdict).toBe('ok');
    expect(report.findings.mostCommonReworkLoop).toBeNull();
    expect(report.findings.handoffToSimplify).toBeNull();
  });

  it('never calls a wait "unassigned" when the log records no owner at all (it is extraneous: outside the data)', async () => {
    const read = await readLog('fixtures/wide/jira-to-analytics.csv', {});
    const { report } = analyzeLog(read.log, read.report, { logName: 'wide' });
    const ready = report.steps.find((step) => step.name === 'Ready');
    expect(ready?.waitCausesMs?.totalMs).toBeGreaterThan(0);
    expect(ready?.waitCausesMs?.byCauseMs.unassigned ?? 0).toBe(0);
    expect(report.findings.biggestDelay?.statement).not.toMatch(/unassigned|nobody owned/);
  });
});
