import type { ReportJson } from '../../contracts/report-schema.js';
import { CHART_CONFIG, CHART_WIDTH_PX, VEGA_LITE_SCHEMA, type ChartResult } from './chart-spec.js';

/**
 * Work in progress per step per week, stacked in map order: the band thickness is each step's WIP, the
 * same reading as a cumulative flow diagram's band between two stages.
 */
export function cumulativeFlowChart(report: ReportJson): ChartResult {
  const name = 'cumulative-flow';
  const title = 'Work in progress by step (cumulative flow)';
  if (report.flow.stepWeeks.length === 0) return { name, title, absentBecause: 'No per-step weekly counts in the report.' };
  const orderByStep = new Map(report.steps.map((step) => [step.name, step.order]));
  const values = chartRows(report.flow.stepWeeks, orderByStep);
  const stepNames = [...new Set(values.map((row) => row.step))];
  const sortedSteps = stepNames.sort((a, b) => (orderByStep.get(a) ?? 0) - (orderByStep.get(b) ?? 0));
  return {
    name,
    title,
    description: `Cases in each of ${sortedSteps.length} steps at the end of every week, stacked in map order.`,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: { text: title, subtitle: 'cases in each step at the end of the week, stacked in map order' },
      width: CHART_WIDTH_PX,
      height: 240,
      data: { values },
      mark: { type: 'area', interpolate: 'step-after', tooltip: true },
      encoding: {
        x: { field: 'weekStart', type: 'temporal', title: `${report.flow.bucket?.unit ?? 'week'} starting`, axis: { format: '%Y-%m-%d', labelOverlap: true } },
        y: { field: 'wip', type: 'quantitative', title: 'cases in step (WIP)', stack: 'zero' },
        // Sorted by the numeric map order, not by a list of names: Vega-Lite turns a sort list into an expression, and
        // Vega's expression parser fails on step names such as "constructor" or ones containing U+2028 (issue 11).
        color: { field: 'step', type: 'nominal', title: 'step', sort: { field: 'order', op: 'min', order: 'ascending' }, scale: { scheme: sortedSteps.length > 10 ? 'tableau20' : 'tableau10' } },
        order: { field: 'order', type: 'quantitative', sort: 'descending' },
        tooltip: [
          { field: 'step', type: 'nominal' },
          { field: 'weekStart', type: 'temporal', title: 'week', format: '%Y-%m-%d' },
          { field: 'wip', type: 'quantitative', title: 'cases' },
        ],
      },
      config: CHART_CONFIG,
    },
  };
}

/** Steps drawn as their own band; the rest are one "other (k steps)" band, so the legend stays readable. */
export const CUMULATIVE_FLOW_TOP_STEPS = 15;

type StepWeekRow = ReportJson['flow']['stepWeeks'][number];

/**
 * The chart's rows: the CUMULATIVE_FLOW_TOP_STEPS steps with the largest peak WIP keep their band (in map order);
 * every other step — and the report's own "other" row — is summed per week into one band drawn last.
 */
function chartRows(rows: readonly StepWeekRow[], orderByStep: ReadonlyMap<string, number>): Array<{ step: string; order: number; weekStart: string; wip: number }> {
  const peakByStep = new Map<string, number>();
  for (const row of rows) if (row.otherSteps === undefined) peakByStep.set(row.step, Math.max(peakByStep.get(row.step) ?? 0, row.wip));
  const ranked = [...peakByStep.keys()].sort((a, b) => (peakByStep.get(b) ?? 0) - (peakByStep.get(a) ?? 0) || (orderByStep.get(a) ?? 0) - (orderByStep.get(b) ?? 0));
  const kept = new Set(ranked.slice(0, CUMULATIVE_FLOW_TOP_STEPS));
  const reportOther = rows.find((row) => row.otherSteps !== undefined)?.otherSteps ?? 0;
  const otherCount = ranked.length - kept.size + reportOther;
  if (otherCount === 0) return rows.map((row) => ({ step: row.step, order: orderByStep.get(row.step) ?? Number.MAX_SAFE_INTEGER, weekStart: row.weekStart, wip: row.wip }));
  const otherLabel = `other (${otherCount.toLocaleString('en-US')} steps)`;
  const out: Array<{ step: string; order: number; weekStart: string; wip: number }> = [];
  const otherByWeek = new Map<string, number>();
  for (const row of rows) {
    if (row.otherSteps === undefined && kept.has(row.step)) out.push({ step: row.step, order: orderByStep.get(row.step) ?? Number.MAX_SAFE_INTEGER, weekStart: row.weekStart, wip: row.wip });
    else otherByWeek.set(row.weekStart, (otherByWeek.get(row.weekStart) ?? 0) + row.wip);
  }
  for (const [weekStart, wip] of otherByWeek) out.push({ step: otherLabel, order: Number.MAX_SAFE_INTEGER, weekStart, wip });
  return out;
}
