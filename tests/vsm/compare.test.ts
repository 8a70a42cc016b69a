import { describe, expect, it } from 'vitest';
import { benjaminiHochberg } from '../../src/metrics/significance.js';
import type { CaseTimes } from '../../src/traces/step-visits.js';
import { compareAnalyses, comparePeriods } from '../../src/vsm/compare.js';
import { parsePeriods } from '../../src/vsm/compare-periods.js';
import { CompareSchema, type CompareJson } from '../../src/contracts/compare-schema.js';
import { weeklyTrend } from '../../src/vsm/compare-trend.js';
import { analyze, logOf, stretchQueue, syntheticEvents, toyLog } from './compare-fixture.js';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

const metricOf = (result: CompareJson, id: string) => {
  const metric = result.metrics.find((candidate) => candidate.id === id);
  if (!metric) throw new Error(`no metric ${id}`);
  return metric;
};

describe('compareAnalyses on the 3-case toy log against itself', () => {
  const { reconstruction } = analyze(toyLog());
  const result = compareAnalyses({ ...reconstruction, label: 'a', source: 'toy' }, { ...reconstruction, label: 'b', source: 'toy' }, { by: 'file', resamples: 200 });

  it('compares every step (wait, active), lead, cycle, flow efficiency and the two rates, all thin', () => {
    expect(CompareSchema.parse(result)).toEqual(result);
    expect(result.metrics.map((metric) => metric.id)).toEqual([
      'step:A:wait', 'step:A:active', 'step:B:wait', 'step:B:active', 'step:C:wait', 'step:C:active',
      'leadTime', 'cycleTime', 'flowEfficiency', 'reworkRate', 'handoffRate',
    ]);
    expect(result.metrics.every((metric) => metric.thin && !metric.significant && metric.pAdjusted === null)).toBe(true);
    expect(result.summary).toEqual({ compared: 11, tested: 0, significant: 0, thin: 11 });
  });
  it('measures the hand-computed medians and rates', () => {
    // B waits: C1 20 m, C2 10 m and 10 m → median 10 m. A waits: 0, 0, 20, 0 → 0.
    expect(metricOf(result, 'step:B:wait')).toMatchObject({ nBefore: 3, before: 10 * MINUTE_MS, after: 10 * MINUTE_MS, diff: 0 });
    expect(metricOf(result, 'step:A:wait').before).toBe(0);
    // Lead 70, 100, 100 min → median 100 min.
    expect(metricOf(result, 'leadTime').before).toBe(100 * MINUTE_MS);
    // Rework: only C2 re-enters a step (A, then B) → 1/3. Handoffs X→Y in C1 and C2, none in C3 → 2/3.
    expect(metricOf(result, 'reworkRate').before).toBeCloseTo(1 / 3, 12);
    expect(metricOf(result, 'handoffRate').before).toBeCloseTo(2 / 3, 12);
  });
  it('says thin evidence instead of a verdict', () => {
    expect(metricOf(result, 'step:B:wait').statement).toBe('Wait before B: 10 m → 10 m (±0 s), thin evidence (n 3 before, 3 after; under 30), not tested');
  });
});

describe('compareAnalyses on a synthetic log (2,000 cases)', () => {
  const events = syntheticEvents(2_000);
  const base = analyze(logOf(events)).reconstruction;
  const stretched = analyze(logOf(stretchQueue(events, 'Fix', 2))).reconstruction;
  const against = (other: typeof base) =>
    compareAnalyses({ ...base, label: 'base', source: 'base' }, { ...other, label: 'other', source: 'other' }, { by: 'file', resamples: 400 });

  it('finds nothing significant when the log is compared with itself', () => {
    const result = against(base);
    expect(result.summary.tested).toBeGreaterThan(10);
    expect(result.summary.significant).toBe(0);
    expect(result.metrics.filter((metric) => metric.metric === 'wait' || metric.metric === 'active').every((metric) => metric.diff === 0)).toBe(true);
  });

  const doubled = against(stretched);
  it('finds the step whose waits were doubled, and no other step', () => {
    const significantSteps = doubled.metrics.filter((metric) => metric.step !== null && metric.significant).map((metric) => metric.id);
    expect(significantSteps).toEqual(['step:Fix:wait']);
    const fix = metricOf(doubled, 'step:Fix:wait');
    // Every Fix queue is exactly twice as long, so the median doubles.
    expect(fix.after).toBeCloseTo(2 * (fix.before as number), 0);
    expect(fix.ciLow).toBeGreaterThan(0);
    expect(fix.statement).toMatch(/^Wait before Fix grew from .* to .* \(CI \+.* to \+.*\), significant/);
  });
  it('adjusts the tested p-values by Benjamini–Hochberg and calls significant only below 0.05 with a CI excluding 0', () => {
    const tested = doubled.metrics.filter((metric) => !metric.thin && metric.pValue !== null);
    // Independent BH: p(i)·m / rank(i), then the running minimum from the largest p down.
    const m = tested.length;
    const order = tested.map((metric) => metric.pValue as number).sort((a, b) => a - b);
    const expected = tested.map((metric) => {
      const p = metric.pValue as number;
      let best = 1;
      order.forEach((candidate, k) => {
        if (candidate >= p) best = Math.min(best, (candidate * m) / (k + 1));
      });
      return best;
    });
    tested.forEach((metric, k) => expect(metric.pAdjusted).toBeCloseTo(expected[k], 12));
    expect(tested.map((metric) => metric.pAdjusted)).toEqual(benjaminiHochberg(tested.map((metric) => metric.pValue as number)));
    for (const metric of doubled.metrics) {
      const excludesZero = metric.ciLow !== null && metric.ciHigh !== null && (metric.ciLow > 0 || metric.ciHigh < 0);
      expect(metric.significant).toBe(!metric.thin && metric.pAdjusted !== null && metric.pAdjusted < 0.05 && excludesZero);
    }
  });

  it('splits one log by completion quarter', () => {
    const periods = parsePeriods('2024-Q1,2024-Q2');
    const result = comparePeriods(base, periods, { by: 'completed', source: 'synthetic', resamples: 200 });
    let inQ1 = 0;
    for (let c = 0; c < base.cases.caseCount; c++) {
      if (base.cases.censored[c] === 0 && base.cases.outcomeAt[c] >= periods[0].fromMs && base.cases.outcomeAt[c] < periods[0].toMs) inQ1++;
    }
    expect(result.periods[0]).toMatchObject({ role: 'before', label: '2024-Q1', cases: inQ1, closedCases: inQ1, from: '2024-01-01T00:00:00.000Z', to: '2024-04-01T00:00:00.000Z' });
    expect(result.periods[1].cases).toBeGreaterThan(0);
    expect(result.trend.weeks.length).toBeGreaterThan(10);
    expect(result.trend.weeks.filter((week) => week.period === 'before').every((week) => week.weekStart < '2024-04-01')).toBe(true);
  });
});

