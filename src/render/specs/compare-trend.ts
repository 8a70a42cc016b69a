import { formatDurationMs } from '../../model/units.js';
import type { CompareJson } from '../../contracts/compare-schema.js';
import { CHART_CONFIG, CHART_WIDTH_PX, durationUnitFor, shortLabel, toUnit, VEGA_LITE_SCHEMA, type ChartResult } from './chart-spec.js';

const PERIOD_COLORS = ['#8d99ae', '#0b6e99'];

/**
 * The compare page's XmR chart: weekly median lead time as points joined by a line, coloured by period, with
 * the before weeks' center line and natural process limits (dashed); weeks outside the limits are ringed red.
 */
export function compareTrendChart(compare: CompareJson, options: { workdayMs?: number | null } = {}): ChartResult {
  const name = 'compare-trend';
  const title = 'Weekly median lead time (XmR chart)';
  const { trend } = compare;
  if (trend.weeks.length === 0) return { name, title, absentBecause: 'No week in either period has a closed case, so there is no trend to draw.' };
  const calendar = { workdayMs: options.workdayMs ?? null };
  const fmt = (ms: number | null) => formatDurationMs(ms, calendar);
  const maxMs = Math.max(...trend.weeks.map((week) => week.medianLeadMs), trend.upperMs ?? 0);
  const unit = durationUnitFor(maxMs, calendar);
  const [before, after] = compare.periods;
  const periodName = { before: shortLabel(`before: ${before.label}`), after: shortLabel(`after: ${after.label}`) };
  const weeks = trend.weeks.map((week) => ({
    weekStart: week.weekStart,
    period: periodName[week.period],
    periodKey: week.period,
    value: toUnit(week.medianLeadMs, unit),
    text: fmt(week.medianLeadMs),
    cases: week.cases,
    signal: week.signal === null ? 'within limits' : `${week.signal} the limits`,
  }));
  const limits =
    trend.centerMs === null
      ? []
      : [
          { line: 'center (before mean)', value: toUnit(trend.centerMs, unit), text: `center ${fmt(trend.centerMs)}` },
          ...(trend.upperMs === null ? [] : [{ line: 'upper limit', value: toUnit(trend.upperMs, unit), text: `upper limit ${fmt(trend.upperMs)}` }]),
          ...(trend.lowerMs === null ? [] : [{ line: 'lower limit', value: toUnit(trend.lowerMs, unit), text: `lower limit ${fmt(trend.lowerMs)}` }]),
        ];
  const signals = weeks.filter((week) => week.signal !== 'within limits');
  const x = { field: 'weekStart', type: 'temporal' as const, title: 'week starting', axis: { format: '%Y-%m-%d', labelAngle: 0, labelOverlap: true } };
  const y = { field: 'value', type: 'quantitative' as const, title: `median lead time (${unit.unit})` };
  const limitText =
    trend.centerMs === null ? 'fewer than 2 before weeks: no limits' : `center ${fmt(trend.centerMs)}, limits ${fmt(trend.lowerMs)} … ${fmt(trend.upperMs)} (from the before weeks)`;
  return {
    name,
    title,
    description: `Median lead time of the cases closed each week, ${trend.weeks.length} weeks; ${limitText}; ${signals.length} week(s) outside the limits.`,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: { text: title, subtitle: [`${periodName.before} · ${periodName.after}`, `${unit.unit}; dashed: center line and natural process limits (center ± 2.66 × mean moving range)`, 'red ring: a week outside the limits (a signal, not noise)'] },
      width: CHART_WIDTH_PX,
      height: 240,
      layer: [
        ...(limits.length > 0
          ? [
              { data: { values: limits }, mark: { type: 'rule' as const, strokeDash: [6, 4], color: '#52606d' }, encoding: { y: { field: 'value', type: 'quantitative' as const } } },
              {
                data: { values: limits },
                mark: { type: 'text' as const, align: 'right' as const, baseline: 'bottom' as const, dy: -2, color: '#52606d', fontSize: 10 },
                encoding: { y: { field: 'value', type: 'quantitative' as const }, x: { value: CHART_WIDTH_PX }, text: { field: 'text', type: 'nominal' as const } },
              },
            ]
          : []),
        {
          data: { values: weeks },
          mark: { type: 'line' as const, point: { size: 50 }, tooltip: true },
          encoding: {
            x,
            y,
            // Coloured by the fixed keys before/after, never by the period names: a scale domain of data strings
            // becomes a Vega expression, which fails on names such as "constructor" (issue 11 item 5).
            color: { field: 'periodKey', type: 'nominal' as const, title: null, scale: { domain: ['before', 'after'], range: PERIOD_COLORS }, legend: { orient: 'top' as const } },
            tooltip: [
              { field: 'weekStart', type: 'temporal' as const, title: 'week', format: '%Y-%m-%d' },
              { field: 'period', type: 'nominal' as const },
              { field: 'text', type: 'nominal' as const, title: 'median lead time' },
              { field: 'cases', type: 'quantitative' as const, title: 'cases closed' },
              { field: 'signal', type: 'nominal' as const },
            ],
          },
        },
        ...(signals.length > 0
          ? [{ data: { values: signals }, mark: { type: 'point' as const, shape: 'circle', size: 180, strokeWidth: 2, color: '#b42318', filled: false }, encoding: { x, y } }]
          : []),
      ],
      config: CHART_CONFIG,
    },
  };
}
