import { formatCount } from '../../model/units.js';
import type { ReportJson } from '../../contracts/report-schema.js';
import { CHART_CONFIG, CHART_WIDTH_PX, durationUnitFor, toUnit, VEGA_LITE_SCHEMA, type ChartResult } from './chart-spec.js';

/**
 * The row of open cases that sit in no step (activity logs: every visit done, the outcome not reached). It used to read
 * "(no current step)", which on the demo held every open case and read like missing data.
 */
const NO_STEP = 'between steps (waiting for the next)';

/** Dots drawn at most: the oldest cases (the ones to act on); the rest are in report.json. */
export const AGING_LIMIT = 2000;

/** Age of each open case at the report's as-of instant, by the step it sits in. */
export function agingChart(report: ReportJson): ChartResult {
  const name = 'aging';
  const title = 'Aging of open cases';
  const aging = report.flow.aging;
  if (aging.length === 0) return { name, title, absentBecause: 'No case was open at the end of the log.' };
  const shown = [...aging].sort((a, b) => b.ageMs - a.ageMs || (a.caseId < b.caseId ? -1 : 1)).slice(0, AGING_LIMIT);
  const shownNote = shown.length < aging.length ? `; the ${formatCount(shown.length)} oldest of ${formatCount(aging.length)}` : '';
  const unit = durationUnitFor(Math.max(...shown.map((entry) => entry.ageMs)), report.calendar);
  const orderByStep = new Map(report.steps.map((step) => [step.name, step.order]));
  const values = shown.map((entry) => ({
    caseId: entry.caseId,
    step: entry.step ?? NO_STEP,
    order: entry.step === null ? Number.MAX_SAFE_INTEGER : (orderByStep.get(entry.step) ?? Number.MAX_SAFE_INTEGER),
    age: toUnit(entry.ageMs, unit),
    inStep: toUnit(entry.inStepMs, unit),
  }));
  return {
    name,
    title,
    description: `Age in ${unit.unit} of ${formatCount(aging.length)} open cases at ${report.log.asOf ?? 'the end of the log'}, by current step${shownNote}.`,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: { text: title, subtitle: `rows: the step each open case is in${values.some((value) => value.step === NO_STEP) ? ' ("between steps": its last step is done, the next not begun)' : ''}; age since the trigger at ${(report.log.asOf ?? '').slice(0, 10) || 'log end'}, ${unit.unit}; one dot per case${shownNote}` },
      width: CHART_WIDTH_PX,
      height: { step: 24 },
      data: { values },
      mark: { type: 'circle', size: 60, opacity: 0.7, color: '#c2410c', tooltip: true },
      encoding: {
        y: { field: 'step', type: 'nominal', title: null, sort: { field: 'order', op: 'min', order: 'ascending' } },
        x: { field: 'age', type: 'quantitative', title: `age (${unit.unit})` },
        tooltip: [
          { field: 'caseId', type: 'nominal', title: 'case' },
          { field: 'step', type: 'nominal' },
          { field: 'age', type: 'quantitative', title: `age (${unit.unit})`, format: '.1f' },
          { field: 'inStep', type: 'quantitative', title: `in step (${unit.unit})`, format: '.1f' },
        ],
      },
      config: CHART_CONFIG,
    },
  };
}
