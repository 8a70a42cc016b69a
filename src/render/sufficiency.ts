import type { ReportJson } from '../contracts/report-schema.js';
import { isEngineLimited, sufficiencyProblems, type SufficiencyMetric } from '../vsm/sufficiency.js';
import { escapeHtml as h, escapeMarkdown as md } from './escape.js';

/**
 * "What this log cannot say", shown at the top of every report when a metric is not `ok` (DESIGN §7b): one line per
 * (verdict, reason, fix), naming the metrics it covers. Empty when every metric is supported.
 */
export function sufficiencyLines(report: Pick<ReportJson, 'dataQuality'>, options: { dataOnly?: boolean } = {}): { text: string; fix: string }[] {
  // dataOnly (--strict): a figure only the engine left unknown is no fault of the data (docs/exit-codes.md).
  const problems = sufficiencyProblems(report.dataQuality.sufficiency).filter((problem) => options.dataOnly !== true || !problem.engineOnly);
  return problems.map((problem) => ({
    text: `${problem.metrics.join(', ')}: ${problem.verdict === 'unsupported' ? (problem.engineOnly ? 'unknown' : 'not supported by this log') : 'partial'} — ${problem.reason}`,
    fix: problem.fix,
  }));
}

export const SUFFICIENCY_HEADING = 'What this export can and cannot tell';

export function sufficiencyHtml(report: ReportJson): string {
  const lines = sufficiencyLines(report);
  if (lines.length === 0) return '';
  const items = lines.map((line) => `<li>${h(line.text)}<br><span class="hint">fix: ${h(line.fix)}</span></li>`).join('');
  return `<section id="sufficiency" role="note" aria-labelledby="sufficiency-title"><h2 id="sufficiency-title">${h(SUFFICIENCY_HEADING)}</h2><ul>${items}</ul></section>`;
}

export function sufficiencyMarkdown(report: ReportJson): string[] {
  const lines = sufficiencyLines(report);
  if (lines.length === 0) return [];
  return [`> **${SUFFICIENCY_HEADING}**`, '>', ...lines.flatMap((line) => [`> - ${md(line.text)}`, `>   fix: ${md(line.fix)}`]), ''];
}

/**
 * True when the log cannot support `metric` at all (not only this engine): its figures, even where computed (every
 * finished case 0 s in working time, say), are not to be read, and the headlines say "unknown" instead.
 */
export function notSupportedByLog(report: Pick<ReportJson, 'dataQuality'>, metric: SufficiencyMetric): boolean {
  const verdict = report.dataQuality.sufficiency?.[metric];
  return verdict?.verdict === 'unsupported' && !isEngineLimited(verdict);
}

/**
 * The report header's flow efficiency when active time is unknown (HTML and Markdown): pointing at the verdict when
 * the log cannot support it (its reason is listed there: no starts, a calendar that never works, …).
 */
export function unknownEfficiencyText(report: Pick<ReportJson, 'dataQuality'>): string {
  return report.dataQuality.sufficiency?.flowEfficiency?.verdict === 'unsupported' ? `unknown (see "${SUFFICIENCY_HEADING}")` : 'unknown (active time not measured)';
}

/** True when the engine left part of `metric` uncomputed (--engine clickhouse): a null there is unknown, not "not reached". */
export function engineLeftUnknown(report: Pick<ReportJson, 'dataQuality'>, metric: SufficiencyMetric): boolean {
  return isEngineLimited(report.dataQuality.sufficiency?.[metric]);
}

/** A lead-time percentile as text: "not reached" (Kaplan–Meier) only when the data, not the engine, left it null. */
export function leadPercentileText(report: Pick<ReportJson, 'dataQuality' | 'leadTimeMs'>, value: number | null, fmt: (ms: number | null) => string): string {
  if (value !== null || report.leadTimeMs.censored === 0) return fmt(value);
  return engineLeftUnknown(report, 'leadTime') ? 'unknown' : 'not reached';
}
