/**
 * `vsm compare`: did the process change between two periods (or two exports)? Per step (wait and active time),
 * for lead time, cycle time and flow efficiency: medians and 85th percentiles before and after, the difference
 * (after − before) with a 95 % interval (a seeded percentile bootstrap while either period has at most 1,000 values,
 * else from the two order-statistic standard errors: quantileDiffCi), and a two-sided Mann–Whitney p-value; for
 * the rework and handoff rates (shares of cases) a two-proportion z-test with a Wald interval. The p-values of
 * all tested metrics are adjusted together by Benjamini–Hochberg (false discovery rate), because a comparison
 * tests dozens of metrics at once and some would cross 0.05 by chance. A change is `significant` when its
 * adjusted p-value is below alpha (0.05) AND its interval excludes 0; metrics with fewer than 30 values in
 * either period are thin evidence: shown, left out of the BH family, never called significant.
 */
import { benjaminiHochberg, mannWhitneyU, quantileDiffCi, twoProportionTest } from '../metrics/significance.js';
import { THIN_EVIDENCE_N, quantileSorted, sortedCopy } from '../metrics/distribution.js';
import { DEFAULT_SEED } from '../metrics/random.js';
import type { CaseTimes, StepVisits } from '../traces/step-visits.js';
import { TOOL_VERSION } from '../version.js';
import { casesInPeriod, type Period, type PeriodBy } from './compare-periods.js';
import { type ComparisonSide, collectSamples } from './compare-samples.js';
import { COMPARE_SCHEMA_VERSION, type CompareJson, type CompareMetricJson } from '../contracts/compare-schema.js';
import { compareStatement } from './compare-statement.js';
import { weeklyTrend } from './compare-trend.js';

export type { ComparisonSide } from './compare-samples.js';

/** One side with what the output says about it. */
export interface CompareSideInput extends ComparisonSide {
  label: string;
  /** File name the side was read from. */
  source: string;
  period?: Pick<Period, 'fromMs' | 'toMs'>;
}

export interface CompareOptions {
  by: PeriodBy | 'file';
  /** Default 0.05. */
  alpha?: number;
  /** Seed of the bootstrap intervals (default 42). */
  seed?: number;
  /** Bootstrap resamples per interval (default 1000). */
  resamples?: number;
  /** Calendar zone: weeks of the trend start Monday 00:00 there (default UTC). */
  timeZone?: string;
  /** Working day of a business calendar, ms: statements then read in working days (`wd`). */
  workdayMs?: number | null;
}

type MetricDraft = Omit<CompareMetricJson, 'pAdjusted' | 'significant' | 'statement'>;

function median(values: number[]): number | null {
  return values.length === 0 ? null : quantileSorted(sortedCopy(values), 0.5);
}
function p85(values: number[]): number | null {
  return values.length === 0 ? null : quantileSorted(sortedCopy(values), 0.85);
}
const directionOf = (diff: number | null): CompareMetricJson['direction'] => (diff === null ? null : diff > 0 ? 'up' : diff < 0 ? 'down' : 'same');

function sampleMetric(
  identity: Pick<MetricDraft, 'id' | 'metric' | 'step' | 'unit'>,
  before: number[],
  after: number[],
  options: { seed: number; resamples: number },
): MetricDraft {
  const thin = before.length < THIN_EVIDENCE_N || after.length < THIN_EVIDENCE_N;
  const draft: MetricDraft = {
    ...identity,
    nBefore: before.length,
    nAfter: after.length,
    before: median(before),
    after: median(after),
    diff: null,
    ciLow: null,
    ciHigh: null,
    p85Before: p85(before),
    p85After: p85(after),
    p85Diff: null,
    p85CiLow: null,
    p85CiHigh: null,
    test: null,
    pValue: null,
    thin,
    direction: null,
  };
  if (before.length === 0 || after.length === 0) return draft;
  const medianCi = quantileDiffCi(before, after, 'median', options);
  const p85Ci = quantileDiffCi(before, after, 'p85', { ...options, seed: options.seed + 1 });
  return {
    ...draft,
    diff: medianCi.diff,
    ciLow: medianCi.ciLow,
    ciHigh: medianCi.ciHigh,
    p85Diff: p85Ci.diff,
    p85CiLow: p85Ci.ciLow,
    p85CiHigh: p85Ci.ciHigh,
    test: 'mann-whitney',
    pValue: mannWhitneyU(before, after).pValue,
    direction: directionOf(medianCi.diff),
  };
}

