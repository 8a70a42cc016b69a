import { formatCount } from '../../model/units.js';
import { durationFormatFor } from '../duration.js';
import type { ReportJson } from '../../contracts/report-schema.js';
import { CHART_CONFIG, CHART_WIDTH_PX, durationUnitFor, toUnit, VEGA_LITE_SCHEMA, type ChartResult } from './chart-spec.js';
import { leadTimeHistogramChart } from './lead-time-histogram.js';

/**
 * Lead-time distribution: the histogram (closed vs open cases) when report.json carries one; otherwise, as the
 * report summarises it, median, p85 and p95 as bars with the median's 95 % interval as a rule.
 */
export function leadTimeChart(report: ReportJson): ChartResult {
  const histogram = report.leadTimeMs.histogram;
  if (histogram !== undefined && histogram.some((bin) => bin.closed + bin.censored > 0)) return leadTimeHistogramChart(report, histogram);
  const fmt = durationFormatFor(report.calendar);
  const name = 'lead-time';
  const title = 'Lead-time distribution';
  const lead = report.leadTimeMs;
  const percentiles: Array<[string, number | null]> = [['median (p50)', lead.median], ['p85', lead.p85], ['p95', lead.p95]];
  const shown = percentiles.filter((entry): entry is [string, number] => entry[1] !== null);
  if (shown.length === 0) return { name, title, absentBecause: `No lead time could be measured (${formatCount(lead.n)} cases).` };
  const unit = durationUnitFor(Math.max(...shown.map(([, ms]) => ms), lead.ciHigh ?? 0), report.calendar);
  const missing = percentiles.filter(([, ms]) => ms === null).map(([label]) => label);
  const censoring =
    lead.censored > 0
      ? `${formatCount(lead.censored)} of ${formatCount(lead.n)} cases still open (right-censored, Kaplan–Meier)${missing.length > 0 ? `; ${missing.join(', ')} not reached` : ''}`
      : `${formatCount(lead.n)} closed cases, none censored`;
  const bars = shown.map(([statistic, ms], index) => ({ statistic, rank: index, value: toUnit(ms, unit), text: fmt(ms) }));
  const interval =
    lead.ciLow !== null && lead.ciHigh !== null ? [{ statistic: 'median (p50)', low: toUnit(lead.ciLow, unit), high: toUnit(lead.ciHigh, unit) }] : [];
  const yEncoding = { field: 'statistic', type: 'nominal', title: null, sort: ['median (p50)', 'p85', 'p95'] } as const;
  return {
    name,
    title,
    description: `Lead time from trigger to outcome: ${shown.map(([statistic, ms]) => `${statistic} ${fmt(ms)}`).join(', ')}; ${censoring}.`,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: { text: title, subtitle: [`percentiles over cases, ${unit.unit}; black rule: 95 % interval of the median`, censoring] },
      width: CHART_WIDTH_PX,
      height: { step: 34 },
      layer: [
        {
          data: { values: bars },
          mark: { type: 'bar', color: '#334e68', tooltip: true },
          encoding: { y: yEncoding, x: { field: 'value', type: 'quantitative', title: `lead time (${unit.unit})` } },
        },
        {
          data: { values: bars },
          mark: { type: 'text', align: 'left', dx: 4, color: '#1f2933' },
          encoding: { y: yEncoding, x: { field: 'value', type: 'quantitative' }, text: { field: 'text', type: 'nominal' } },
        },
        ...(interval.length > 0
          ? [
              {
                data: { values: interval },
                mark: { type: 'rule' as const, color: '#000000', strokeWidth: 2, yOffset: 0 },
                encoding: { y: yEncoding, x: { field: 'low', type: 'quantitative' as const }, x2: { field: 'high' } },
              },
            ]
          : []),
      ],
      config: CHART_CONFIG,
    },
  };
}
