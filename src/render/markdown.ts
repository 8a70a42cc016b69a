import { formatCount, formatPercent } from '../model/units.js';
import { durationFormatFor } from './duration.js';
import type { ReportJson } from '../contracts/report-schema.js';
import { answerFacts, fourAnswers, noFindingText } from './answers.js';
import { escapeMarkdown as md } from './escape.js';
import { dataQualityCounts } from './quality.js';
import { isChart, type ChartResult } from './specs/index.js';
import { stepColumns } from './step-table.js';
import { sufficiencyMarkdown, leadPercentileText, notSupportedByLog, SUFFICIENCY_HEADING, unknownEfficiencyText } from './sufficiency.js';
import { busiestSteps, DISPLAY_LIMITS, otherStepsLabel } from './top-steps.js';

/**
 * report.md: the four answers, the map and charts as links, the step table, data quality and provenance.
 * Every data string goes through escapeMarkdown; link targets are fixed file names, never data.
 */
export function renderMarkdown(report: ReportJson, charts: readonly ChartResult[]): string {
  const fmt = durationFormatFor(report.calendar);
  const columns = stepColumns(fmt);
  const range = report.log.timeRange ? ` · ${report.log.timeRange.from.slice(0, 10)} – ${report.log.timeRange.to.slice(0, 10)}` : '';
  const lines: string[] = [
    `# Value stream report: ${md(report.log.name)}`,
    '',
    `${formatCount(report.log.cases)} cases · ${formatCount(report.log.events)} events · ${formatCount(report.log.openCases)} open${range} · calendar ${md(report.calendar.description)}`,
    '',
    `Trigger: ${md(report.boundaries.trigger)} · Outcome: ${md(report.boundaries.outcome)} · owners at ${report.boundaries.ownerLevel} level`,
    '',
    `Lead time ${notSupportedByLog(report, 'leadTime') ? `unknown (see "${SUFFICIENCY_HEADING}")` : `median ${fmt(report.leadTimeMs.median)} (p85 ${leadPercentileText(report, report.leadTimeMs.p85, fmt)}, ${report.leadTimeMs.method}, ${formatCount(report.leadTimeMs.censored)} censored)`} · flow efficiency ${report.flowEfficiency.activeKnown ? `${report.flowEfficiency.startEstimated ? '≈ ' : ''}${formatPercent(report.flowEfficiency.pooled)}${report.flowEfficiency.startEstimated ? ' (estimated start times)' : ''}` : unknownEfficiencyText(report)}`,
    '',
    ...sufficiencyMarkdown(report),
    '## The four answers',
    '',
  ];
  for (const answer of fourAnswers(report)) {
    if (answer.finding === null) {
      lines.push(`${answer.answerNumber}. **${answer.heading}.** ${noFindingText(report, answer.metric)}`);
      continue;
    }
    lines.push(`${answer.answerNumber}. **${answer.heading}.** ${md(answer.finding.statement)}`);
    lines.push(`   *${md(answerFacts(answer.finding, fmt).join(' · '))}*`);
    for (const evidence of answer.finding.evidence) lines.push(`   - ${md(evidence)}`);
  }
  lines.push('', '## Current-state map', '', '![Current-state value stream map](map.svg)', '', '## Why: charts', '');
  for (const chart of charts) {
    lines.push(isChart(chart) ? `- [${md(chart.title)}](charts/${chart.name}.svg): ${md(chart.description)}` : `- ${md(chart.title)}: ${md(chart.absentBecause)}`);
  }
  lines.push('', '## Steps', '', `| ${columns.map((column) => md(column.header)).join(' | ')} |`, `|${columns.map(() => ' --- ').join('|')}|`);
  const { shown, hiddenCount } = busiestSteps(report, DISPLAY_LIMITS.tableSteps);
  for (const step of shown) lines.push(`| ${columns.map((column) => md(column.text(step))).join(' | ')} |`);
  if (hiddenCount > 0) lines.push('', `The ${formatCount(shown.length)} busiest steps are listed; ${otherStepsLabel(hiddenCount)} are in steps.csv and report.json.`);
  lines.push('', '## Data quality', '');
  for (const [what, count] of dataQualityCounts(report)) lines.push(`- ${what}: ${formatCount(count)}`);
  for (const note of report.dataQuality.notes) lines.push(`- ${md(note)}`);
  const provenance = report.provenance;
  lines.push(
    '',
    '## Provenance',
    '',
    `- input: ${md(provenance.input.file)} (${formatCount(provenance.input.bytes)} bytes, sha256 ${md(provenance.input.sha256)})`,
    `- format: ${md(report.log.format)}, ${report.log.shape} log`,
    `- options: ${md(JSON.stringify(provenance.options))}`,
    `- calendar: ${md(report.calendar.description)}; time zone assumed: ${md(provenance.timeZoneAssumed ?? 'none')}`,
    `- tool: valuestream ${md(provenance.toolVersion)}, report schema ${report.schemaVersion}`,
    '',
  );
  return lines.join('\n');
}
