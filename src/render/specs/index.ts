import type { ReportJson } from '../../contracts/report-schema.js';
import { neutralizeControls } from '../escape.js';
import { agingChart } from './aging.js';
import { isChart, type ChartResult } from './chart-spec.js';
import { cumulativeFlowChart } from './cumulative-flow.js';
import { handoffMatrixChart } from './handoff-matrix.js';
import { leadTimeChart } from './lead-time.js';
import { processMapChart } from './process-map.js';
import { reworkLoopsChart } from './rework-loops.js';
import { stepTimeChart } from './step-time.js';
import { variantsChart } from './variants.js';
import { waitCausesChart } from './wait-causes.js';
import { weeklyFlowChart } from './weekly-flow.js';

export { isChart, type ChartResult, type ChartSpec } from './chart-spec.js';


/** Every "why" chart in report order (DESIGN §6): time per step, lead time, handoffs, rework, flow, aging, paths. */
export function buildCharts(report: ReportJson): ChartResult[] {
  const charts = [
    stepTimeChart(report),
    ...(report.steps.some((step) => step.waitCausesMs !== undefined) ? [waitCausesChart(report)] : []),
    leadTimeChart(report),
    handoffMatrixChart(report),
    reworkLoopsChart(report),
    weeklyFlowChart(report),
    cumulativeFlowChart(report),
    agingChart(report),
    variantsChart(report),
    processMapChart(report),
  ];
  return charts.map((chart) => (isChart(chart) ? { ...chart, spec: withSafeStrings(chart.spec) } : chart));
}

/*
 * Vega escapes text for SVG but keeps control characters (invalid in XML 1.0) and bidi overrides (which can
 * make a name read as another); every string in a spec is passed through the same neutralizer as HTML text.
 */
export function withSafeStrings<T>(value: T): T {
  if (typeof value === 'string') return neutralizeControls(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => withSafeStrings(item)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withSafeStrings(inner)])) as T;
  }
  return value;
}
