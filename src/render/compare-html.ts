import { formatCount } from '../model/units.js';
import type { CompareJson, CompareMetricJson } from '../contracts/compare-schema.js';
import { formatChange, formatLevel, formatP, metricLabel } from '../vsm/compare-statement.js';
import { escapeHtml as h } from './escape.js';
import { compareVerdict } from './compare-verdict.js';
import { chartFigure, factList, htmlDocument, simpleTable } from './html-shell.js';
import { compareTrendChart } from './specs/compare-trend.js';
import { isChart, withSafeStrings } from './specs/index.js';
import { BOOTSTRAP_MAX_N } from '../metrics/distribution.js';

export interface CompareHtmlOptions {
  /** Working ms per working day when the logs were measured on a business calendar (durations then in wd). */
  workdayMs?: number | null;
}

function verdict(metric: CompareMetricJson): string {
  if (metric.significant) return 'significant';
  if (metric.thin) return 'thin evidence: not tested';
  if (metric.test === null) return 'not compared';
  return 'no significant change';
}

function statementClass(metric: CompareMetricJson): string {
  return metric.significant ? 'significant' : metric.thin ? 'thin' : 'plain';
}

/**
 * compare.html: the plain-language statements first (significant changes highlighted), then the metric table
 * and the weekly XmR trend. Self-contained under the same CSP as report.html; every data string escaped.
 */
export function renderCompareHtml(compare: CompareJson, options: CompareHtmlOptions = {}): string {
  const format = { workdayMs: options.workdayMs ?? compare.workdayMs ?? null };
  const [before, after] = compare.periods;
  const byText = compare.by === 'file' ? 'two files' : compare.by === 'completed' ? 'cases by completion time' : 'cases by trigger time';
  const significant = compare.metrics.filter((metric) => metric.significant);
  const others = compare.metrics.filter((metric) => !metric.significant);
  const overall = compareVerdict(compare);
  const headline =
    overall.kind === 'no-change'
      ? `<p class="verdict">${h(overall.text.replace(/\.$/, ''))} (Benjamini–Hochberg adjusted p &lt; ${h(String(compare.alpha))} and a 95 % interval that excludes zero).</p>`
      : overall.kind === 'changes'
        ? `<p class="verdict hot">${h(overall.text)}</p>`
        : `<p class="verdict hot"><strong class="warn">${h(overall.text)}</strong></p>`;
  const significantList = significant.length > 0 ? `<ul class="statements">${significant.map((metric) => `<li class="significant">${h(metric.statement)}</li>`).join('')}</ul>` : '';
  // The unremarkable lines stay readable but quiet, so the significant ones stand out.
  const othersList =
    others.length > 0
      ? `<h3>${significant.length > 0 ? 'Every other metric' : 'Every metric'}</h3><ul class="quiet-statements">${others.map((metric) => `<li class="${statementClass(metric)}">${h(metric.statement)}</li>`).join('')}</ul>`
      : '';
  const rows = compare.metrics.map((metric) => ({
    cells: [
      metricLabel(metric),
      formatLevel(metric.before, metric.unit, format),
      formatLevel(metric.after, metric.unit, format),
      formatChange(metric.diff, metric.unit, format),
      metric.ciLow === null ? '—' : `${formatChange(metric.ciLow, metric.unit, format)} … ${formatChange(metric.ciHigh, metric.unit, format)}`,
      formatP(metric.pAdjusted),
      verdict(metric),
      metric.thin ? `thin (n ${formatCount(metric.nBefore)} / ${formatCount(metric.nAfter)})` : `n ${formatCount(metric.nBefore)} / ${formatCount(metric.nAfter)}`,
    ],
    numeric: [false, true, true, true, true, true, false, false],
    rowClass: statementClass(metric),
  }));
  const trendChart = compareTrendChart(compare, options);
  const trend = isChart(trendChart) ? { ...trendChart, spec: withSafeStrings(trendChart.spec) } : trendChart;
  const body = `<header><h1>Compare: <span class="data">${h(before.label)}</span> → <span class="data">${h(after.label)}</span></h1>${factList([
    ['before', `${before.label}: ${formatCount(before.cases)} cases (${formatCount(before.closedCases)} closed)`],
    ['after', `${after.label}: ${formatCount(after.cases)} cases (${formatCount(after.closedCases)} closed)`],
    ['periods', byText],
    ['source', before.source === after.source ? before.source : `${before.source} → ${after.source}`],
    ['tested', `${formatCount(compare.summary.tested)} of ${formatCount(compare.summary.compared)} metrics (${formatCount(compare.summary.thin)} thin)`],
    ['intervals', `bootstrap (${formatCount(compare.resamples)} resamples, seed ${compare.seed}) where a period has at most ${formatCount(BOOTSTRAP_MAX_N)} values; order-statistic standard errors above`],
  ])}</header>
<section id="statements" aria-labelledby="statements-title"><h2 id="statements-title">What changed</h2>${headline}${significantList}${othersList}</section>
<section id="metrics" aria-labelledby="metrics-title"><h2 id="metrics-title">Metrics</h2><p class="hint">Medians (durations, flow efficiency) or share of cases (rates); change = after − before; 95 % CI of the change; p adjusted for many tests (Benjamini–Hochberg); thin = fewer than 30 values in a period, never called significant.</p>${simpleTable(['metric (median)', 'before', 'after', 'change', '95 % CI of change', 'p adj.', 'verdict', 'n before / after'], rows)}</section>
<section id="charts" aria-labelledby="charts-title"><h2 id="charts-title">Weekly trend</h2>${chartFigure(trend)}</section>
${compare.notes.length > 0 ? `<section id="notes" aria-labelledby="notes-title"><h2 id="notes-title">Notes</h2><ul class="notes">${compare.notes.map((note) => `<li>${h(note)}</li>`).join('')}</ul></section>` : ''}
<footer>Generated by valuestream ${h(compare.tool.version)} · compare schema ${h(compare.schemaVersion)}. Before is the baseline; every change is after − before.</footer>`;
  return htmlDocument({ title: `Compare: ${before.label} → ${after.label}`, body, charts: [trend] });
}
