import type { IngestReport } from '../contracts/ingest-report.js';
import { formatCount, formatPercent } from '../model/units.js';
import { durationFormatFor } from './duration.js';
import type { ReportJson } from '../contracts/report-schema.js';
import { answerFacts, fourAnswers, noFindingText } from './answers.js';
import { escapeHtml as h } from './escape.js';
import { dataQualityCounts } from './quality.js';
import { isChart, type ChartResult } from './specs/index.js';
import { stepColumns } from './step-table.js';
import { busiestSteps, DISPLAY_LIMITS, otherStepsLabel } from './top-steps.js';
import { leadPercentileText, notSupportedByLog, SUFFICIENCY_HEADING, unknownEfficiencyText } from './sufficiency.js';
import { recordAddress } from '../contracts/ingest-report.js';

const formatCountText = (count: number): string => count.toLocaleString('en-US');

/** HTML sections of report.html. Every data string passes through escapeHtml (`h`); nothing else is raw. */

/** Long data text is cut to a few lines on screen (CSS line clamp); the full text stays in the page and in a tooltip. */
function clamped(text: string, className: 'clamp-3' | 'clamp-12'): string {
  const tooltip = text.length > 160 ? ` title="${h(text)}"` : '';
  return `<span class="${className}"${tooltip}>${h(text)}</span>`;
}

function definitionList(entries: Array<[string, string]>): string {
  return `<dl class="facts">${entries.map(([term, value]) => `<div><dt>${h(term)}</dt><dd>${h(value)}</dd></div>`).join('')}</dl>`;
}

export function headerSection(report: ReportJson): string {
  const fmt = durationFormatFor(report.calendar);
  const range = report.log.timeRange ? `${report.log.timeRange.from.slice(0, 10)} – ${report.log.timeRange.to.slice(0, 10)}` : 'unknown';
  const leadP85 = leadPercentileText(report, report.leadTimeMs.p85, fmt);
  const estimated = report.flowEfficiency.startEstimated ? '≈ ' : '';
  const efficiency = report.flowEfficiency.activeKnown
    ? `${estimated}${formatPercent(report.flowEfficiency.pooled)}${estimated ? ' (estimated start times)' : ''}`
    : unknownEfficiencyText(report);
  return `<header><h1>Value stream report: <span class="data">${h(report.log.name)}</span></h1>${definitionList([
    ['cases', `${formatCount(report.log.cases)} (${formatCount(report.log.openCases)} open)`],
    ['events', formatCount(report.log.events)],
    ['time range', range],
    ['calendar', report.calendar.description + (report.calendar.timeZone ? ` (${report.calendar.timeZone})` : '')],
    ['trigger', report.boundaries.trigger],
    ['outcome', report.boundaries.outcome],
    ['lead time p50', notSupportedByLog(report, 'leadTime') ? `unknown (see "${SUFFICIENCY_HEADING}")` : `${fmt(report.leadTimeMs.median)} (p85 ${leadP85})`],
    ['flow efficiency', efficiency],
  ])}</header>`;
}

export function answersSection(report: ReportJson): string {
  const fmt = durationFormatFor(report.calendar);
  const items = fourAnswers(report).map((answer) => {
    const finding = answer.finding;
    const body =
      finding === null
        ? `<p class="statement none">${h(noFindingText(report, answer.metric))}</p>`
        : `<p class="statement">${clamped(finding.statement, 'clamp-12')}</p><p class="answer-facts">${h(answerFacts(finding, fmt).join(' · '))}</p>` +
          (finding.evidence.length > 0 ? `<ul class="evidence">${finding.evidence.map((line) => `<li>${clamped(line, 'clamp-3')}</li>`).join('')}</ul>` : '');
    return `<li class="answer" data-answer="${answer.answerNumber}"><span class="answer-number" aria-hidden="true">${answer.answerNumber}</span><div><h3>${h(answer.heading)}</h3>${body}</div></li>`;
  });
  return `<section id="answers" aria-labelledby="answers-title"><h2 id="answers-title">The four answers</h2><ol class="answers">${items.join('')}</ol>${candidatesTable(report)}</section>`;
}

function candidatesTable(report: ReportJson): string {
  const fmt = durationFormatFor(report.calendar);
  const candidates = report.findings.futureStateChange?.candidates ?? [];
  if (candidates.length === 0) return '';
  const rows = candidates.map(
    (candidate) =>
      `<tr><td>${h(candidate.kind)}</td><td class="data">${h(candidate.description)}</td><td class="num">${h(fmt(candidate.leadTimeSavedMsPerCase))}</td><td class="num">${h(formatPercent(candidate.shareOfLeadTime))}</td><td>${candidate.movesWork ? '<strong>moves work onto another team: not proposed</strong>' : 'no'}</td></tr>`,
  );
  return `<div class="candidates"><h3>Candidate changes behind answer 4 (simple estimates)</h3><div class="table-scroll"><table><thead><tr><th scope="col">kind</th><th scope="col">change</th><th scope="col">lead time saved per case</th><th scope="col">share of lead time</th><th scope="col">moves work</th></tr></thead><tbody>${rows.join('')}</tbody></table></div></div>`;
}

export function mapSection(mapSvg: string): string {
  return `<section id="map" aria-labelledby="map-title"><h2 id="map-title">Current-state map</h2><figure class="map">${mapSvg}<figcaption>Steps in map order with owner, system, median active time and median delay per visit; triangles show the median delay before a step, arcs the top rework loops, the ladder below delay (up) and active time (down). Hover a box for p85 figures.</figcaption></figure></section>`;
}

