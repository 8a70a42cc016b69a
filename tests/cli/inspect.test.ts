import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('vsm inspect', () => {
  it('summarises a CSV log in text', () => {
    const result = runCli(['inspect', 'fixtures/cli/tickets.csv']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('3 cases · 19 events · 3 activities');
    expect(result.stdout).toMatch(/rows read 19 = used 19 \+ rejected 0 \+ ignored 0 \+ duplicates 0/);
  });
  it('prints the documented JSON keys', () => {
    const result = runCli(['inspect', 'fixtures/cli/tickets.csv', '--json']);
    expect(result.status).toBe(0);
    const summary = JSON.parse(result.stdout) as Record<string, unknown>;
    for (const key of ['format', 'cases', 'events', 'activities', 'resources', 'rowsRead', 'rowsUsed', 'rowsRejected', 'rejections', 'timeRange']) {
      expect(summary, key).toHaveProperty(key);
    }
    expect(summary.cases).toBe(3);
    expect(summary.activities).toEqual({ Investigate: 7, Review: 6, Triage: 6 });
    expect(summary.resources).toBe(5);
    expect(summary.timeRange).toEqual({ from: '2024-03-04T09:00:00.000Z', to: '2024-03-06T09:20:00.000Z' });
  });
  it('--strict exits 1 when a row was rejected, and the rejection names file, row and value', () => {
    const lenient = runCli(['inspect', 'fixtures/cli/one-bad-row.csv', '--json']);
    expect(lenient.status).toBe(0);
    const summary = JSON.parse(lenient.stdout) as { rowsRejected: number; rejections: Record<string, { count: number; examples: { row: number; value: string }[] }> };
    expect(summary.rowsRejected).toBe(1);
    expect(summary.rejections['bad-timestamp'].examples[0]).toMatchObject({ row: 2, value: 'not-a-date' });
    const strict = runCli(['inspect', 'fixtures/cli/one-bad-row.csv', '--strict']);
    expect(strict.status).toBe(1);
    // The record's number, not written file:N (which reads as a line: this record is line 3 of the file).
    expect(strict.stdout).toContain('one-bad-row.csv record 2 column "timestamp"');
    expect(strict.stdout).not.toMatch(/one-bad-row\.csv:\d/);
  });
  it('exits 2 with a what · where · fix message on a missing file, and on usage errors', () => {
    const missing = runCli(['inspect', 'fixtures/cli/no-such-file.csv']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/input not found · fixtures\/cli\/no-such-file\.csv · check the path/);
    expect(runCli(['inspect']).status).toBe(2);
    expect(runCli(['inspect', 'fixtures/cli/tickets.csv', '--no-such-flag']).status).toBe(2);
    expect(runCli(['inspect', 'fixtures/cli/tickets.csv', '--timezone', 'Mars/Olympus']).stderr).toMatch(/unknown time zone/);
  });
  it('help and version exit 0', () => {
    expect(runCli(['--help']).status).toBe(0);
    expect(runCli(['--version']).stdout.trim()).toBe('0.1.0');
  });
});

describe('vsm inspect / analyze: ignored rows by reason (docs/ingest-accounting.md)', () => {
  // fixtures/github/label-flow: 13 events = 11 used + 1 duplicate (event 106 on both pages) + 1 "bug" label (ignored).
  it('text and --json break ignored rows down by reason', () => {
    const text = runCli(['inspect', 'fixtures/github/label-flow', '--no-progress']);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('rows read 13 = used 11 + rejected 0 + ignored 1 + duplicates 1');
    expect(text.stdout).toContain('ignored: not a status/owner change: labeled with a label that is not a status 1');
    const json = JSON.parse(runCli(['inspect', 'fixtures/github/label-flow', '--json', '--no-progress']).stdout) as Record<string, unknown>;
    expect([json.rowsRead, json.rowsUsed, json.rowsRejected, json.rowsIgnored, json.duplicatesDropped]).toEqual([13, 11, 0, 1, 1]);
    expect(json.ignored).toEqual({ 'not a status/owner change: labeled with a label that is not a status': 1 });
  });

  it('report.json carries the same accounting in dataQuality', () => {
    const out = mkdtempSync(join(tmpdir(), 'vsm-accounting-'));
    try {
      const result = runCli(['analyze', 'fixtures/github/label-flow', '--out', out, '--no-html', '--no-progress']);
      expect(result.status, result.stderr).toBe(0);
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { dataQuality: Record<string, unknown> };
      const quality = report.dataQuality;
      expect([quality.rowsRead, quality.rowsUsed, quality.rowsRejected, quality.rowsIgnored, quality.duplicateEventsDropped]).toEqual([13, 11, 0, 1, 1]);
      expect(quality.rowsIgnoredByReason).toEqual({ 'not a status/owner change: labeled with a label that is not a status': 1 });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
