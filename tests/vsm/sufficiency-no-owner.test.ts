/**
 * A log in which no event names an owner cannot show handoffs: "0 handoffs" would be a confident wrong number.
 * The sufficiency check marks handoffs unsupported with the fix, answer 3 reads "unknown", and the handoff chart says
 * why it is absent. The same log with its owner column mapped is `ok` again.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLog } from '../../src/ingest/read-log.js';
import { analyzeLog } from '../../src/vsm/analyze.js';
import { handoffMatrixChart } from '../../src/render/specs/handoff-matrix.js';
import { NOT_SUPPORTED, noFindingText } from '../../src/render/answers.js';

const FIXTURE = 'fixtures/csv/status-changes.csv';
/** The same status changes with the agent and team columns dropped: nothing names an owner. */
function withoutOwners(): string {
  const rows = readFileSync(FIXTURE, 'utf8').trimEnd().split('\n').map((line) => line.split(','));
  const dropped = new Set([rows[0]!.indexOf('agent'), rows[0]!.indexOf('team')]);
  const path = join(mkdtempSync(join(tmpdir(), 'vsm-no-owner-')), 'no-owner.csv');
  writeFileSync(path, rows.map((cells) => cells.filter((_, i) => !dropped.has(i)).join(',')).join('\n') + '\n');
  return path;
}
const mapping = { case: 'ticket', activity: 'status', timestamp: 'changed' };

describe('handoffs in a log that records no owner', () => {
  it('are unsupported (reason + fix), never "none found", and the chart says why it is absent', async () => {
    const read = await readLog(withoutOwners(), { mapping, shape: 'status' });
    expect(read.log.resources.size + read.log.groups.size).toBe(0);
    const { report } = analyzeLog(read.log, read.report, { logName: 'no-owner' });
    const verdict = report.dataQuality.sufficiency?.handoffs;
    expect(verdict?.verdict).toBe('unsupported');
    expect(verdict?.reason).toBe('no event in this log names an owner (assignee, agent, team or resource), so handoffs cannot be seen');
    expect(verdict?.fix).toMatch(/--resource/);
    expect(report.findings.handoffToSimplify).toBeNull();
    expect(noFindingText(report, 'handoffs')).toBe(NOT_SUPPORTED);
    const chart = handoffMatrixChart(report);
    expect('absentBecause' in chart && chart.absentBecause).toMatch(/^Unknown: no event in this log names an owner/);
  });

  it('are measured once the owner column is mapped', async () => {
    const read = await readLog(FIXTURE, { mapping: { ...mapping, resource: 'agent' }, shape: 'status' });
    expect(read.log.resources.size).toBeGreaterThan(0);
    const { report } = analyzeLog(read.log, read.report, { logName: 'owner' });
    expect(report.dataQuality.sufficiency?.handoffs?.verdict).toBe('ok');
  });
});
