/**
 * Weekly trend of a comparison: per ISO week (Monday 00:00 in the calendar's zone, else UTC) the median lead
 * time of the cases of each period that reached their outcome that week, on an XmR (individuals / moving
 * range) chart. The limits come from the before weeks only, so the after weeks are judged against the baseline:
 * center = mean of the before weeks' medians, limits = center ± 2.66 × mean |week-to-week change| (Wheeler's
 * natural process limits; 2.66 = 3 / d2 with d2 = 1.128 for ranges of two). The lower limit is clamped at 0.
 * A week outside the limits is a signal. With fewer than 2 before weeks there are no limits.
 */
import { makeZoneClock } from '../calendar/zone-clock.js';
import { quantileSorted } from '../metrics/distribution.js';
import type { CompareJson } from '../contracts/compare-schema.js';
import type { ComparisonSide } from './compare-samples.js';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** Day 0 (1970-01-01) was a Thursday: Monday-based week k starts at wall ms k·WEEK − 3·DAY. */
const MONDAY_SHIFT_MS = 3 * DAY_MS;
export const XMR_LIMIT_FACTOR = 2.66;

type TrendWeek = CompareJson['trend']['weeks'][number];
/** What the trend reads of a side: its case times and membership. */
export type TrendSide = Pick<ComparisonSide, 'cases' | 'caseMask'>;

function weeklyMedians(side: TrendSide, period: TrendWeek['period'], weekOf: (instantMs: number) => number): TrendWeek[] {
  const byWeek = new Map<number, number[]>();
  const { cases, caseMask } = side;
  for (let c = 0; c < cases.caseCount; c++) {
    if ((caseMask !== undefined && caseMask[c] !== 1) || cases.censored[c] === 1) continue;
    if (!Number.isFinite(cases.outcomeAt[c]) || Number.isNaN(cases.leadMs[c])) continue;
    const week = weekOf(cases.outcomeAt[c]);
    const list = byWeek.get(week);
    if (list) list.push(cases.leadMs[c]);
    else byWeek.set(week, [cases.leadMs[c]]);
  }
  return [...byWeek.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([week, leads]) => ({
      period,
      weekStart: new Date(week * WEEK_MS - MONDAY_SHIFT_MS).toISOString().slice(0, 10),
      cases: leads.length,
      medianLeadMs: quantileSorted(Float64Array.from(leads).sort(), 0.5),
      signal: null,
    }));
}

export function weeklyTrend(before: TrendSide, after: TrendSide, timeZone?: string): CompareJson['trend'] {
  const clock = timeZone !== undefined && timeZone !== 'UTC' ? makeZoneClock(timeZone) : null;
  const weekOf = (instantMs: number): number => Math.floor((instantMs + (clock ? clock.offsetMs(instantMs) : 0) + MONDAY_SHIFT_MS) / WEEK_MS);
  const beforeWeeks = weeklyMedians(before, 'before', weekOf);
  const afterWeeks = weeklyMedians(after, 'after', weekOf);
  const weeks = [...beforeWeeks, ...afterWeeks];
  if (beforeWeeks.length < 2) return { method: 'xmr-weekly-median', centerMs: null, upperMs: null, lowerMs: null, weeks };
  const centerMs = beforeWeeks.reduce((sum, week) => sum + week.medianLeadMs, 0) / beforeWeeks.length;
  let movingRangeSum = 0;
  for (let k = 1; k < beforeWeeks.length; k++) movingRangeSum += Math.abs(beforeWeeks[k].medianLeadMs - beforeWeeks[k - 1].medianLeadMs);
  const halfWidthMs = (XMR_LIMIT_FACTOR * movingRangeSum) / (beforeWeeks.length - 1);
  const upperMs = centerMs + halfWidthMs;
  const lowerMs = Math.max(0, centerMs - halfWidthMs);
  for (const week of weeks) week.signal = week.medianLeadMs > upperMs ? 'above' : week.medianLeadMs < lowerMs ? 'below' : null;
  return { method: 'xmr-weekly-median', centerMs, upperMs, lowerMs, weeks };
}
