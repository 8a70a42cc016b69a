import type { TopLevelSpec } from 'vega-lite';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE } from '../../model/units.js';
import type { ReportJson } from '../../contracts/report-schema.js';

/** One "why" chart: a Vega-Lite spec plus the words a reader without the picture gets. */
export interface ChartSpec {
  /** File stem: charts/<name>.svg and the HTML container id. */
  name: string;
  title: string;
  /** One sentence, used as the text alternative (aria-label, figcaption). */
  description: string;
  spec: TopLevelSpec;
}

/** What a builder returns: a chart, or the reason there is none (shown instead of an empty chart). */
export type ChartResult = ChartSpec | { name: string; title: string; absentBecause: string };

type SufficiencyKey = keyof NonNullable<ReportJson['dataQuality']['sufficiency']>;

/**
 * The chart's place says "Unknown: <reason>." when the log cannot support the metrics it draws (any of `metrics`
 * unsupported), so an empty chart never reads as "none" (DESIGN §7b); null when it can.
 */
export function unknownBecause(report: Pick<ReportJson, 'dataQuality'>, ...metrics: SufficiencyKey[]): string | null {
  for (const metric of metrics) {
    const verdict = report.dataQuality.sufficiency?.[metric];
    if (verdict?.verdict === 'unsupported') return `Unknown: ${verdict.reason ?? 'this log cannot support it'}.`;
  }
  return null;
}

export function isChart(result: ChartResult): result is ChartSpec {
  return 'spec' in result;
}

export interface DurationUnit {
  /** Plural unit word for axis titles. */
  unit: 'days' | 'working days' | 'hours' | 'minutes';
  msPerUnit: number;
}

/**
 * The unit an axis reads best in, from the largest value it shows: days from 2 d, hours from 2 h, else
 * minutes. On a business calendar (`workdayMs`) durations are working time, so days are working days.
 */
export function durationUnitFor(maxMs: number, calendar: { workdayMs: number | null }): DurationUnit {
  const workdayMs = calendar.workdayMs && calendar.workdayMs > 0 ? calendar.workdayMs : null;
  if (workdayMs !== null && maxMs >= 2 * workdayMs) return { unit: 'working days', msPerUnit: workdayMs };
  if (workdayMs === null && maxMs >= 2 * MS_PER_DAY) return { unit: 'days', msPerUnit: MS_PER_DAY };
  if (maxMs >= 2 * MS_PER_HOUR) return { unit: 'hours', msPerUnit: MS_PER_HOUR };
  return { unit: 'minutes', msPerUnit: MS_PER_MINUTE };
}

/** Converts ms to the unit, rounded to 3 decimals so embedded data stays short and stable. */
export function toUnit(ms: number, durationUnit: DurationUnit): number {
  return Math.round((ms / durationUnit.msPerUnit) * 1000) / 1000;
}

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Shared look: readable label limits (long names end in …), left-aligned titles, no external fonts. */
export const CHART_CONFIG = {
  font: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif",
  background: '#ffffff',
  padding: 8,
  title: { anchor: 'start', fontSize: 14, subtitleFontSize: 11, subtitleColor: '#52606d', offset: 8 },
  axis: { labelLimit: 240, labelFontSize: 11, titleFontSize: 12 },
  legend: { labelLimit: 220, labelFontSize: 11, titleFontSize: 12 },
  view: { stroke: null },
} as const;

export const CHART_WIDTH_PX = 640;

/** Colours of the status classes, shared by every chart that shows them. */
export const CLASS_COLORS: Record<string, string> = {
  active: '#17804a',
  queue: '#f0b429',
  waiting: '#d9822b',
  blocked: '#b42318',
  'elapsed (active unknown)': '#8d99ae',
};

/** Cuts a display label so a 5,000-character name cannot blow up the data or the axis. */
export function shortLabel(name: string, maxChars = 80): string {
  return name.length > maxChars ? `${name.slice(0, maxChars - 1)}…` : name;
}

/** What differs between the two stacked per-step bar charts (time per class, wait per cause). */
export interface StackedStepBars {
  /** One row per step and part: `step`, `order` (map order) and `value` in the chart's unit, plus the colour field. */
  values: object[];
  xTitle: string;
  colorField: string;
  colorTitle: string;
  domain: string[];
  colors: Record<string, string>;
  /** The field that orders the stacked parts. */
  orderField: string;
  tooltip: Array<{ field: string; type: 'nominal' | 'quantitative'; title?: string; format?: string }>;
}

/** A horizontal bar per step (map order, top to bottom) stacked by one colour field. */
export function stackedStepBarsSpec(title: { text: string; subtitle: string }, bars: StackedStepBars): TopLevelSpec {
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    width: CHART_WIDTH_PX,
    height: { step: 22 },
    data: { values: bars.values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'step', type: 'nominal', title: null, sort: { field: 'order', op: 'min', order: 'ascending' } },
      x: { field: 'value', type: 'quantitative', title: bars.xTitle, stack: 'zero' },
      color: { field: bars.colorField, type: 'nominal', title: bars.colorTitle, scale: { domain: bars.domain, range: bars.domain.map((key) => bars.colors[key]) } },
      order: { field: bars.orderField, sort: 'ascending' },
      tooltip: bars.tooltip,
    },
    config: CHART_CONFIG,
  };
}

