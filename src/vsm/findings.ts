import { formatCount, formatPercent, makeDurationFormatter } from '../model/units.js';
import type { FindingJson, ReportJson, StepJson } from './report-schema.js';
import { proposeFutureState } from './future-state-candidates.js';
import { waitCauseEvidence, waitCauseSentence } from './wait-cause-words.js';

/** The parts of a report the four answers are computed from (DESIGN §5); `calendar` decides how days read. */
export type FindingInputs = Pick<ReportJson, 'steps' | 'leadTimeMs' | 'rework' | 'handoffs' | 'log'> & {
  calendar?: Pick<ReportJson['calendar'], 'workdayMs'>;
};

/** Formats durations on the report's calendar (working days on business calendars). */
export function durationFormatter(inputs: Pick<FindingInputs, 'calendar'>): (ms: number | null | undefined) => string {
  return makeDurationFormatter({ workdayMs: inputs.calendar?.workdayMs ?? null });
}

function ciText(low: number | null, high: number | null, duration: (ms: number | null) => string): string {
  return low === null || high === null ? 'no interval (too few values)' : `95 % CI ${duration(low)}–${duration(high)}`;
}

function thinNote(n: number, thin: boolean): string {
  return thin ? ` Thin evidence: only ${formatCount(n)} values.` : '';
}

/** Σ lead time over cases, the denominator of every "share of lead time". */
export function totalLeadMs(inputs: FindingInputs): number {
  return inputs.leadTimeMs.sum;
}

/**
 * 1. Biggest delay: the step with the largest total waiting time (queue + waiting + blocked, Σ over cases),
 * with its share of total lead time, its median per visit and the CI of that median.
 */
export function findBiggestDelay(inputs: FindingInputs): FindingJson | null {
  const duration = durationFormatter(inputs);
  const ranked = [...inputs.steps].filter((step) => step.totalDelayMs > 0).sort((a, b) => b.totalDelayMs - a.totalDelayMs);
  const step = ranked[0];
  if (!step) return null;
  const leadSumMs = totalLeadMs(inputs);
  const share = leadSumMs > 0 ? step.totalDelayMs / leadSumMs : null;
  const delay = step.delayMs;
  const where = step.activeUnknown ? `before ${step.name} (elapsed time; this log has no start times)` : `in ${step.name}`;
  const statement =
    `Work waits longest ${where}: ${duration(delay.median)} median per visit (${ciText(delay.ciLow, delay.ciHigh, duration)}), ` +
    `${duration(step.totalDelayMs)} in total, ${formatPercent(share)} of all lead time, over ${formatCount(delay.n)} visits.` +
    waitCauseSentence(step) +
    thinNote(delay.n, delay.thin);
  const evidence = [
    `queue ${duration(step.queueMs.median)} · waiting ${duration(step.waitingMs.median)} · blocked ${duration(step.blockedMs.median)} (medians per visit)`,
    `p85 ${duration(delay.p85)}, p95 ${duration(delay.p95)}`,
  ];
  if (step.activeUnknown) evidence.push('single-timestamp log: elapsed time between events, active time unknown');
  const causes = waitCauseEvidence(step);
  if (causes) evidence.push(causes);
  if (ranked[1]) evidence.push(`next: ${ranked[1].name} with ${duration(ranked[1].totalDelayMs)} in total`);
  return {
    kind: 'biggest-delay',
    title: 'Biggest delay',
    statement,
    subject: { step: step.name },
    metric: { name: 'totalDelayMs', value: step.totalDelayMs, unit: 'ms' },
    shareOfLeadTime: share,
    n: delay.n,
    ciLow: delay.ciLow,
    ciHigh: delay.ciHigh,
    thin: delay.thin,
    evidence,
  };
}

