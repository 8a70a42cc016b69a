import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

/*
 * Issue 11 items 5 and 6: activity names that are Object.prototype members, or that contain U+2028/U+2029,
 * crashed analyze inside Vega ("Operator not defined", "Unexpected token ILLEGAL") because a chart passed the
 * names into a Vega expression. Every output must now be written, with the names kept as data.
 */
const PROTO_NAMES = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__'];
const SEPARATOR_NAMES = ['Review\u2028line', 'Fix\u2029para'];

function csvWith(names: string[]): string {
  // Two cases pass through A → every name → B, one hour apart, with a resource so handoffs exist.
  const rows = ['case,activity,resource,timestamp'];
  for (const [k, caseId] of ['c1', 'c2'].entries()) {
    const steps = ['A', ...names, 'B'];
    steps.forEach((step, s) => rows.push(`${caseId},"${step}",${s % 2 === 0 ? 'ann' : 'constructor'},${new Date(Date.UTC(2024, 0, 1 + k, s)).toISOString()}`));
  }
  return `${rows.join('\n')}\n`;
}

function jiraWith(names: string[]): string {
  const issues = [1, 2].map((n) => {
    const steps = ['To Do', ...names, 'Done'];
    return {
      key: `H-${n}`,
      id: String(n),
      fields: { created: `2024-01-0${n}T08:00:00.000+0000`, status: { name: 'Done', statusCategory: { key: 'done' } } },
      changelog: {
        startAt: 0,
        maxResults: 100,
        total: steps.length - 1,
        histories: steps.slice(1).map((to, k) => ({
          id: String(k + 1),
          author: { displayName: 'Ann', accountId: 'acc-ann' },
          created: `2024-01-0${n}T${String(9 + k).padStart(2, '0')}:00:00.000+0000`,
          items: [{ field: 'status', fieldtype: 'jira', fieldId: 'status', fromString: steps[k], toString: to }],
        })),
      },
    };
  });
  return JSON.stringify({ issues });
}

function analyze(fileName: string, content: string, extra: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'vsm-hostile-'));
  const file = join(dir, fileName);
  writeFileSync(file, content);
  const out = join(dir, 'out');
  return { result: runCli(['analyze', file, '--out', out, ...extra]), out };
}

describe('activity names that are Object.prototype members (issue 11 item 5)', () => {
  it('analyzes a CSV whose steps and resources are named constructor, toString, … and writes every output', () => {
    const { result, out } = analyze('proto.csv', csvWith(PROTO_NAMES));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { steps: Array<{ name: string }> };
    expect(report.steps.map((step) => step.name).sort()).toEqual(['A', 'B', ...PROTO_NAMES].sort());
    expect(readFileSync(join(out, 'charts', 'cumulative-flow.svg'), 'utf8')).toContain('hasOwnProperty');
  });
  it('analyzes a Jira export whose statuses have those names', () => {
    const { result, out } = analyze('proto-jira.json', jiraWith(PROTO_NAMES), ['--source', 'jira']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('valueOf');
  });
});

describe('activity names containing U+2028 / U+2029 (issue 11 item 6)', () => {
  it('analyzes the CSV and leaves no raw separator inside any inline script of report.html', () => {
    const { result, out } = analyze('separators.csv', csvWith(SEPARATOR_NAMES));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const scripts = [...html.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((match) => match[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      expect(script).not.toMatch(/[\u2028\u2029]/);
      expect(script).not.toMatch(/<\/script/i);
    }
  });
});
