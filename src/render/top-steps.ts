import type { ReportJson } from '../contracts/report-schema.js';
import { stepsInMapOrder } from './map-layout.js';

type StepJson = ReportJson['steps'][number];

/**
 * How many steps each human output draws (issue 11 item 4: ≥ 1,000 distinct activities overflowed the chart
 * library's stack and made a 36 MB map). Past these, the busiest steps (most visits) are drawn in map order and
 * the rest are named as "other (k steps)"; report.json and steps.csv always hold every step.
 */
export const DISPLAY_LIMITS = {
  /** Boxes on map.svg. */
  mapSteps: 60,
  /** Bars in the time-per-step chart. */
  chartSteps: 40,
  /** Rows of the step table in report.html and report.md. */
  tableSteps: 500,
} as const;

export interface ShownSteps {
  /** In map order. */
  shown: StepJson[];
  /** Steps left out (0 when all are shown). */
  hiddenCount: number;
}

/**
 * The `limit` steps with most visits (ties: map order), returned in map order; the steps named in `keep` (the
 * answers' steps) are always among them.
 */
export function busiestSteps(report: ReportJson, limit: number, keep: ReadonlySet<string> = new Set()): ShownSteps {
  const ordered = stepsInMapOrder(report);
  if (ordered.length <= limit) return { shown: ordered, hiddenCount: 0 };
  const rank = ordered.map((step, index) => ({ step, index })).sort((a, b) => Number(keep.has(b.step.name)) - Number(keep.has(a.step.name)) || b.step.visits - a.step.visits || a.index - b.index);
  const kept = new Set(rank.slice(0, limit).map((entry) => entry.index));
  return { shown: ordered.filter((_, index) => kept.has(index)), hiddenCount: ordered.length - kept.size };
}

/** "other (1,234 steps)": how the left-out steps are named wherever they are summarised. */
export function otherStepsLabel(hiddenCount: number): string {
  return `other (${hiddenCount.toLocaleString('en-US')} step${hiddenCount === 1 ? '' : 's'})`;
}

/** The steps named by the four answers: always drawn. */
export function answerSteps(report: ReportJson): Set<string> {
  const names = [report.findings.biggestDelay?.subject.step, report.findings.futureStateChange?.subject.step, ...(report.findings.mostCommonReworkLoop?.subject.path ?? [])];
  return new Set(names.filter((name): name is string => typeof name === 'string'));
}
