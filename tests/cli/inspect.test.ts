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
    expect(runCli(['inspect', 'fixtures/cli/one-bad-row.csv', '--strict']).status).toBe(1);
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
