import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderReportFiles, writeReport } from '../../src/render/write-report.js';
import { jiraReport, syntheticReport } from './render-fixtures.js';

const outDir = mkdtempSync(join(tmpdir(), 'vsm-render-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('writeReport', () => {
  it('writes report.json, report.html, map.svg, report.md, steps.csv and one SVG per drawn chart', async () => {
    const written = await writeReport(jiraReport(), outDir, { html: true });
    expect(written.map((path) => path.slice(outDir.length + 1))).toEqual([
      'report.json',
      'report.html',
      'map.svg',
      'report.md',
      'steps.csv',
      // No handoff chart: the Jira report has no handoff between known owners.
      ...['step-time', 'lead-time', 'rework-loops', 'weekly-flow', 'cumulative-flow', 'aging', 'variants', 'process-map'].map((name) => join('charts', `${name}.svg`)),
    ]);
    expect(readdirSync(join(outDir, 'charts'))).toHaveLength(8);
    expect(JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8'))).toEqual(jiraReport());
  });

  it('writes report.json only without html', async () => {
    const jsonOnly = join(outDir, 'json-only');
    expect((await writeReport(jiraReport(), jsonOnly, { html: false })).map((path) => path.slice(jsonOnly.length + 1))).toEqual(['report.json']);
  });

  it('is deterministic: the same report renders to byte-identical files', async () => {
    const first = await renderReportFiles(jiraReport(), { html: true });
    const second = await renderReportFiles(jiraReport(), { html: true });
    expect([...second.keys()]).toEqual([...first.keys()]);
    for (const [path, content] of first) expect(second.get(path), path).toBe(content);
  });

  it('renders every output of a 40-step report with four years of weekly flow', async () => {
    const report = syntheticReport(40, 208);
    const files = await renderReportFiles(report, { html: true });
    // Render time is measured outside the tests (about 0.4 s for this report); here: every output is there.
    for (const name of ['report.html', 'map.svg', 'report.md', 'steps.csv', 'report.json']) expect(files.get(name)?.length ?? 0, name).toBeGreaterThan(0);
  });
});
