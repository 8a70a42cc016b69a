import { formatCount, formatDurationMs } from '../model/units.js';
import type { CompareJson } from '../contracts/compare-schema.js';
import { formatChange, formatLevel, formatP, metricLabel } from '../vsm/compare-statement.js';
import { escapeMarkdown as md } from './escape.js';
import { compareVerdict } from './compare-verdict.js';

/**
 * compare.md: the statements first (significant ones in bold, or "no significant change"), then the metric
 * table and the weekly XmR trend in words. Every data string goes through escapeMarkdown.
 */
function verdictLine(compare: CompareJson): string {
  const verdict = compareVerdict(compare);
  return verdict.kind === 'no-change' ? md(verdict.text) : `**${md(verdict.text)}**`;
}

export function renderCompareMarkdown(compare: CompareJson): string {
  const format = { workdayMs: compare.workdayMs ?? null };
  const [before, after] = compare.periods;
  const significant = compare.metrics.filter((metric) => metric.significant);
  const others = compare.metrics.filter((metric) => !metric.significant);
  const lines = [
    `# Compare: ${md(before.label)} → ${md(after.label)}`,
    '',
    `${md(before.label)}: ${formatCount(before.cases)} cases (${formatCount(before.closedCases)} closed) · ${md(after.label)}: ${formatCount(after.cases)} cases (${formatCount(after.closedCases)} closed) · ${compare.by === 'file' ? 'two files' : `cases by ${compare.by === 'completed' ? 'completion' : 'trigger'} time`}`,
    '',
    '## What changed',
    '',
    verdictLine(compare),
    '',
    ...significant.map((metric) => `- **${md(metric.statement)}**`),
    ...others.map((metric) => `- ${md(metric.statement)}`),
    '',
    '## Metrics',
    '',
    '| metric (median) | before | after | change | 95 % CI | p adj. | verdict | n before / after |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const metric of compare.metrics) {
    const verdict = metric.significant ? '**significant**' : metric.thin ? 'thin evidence' : 'no significant change';
    const interval = metric.ciLow === null ? '—' : `${formatChange(metric.ciLow, metric.unit, format)} … ${formatChange(metric.ciHigh, metric.unit, format)}`;
    lines.push(
      `| ${md(metricLabel(metric))} | ${formatLevel(metric.before, metric.unit, format)} | ${formatLevel(metric.after, metric.unit, format)} | ${formatChange(metric.diff, metric.unit, format)} | ${interval} | ${formatP(metric.pAdjusted)} | ${verdict} | ${formatCount(metric.nBefore)} / ${formatCount(metric.nAfter)} |`,
    );
  }
  const { trend } = compare;
  lines.push('', '## Weekly median lead time (XmR chart)', '');
  if (trend.centerMs === null) lines.push('Fewer than 2 before weeks: no limits.');
  else lines.push(`Center ${formatDurationMs(trend.centerMs, format)}, natural process limits ${formatDurationMs(trend.lowerMs, format)} … ${formatDurationMs(trend.upperMs, format)} (from the before weeks).`);
  const signals = trend.weeks.filter((week) => week.signal !== null);
  for (const week of signals) lines.push(`- ${week.period} week of ${md(week.weekStart)}: ${formatDurationMs(week.medianLeadMs, format)} (${formatCount(week.cases)} cases), ${week.signal} the limits`);
  if (trend.centerMs !== null && signals.length === 0) lines.push('', 'Every week within the limits.');
  if (compare.notes.length > 0) lines.push('', '## Notes', '', ...compare.notes.map((note) => `- ${md(note)}`));
  lines.push('');
  return lines.join('\n');
}
