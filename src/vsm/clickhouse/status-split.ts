/**
 * A status-log step's times by class, from what ClickHouse computed per step (engine.ts `stepTimes`): each step is
 * one status, so every visit spends its time in that status's class — less the time the case was flagged, which is
 * blocked time (status-intervals.ts). to-report.ts maps the result onto the step's distributions.
 */
import type { DistributionJson, StepJson } from '../../contracts/report-schema.js';
import { THIN_EVIDENCE_N } from '../../metrics/distribution.js';
import type { ClickHouseAnalysis } from './analysis.js';
import { distributionOf } from './group-values.js';

export type StepTimes = NonNullable<ClickHouseAnalysis['stepTimes']>[number];

export type StepSplit = Pick<StepJson, 'activeMs' | 'queueMs' | 'waitingMs' | 'blockedMs' | 'elapsedMs' | 'delayMs' | 'totalDelayMs' | 'totalActiveMs'>;

/** A distribution of no values: the shape of "unknown" (n = 0, every statistic null). */
export function emptyDistribution(): DistributionJson {
  return { n: 0, mean: null, median: null, p85: null, p95: null, min: null, max: null, sum: 0, ciLow: null, ciHigh: null, thin: true };
}

/** n zeros: a class the step's visits never spend time in (its statistics are exact: all 0). */
export function zeros(n: number): DistributionJson {
  if (n === 0) return emptyDistribution();
  return { n, mean: 0, median: 0, p85: 0, p95: 0, min: 0, max: 0, sum: 0, ciLow: 0, ciHigh: 0, thin: n < THIN_EVIDENCE_N };
}

/**
 * A status-log step of one status (status-intervals.ts, metrics/timing.ts): each visit's elapsed time is its status
 * class's, except the time flagged (`flagged`: block / unblock events), which is blocked; a blocked-class status is
 * blocked throughout, flagged or not. So that class's distribution is the elapsed one net of blocked time, blocked
 * the flagged time, the other classes zeros; delay is queue + waiting + blocked (elapsed, or the blocked time of an
 * active status), the totals likewise over the visits inside lead times.
 */
export function splitByClass(statusClass: StepJson['class'], times: StepTimes, seed: number): StepSplit {
  const n = times.elapsed.n;
  const elapsed = distributionOf(times.elapsed, seed);
  const flagged = statusClass === 'blocked' ? undefined : times.flagged;
  const own = flagged ? distributionOf(flagged.net, seed) : elapsed;
  const blocked = flagged ? distributionOf(flagged.blocked, seed) : zeros(n);
  const of = (cls: StepJson['class']): DistributionJson => (statusClass === cls ? own : cls === 'blocked' ? blocked : zeros(n));
  const active = statusClass === 'active';
  const blockedLeadMs = flagged?.blockedLeadSumMs ?? 0;
  return {
    activeMs: of('active'),
    queueMs: of('queue'),
    waitingMs: of('waiting'),
    blockedMs: of('blocked'),
    elapsedMs: elapsed,
    delayMs: active ? blocked : elapsed,
    totalDelayMs: active ? blockedLeadMs : times.leadSumMs,
    totalActiveMs: active ? times.leadSumMs - blockedLeadMs : 0,
  };
}
