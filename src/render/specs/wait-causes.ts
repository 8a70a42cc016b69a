import type { ReportJson } from '../../contracts/report-schema.js';
import { causesIn, WAIT_CAUSE_COLORS } from '../wait-cause-style.js';
import { durationUnitFor, shortLabel, stackedStepBarsSpec, toUnit, type ChartResult, unknownBecause } from './chart-spec.js';
import { DISPLAY_LIMITS, otherStepsLabel } from '../top-steps.js';

/**
 * Waiting time per step, stacked by cause (docs/wait-causes.md): Σ over the step's instances of the
 * enabled → start wait, split into batching, contention, prioritization, unavailability and extraneous.
 * Elapsed time (the causes include the off-hours), so the unit ignores the business calendar.
 */
export function waitCausesChart(report: ReportJson): ChartResult {
  const name = 'wait-causes';
  const title = 'Waiting time per step, by cause';
  const waiting = report.steps.filter((step) => step.waitCausesMs !== undefined && step.waitCausesMs.totalMs > 0);
  const unknown = unknownBecause(report, 'stepTimes');
  if (unknown !== null) return { name, title, absentBecause: unknown };
  if (waiting.length === 0) return { name, title, absentBecause: 'No step has a measured wait between being enabled and starting.' };
  // A large alphabet keeps the steps that wait longest (Vega cannot draw thousands of bars); the rest are in steps.csv.
  const kept = new Set(
    [...waiting]
      .sort((a, b) => (b.waitCausesMs?.totalMs ?? 0) - (a.waitCausesMs?.totalMs ?? 0) || a.order - b.order)
      .slice(0, DISPLAY_LIMITS.chartSteps),
  );
  const steps = waiting.filter((step) => kept.has(step));
  const hiddenCount = waiting.length - steps.length;
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
    description:
      `Total waiting time before each of ${steps.length} steps (${unit.unit}, elapsed), split into ${causes.join(', ')}${estimated}.` +
      (hiddenCount > 0 ? ` Only the ${steps.length} longest waits are drawn; ${otherStepsLabel(hiddenCount)} are in steps.csv.` : ''),
    spec: stackedStepBarsSpec(
      { text: title, subtitle: `Σ over all visits of the wait from enabled to start, ${unit.unit} of elapsed time${estimated}` },
      {
        values,
        xTitle: `total wait (${unit.unit})`,
        colorField: 'cause',
        colorTitle: 'why it waited',
        domain: causes,
        colors: WAIT_CAUSE_COLORS,
        orderField: 'causeOrder',
        tooltip: [
          { field: 'step', type: 'nominal' },
          { field: 'cause', type: 'nominal' },
          { field: 'value', type: 'quantitative', title: `total (${unit.unit})`, format: '.1f' },
          { field: 'share', type: 'quantitative', title: 'share of the wait', format: '.0%' },
        ],
      },
    ),
  };
}
