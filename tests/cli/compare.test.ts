import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateTicketLog } from '../../src/synthetic/generate.js';
import { writeCsv } from '../../src/synthetic/write-log.js';
import { CompareSchema } from '../../src/contracts/compare-schema.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'vsm-compare-'));
const log = join(dir, 'helpdesk.csv');

beforeAll(async () => {
  // 1,500 synthetic tickets from 2024-01-01: about 75 office days, so cases complete in Q1 and Q2.
  await writeCsv(generateTicketLog({ seed: 42, cases: 1_500, shape: 'activity-start-complete' }), log);
});

describe('vsm compare (built binary)', () => {
  it('exits 2 on a bad --periods value with a what · where · got · fix message', () => {
    const result = runCli(['compare', log, '--periods', '2024-Q5,2024-Q4']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^vsm: period not understood · flag --periods · got "2024-Q5" · pass two periods separated by a comma/);
  });
  it('exits 2 when there is nothing to compare, or on an unknown --by', () => {
    expect(runCli(['compare', log]).status).toBe(2);
    expect(runCli(['compare', log, '--periods', '2024-Q1,2024-Q2', '--by', 'finished']).status).toBe(2);
  });
  it('says first that nothing was compared when a period lies outside the log (exit 0: the periods parse)', () => {
    const result = runCli(['compare', log, '--periods', '2024-Q1,2030-Q1', '--resamples', '100']);
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^2024-Q1 \([\d,]+ cases\) → 2030-Q1 \(0 cases\), by completion time$/);
    expect(lines[2]).toBe("Nothing compared: 2030-Q1 holds no case (cases by completion time); check --periods against the log's time range (vsm inspect prints it).");
    expect(result.stdout).not.toContain('no significant change');
  });
  it('compares two quarters of one log: table, statements, trend; --out writes compare.json and compare.md', () => {
    const out = join(dir, 'quarters');
    const result = runCli(['compare', log, '--periods', '2024-Q1,2024-Q2', '--out', out, '--resamples', '300']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('2024-Q1 (');
    expect(result.stdout).toMatch(/Wait before Fix +\S/);
    expect(result.stdout).toContain('Weekly median lead time (XmR chart');
    const json = CompareSchema.parse(JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8')));
    expect(json.periods.map((period) => [period.label, period.from, period.to])).toEqual([
      ['2024-Q1', '2024-01-01T00:00:00.000Z', '2024-04-01T00:00:00.000Z'],
      ['2024-Q2', '2024-04-01T00:00:00.000Z', '2024-07-01T00:00:00.000Z'],
    ]);
    expect(json.resamples).toBe(300);
    expect(existsSync(join(out, 'compare.md'))).toBe(true);
    const html = readFileSync(join(out, 'compare.html'), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<h1>Compare: <span class="data">2024-Q1</span>');
    expect(html).toContain('id="chart-compare-trend"');
    expect(result.stdout).toContain('compare.html');
  });
  it('compares two files with --json; a log against itself has no significant change', () => {
    const result = runCli(['compare', log, log, '--json', '--resamples', '200']);
    expect(result.status).toBe(0);
    const json = CompareSchema.parse(JSON.parse(result.stdout));
    expect(json.by).toBe('file');
    expect(json.summary.significant).toBe(0);
    expect(json.metrics.find((metric) => metric.id === 'leadTime')).toMatchObject({ diff: 0, significant: false, thin: false });
  });
});
