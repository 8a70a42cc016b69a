import { formatCount, formatPercent } from '../model/units.js';
import type { FormatDuration } from './duration.js';
import type { FindingJson, ReportJson } from '../contracts/report-schema.js';
import { isEngineLimitOnly } from '../vsm/sufficiency.js';

/** The four answers in report order with their number (DESIGN §5), shared by HTML and Markdown. */
export interface Answer {
  answerNumber: 1 | 2 | 3 | 4;
  heading: string;
  finding: FindingJson | null;
  /** The sufficiency metric behind the answer: when the log cannot support it, "none found" becomes "cannot say". */
  metric: 'stepTimes' | 'rework' | 'handoffs';
}

export function fourAnswers(report: ReportJson): Answer[] {
  const f = report.findings;
  return [
    { answerNumber: 1, heading: 'Biggest delay', finding: f.biggestDelay, metric: 'stepTimes' },
    { answerNumber: 2, heading: 'Most common rework loop', finding: f.mostCommonReworkLoop, metric: 'rework' },
    { answerNumber: 3, heading: 'Handoff to simplify', finding: f.handoffToSimplify, metric: 'handoffs' },
    { answerNumber: 4, heading: 'Future-state change', finding: f.futureStateChange, metric: 'stepTimes' },
  ];
}

/**
 * The evidence line under a statement: share of lead time, n and the interval. The findings' intervals are
 * 95 % bootstrap intervals of a median duration (ms) for every kind that has one.
 */
export function answerFacts(finding: FindingJson, fmt: FormatDuration): string[] {
  const facts: string[] = [];
  if (finding.shareOfLeadTime !== null) facts.push(`${formatPercent(finding.shareOfLeadTime)} of lead time`);
  facts.push(`n ${formatCount(finding.n)}`);
  if (finding.ciLow !== null && finding.ciHigh !== null) facts.push(`median 95 % CI ${fmt(finding.ciLow)}–${fmt(finding.ciHigh)}`);
  if (finding.thin) facts.push('thin evidence (n < 30)');
  return facts;
}

/** What to say when the engine found nothing for an answer. */
export const NONE_FOUND = 'None found in this log.';

/** Said instead of NONE_FOUND when the log cannot support step metrics at all (DESIGN §7b: unknown, not absent). */
export const NOT_SUPPORTED = 'Unknown: this log cannot support it (see "What this export can and cannot tell").';

/** Said instead of NOT_SUPPORTED when the data might support it but the engine (--engine clickhouse) did not compute it. */
export const NOT_COMPUTED = 'Unknown: not computed by --engine clickhouse (see "What this export can and cannot tell").';

/**
 * The text for an answer with no finding: unknown when step times or the answer's own metric are unsupported —
 * by the log (NOT_SUPPORTED) or only by the engine (NOT_COMPUTED) — else none found.
 */
export function noFindingText(report: Pick<ReportJson, 'dataQuality'>, metric: 'stepTimes' | 'rework' | 'handoffs' = 'stepTimes'): string {
  const sufficiency = report.dataQuality.sufficiency;
  const blocking = [sufficiency?.stepTimes, sufficiency?.[metric]].filter((verdict) => verdict?.verdict === 'unsupported');
  if (blocking.length === 0) return NONE_FOUND;
  return blocking.every((verdict) => isEngineLimitOnly(verdict)) ? NOT_COMPUTED : NOT_SUPPORTED;
}

/** Short forms for the terminal and the map: "unknown: <why>" or "none found". */
export function noFindingShort(report: Pick<ReportJson, 'dataQuality'>, metric: 'stepTimes' | 'rework' | 'handoffs'): string {
  const text = noFindingText(report, metric);
  if (text === NOT_COMPUTED) return 'unknown: not computed by this engine';
  return text === NOT_SUPPORTED ? 'unknown: this log cannot support it' : 'none found';
}
