import type { ReportJson } from '../../vsm/report-schema.js';
import { agingChart } from './aging.js';
import type { ChartResult } from './chart-spec.js';
import { cumulativeFlowChart } from './cumulative-flow.js';
import { handoffMatrixChart } from './handoff-matrix.js';
import { leadTimeChart } from './lead-time.js';
import { processMapChart } from './process-map.js';
import { reworkLoopsChart } from './rework-loops.js';
import { stepTimeChart } from './step-time.js';
import { variantsChart } from './variants.js';
import { weeklyFlowChart } from './weekly-flow.js';

export { isChart, type ChartResult, type ChartSpec } from './chart-spec.js';

/** Every "why" chart in report order (DESIGN §6): time per step, lead time, handoffs, rework, flow, aging, paths. */
export function buildCharts(report: ReportJson): ChartResult[] {
  return [
    stepTimeChart(report),
    leadTimeChart(report),
    handoffMatrixChart(report),
    reworkLoopsChart(report),
    weeklyFlowChart(report),
    cumulativeFlowChart(report),
    agingChart(report),
    variantsChart(report),
    processMapChart(report),
  ];
}