/** 2. Most common rework loop: the loop affecting the most cases, with the time it adds. */
export function findMostCommonReworkLoop(inputs: FindingInputs): FindingJson | null {
  const duration = durationFormatter(inputs);
  const loop = [...inputs.rework.loops].sort((a, b) => b.cases - a.cases || b.addedMs.sum - a.addedMs.sum)[0];
  if (!loop) return null;
  const caseShare = inputs.log.cases > 0 ? loop.cases / inputs.log.cases : 0;
  const leadSumMs = totalLeadMs(inputs);
  const share = leadSumMs > 0 ? loop.addedMs.sum / leadSumMs : null;
  const statement =
    `${formatCount(loop.cases)} cases (${formatPercent(caseShare)}) loop ${loop.path.join(' → ')}, ` +
    `adding ${duration(loop.addedMs.median)} median per loop (${ciText(loop.addedMs.ciLow, loop.addedMs.ciHigh, duration)}), ` +
    `${formatPercent(share)} of all lead time.` +
    thinNote(loop.addedMs.n, loop.addedMs.thin);
  return {
    kind: 'rework-loop',
    title: 'Most common rework loop',
    statement,
    subject: { from: loop.from, to: loop.to, path: loop.path },
    metric: { name: 'cases', value: loop.cases, unit: 'cases' },
    shareOfLeadTime: share,
    n: loop.cases,
    ciLow: loop.addedMs.ciLow,
    ciHigh: loop.addedMs.ciHigh,
    thin: loop.addedMs.thin,
    evidence: [
      `${formatCount(loop.occurrences)} occurrences in ${formatCount(loop.cases)} cases`,
      `${formatCount(inputs.rework.casesWithRework)} cases (${formatPercent(inputs.rework.share)}) have some rework`,
    ],
  };
}

/**
 * 3. Handoff to simplify: the owner → owner handoff with the highest count × median wait after it.
 * Ping-pong pairs (A → B → A) weigh more: the score is multiplied by (1 + ping-pongs ÷ handoffs of the pair).
 */
export function findHandoffToSimplify(inputs: FindingInputs): FindingJson | null {
  const duration = durationFormatter(inputs);
  const pingPongByPair = new Map<string, number>();
  for (const pingPong of inputs.handoffs.pingPong) {
    pingPongByPair.set(`${pingPong.a}\u0000${pingPong.b}`, pingPong.count);
  }
  let best: { handoff: ReportJson['handoffs']['matrix'][number]; score: number; pingPongs: number } | undefined;
  for (const handoff of inputs.handoffs.matrix) {
    const pingPongs = pingPongByPair.get(`${handoff.from}\u0000${handoff.to}`) ?? pingPongByPair.get(`${handoff.to}\u0000${handoff.from}`) ?? 0;
    const waitMs = handoff.waitAfterMs.median ?? 0;
    const score = handoff.count * Math.max(waitMs, 1) * (1 + pingPongs / Math.max(handoff.count, 1));
    if (!best || score > best.score) best = { handoff, score, pingPongs };
  }
  if (!best) return null;
  const { handoff, pingPongs } = best;
  const wait = handoff.waitAfterMs;
  const leadSumMs = totalLeadMs(inputs);
  const share = leadSumMs > 0 ? wait.sum / leadSumMs : null;
  const statement =
    `${handoff.from} → ${handoff.to} is handed over ${formatCount(handoff.count)} times in ${formatCount(handoff.cases)} cases; ` +
    `work then waits ${duration(wait.median)} median (${ciText(wait.ciLow, wait.ciHigh, duration)}), ${formatPercent(share)} of all lead time` +
    (pingPongs > 0 ? `, and bounces back ${formatCount(pingPongs)} times (ping-pong).` : '.') +
    thinNote(wait.n, wait.thin);
  return {
    kind: 'handoff',
    title: 'Handoff to simplify',
    statement,
    subject: { from: handoff.from, to: handoff.to },
    metric: { name: 'handoffs', value: handoff.count, unit: 'count' },
    shareOfLeadTime: share,
    n: wait.n,
    ciLow: wait.ciLow,
    ciHigh: wait.ciHigh,
    thin: wait.thin,
    evidence: [
      `${formatCount(inputs.handoffs.total)} handoffs in all, at ${inputs.handoffs.level} level`,
      `score = handoffs × median wait × (1 + ping-pongs ÷ handoffs) = ${formatCount(handoff.count)} × ${duration(wait.median)} × ${(1 + pingPongs / Math.max(handoff.count, 1)).toFixed(2)}`,
    ],
  };
}

/** All four answers. The future-state answer is a simple estimate here; `vsm simulate` gives the full picture. */
export function computeFindings(inputs: FindingInputs): ReportJson['findings'] {
  const biggestDelay = findBiggestDelay(inputs);
  const mostCommonReworkLoop = findMostCommonReworkLoop(inputs);
  const handoffToSimplify = findHandoffToSimplify(inputs);
  return {
    biggestDelay,
    mostCommonReworkLoop,
    handoffToSimplify,
    futureStateChange: proposeFutureState(inputs, { biggestDelay, mostCommonReworkLoop, handoffToSimplify }),
  };
}

export type { StepJson };
