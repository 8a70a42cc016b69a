/**
 * `vsm analyze` on a single-timestamp log (issue 12): starts are estimated and labelled by default, and
 * `--no-estimate` turns that off. The log is the bundled demo (4,580 help-desk tickets, completions only).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReportSchema } from '../../src/contracts/report-schema.js';
import { runCli } from './run-cli.js';

function analyzeDemo(extra: string[]) {
  const out = mkdtempSync(join(tmpdir(), 'vsm-estimate-'));
  const result = runCli(['analyze', 'fixtures/demo/helpdesk.csv.gz', '--config', 'fixtures/demo/vsm.config.json', '--timezone', 'Europe/Rome', '--out', out, ...extra]);
  expect(result.status, result.stderr).toBe(0);
  return { result, out, report: ReportSchema.parse(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'))) };
}

describe('vsm analyze: estimated starts on the single-timestamp demo', () => {
  it('by default: active time, flow efficiency and wait causes, every one labelled estimated', () => {
    const { result, out, report } = analyzeDemo([]);
    expect(report.flowEfficiency).toMatchObject({ activeKnown: true, startEstimated: true });
    expect(report.dataQuality.estimatedStarts).toBeGreaterThan(0);
    expect(report.dataQuality.estimatedStarts).toBe(report.waitCauses?.estimatedStarts);
    expect(report.steps.every((step) => !step.activeUnknown && step.startEstimated === true)).toBe(true);
    expect(report.findings.biggestDelay?.statement).toMatch(/% of the wait before .* is (batching|contention|prioritization|unavailability|extraneous)/);
    expect(result.stdout).toMatch(/flow efficiency ≈ \d/);
    expect(readFileSync(join(out, 'map.svg'), 'utf8')).toContain('≈ active');
    expect(existsSync(join(out, 'activities.csv'))).toBe(true);
    expect(existsSync(join(out, 'charts', 'wait-causes.svg'))).toBe(true);
  });

  it('--no-estimate: active time unknown, nothing estimated', () => {
    const { report } = analyzeDemo(['--no-estimate', '--no-html']);
    expect(report.flowEfficiency.activeKnown).toBe(false);
    expect(report.flowEfficiency.startEstimated).toBeUndefined();
    expect(report.dataQuality.estimatedStarts).toBe(0);
    expect(report.steps.every((step) => step.activeUnknown)).toBe(true);
  });
});
