/**
 * Flow efficiency is only said plainly when the log supports it:
 * - a status log in which no status is classed active cannot tell working from waiting: unsupported, not "0 %";
 * - on fewer than 5 finished cases the ratio is one or two tickets' story: partial, with the count;
 * - an activity log whose every recorded start equals its completion holds instants, not work: unsupported, not "0 %".
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLog } from '../../src/ingest/read-log.js';
import { analyzeLog } from '../../src/vsm/analyze.js';

function csv(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'vsm-fe-')), name);
  writeFileSync(path, text);
  return path;
}

async function analyze(path: string) {
  const read = await readLog(path, { mapping: { case: 'ticket', activity: 'status', timestamp: 'at' }, shape: 'status' });
  return analyzeLog(read.log, read.report, { logName: 'fe' }).report;
}

describe('flow efficiency verdicts', () => {
  it('is unsupported on a status log with no active status (To Do → Waiting → Done), never 0 %', async () => {
    const rows = ['ticket,status,at'];
    for (let t = 1; t <= 6; t++) rows.push(`T-${t},To Do,2024-03-0${t}T09:00:00Z`, `T-${t},Waiting,2024-03-0${t}T12:00:00Z`, `T-${t},Done,2024-03-0${t}T15:00:00Z`);
    const report = await analyze(csv('no-active.csv', rows.join('\n') + '\n'));
    const verdict = report.dataQuality.sufficiency?.flowEfficiency;
    expect(verdict?.verdict).toBe('unsupported');
    expect(verdict?.reason).toMatch(/^no status in this log is classed active/);
    expect(verdict?.fix).toMatch(/vsm\.config\.json/);
    expect(report.flowEfficiency.pooled === null || !report.flowEfficiency.activeKnown).toBe(true);
  });

  it('is partial on 2 finished cases (names the count), ok on 5', async () => {
    const make = (finished: number) => {
      const rows = ['ticket,status,at'];
      // Each case: To Do 1 h (queue) → In Progress 1 h (active) → Done: flow efficiency 50 % per case.
      for (let t = 1; t <= finished; t++) rows.push(`T-${t},To Do,2024-03-0${t}T09:00:00Z`, `T-${t},In Progress,2024-03-0${t}T10:00:00Z`, `T-${t},Done,2024-03-0${t}T11:00:00Z`);
      rows.push('OPEN-1,To Do,2024-03-01T09:00:00Z', 'OPEN-1,In Progress,2024-03-09T09:00:00Z');
      return csv(`finished-${finished}.csv`, rows.join('\n') + '\n');
    };
    const thin = await analyze(make(2));
    expect(thin.flowEfficiency.pooled).toBe(0.5);
    expect(thin.dataQuality.sufficiency?.flowEfficiency).toMatchObject({
      verdict: 'partial',
      reason: 'only 2 finished cases (at least 5 are needed): flow efficiency rests on them alone',
      counts: { casesClosed: 2 },
    });
    const enough = await analyze(make(5));
    expect(enough.dataQuality.sufficiency?.flowEfficiency?.verdict).toBe('ok');
    expect(enough.flowEfficiency.pooled).toBe(0.5);
  });

  it('is unsupported when every recorded start equals its completion; one real duration is enough to measure', async () => {
    // 6 cases × 2 instances, start == end everywhere: 12 finished visits of 0 s.
    const rows = ['case,activity,start,end,who'];
    for (let c = 1; c <= 6; c++) rows.push(`C${c},Register,2024-03-0${c}T09:00:00Z,2024-03-0${c}T09:00:00Z,Ann`, `C${c},Decide,2024-03-0${c}T13:00:00Z,2024-03-0${c}T13:00:00Z,Bob`);
    const read = async (text: string) => {
      const log = await readLog(csv('instants.csv', text), { mapping: { case: 'case', activity: 'activity', timestamp: 'end', startTimestamp: 'start', resource: 'who' } });
      return analyzeLog(log.log, log.report, { logName: 'fe' }).report;
    };
    const instants = await read(rows.join('\n') + '\n');
    expect(instants.dataQuality.sufficiency?.flowEfficiency).toMatchObject({ verdict: 'unsupported', counts: { zeroWorkVisits: 12 } });
    expect(instants.dataQuality.sufficiency?.flowEfficiency?.reason).toMatch(/^every recorded start equals its completion \(0 s of work on all 12 finished visits\)/);
    expect(instants.flowEfficiency.activeKnown).toBe(false);
    // The last Decide took 1 h (12:00 → 13:00): durations are real, so 0 s elsewhere is measured work, and the verdict is ok.
    rows[rows.length - 1] = 'C6,Decide,2024-03-06T12:00:00Z,2024-03-06T13:00:00Z,Bob';
    const measured = await read(rows.join('\n') + '\n');
    expect(measured.dataQuality.sufficiency?.flowEfficiency?.verdict).toBe('ok');
    expect(measured.flowEfficiency.activeKnown).toBe(true);
  });
});