export function chartsSection(charts: readonly ChartResult[]): string {
  const figures = charts.map((chart) =>
    isChart(chart)
      ? `<figure class="chart" id="figure-${h(chart.name)}"><div class="chart-view" id="chart-${h(chart.name)}" data-chart="${h(chart.name)}" role="img" aria-label="${h(chart.description)}"><p class="noscript">${h(chart.title)}: the chart needs JavaScript; see charts/${h(chart.name)}.svg.</p></div><figcaption>${h(chart.description)}</figcaption></figure>`
      : `<figure class="chart absent"><p><strong>${h(chart.title)}:</strong> ${h(chart.absentBecause)}</p></figure>`,
  );
  return `<section id="charts" aria-labelledby="charts-title"><h2 id="charts-title">Why: the charts</h2>${figures.join('')}</section>`;
}

export function stepTableSection(report: ReportJson): string {
  const columns = stepColumns(durationFormatFor(report.calendar));
  const headers = columns.map(
    (column, index) => `<th scope="col" aria-sort="none"><button type="button" data-column="${index}">${h(column.header)}</button></th>`,
  ).join('');
  const { shown, hiddenCount } = busiestSteps(report, DISPLAY_LIMITS.tableSteps);
  const rows = shown.map((step) => {
    const cells = columns.map((column) => {
      const raw = column.raw(step);
      const sortKey = raw === null ? '' : String(raw);
      const numeric = typeof raw === 'number';
      const content = numeric ? h(column.text(step)) : clamped(column.text(step), 'clamp-3');
      return `<td${numeric ? ' class="num"' : ' class="data"'} data-sort="${h(sortKey)}"${numeric ? ' data-numeric="1"' : ''}>${content}</td>`;
    }).join('');
    return `<tr class="value-${h(step.valueClass)}">${cells}</tr>`;
  });
  return `<section id="steps" aria-labelledby="steps-title"><h2 id="steps-title">Steps</h2><p class="hint">Medians per visit (p50). Click a column header to sort.${hiddenCount > 0 ? ` The ${formatCountText(shown.length)} busiest steps are listed; ${h(otherStepsLabel(hiddenCount))} are in steps.csv and report.json.` : ''}</p><div class="table-scroll"><table class="sortable"><thead><tr>${headers}</tr></thead><tbody>${rows.join('')}</tbody></table></div></section>`;
}

export function qualitySection(report: ReportJson, ingest: IngestReport | undefined): string {
  const counts = dataQualityCounts(report).map(([what, count]) => `<li>${h(what)}: <strong>${h(formatCount(count))}</strong></li>`);
  const notes = report.dataQuality.notes.map((note) => `<li>${h(note)}</li>`);
  return `<section id="quality" aria-labelledby="quality-title"><h2 id="quality-title">Data quality</h2><ul class="counts">${counts.join('')}</ul>${notes.length > 0 ? `<h3>Notes</h3><ul class="notes">${notes.join('')}</ul>` : ''}${ingest ? ingestBlock(ingest) : ''}</section>`;
}

function ingestBlock(ingest: IngestReport): string {
  const rejections = Object.entries(ingest.rejections).map(([reason, group]) => {
    const example = group?.examples[0];
    const where = example ? ` — e.g. ${recordAddress(example.file, example.row)}${example.column ? ` column "${example.column}"` : ''}${example.value !== undefined ? ` got "${example.value}"` : ''}: ${example.message}` : '';
    return `<li>${h(reason)}: ${h(formatCount(group?.count ?? 0))}${h(where)}</li>`;
  });
  const mapping = Object.entries(ingest.mapping).map(([field, column]) => `${field} ← ${column}`).join(', ');
  return `<h3>Ingest</h3>${definitionList([
    ['format', `${ingest.format} (${ingest.formatDetectedBy})`],
    ['rows', `${formatCount(ingest.rowsRead)} read, ${formatCount(ingest.rowsUsed)} used, ${formatCount(ingest.rowsRejected)} rejected, ${formatCount(ingest.rowsIgnored ?? 0)} ignored, ${formatCount(ingest.duplicatesDropped)} duplicates dropped`],
    ...(Object.keys(ingest.ignored ?? {}).length > 0
      ? [['ignored rows', Object.entries(ingest.ignored).map(([reason, count]) => `${reason} ${formatCount(count)}`).join('; ')] as [string, string]]
      : []),
    ['column mapping', mapping || '—'],
  ])}${rejections.length > 0 ? `<ul class="rejections">${rejections.join('')}</ul>` : ''}`;
}

export function provenanceSection(report: ReportJson): string {
  const provenance = report.provenance;
  return `<section id="provenance" aria-labelledby="provenance-title"><h2 id="provenance-title">Provenance</h2>${definitionList([
    ['input file', `${provenance.input.file} (${formatCount(provenance.input.bytes)} bytes)`],
    ['sha256', provenance.input.sha256],
    ['format', `${report.log.format}, ${report.log.shape} log`],
    ['options', JSON.stringify(provenance.options)],
    ['calendar', report.calendar.description],
    ['time zone assumed', provenance.timeZoneAssumed ?? 'none'],
    ['owners', `${report.boundaries.ownerLevel} level`],
    ['tool', `valuestream ${provenance.toolVersion} · report schema ${report.schemaVersion}`],
  ])}</section>`;
}
