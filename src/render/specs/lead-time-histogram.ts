import { formatCount } from '../../model/units.js';
import { durationFormatFor } from '../duration.js';
import type { ReportJson, SurvivalSummaryJson } from '../../contracts/report-schema.js';
import { CHART_CONFIG, CHART_WIDTH_PX, durationUnitFor, toUnit, VEGA_LITE_SCHEMA, type ChartResult } from './chart-spec.js';

type HistogramBin = NonNullable<SurvivalSummaryJson['histogram']>[number];

export const CLOSED_LABEL = 'closed: lead time to the outcome';
export const CENSORED_LABEL = 'open (censored): still running, counted at their age so far';

/**
 * Lead-time histogram as stacked bars, closed cases under open (right-censored) ones, with the Kaplan–Meier
 * p50 / p85 / p95 as labelled rules. The overflow bin (no upper edge) is drawn one bin wide and labelled "≥ X".
 */
export function leadTimeHistogramChart(report: ReportJson, bins: readonly HistogramBin[]): ChartResult {
  const fmt = durationFormatFor(report.calendar);
  const name = 'lead-time';
  const title = 'Lead-time distribution';
  const lead = report.leadTimeMs;
  const closedBins = bins.filter((bin) => bin.toMs !== null);
  const binWidthMs = closedBins.length > 0 ? Math.max(...closedBins.map((bin) => (bin.toMs ?? bin.fromMs) - bin.fromMs)) : 0;
  const axisEndMs = Math.max(...bins.map((bin) => bin.toMs ?? bin.fromMs + binWidthMs));
  const unit = durationUnitFor(axisEndMs, report.calendar);
  const bars = bins.flatMap((bin) => {
    const toMs = bin.toMs ?? bin.fromMs + binWidthMs;
    const range = bin.toMs === null ? `≥ ${fmt(bin.fromMs)}` : `${fmt(bin.fromMs)} – ${fmt(bin.toMs)}`;
    return [
      { status: CLOSED_LABEL, order: 0, from: toUnit(bin.fromMs, unit), to: toUnit(toMs, unit), cases: bin.closed, range },
      { status: CENSORED_LABEL, order: 1, from: toUnit(bin.fromMs, unit), to: toUnit(toMs, unit), cases: bin.censored, range },
    ].filter((bar) => bar.cases > 0);
  });
  const overflow = bins.find((bin) => bin.toMs === null && bin.closed + bin.censored > 0);
  const overflowLabel = overflow ? [{ x: toUnit(overflow.fromMs + binWidthMs / 2, unit), cases: overflow.closed + overflow.censored, text: `≥ ${fmt(overflow.fromMs)}` }] : [];
  const percentiles: Array<[string, number | null]> = [['p50', lead.median], ['p85', lead.p85], ['p95', lead.p95]];
  // A percentile beyond the drawn axis (inside the overflow bin) is pinned to the axis end; its label keeps the true value.
  const rules = percentiles
    .filter((entry): entry is [string, number] => entry[1] !== null)
    .map(([statistic, ms], index) => ({ statistic, x: toUnit(Math.min(ms, axisEndMs), unit), text: `${statistic} ${fmt(ms)}`, labelYPx: 2 + index * 14 }));
  const notReached = percentiles.filter(([, ms]) => ms === null).map(([statistic]) => statistic);
  const closedCount = bins.reduce((sum, bin) => sum + bin.closed, 0);
  const censoredCount = bins.reduce((sum, bin) => sum + bin.censored, 0);
  const censoring =
    censoredCount > 0
      ? `${formatCount(censoredCount)} of ${formatCount(closedCount + censoredCount)} cases still open; percentiles by Kaplan–Meier${notReached.length > 0 ? `, ${notReached.join(', ')} not reached` : ''}`
      : `${formatCount(closedCount)} closed cases, none open`;
  const x = { field: 'from', type: 'quantitative' as const, bin: { binned: true }, title: `lead time (${unit.unit})`, scale: { domain: [0, toUnit(axisEndMs, unit)], nice: false } };
  return {
    name,
    title,
    description: `Lead time from trigger to outcome, cases per duration bin: ${rules.map((rule) => rule.text).join(', ')}; ${censoring}.`,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: { text: title, subtitle: [`cases per bin, ${unit.unit}; dashed rules: p50 / p85 / p95 over all cases`, censoring] },
      width: CHART_WIDTH_PX,
      height: 220,
      layer: [
        {
          data: { values: bars },
          mark: { type: 'bar', tooltip: true, stroke: '#ffffff', strokeWidth: 0.5 },
          encoding: {
            x,
            x2: { field: 'to' },
            y: { field: 'cases', type: 'quantitative', stack: 'zero', title: 'cases' },
            color: { field: 'status', type: 'nominal', title: null, scale: { domain: [CLOSED_LABEL, CENSORED_LABEL], range: ['#334e68', '#f0b429'] }, legend: { orient: 'top', direction: 'vertical', labelLimit: 480 } },
            order: { field: 'order', type: 'quantitative' },
            tooltip: [
              { field: 'range', type: 'nominal', title: 'lead time' },
              { field: 'status', type: 'nominal', title: 'cases' },
              { field: 'cases', type: 'quantitative', title: 'count' },
            ],
          },
        },
        {
          data: { values: rules },
          mark: { type: 'rule', color: '#c2410c', strokeDash: [5, 3], strokeWidth: 1.5 },
          encoding: { x: { field: 'x', type: 'quantitative' } },
        },
        // Labels of rules in the last fifth of the axis go on the rule's left so they stay inside the chart.
        ...(['left', 'right'] as const).map((align) => ({
          data: { values: rules.filter((rule) => (rule.x > toUnit(axisEndMs, unit) * 0.8) === (align === 'right')) },
          mark: { type: 'text' as const, align, dx: align === 'left' ? 3 : -3, baseline: 'top' as const, color: '#c2410c', fontSize: 11, fontWeight: 'bold' as const },
          encoding: { x: { field: 'x', type: 'quantitative' as const }, y: { field: 'labelYPx', type: 'quantitative' as const, scale: null }, text: { field: 'text', type: 'nominal' as const } },
        })),
        ...(overflowLabel.length > 0
          ? [
              {
                data: { values: overflowLabel },
                mark: { type: 'text' as const, align: 'center' as const, baseline: 'bottom' as const, dy: -3, color: '#1f2933', fontSize: 11, fontWeight: 'bold' as const },
                encoding: { x: { field: 'x', type: 'quantitative' as const }, y: { field: 'cases', type: 'quantitative' as const }, text: { field: 'text', type: 'nominal' as const } },
              },
            ]
          : []),
      ],
      config: CHART_CONFIG,
    },
  };
}
