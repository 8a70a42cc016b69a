import type { ReportJson } from '../../contracts/report-schema.js';
import { CHART_CONFIG, CHART_WIDTH_PX, VEGA_LITE_SCHEMA, type ChartResult } from './chart-spec.js';

/** Weekly arrivals and throughput (lines) over open work in progress at each week's end (area). */
export function weeklyFlowChart(report: ReportJson): ChartResult {
  const name = 'weekly-flow';
  const title = 'Weekly throughput and work in progress';
  const weeks = report.flow.weeks;
  if (weeks.length === 0) return { name, title, absentBecause: 'The log covers no full week.' };
  const counts = weeks.flatMap((week) => [
    { weekStart: week.weekStart, series: 'arrivals', cases: week.arrivals },
    { weekStart: week.weekStart, series: 'throughput (finished)', cases: week.throughput },
  ]);
  const wip = weeks.map((week) => ({ weekStart: week.weekStart, wip: week.wip }));
  const x = { field: 'weekStart', type: 'temporal', title: `${report.flow.bucket?.unit ?? 'week'} starting`, axis: { format: '%Y-%m-%d', labelAngle: 0, labelOverlap: true } } as const;
  return {
    name,
    title,
    description: `Cases arriving and finishing per week, and cases open at the end of each week, over ${weeks.length} weeks from ${weeks[0].weekStart}.`,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: { text: title, subtitle: 'cases per week; work in progress = cases open at the end of the week' },
      vconcat: [
        {
          width: CHART_WIDTH_PX,
          height: 160,
          data: { values: counts },
          mark: { type: 'line', point: weeks.length <= 30, tooltip: true, interpolate: 'step-after' },
          encoding: {
            x,
            y: { field: 'cases', type: 'quantitative', title: 'cases per week' },
            color: { field: 'series', type: 'nominal', title: null, scale: { range: ['#0b6e99', '#17804a'] }, legend: { orient: 'top' } },
          },
        },
        {
          width: CHART_WIDTH_PX,
          height: 120,
          data: { values: wip },
          mark: { type: 'area', color: '#9fb3c8', line: { color: '#334e68' }, interpolate: 'step-after', tooltip: true },
          encoding: { x, y: { field: 'wip', type: 'quantitative', title: 'open cases (WIP)' } },
        },
      ],
      config: CHART_CONFIG,
    },
  };
}