function rateMetric(identity: Pick<MetricDraft, 'id' | 'metric' | 'step' | 'unit'>, x1: number, n1: number, x2: number, n2: number): MetricDraft {
  const draft: MetricDraft = {
    ...identity,
    nBefore: n1,
    nAfter: n2,
    before: n1 > 0 ? x1 / n1 : null,
    after: n2 > 0 ? x2 / n2 : null,
    diff: null,
    ciLow: null,
    ciHigh: null,
    p85Before: null,
    p85After: null,
    p85Diff: null,
    p85CiLow: null,
    p85CiHigh: null,
    test: null,
    pValue: null,
    thin: n1 < THIN_EVIDENCE_N || n2 < THIN_EVIDENCE_N,
    direction: null,
  };
  if (n1 === 0 || n2 === 0) return draft;
  const test = twoProportionTest(x1, n1, x2, n2);
  return { ...draft, diff: test.diff, ciLow: test.ciLow, ciHigh: test.ciHigh, test: 'two-proportion', pValue: test.pValue, direction: directionOf(test.diff) };
}

/**
 * Compares two sides (two periods of one log, or two logs) metric by metric; see the module comment for the
 * statistics. Pure and seeded: the same input and options give the same output.
 *
 * @example
 * const { reconstruction } = analyzeLog(log, ingest, { logName: 'helpdesk' });
 * const result = comparePeriods(reconstruction, parsePeriods('2024-Q3,2024-Q4'), { by: 'completed', source: 'helpdesk.csv' });
 * result.metrics.filter((metric) => metric.significant).map((metric) => metric.statement);
 */
