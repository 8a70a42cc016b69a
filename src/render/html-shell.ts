import { TOOL_VERSION } from '../version.js';
import { escapeHtml as h, jsonForScript } from './escape.js';
import { chartRuntimeScripts } from './html-assets.js';
import { CONTENT_SECURITY_POLICY, PAGE_CSS, PAGE_SCRIPT } from './html-page.js';
import { isChart, type ChartResult } from './specs/index.js';

/** Extra look of the compare and simulate pages: highlighted verdicts, the change list, the two maps. */
const EXTRA_CSS = `
ul.statements{list-style:none;padding:0;margin:0;display:grid;gap:6px}
ul.statements li{padding:8px 12px;border:1px solid var(--line);border-left:4px solid var(--line);border-radius:6px;background:var(--soft)}
ul.statements li.significant{border-left-color:var(--hot);background:#fff4ec;font-weight:600}
ul.quiet-statements{margin:.2em 0;padding-left:1.2em;font-size:.92rem}
ul.quiet-statements li.thin{color:var(--muted)}
p.verdict{font-size:1.05rem;padding:10px 14px;border-radius:6px;background:var(--soft);border-left:4px solid var(--line)}
p.verdict.hot{border-left-color:var(--hot);background:#fff4ec}
tr.significant td{background:#fff4ec;font-weight:600}
tr.thin td{color:var(--muted)}
td.warn,strong.warn{color:#b42318;font-weight:700}
.badge{display:inline-block;padding:0 6px;border-radius:4px;background:#6d28d9;color:#fff;font-size:.85rem}
.notes li{color:var(--muted)}
tr.bottleneck td{color:#b42318;font-weight:700}`;

export interface PageInputs {
  /** The document title (text; escaped here). */
  title: string;
  /** Already-built, already-escaped body markup. */
  body: string;
  charts: readonly ChartResult[];
}

/** The parts that differ between report.html, compare.html and simulate.html; everything else is shared. */
export interface ShellInputs {
  /** The document title (text; escaped here). */
  title: string;
  /** Tool version written to the generator meta tag (text; escaped here). */
  generatorVersion: string;
  /** The full stylesheet (trusted constant CSS, not escaped). */
  css: string;
  /** Already-built, already-escaped markup placed inside `<main>`. */
  body: string;
  charts: readonly ChartResult[];
}

/**
 * The one page shell every HTML output shares: the Content-Security-Policy (no network, no eval), inlined Vega
 * runtime and chart script; chart specs travel as escaped JSON in a `type="application/json"` element, never as
 * script source.
 */
export function htmlShell(inputs: ShellInputs): string {
  const specsByName: Record<string, unknown> = {};
  for (const chart of inputs.charts) if (isChart(chart)) specsByName[chart.name] = chart.spec;
  const runtime = chartRuntimeScripts()
    .map((source) => `<script>${source}</script>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${h(CONTENT_SECURITY_POLICY)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="valuestream ${h(inputs.generatorVersion)}">
<title>${h(inputs.title)}</title>
<style>${inputs.css}</style>
</head>
<body>
<main>
${inputs.body}
</main>
<script type="application/json" id="vsm-chart-specs">${jsonForScript(specsByName)}</script>
${runtime}
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

/** A report.html-style page with the compare/simulate extra look. Used by compare.html and simulate.html. */
export function htmlDocument(inputs: PageInputs): string {
  return htmlShell({ ...inputs, generatorVersion: TOOL_VERSION, css: `${PAGE_CSS}${EXTRA_CSS}` });
}

/** A chart's figure: container the page script draws into, with the description as its text alternative. */
export function chartFigure(chart: ChartResult): string {
  return isChart(chart)
    ? `<figure class="chart" id="figure-${h(chart.name)}"><div class="chart-view" id="chart-${h(chart.name)}" data-chart="${h(chart.name)}" role="img" aria-label="${h(chart.description)}"><p class="noscript">${h(chart.title)}: the chart needs JavaScript.</p></div><figcaption>${h(chart.description)}</figcaption></figure>`
    : `<figure class="chart absent"><p><strong>${h(chart.title)}:</strong> ${h(chart.absentBecause)}</p></figure>`;
}

/** A `<dl>` of facts; every term and value escaped. */
export function factList(entries: ReadonlyArray<readonly [string, string]>): string {
  return `<dl class="facts">${entries.map(([term, value]) => `<div><dt>${h(term)}</dt><dd>${h(value)}</dd></div>`).join('')}</dl>`;
}

/** A table with escaped header and cells; `rowClass` per row (fixed class names only). */
export function simpleTable(headers: readonly string[], rows: ReadonlyArray<{ cells: readonly string[]; numeric?: readonly boolean[]; rowClass?: string }>): string {
  const head = headers.map((header) => `<th scope="col">${h(header)}</th>`).join('');
  const body = rows
    .map((row) => `<tr${row.rowClass ? ` class="${h(row.rowClass)}"` : ''}>${row.cells.map((cell, index) => `<td${row.numeric?.[index] ? ' class="num"' : ''}>${h(cell)}</td>`).join('')}</tr>`)
    .join('');
  return `<div class="table-scroll"><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}
