import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const out = mkdtempSync(join(tmpdir(), 'vsm-sufficiency-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('vsm analyze on an export without history', () => {
  it('says what it cannot measure at the top, in report.md and report.html, and exits 1 under --strict with the reason', () => {
    const result = runCli(['analyze', 'fixtures/jira/search-no-changelog.json', '--out', out, '--strict']);
    expect(result.status).toBe(1);
    const lines = result.stdout.split('\n');
    // The limits come right after the title line, before the lead time.
    expect(lines[1]).toBe('What this export can and cannot tell');
    expect(lines[2]).toBe(
      '   cycle time, step times, flow efficiency, handoffs, rework, variants: not supported by this log — the export holds no status history (current state only: 4 cases), so no step can be timed',
    );
    expect(result.stdout).toContain('lead time 4 d median');
    expect(result.stdout).not.toMatch(/lead time 0 s/);
    expect(result.stderr).toContain('strict: cycle time, step times, flow efficiency, handoffs, rework, variants: not supported by this log');
    expect(result.stderr).toContain('fix: re-export the issues with expand=changelog');
    const markdown = readFileSync(join(out, 'report.md'), 'utf8');
    expect(markdown).toContain('> **What this export can and cannot tell**');
    expect(markdown.indexOf('What this export can and cannot tell')).toBeLessThan(markdown.indexOf('## The four answers'));
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<section id="sufficiency"');
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { dataQuality: { sufficiency: Record<string, { verdict: string }> } };
    expect(report.dataQuality.sufficiency.stepTimes.verdict).toBe('unsupported');
  });

  it('exits 0 without --strict', () => {
    const result = runCli(['analyze', 'fixtures/jira/search-no-changelog.json', '--out', out, '--no-html']);
    expect(result.status).toBe(0);
  });
});

describe('vsm analyze on a wide stage-date CSV', () => {
  it('answers rework and handoffs with "cannot support", not "none found"', () => {
    const result = runCli(['analyze', 'fixtures/wide/jira-to-analytics.csv', '--no-html', '--out', mkdtempSync(join(tmpdir(), 'vsm-wide-'))]);
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[lines.indexOf('2. Most common rework loop') + 1]).toBe('   unknown: this log cannot support it (see above)');
    expect(lines[lines.indexOf('3. Handoff to simplify') + 1]).toBe('   unknown: this log cannot support it (see above)');
  });
});
