import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReportSchema } from '../../src/contracts/report-schema.js';
import { runCli } from './run-cli.js';

const H = 3_600_000;
const M = 60_000;

function analyze(args: string[] = []) {
  const out = mkdtempSync(join(tmpdir(), 'vsm-analyze-'));
  const result = runCli(['analyze', 'fixtures/cli/tickets.csv', '--out', out, '--no-html', ...args]);
  return { result, out, json: result.status === 0 ? readFileSync(join(out, 'report.json'), 'utf8') : '' };
}

describe('vsm analyze on a hand-computed start/complete log (fixtures/cli/tickets.csv, 24x7)', () => {
  const { result, json } = analyze();
  const report = ReportSchema.parse(JSON.parse(json));

  it('exits 0, prints the four answers and writes a schema-valid report.json', () => {
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('1. Biggest delay');
    expect(report.log).toMatchObject({ cases: 3, events: 19, openCases: 1 });
  });
  it('measures queue and active time per visit', () => {
    const review = report.steps.find((step) => step.name === 'Review');
    // Review visits: T1 queue 15:30→09:30 = 18 h, T1 again 15:00→09:00 = 18 h, T2 12:15→16:15 = 4 h; active 30, 20, 30 min.
    expect(review?.queueMs.median).toBe(18 * H);
    expect(review?.activeMs.median).toBe(30 * M);
    expect(review?.totalDelayMs).toBe(40 * H);
    expect(review?.visits).toBe(3);
  });
  it('computes lead time with Kaplan–Meier over the censored open case', () => {
    // T1 09:00 Mar 4 → 09:20 Mar 6 = 48 h 20 m; T2 10:00 Mar 4 → 16:45 Mar 5 = 30 h 45 m; T3 open (censored at 09:20 Mar 6, 1 h 20 m).
    // KM: at 30 h 45 m two at risk, S = 1/2 → median = 30 h 45 m.
    expect(report.leadTimeMs.censored).toBe(1);
    expect(report.leadTimeMs.median).toBe(30 * H + 45 * M);
    // Flow efficiency pooled over closed cases: (260 + 165) min active ÷ (2,900 + 1,845) min lead.
    expect(report.flowEfficiency.pooled).toBeCloseTo(425 / 4745, 10);
  });
  it('finds the four answers', () => {
    expect(report.findings.biggestDelay?.subject.step).toBe('Review');
    expect(report.findings.mostCommonReworkLoop?.metric.value).toBe(1);
    // Team handoffs: L2→QA 3 times with waits 18 h, 18 h, 4 h (median 18 h) beats L1→L2 (3 times, median 4 h).
    expect(report.findings.handoffToSimplify?.subject).toEqual({ from: 'L2', to: 'QA' });
    // Three cases: every answer has fewer than 5 finished values (MIN_FINISHED_VISITS), so none claims a median and
    // no future-state saving is estimated (Review: 3 of 3 visits finished, 1 d 16 h of waiting = 18 h + 18 h + 4 h).
    expect(report.findings.biggestDelay?.statement).toBe(
      'Not enough finished visits to say where work waits longest: Review has held 1 d 16 h of waiting so far, but only 3 of its 3 visits have finished (at least 5 are needed).',
    );
    expect(report.findings.futureStateChange).toBeNull();
  });
  it('is deterministic: the same input and options give byte-identical JSON', () => {
    expect(analyze().json).toBe(json);
  });
  it('--json prints the report on stdout', () => {
    const printed = analyze(['--json']);
    expect(JSON.parse(printed.result.stdout)).toEqual(JSON.parse(json));
  });
  it('rejects a bad calendar, seed or as-of with exit 2', () => {
    expect(analyze(['--calendar', 'Mars/Olympus Mon-Fri 09:00-17:00']).result.status).toBe(2);
    expect(analyze(['--seed', 'abc']).result.status).toBe(2);
    const badAsOf = analyze(['--as-of', 'yesterday']).result;
    expect(badAsOf.status).toBe(2);
    expect(badAsOf.stderr).toMatch(/as-of instant not parseable · flag --as-of · got "yesterday" · pass an ISO date/);
  });
  it('--anonymize leaves no person name in the report', () => {
    const anonymous = analyze(['--anonymize', '--json']).result.stdout;
    for (const name of ['ann', 'bob', 'cat', 'dan', 'eve']) expect(anonymous).not.toMatch(new RegExp(`"${name}"`));
  });
});
