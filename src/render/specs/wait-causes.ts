import type { ReportJson } from '../../contracts/report-schema.js';
import { causesIn, WAIT_CAUSE_COLORS } from '../wait-cause-style.js';
import { CHART_CONFIG, CHART_WIDTH_PX, durationUnitFor, shortLabel, toUnit, VEGA_LITE_SCHEMA, type ChartResult } from './chart-spec.js';

/**
 * Waiting time per step, stacked by cause (docs/wait-causes.md): Σ over the step's instances of the
 * enabled → start wait, split into batching, contention, prioritization, unavailability and extraneous.
 * Elapsed time (the causes include the off-hours), so the unit ignores the business calendar.
 */
export function waitCausesChart(report: ReportJson): ChartResult {
  const name = 'wait-causes';
  const title = 'Waiting time per step, by cause';
  const steps = report.steps.filter((step) => step.waitCausesMs !== undefined && step.waitCausesMs.totalMs > 0);
  if (steps.length === 0) return { name, title, absentBecause: 'No step has a measured wait between being enabled and starting.' };
  const causes = causesIn(steps);
  const unit = durationUnitFor(Math.max(...steps.map((step) => step.waitCausesMs?.totalMs ?? 0)), { workdayMs: null });
  const values = steps.flatMap((step) =>
    causes.map((cause) => ({
      step: shortLabel(step.name),
      order: step.order,
      cause,
      causeOrder: causes.indexOf(cause),
      value: toUnit(step.waitCausesMs?.byCauseMs[cause] ?? 0, unit),
      share: step.waitCausesMs?.shares[cause] ?? 0,
    })),
  );
  const estimated = report.waitCauses?.startEstimated ? '; ≈ start times estimated from enabled time and resource availability' : '';
  return {
    name,
    title,
    description: `Total waiting time before each of ${steps.length} steps (${unit.unit}, elapsed), split into ${causes.join(', ')}${estimated}.`,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: { text: title, subtitle: `Σ over all visits of the wait from enabled to start, ${unit.unit} of elapsed time${estimated}` },
      width: CHART_WIDTH_PX,
      height: { step: 22 },
      data: { values },
      mark: { type: 'bar', tooltip: true },
      encoding: {
        y: { field: 'step', type: 'nominal', title: null, sort: { field: 'order', op: 'min', order: 'ascending' } },
        x: { field: 'value', type: 'quantitative', title: `total wait (${unit.unit})`, stack: 'zero' },
        color: {
          field: 'cause',
          type: 'nominal',
          title: 'why it waited',
          scale: { domain: causes, range: causes.map((cause) => WAIT_CAUSE_COLORS[cause]) },
        },
        order: { field: 'causeOrder', sort: 'ascending' },
        tooltip: [
          { field: 'step', type: 'nominal' },
          { field: 'cause', type: 'nominal' },
          { field: 'value', type: 'quantitative', title: `total (${unit.unit})`, format: '.1f' },
          { field: 'share', type: 'quantitative', title: 'share of the wait', format: '.0%' },
        ],
      },
      config: CHART_CONFIG,
    },
  };
}
