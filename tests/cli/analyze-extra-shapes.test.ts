import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReportSchema } from '../../src/contracts/report-schema.js';
import { runCli } from './run-cli.js';

const D = 86_400_000;
const H = 3_600_000;

function analyze(input: string, args: string[] = []) {
  const out = mkdtempSync(join(tmpdir(), 'vsm-extra-'));
  const result = runCli(['analyze', input, '--out', out, '--no-html', ...args]);
  return { result, report: result.status === 0 ? ReportSchema.parse(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'))) : undefined };
}

describe('vsm analyze on a wide stage-date CSV (fixtures/wide/jira-to-analytics.csv)', () => {
  const { result, report } = analyze('fixtures/wide/jira-to-analytics.csv');

  it('exits 0 and measures the hand-computed stage times', () => {
    expect(result.status, result.stderr).toBe(0);
    const step = Object.fromEntries((report?.steps ?? []).map((s) => [s.name, s]));
    // Same arithmetic as tests/ingest/wide-csv.test.ts: Ready queue median 2 d (2, 2, 3, 1, 4 d); Test active median 4 d (4, 1, 4 d).
    expect(step.Ready.queueMs.median).toBe(2 * D);
    expect(step.Test.activeMs.median).toBe(4 * D);
    expect(report?.leadTimeMs.median).toBe(9 * D);
    expect(report?.log).toMatchObject({ cases: 5, events: 19, openCases: 1 });
  });

  it('says in report.json that backward moves are invisible in this shape', () => {
    expect(report?.dataQuality.notes.some((note) => note.startsWith('wide stage-date CSV: one date per stage and item, so backward moves'))).toBe(true);
  });

  it('reads the same file the same way with --wide', () => {
    const forced = analyze('fixtures/wide/jira-to-analytics.csv', ['--wide']);
    expect(forced.result.status).toBe(0);
    expect(forced.report?.leadTimeMs.median).toBe(9 * D);
  });
});

describe('vsm on OCEL 1.0 and OCEL 2.0 SQLite', () => {
  it('analyzes the SQLite order flow by orders: lead times 47 h and 54 h', () => {
    const { result, report } = analyze('fixtures/ocel/order-flow.sqlite', ['--object-type', 'orders']);
    expect(result.status, result.stderr).toBe(0);
    expect(report?.leadTimeMs.median).toBe(50.5 * H);
  });

  it('inspects OCEL 1.0 XML with the object-type list and exits 2 on an unknown type', () => {
    const listed = runCli(['inspect', 'fixtures/ocel/order-flow-v1.xmlocel', '--object-type', 'orders']);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain('read as OCEL 1.0 XML');
    const unknown = runCli(['inspect', 'fixtures/ocel/order-flow-v1.jsonocel', '--object-type', 'invoices']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('orders (2 objects, 7 events)');
  });
});
