import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const SHAPE = / · .+ · got .+ · /;

describe('usage errors in the what · where · got · fix shape, exit 2 (issue 11 item 16)', () => {
  it('an unknown flag names the command and suggests the close flag', () => {
    const result = runCli(['analyze', 'fixtures/cli/tickets.csv', '--ou', 'x']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('vsm: unknown option · vsm analyze · got "--ou" · did you mean --out? run "vsm analyze --help" for usage\n');
  });
  it('an unknown command suggests the close command', () => {
    const result = runCli(['analyse', 'fixtures/cli/tickets.csv']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^vsm: unknown command · vsm · got "analyse" · did you mean analyze\?/);
  });
  it('a missing argument, a flag without value, a bad choice and too many arguments all use the shape', () => {
    for (const args of [['analyze'], ['analyze', 'x.csv', '--out'], ['compare', 'x.csv', '--by', 'x'], ['analyze', 'a.csv', 'b.csv']]) {
      const result = runCli(args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(SHAPE);
      expect(result.stderr).not.toMatch(/^error:/m);
    }
    expect(runCli(['compare', 'x.csv', '--by', 'x']).stderr).toContain('vsm compare flag --by · got "x" · pass one of: completed, started');
  });
  it('bare vsm prints the help on stderr and exits 2; --help, help and --version exit 0', () => {
    const bare = runCli([]);
    expect(bare.status).toBe(2);
    expect(bare.stderr).toContain('Usage: vsm');
    for (const args of [['--help'], ['help'], ['--version'], ['analyze', '--help']]) expect(runCli(args).status, args.join(' ')).toBe(0);
  });
});

describe('no usable event is bad input (issue 11 item 14)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vsm-no-events-'));
  const allBad = join(dir, 'all-bad.csv');
  writeFileSync(allBad, 'case,activity,timestamp\nc1,A,never\nc1,B,not a date\nc2,A,soon\n');
  it('every row rejected: exit 2 with the top rejection reason and a fix, no report written', () => {
    const out = join(dir, 'out');
    const result = runCli(['analyze', allBad, '--out', out]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^vsm: no usable event in the log · .*all-bad\.csv · got 3 rows read, all rejected: bad-timestamp 3 \(all-bad\.csv record 1 column "timestamp" "never"\) · pass --date-format/);
    expect(result.stdout).toBe('');
  });
  it('a --date-format that matches nothing is refused the same way, also by compare and simulate', () => {
    const good = 'fixtures/cli/tickets.csv';
    for (const args of [['analyze', good, '--date-format', 'qqqq', '--no-html', '--out', join(dir, 'q')], ['compare', allBad, '--periods', '2024-Q1,2024-Q2'], ['simulate', allBad]]) {
      const result = runCli(args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toContain('no usable event in the log');
    }
  });
  it('an --as-of before every event is refused by analyze (both engines), compare and simulate, with the log\'s range', () => {
    const good = 'fixtures/cli/tickets.csv';
    const cases = [
      ['analyze', good, '--as-of', '2000-01-01', '--no-html', '--out', join(dir, 'asof')],
      ['analyze', good, '--as-of', '2000-01-01', '--no-html', '--engine', 'duckdb', '--out', join(dir, 'asof-duckdb')],
      ['compare', good, '--periods', '2024-03-01..2024-03-04,2024-03-05..2024-03-31', '--as-of', '2000-01-01'],
      ['simulate', good, '--as-of', '2000-01-01'],
    ];
    for (const args of cases) {
      const result = runCli(args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toBe(
        "vsm: as-of is before every event in the log · flag --as-of · got 2000-01-01T00:00:00.000Z; the log's events run from 2024-03-04T09:00:00.000Z to 2024-03-06T09:20:00.000Z · pass an instant inside that range (cases still open then are censored there), or leave --as-of out to use the last event\n",
      );
    }
    // An as-of at the first event is inside the range.
    expect(runCli(['analyze', good, '--as-of', '2024-03-04T09:00:00Z', '--no-html', '--out', join(dir, 'asof-first')]).status).toBe(0);
    // After today and the last event: refused too; after the last event but before today: taken (the export's date).
    const future = runCli(['analyze', good, '--as-of', '2999-01-01', '--no-html', '--out', join(dir, 'asof-future')]);
    expect(future.status).toBe(2);
    expect(future.stderr).toMatch(/^vsm: as-of is in the future · flag --as-of · got 2999-01-01T00:00:00\.000Z; today is \d{4}-\d{2}-\d{2} and the log's events run from/);
    expect(runCli(['analyze', good, '--as-of', '2025-01-01', '--no-html', '--out', join(dir, 'asof-later')]).status).toBe(0);
  });
  it('an Airbyte Zendesk sync without the ticket_audits stream names the streams it had and the stream to sync', () => {
    // Two lines shaped as the Airbyte connector's expected records (../shared/formats/samples/zendesk): a metric event
    // (no status) and an automation (a stream the reader does not use).
    const airbyte = join(dir, 'airbyte.jsonl');
    writeFileSync(
      airbyte,
      [
        '{"stream": "ticket_metric_events", "data": {"id": 6925131321615, "ticket_id": 1, "metric": "agent_work_time", "instance_id": 1, "type": "fulfill", "time": "2023-05-06T22:04:16Z"}, "emitted_at": 1720179599197}',
        '{"stream":"automations","data":{"id":6241378811151,"title":"Close ticket 4 days after status is set to solved","active":true,"created_at":"2023-01-19T00:26:48Z"},"emitted_at":1720179599210}',
      ].join('\n') + '\n',
    );
    const result = runCli(['analyze', airbyte, '--source', 'zendesk', '--no-html', '--out', join(dir, 'airbyte-out')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `vsm: no ticket or ticket history in the Airbyte Zendesk records · ${airbyte} · got 2 records: ticket_metric_events 1, automations 1 · sync the ticket_audits stream (status history) and the tickets stream in Airbyte and pass those records\n`,
    );
  });
  it('--strict says why it exits 1', () => {
    const result = runCli(['analyze', 'fixtures/cli/one-bad-row.csv', '--strict', '--no-html', '--out', join(dir, 'strict')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^vsm: --strict: exit 1 because 1 row rejected \(bad-timestamp 1 \(one-bad-row\.csv record 2 column "timestamp" "not-a-date"\)\)/);
  });
});

describe('compare --resamples is bounded like simulate --runs (issue 11 item 11)', () => {
  it('refuses 1,000,000,000 resamples at once with a usage error, before reading the log', () => {
    const result = runCli(['compare', 'fixtures/cli/tickets.csv', '--periods', '2024-Q1,2024-Q2', '--resamples', '1000000000']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('vsm: --resamples must be a whole number from 100 to 100,000 · flag --resamples · got "1000000000" · pass e.g. --resamples 1000\n');
  });
});
