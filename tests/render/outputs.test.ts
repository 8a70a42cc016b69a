import { describe, expect, it } from 'vitest';
import { renderStepsCsv } from '../../src/render/csv.js';
import { renderHtml } from '../../src/render/html.js';
import { renderMapSvg } from '../../src/render/map-svg.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { buildCharts } from '../../src/render/specs/index.js';
import { hostileReport, jiraReport } from './render-fixtures.js';

function html(report = jiraReport()): string {
  return renderHtml(report, { mapSvg: renderMapSvg(report), charts: buildCharts(report) });
}

/** The page without the three inlined runtime builds (their source is not ours to inspect). */
function pageOnly(page: string): string {
  return page.replace(/<script>(?!\s*\(function \(\) \{\s*'use strict')[\s\S]*?<\/script>/g, '<script>RUNTIME</script>');
}

describe('renderHtml', () => {
  const page = html();

  it('is one self-contained document: CSP forbids network, no external src/href', () => {
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;unsafe-inline&#39;;`);
    expect(pageOnly(page)).not.toMatch(/<(script|img|link|iframe)\b[^>]*\b(src|href)=/i);
    expect(page).not.toContain('unsafe-eval');
  });

  it('inlines the Vega, Vega-Lite and vega-embed runtimes and the chart specs as JSON', () => {
    const scripts = page.match(/<script[^>]*>/g) ?? [];
    expect(scripts).toEqual(['<script type="application/json" id="vsm-chart-specs">', '<script>', '<script>', '<script>', '<script>']);
    expect(page).toContain('vegaEmbed');
    expect(page.length).toBeGreaterThan(800_000);
  });

  it('reads top to bottom: header, answers, map, charts, steps, data quality, provenance', () => {
    const positions = ['<header>', 'id="answers"', 'id="map"', 'id="charts"', 'id="steps"', 'id="quality"', 'id="provenance"'].map((marker) => page.indexOf(marker));
    expect(positions.every((position) => position > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('states the four answers with number, statement, share, n and interval, and "none found" for a null one', () => {
    const report = jiraReport();
    expect(page).toContain('<li class="answer" data-answer="1">');
    expect(page).toContain('Work waits longest in Backlog');
    // Biggest delay share 0.2136 → "21 %"; n 31 visits (from the Jira report).
    expect(page).toContain('21 % of lead time · n 31 · median 95 % CI');
    expect(report.findings.handoffToSimplify).toBeNull();
    expect(page).toMatch(/data-answer="3">[\s\S]*?None found in this log\./);
  });

  it('has a chart container with a text alternative for each drawn chart and a note for absent ones', () => {
    expect(page.match(/class="chart-view"/g)).toHaveLength(8);
    expect(page).toMatch(/id="chart-step-time" data-chart="step-time" role="img" aria-label="Median time per visit/);
    expect(page).toContain('<strong>Handoffs between owners:</strong> No handoff between known owners was found.');
  });

  it('has a sortable step table with raw sort keys and print CSS', () => {
    expect(page).toContain('<table class="sortable">');
    // Backlog total delay 28,543,300,112 ms is the sort key behind the "330 d" cell.
    expect(page).toMatch(/data-sort="28543300112" data-numeric="1">330 d</);
    expect(page).toContain('@media print');
  });
});

describe('hostile names in every output', () => {
  const report = hostileReport();
  const page = html(report);
  const markdown = renderMarkdown(report, buildCharts(report));
  const csv = renderStepsCsv(report);

  it('HTML: no injected element or handler outside the runtime; data is escaped', () => {
    const own = pageOnly(page);
    expect(own).not.toMatch(/<script>alert|<img src=x|<svg onload|<b onmouseover/i);
    expect(own).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(own).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(own).not.toMatch(/href="javascript:/i);
    expect(own).not.toContain('\u202E');
    // Exactly the five script elements of a clean page: JSON specs, three runtimes, the page script.
    expect(page.match(/<script[^>]*>/g)).toHaveLength(5);
  });

  it('HTML: the chart-spec JSON cannot close its element', () => {
    const json = page.slice(page.indexOf('id="vsm-chart-specs">') + 'id="vsm-chart-specs">'.length, page.indexOf('</script>', page.indexOf('id="vsm-chart-specs">')));
    expect(json).not.toMatch(/[<>]/);
    expect(JSON.stringify(JSON.parse(json))).toContain('</script><script>alert(2)</script>');
  });

  it('Markdown: no raw HTML, links or emphasis from data', () => {
    expect(markdown).not.toMatch(/<script|<img|<svg|<b /i);
    expect(markdown).not.toMatch(/[^\\]\]\(javascript:/);
    expect(markdown).toContain('\\[link\\](javascript:alert(6))');
    expect(markdown).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // Every table row has exactly the 18 column separators + 1 (no `|` from data splits a row).
    const tableRows = markdown.split('\n').filter((line) => line.startsWith('| '));
    for (const row of tableRows) expect(row.replace(/\\\|/g, '').split('|').length - 2).toBe(18);
  });

  it('CSV: formula cells guarded, RFC 4180 quoting, one line per step', () => {
    const lines = csv.split('\r\n');
    expect(lines).toHaveLength(report.steps.length + 2); // header + steps + trailing empty
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example/x"",""click"")"`);
    expect(csv).toContain("'@SUM(1+1)");
    expect(csv).toContain("'+cmd|calc");
    expect(csv).not.toMatch(/(^|,)[=+@]/m);
  });
});

describe('renderMarkdown and renderStepsCsv on the Jira report', () => {
  const report = jiraReport();

  it('Markdown lists the four answers, links the map and charts, and the step table', () => {
    const markdown = renderMarkdown(report, buildCharts(report));
    expect(markdown).toContain('1. **Biggest delay.** Work waits longest in Backlog');
    expect(markdown).toContain('3. **Handoff to simplify.** None found in this log.');
    expect(markdown).toContain('![Current-state value stream map](map.svg)');
    expect(markdown).toContain('- [Time per step by class](charts/step-time.svg): ');
    expect(markdown).toContain('| 1 | Backlog | value-adding |');
  });

  it('CSV has ms and hours for each duration', () => {
    const [header, backlog] = renderStepsCsv(report).split('\r\n');
    expect(header.split(',')).toContain('queue_median_ms');
    expect(header.split(',')).toContain('queue_median_hours');
    const cells = backlog.split(',');
    const at = (name: string): string => cells[header.split(',').indexOf(name)];
    // Backlog queue median 430,677,898 ms ÷ 3,600,000 = 119.633 h.
    expect(at('queue_median_ms')).toBe('430677898');
    expect(at('queue_median_hours')).toBe('119.633');
    expect(at('step')).toBe('Backlog');
  });
});
