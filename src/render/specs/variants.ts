import { formatCount, formatPercent } from '../../model/units.js';
import type { ReportJson } from '../../contracts/report-schema.js';
import { CHART_CONFIG, CHART_WIDTH_PX, shortLabel, VEGA_LITE_SCHEMA, type ChartResult, unknownBecause } from './chart-spec.js';

export const VARIANT_LIMIT = 10;

/** The most frequent paths through the process (variants), by number of cases. */
export function variantsChart(report: ReportJson): ChartResult {
  const name = 'variants';
  const title = 'Top variants';
  const top = report.variants.top.slice(0, VARIANT_LIMIT);
  const unknown = unknownBecause(report, 'variants');
  if (unknown !== null) return { name, title, absentBecause: unknown };
  if (top.length === 0) return { name, title, absentBecause: 'No variants in the report.' };
  const values = top.map((variant, rank) => ({
    variant: `${rank + 1}. ${shortLabel(variant.activities.join(' → '), 160)}`,
    path: shortLabel(variant.activities.join(' → '), 400),
    rank,
    cases: variant.count,
    label: `${formatCount(variant.count)} (${formatPercent(variant.share)})`,
  }));
  return {
    name,
    title,
    description: `The ${top.length} most frequent of ${formatCount(report.variants.total)} variants; the first covers ${formatPercent(top[0].share)} of cases.`,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: { text: title, subtitle: `cases following exactly this sequence of steps; ${formatCount(report.variants.total)} variants in all` },
      width: CHART_WIDTH_PX,
      height: { step: 24 },
      data: { values },
      encoding: {
        y: { field: 'variant', type: 'nominal', title: null, sort: { field: 'rank', op: 'min', order: 'ascending' }, axis: { labelLimit: 320 } },
        x: { field: 'cases', type: 'quantitative', title: 'cases' },
      },
      layer: [
        { mark: { type: 'bar', color: '#0b6e99', tooltip: { content: 'data' } } },
        { mark: { type: 'text', align: 'left', dx: 4, fontSize: 10, color: '#1f2933' }, encoding: { text: { field: 'label', type: 'nominal' } } },
      ],
      config: CHART_CONFIG,
    },
  };
}
