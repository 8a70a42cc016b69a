/**
 * Cycle time (first active work → outcome) is said "ok" only when some case has a first active work instant. When
 * cases have a lead time but none has one, an empty cycle time beside an "ok" verdict would say nothing is wrong;
 * the verdict is "unsupported" with the reason:
 * - a single-timestamp log read with --no-estimate (no start times, none estimated);
 * - a status log with no status classed active;
 * - a log whose cases all reached their outcome without active work.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLog } from '../../src/ingest/read-log.js';
import { analyzeLog } from '../../src/vsm/analyze.js';
import { NO_STARTS_CYCLE_REASON, NO_STARTS_FIX } from '../../src/vsm/sufficiency.js';

function csv(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'vsm-ct-')), name);
  writeFileSync(path, text);
  return path;
}

async function statusReport(rows: string[]) {
  const read = await readLog(csv('status.csv', ['ticket,status,at', ...rows].join('\n') + '\n'), { mapping: { case: 'ticket', activity: 'status', timestamp: 'at' }, shape: 'status' });
  return analyzeLog(read.log, read.report, { logName: 'ct' }).report;
}

describe('cycle time verdicts', () => {
  it('is unsupported on a single-timestamp log with --no-estimate, ok (estimated) by default', async () => {
    // 6 cases: Register (Ann) → Decide (Bob), completions only.
    const rows = ['case,activity,at,who'];
    for (let c = 1; c <= 6; c++) rows.push(`C${c},Register,2024-03-0${c}T09:00:00Z,Ann`, `C${c},Decide,2024-03-0${c}T13:00:00Z,Bob`);
    const read = await readLog(csv('single.csv', rows.join('\n') + '\n'), { mapping: { case: 'case', activity: 'activity', timestamp: 'at', resource: 'who' } });
    const plain = analyzeLog(read.log, read.report, { logName: 'ct', estimateStarts: false }).report;
    expect(plain.leadTimeMs.n).toBe(6);
    expect(plain.cycleTimeMs.n).toBe(0);
    expect(plain.dataQuality.sufficiency?.cycleTime).toEqual({
      verdict: 'unsupported',
      reason: NO_STARTS_CYCLE_REASON,
      fix: NO_STARTS_FIX,
      counts: { casesMeasured: 6, casesWithFirstActiveWork: 0 },
    });
    const estimated = analyzeLog(read.log, read.report, { logName: 'ct' }).report;
    expect(estimated.cycleTimeMs.n).toBe(6);
    expect(estimated.dataQuality.sufficiency?.cycleTime.verdict).toBe('ok');
  });

  it('is unsupported on a status log with no active status (To Do → Waiting → Done)', async () => {
    const rows: string[] = [];
    for (let t = 1; t <= 6; t++) rows.push(`T-${t},To Do,2024-03-0${t}T09:00:00Z`, `T-${t},Waiting,2024-03-0${t}T12:00:00Z`, `T-${t},Done,2024-03-0${t}T15:00:00Z`);
    const report = await statusReport(rows);
    expect(report.cycleTimeMs.n).toBe(0);
    expect(report.dataQuality.sufficiency?.cycleTime).toMatchObject({ verdict: 'unsupported', counts: { casesMeasured: 6, casesWithFirstActiveWork: 0 } });
    expect(report.dataQuality.sufficiency?.cycleTime.reason).toMatch(/^no status in this log is classed active .*cycle time \(first active work → outcome\) is unknown$/);
    expect(report.dataQuality.sufficiency?.cycleTime.fix).toMatch(/vsm\.config\.json/);
  });

  it('is unsupported when no case reached active work before its outcome; one open case in progress makes it ok', async () => {
    // In Progress is an active status, but T-1…T-5 went To Do → Done and T-6 entered In Progress only after its
    // outcome (Done), which does not start a cycle.
    const rows: string[] = [];
    for (let t = 1; t <= 5; t++) rows.push(`T-${t},To Do,2024-03-0${t}T09:00:00Z`, `T-${t},Done,2024-03-0${t}T15:00:00Z`);
    const never = await statusReport([...rows, 'T-6,To Do,2024-03-06T09:00:00Z', 'T-6,Done,2024-03-06T10:00:00Z', 'T-6,In Progress,2024-03-06T11:00:00Z']);
    expect(never.steps.find((step) => step.name === 'In Progress')?.class).toBe('active');
    expect([never.leadTimeMs.n, never.cycleTimeMs.n]).toEqual([6, 0]);
    expect(never.dataQuality.sufficiency?.cycleTime).toEqual({
      verdict: 'unsupported',
      reason: 'none of the 6 cases with a lead time reached active work before its outcome, so cycle time (first active work → outcome) is unknown',
      fix: 'check which statuses or activities count as active work (vsm.config.json "statuses" / "steps") and the trigger',
      counts: { casesMeasured: 6, casesWithFirstActiveWork: 0 },
    });
    // T-6 open and in progress: its cycle time is censored at the as-of, so measured.
    const open = await statusReport([...rows, 'T-6,In Progress,2024-03-06T09:00:00Z']);
    expect([open.leadTimeMs.n, open.cycleTimeMs.n]).toEqual([6, 1]);
    expect(open.dataQuality.sufficiency?.cycleTime.verdict).toBe('ok');
  });
});
