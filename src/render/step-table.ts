import { formatCount, formatPercent } from '../model/units.js';
import type { FormatDuration } from './duration.js';
import type { DistributionJson, ReportJson, StepJson } from '../contracts/report-schema.js';
import { stepsInMapOrder } from './map-layout.js';
import { approximateMark } from './approximate.js';

/**
 * The step table's columns, defined once for HTML, Markdown and CSV: each column gives the raw value
 * (ms, counts, ratios; used for sorting and CSV) and the human text. Only picks and formats report fields.
 */
export interface StepColumn {
  /** Header for people. */
  header: string;
  /** Machine header for CSV (snake_case, unit in the name). */
  csvHeader: string;
  raw: (step: StepJson) => string | number | null;
  text: (step: StepJson) => string;
  /** Whether the value is a duration in ms (CSV adds an hours column beside it). */
  isDurationMs: boolean;
}

function durationColumn(header: string, csvHeader: string, pick: (step: StepJson) => DistributionJson, statistic: 'median' | 'p85', fmt: FormatDuration): StepColumn {
  return {
    header,
    csvHeader,
    raw: (step) => pick(step)[statistic],
    text: (step) => `${approximateMark(pick(step))}${fmt(pick(step)[statistic])}`,
    isDurationMs: true,
  };
}

/** The columns, with durations formatted by `fmt` (the report's calendar). */
export function stepColumns(fmt: FormatDuration): StepColumn[] {
  return [
  { header: '#', csvHeader: 'order', raw: (step) => step.order, text: (step) => String(step.order + 1), isDurationMs: false },
  { header: 'Step', csvHeader: 'step', raw: (step) => step.name, text: (step) => step.name, isDurationMs: false },
  { header: 'Value class', csvHeader: 'value_class', raw: (step) => step.valueClass, text: (step) => step.valueClass, isDurationMs: false },
  { header: 'Owner', csvHeader: 'owner', raw: (step) => step.owner?.name ?? null, text: (step) => step.owner?.name ?? '—', isDurationMs: false },
  { header: 'Owner share', csvHeader: 'owner_share', raw: (step) => step.owner?.share ?? null, text: (step) => formatPercent(step.owner?.share), isDurationMs: false },
  { header: 'System', csvHeader: 'system', raw: (step) => step.system, text: (step) => step.system ?? '—', isDurationMs: false },
  { header: 'Visits', csvHeader: 'visits', raw: (step) => step.visits, text: (step) => formatCount(step.visits), isDurationMs: false },
  { header: 'Cases', csvHeader: 'cases', raw: (step) => step.cases, text: (step) => formatCount(step.cases), isDurationMs: false },
  { header: 'Rework cases', csvHeader: 'rework_cases', raw: (step) => step.reworkCases, text: (step) => formatCount(step.reworkCases), isDurationMs: false },
  {
    header: 'Active p50',
    csvHeader: 'active_median',
    raw: (step) => (step.activeUnknown ? null : step.activeMs.median),
    text: (step) => (step.activeUnknown ? 'unknown' : `${step.startEstimated ? '≈ ' : approximateMark(step.activeMs)}${fmt(step.activeMs.median)}`),
    isDurationMs: true,
  },
  durationColumn('Queue p50', 'queue_median', (step) => step.queueMs, 'median', fmt),
  durationColumn('Waiting p50', 'waiting_median', (step) => step.waitingMs, 'median', fmt),
  durationColumn('Blocked p50', 'blocked_median', (step) => step.blockedMs, 'median', fmt),
  durationColumn('Elapsed p50', 'elapsed_median', (step) => step.elapsedMs, 'median', fmt),
  durationColumn('Delay p50', 'delay_median', (step) => step.delayMs, 'median', fmt),
  durationColumn('Delay p85', 'delay_p85', (step) => step.delayMs, 'p85', fmt),
  { header: 'Total delay', csvHeader: 'total_delay', raw: (step) => step.totalDelayMs, text: (step) => fmt(step.totalDelayMs), isDurationMs: true },
  { header: 'Thin evidence', csvHeader: 'thin', raw: (step) => (step.thin ? 'yes' : 'no'), text: (step) => (step.thin ? 'yes (n < 30)' : ''), isDurationMs: false },
  ];
}

/** The steps in the order the table lists them (map order). */
export function tableSteps(report: ReportJson): StepJson[] {
  return stepsInMapOrder(report);
}
