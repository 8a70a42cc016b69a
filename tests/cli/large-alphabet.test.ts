import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DISPLAY_LIMITS } from '../../src/render/top-steps.js';
import { runCli } from './run-cli.js';

/** `activityCount` distinct activities, one event each, spread over 50 cases one minute apart. */
function alphabetCsv(activityCount: number): string {
  const rows = ['case,activity,timestamp'];
  const startMs = Date.UTC(2024, 0, 1);
  for (let k = 0; k < activityCount; k++) rows.push(`c${k % 50},act ${k},${new Date(startMs + k * 60_000).toISOString()}`);
  return `${rows.join('\n')}\n`;
}

/*
 * Issue 11 item 4: 1,000 distinct activities overflowed the chart library's stack; 200,000 hit "Invalid string
 * length" even with --no-html --json. Charts, map and tables now show the busiest steps and name the rest.
 */
describe('large alphabets', () => {
  it('1,000 activities: every output written, no library warning on stderr, the map and chart bounded, JSON and CSV complete', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vsm-alphabet-'));
    writeFileSync(join(dir, 'wide.csv'), alphabetCsv(1000));
    const out = join(dir, 'out');
    const result = runCli(['analyze', join(dir, 'wide.csv'), '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { steps: unknown[]; flow: { bucket: { otherSteps: number } } };
    expect(report.steps).toHaveLength(1000);
    expect(report.flow.bucket.otherSteps).toBe(960);
    expect(readFileSync(join(out, 'steps.csv'), 'utf8').trim().split('\n')).toHaveLength(1001);
    const map = readFileSync(join(out, 'map.svg'), 'utf8');
    expect(map).toContain(`other (${(1000 - DISPLAY_LIMITS.mapSteps).toLocaleString('en-US')} steps) are in steps.csv and report.json`);
    expect(readFileSync(join(out, 'charts', 'cumulative-flow.svg'), 'utf8')).toContain('other (985 steps)');
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('The 500 busiest steps are listed; other (500 steps) are in steps.csv and report.json.');
  });
  it('5,000 activities with --no-html --json: the full report streamed to stdout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vsm-alphabet-'));
    writeFileSync(join(dir, 'wider.csv'), alphabetCsv(5000));
    const result = runCli(['analyze', join(dir, 'wider.csv'), '--out', join(dir, 'out'), '--no-html', '--json']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const printed = JSON.parse(result.stdout) as { steps: unknown[] };
    expect(printed.steps).toHaveLength(5000);
    expect(result.stdout).toBe(readFileSync(join(dir, 'out', 'report.json'), 'utf8'));
  });
});
