/** Plain-language lines for compared metrics: "Wait before Review grew from 1.2 d to 2.9 d (CI +0.9 d to +2.6 d), significant". */
import { type DurationFormat, formatDurationMs, formatPercent } from '../model/units.js';
import type { CompareMetricJson } from '../contracts/compare-schema.js';

const METRIC_LABELS: Record<CompareMetricJson['metric'], string> = {
  wait: 'Wait before',
  active: 'Work in',
  leadTime: 'Lead time',
  cycleTime: 'Cycle time',
  flowEfficiency: 'Flow efficiency',
  reworkRate: 'Rework rate (share of cases)',
  handoffRate: 'Handoff rate (share of cases)',
};

export function metricLabel(metric: Pick<CompareMetricJson, 'metric' | 'step'>): string {
  return metric.step === null ? METRIC_LABELS[metric.metric] : `${METRIC_LABELS[metric.metric]} ${metric.step}`;
}

/** A level: a duration, or a share as a percentage. */
export function formatLevel(value: number | null, unit: CompareMetricJson['unit'], format: DurationFormat = {}): string {
  return unit === 'ms' ? formatDurationMs(value, format) : formatPercent(value);
}

/** A signed change: +2 d 3 h, −40 m, +3.1 pp (percentage points for shares). */
export function formatSignedChange(value: number | null, unit: CompareMetricJson['unit'], format: DurationFormat = {}): string {
  if (value === null || !Number.isFinite(value)) return '—';
  const sign = value > 0 ? '+' : value < 0 ? '−' : '±';
  if (unit === 'ms') return `${sign}${formatDurationMs(Math.abs(value), format)}`;
  return `${sign}${(Math.abs(value) * 100).toFixed(1)} pp`;
}

/** The signed change as the tables show it (alias kept for callers). */
export const formatChange = formatSignedChange;

export function formatP(p: number | null): string {
  if (p === null) return '—';
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

export function compareStatement(metric: Omit<CompareMetricJson, 'statement'>, format: DurationFormat = {}): string {
  const label = metricLabel(metric);
  const { unit, nBefore, nAfter } = metric;
  const before = formatLevel(metric.before, unit, format);
  const after = formatLevel(metric.after, unit, format);
  const formatChange = (value: number | null, changeUnit: CompareMetricJson['unit']) => formatSignedChange(value, changeUnit, format);
  if (nBefore === 0 || nAfter === 0) return `${label}: no data ${nBefore === 0 ? 'before' : 'after'} (n ${nBefore} before, ${nAfter} after), not compared`;
  const interval = `CI ${formatChange(metric.ciLow, unit)} to ${formatChange(metric.ciHigh, unit)}`;
  if (metric.thin) return `${label}: ${before} → ${after} (${formatChange(metric.diff, unit)}), thin evidence (n ${nBefore} before, ${nAfter} after; under 30), not tested`;
  if (metric.significant) {
    const verb = (metric.diff ?? 0) > 0 ? 'grew' : 'fell';
    return `${label} ${verb} from ${before} to ${after} (${interval}), significant (adjusted p ${formatP(metric.pAdjusted)})`;
  }
  return `${label}: ${before} → ${after} (${interval}), no significant change`;
}