describe('compare on a single-timestamp log and by trigger time', () => {
  const events = syntheticEvents(400).filter((event) => event.lifecycle === 'complete');
  const completeOnly = analyze(logOf(events)).reconstruction;
  it('compares waits (elapsed before each event) but no active time or flow efficiency', () => {
    const result = compareAnalyses({ ...completeOnly, label: 'a', source: 'a' }, { ...completeOnly, label: 'b', source: 'b' }, { by: 'file', resamples: 100 });
    expect(result.metrics.some((metric) => metric.metric === 'active' || metric.metric === 'flowEfficiency')).toBe(false);
    expect(result.notes.join(' ')).toContain('single-timestamp log');
  });
  it('by trigger time counts open cases in the period and says so', () => {
    const result = comparePeriods(completeOnly, parsePeriods('2024-01-01..2024-01-07,2024-01-08..2024-01-14'), { by: 'started', source: 's', resamples: 100 });
    expect(result.by).toBe('started');
    expect(result.notes[0]).toMatch(/^periods by trigger time: \d+ open cases count in the rates/);
  });
});

describe('weeklyTrend (XmR on weekly median lead time)', () => {
  const at = (iso: string) => Date.parse(iso);
  // Before: week of Jan 1 leads 1 h and 3 h (median 2 h), week of Jan 8 4 h, week of Jan 15 3 h. After: week of Jan 22 8 h.
  const cases = (outcomes: string[], leadsHours: number[]): CaseTimes =>
    ({
      caseCount: outcomes.length,
      outcomeAt: Float64Array.from(outcomes.map(at)),
      leadMs: Float64Array.from(leadsHours.map((hours) => hours * HOUR_MS)),
      censored: new Uint8Array(outcomes.length),
    }) as unknown as CaseTimes;
  const before = cases(['2024-01-01T10:00:00Z', '2024-01-07T23:00:00Z', '2024-01-08T00:00:00Z', '2024-01-17T12:00:00Z'], [1, 3, 4, 3]);
  const after = cases(['2024-01-24T09:00:00Z'], [8]);
  const trend = weeklyTrend({ cases: before }, { cases: after });

  it('centres on the mean of the before weeks and sets limits at 2.66 × the mean moving range', () => {
    // Weekly medians 2 h, 4 h, 3 h → center 3 h; moving ranges 2 h and 1 h → mean 1.5 h; 2.66 × 1.5 h = 3.99 h.
    expect(trend.centerMs).toBeCloseTo(3 * HOUR_MS, 6);
    expect(trend.upperMs).toBeCloseTo(6.99 * HOUR_MS, 6);
    expect(trend.lowerMs).toBe(0);
    expect(trend.weeks.map((week) => [week.period, week.weekStart, week.cases, week.medianLeadMs / HOUR_MS, week.signal])).toEqual([
      ['before', '2024-01-01', 2, 2, null],
      ['before', '2024-01-08', 1, 4, null],
      ['before', '2024-01-15', 1, 3, null],
      ['after', '2024-01-22', 1, 8, 'above'],
    ]);
  });
  it('has no limits with fewer than two before weeks', () => {
    expect(weeklyTrend({ cases: after }, { cases: before }).centerMs).toBeNull();
  });
});