export function compareAnalyses(before: CompareSideInput, after: CompareSideInput, options: CompareOptions): CompareJson {
  const { alpha = 0.05, seed = DEFAULT_SEED, resamples = 1000 } = options;
  const samplesBefore = collectSamples(before);
  const samplesAfter = collectSamples(after);
  const resample = { seed, resamples };
  const drafts: MetricDraft[] = [];

  const stepNames = [...samplesBefore.steps.keys(), ...[...samplesAfter.steps.keys()].filter((name) => !samplesBefore.steps.has(name))];
  const activeKnown = samplesBefore.activeKnown && samplesAfter.activeKnown;
  const empty = { waitMs: [], activeMs: [] };
  for (const name of stepNames) {
    const a = samplesBefore.steps.get(name) ?? empty;
    const b = samplesAfter.steps.get(name) ?? empty;
    drafts.push(sampleMetric({ id: `step:${name}:wait`, metric: 'wait', step: name, unit: 'ms' }, a.waitMs, b.waitMs, resample));
    if (activeKnown) drafts.push(sampleMetric({ id: `step:${name}:active`, metric: 'active', step: name, unit: 'ms' }, a.activeMs, b.activeMs, resample));
  }
  drafts.push(sampleMetric({ id: 'leadTime', metric: 'leadTime', step: null, unit: 'ms' }, samplesBefore.leadMs, samplesAfter.leadMs, resample));
  drafts.push(sampleMetric({ id: 'cycleTime', metric: 'cycleTime', step: null, unit: 'ms' }, samplesBefore.cycleMs, samplesAfter.cycleMs, resample));
  if (activeKnown) {
    drafts.push(sampleMetric({ id: 'flowEfficiency', metric: 'flowEfficiency', step: null, unit: 'ratio' }, samplesBefore.flowEfficiency, samplesAfter.flowEfficiency, resample));
  }
  drafts.push(rateMetric({ id: 'reworkRate', metric: 'reworkRate', step: null, unit: 'ratio' }, samplesBefore.reworkCases, samplesBefore.cases, samplesAfter.reworkCases, samplesAfter.cases));
  drafts.push(rateMetric({ id: 'handoffRate', metric: 'handoffRate', step: null, unit: 'ratio' }, samplesBefore.handoffCases, samplesBefore.cases, samplesAfter.handoffCases, samplesAfter.cases));

  const tested = drafts.map((draft, index) => ({ draft, index })).filter(({ draft }) => !draft.thin && draft.pValue !== null);
  const adjusted = benjaminiHochberg(tested.map(({ draft }) => draft.pValue as number));
  const pAdjustedByIndex = new Map(tested.map(({ index }, k) => [index, adjusted[k]]));
  const metrics: CompareMetricJson[] = drafts.map((draft, index) => {
    const pAdjusted = pAdjustedByIndex.get(index) ?? null;
    const excludesZero = draft.ciLow !== null && draft.ciHigh !== null && (draft.ciLow > 0 || draft.ciHigh < 0);
    const significant = !draft.thin && pAdjusted !== null && pAdjusted < alpha && excludesZero;
    return { ...draft, pAdjusted, significant, statement: compareStatement({ ...draft, pAdjusted, significant }, { workdayMs: options.workdayMs ?? null }) };
  });

  const notes: string[] = [];
  if (options.by === 'completed') notes.push('periods by completion: a case belongs to the period in which it reached its outcome; open cases belong to neither');
  if (options.by === 'started') {
    const open = samplesBefore.cases - samplesBefore.closedCases + samplesAfter.cases - samplesAfter.closedCases;
    notes.push(`periods by trigger time: ${open} open cases count in the rates but not in lead, cycle time or flow efficiency, so a recent period's lead times lean short (its slow cases have not finished)`);
  }
  if (!activeKnown) notes.push('single-timestamp log: active time is unknown; step waits are the elapsed time before each event');
  notes.push(`p-values adjusted by Benjamini–Hochberg over ${tested.length} tested metrics; significant = adjusted p < ${alpha} and the 95 % interval excludes 0`);

  const describe = (side: CompareSideInput, role: 'before' | 'after', samples: typeof samplesBefore): CompareJson['periods'][number] => ({
    role,
    label: side.label,
    from: side.period ? new Date(side.period.fromMs).toISOString() : null,
    to: side.period ? new Date(side.period.toMs).toISOString() : null,
    source: side.source,
    cases: samples.cases,
    closedCases: samples.closedCases,
  });
  return {
    schemaVersion: COMPARE_SCHEMA_VERSION,
    tool: { name: 'valuestream', version: TOOL_VERSION },
    by: options.by,
    periods: [describe(before, 'before', samplesBefore), describe(after, 'after', samplesAfter)],
    alpha,
    seed,
    resamples,
    metrics,
    summary: {
      compared: metrics.length,
      tested: tested.length,
      significant: metrics.filter((metric) => metric.significant).length,
      thin: metrics.filter((metric) => metric.thin).length,
    },
    trend: weeklyTrend(before, after, options.timeZone),
    workdayMs: options.workdayMs ?? null,
    notes,
  };
}

/** Splits one reconstruction into two periods (by completion or trigger time) and compares them. */
export function comparePeriods(
  reconstruction: { visits: StepVisits; cases: CaseTimes },
  periods: [Period, Period],
  options: CompareOptions & { by: PeriodBy; source: string },
): CompareJson {
  const [first, second] = periods.map((period) => ({
    ...reconstruction,
    caseMask: casesInPeriod(reconstruction.cases, period, options.by),
    label: period.label,
    source: options.source,
    period,
  }));
  return compareAnalyses(first, second, options);
}
