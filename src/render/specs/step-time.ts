import type { ReportJson } from '../../contracts/report-schema.js';
import { answerSteps, busiestSteps, DISPLAY_LIMITS, otherStepsLabel } from '../top-steps.js';
import { CLASS_COLORS, durationUnitFor, stackedStepBarsSpec, toUnit, type ChartResult, unknownBecause } from './chart-spec.js';
import { approximateSubtitle } from '../approximate.js';

/** Per-step time by class: stacked medians per visit (active, queue, waiting, blocked; elapsed when active is unknown). */
export function stepTimeChart(report: ReportJson): ChartResult {
  const name = 'step-time';
  const title = 'Time per step by class';
  const rows: Array<{ step: string; order: number; timeClass: string; medianMs: number }> = [];
  const { shown, hiddenCount } = busiestSteps(report, DISPLAY_LIMITS.chartSteps, answerSteps(report));
  for (const step of shown) {
    const parts: Array<[string, number | null]> = step.activeUnknown
      ? [['elapsed (active unknown)', step.elapsedMs.median]]
      : [['active', step.activeMs.median], ['queue', step.queueMs.median], ['waiting', step.waitingMs.median], ['blocked', step.blockedMs.median]];
    const measured = parts.filter((part): part is [string, number] => part[1] !== null && part[1] > 0);
    for (const [timeClass, medianMs] of measured) rows.push({ step: step.name, order: step.order, timeClass, medianMs });
    // A zero-length bar keeps a step without measured time on the axis, so no step silently disappears.
    if (measured.length === 0) rows.push({ step: step.name, order: step.order, timeClass: parts[0][0], medianMs: 0 });
  }
  const unknown = unknownBecause(report, 'stepTimes');
  if (unknown !== null) return { name, title, absentBecause: unknown };
  if (rows.every((row) => row.medianMs === 0)) return { name, title, absentBecause: 'No step has a measured time.' };
  // Stacked medians can exceed any single visit, so the unit is chosen from the largest stack (a layout choice).
  const stackMs = new Map<string, number>();
  for (const row of rows) stackMs.set(row.step, (stackMs.get(row.step) ?? 0) + row.medianMs);
  const unit = durationUnitFor(Math.max(...stackMs.values()), report.calendar);
  const classes = Object.keys(CLASS_COLORS).filter((timeClass) => rows.some((row) => row.timeClass === timeClass));
  const values = rows.map((row) => ({ step: row.step, order: row.order, timeClass: row.timeClass, value: toUnit(row.medianMs, unit) }));
  return {
    name,
    title,
    description: `Median time per visit in each of ${shown.length} steps${hiddenCount > 0 ? ` (the busiest; ${otherStepsLabel(hiddenCount)} in steps.csv)` : ''}, split into ${classes.join(', ')} (${unit.unit}).`,
    spec: stackedStepBarsSpec(
      {
        text: title,
        subtitle: `steps in map order; median per visit, ${unit.unit}; classes stacked${hiddenCount > 0 ? `; ${shown.length} busiest steps, ${otherStepsLabel(hiddenCount)} in steps.csv` : ''}${report.flowEfficiency.startEstimated ? '; ≈ active and queue rest on estimated start times' : ''}${approximateSubtitle(report.steps.flatMap((step) => [step.activeMs, step.queueMs, step.waitingMs, step.blockedMs, step.elapsedMs]))}`,
      },
      {
        values,
        xTitle: `median per visit (${unit.unit})`,
        colorField: 'timeClass',
        colorTitle: 'time class',
        domain: classes,
        colors: CLASS_COLORS,
        orderField: 'timeClass',
        tooltip: [
          { field: 'step', type: 'nominal' },
          { field: 'timeClass', type: 'nominal', title: 'class' },
          { field: 'value', type: 'quantitative', title: `median (${unit.unit})`, format: '.2f' },
        ],
      },
    ),
  };
}
