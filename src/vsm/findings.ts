import { formatCount, formatPercent, makeDurationFormatter } from '../model/units.js';
import type { FindingJson, ReportJson, StepJson, SufficiencyJson } from '../contracts/report-schema.js';
import { INTAKE_ADVICE, isIntakeStep, MIN_FINISHED_VISITS, notEnoughText, partialClause, pickSupported } from './finding-support.js';
import { proposeFutureState } from './future-state-candidates.js';
import { isEngineLimited, NOT_COMPUTED_BY_ENGINE, type SufficiencyMetric } from './sufficiency.js';
import { waitCauseEvidence, waitCauseSentence } from './wait-cause-words.js';

/** The parts of a report the four answers are computed from (DESIGN §5); `calendar` decides how days read. */
export type FindingInputs = Pick<ReportJson, 'steps' | 'leadTimeMs' | 'rework' | 'handoffs' | 'log'> & {
  calendar?: Pick<ReportJson['calendar'], 'workdayMs'>;
  /** Per-metric verdicts (vsm/sufficiency.ts): a finding on a `partial` metric says so in its sentence. */
  sufficiency?: SufficiencyJson;
  /** True when config `trigger` sets the commitment point (then no step is intake backlog). */
  commitmentPointSet?: boolean;
};

/** Formats durations on the report's calendar (working days on business calendars). */
export function durationFormatter(inputs: Pick<FindingInputs, 'calendar'>): (ms: number | null | undefined) => string {
  return makeDurationFormatter({ workdayMs: inputs.calendar?.workdayMs ?? null });
}

function ciText(low: number | null, high: number | null, duration: (ms: number | null) => string, engineLimited = false): string {
  if (low !== null && high !== null) return `95 % CI ${duration(low)}–${duration(high)}`;
  return engineLimited ? `no interval (${NOT_COMPUTED_BY_ENGINE})` : 'no interval (too few values)';
}

/** True when the engine left part of `metric` uncomputed (--engine clickhouse): a missing interval is not "too few values". */
function engineLimited(inputs: FindingInputs, metric: SufficiencyMetric): boolean {
  return isEngineLimited(inputs.sufficiency?.[metric]);
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
  // Steps whose delay the engine did not compute (null, --engine clickhouse) are not ranked: unknown is not 0.
  const ranked = inputs.steps
    .filter((step): step is StepJson & { totalDelayMs: number } => step.totalDelayMs !== null && step.totalDelayMs > 0)
    .sort((a, b) => b.totalDelayMs - a.totalDelayMs);
  const { top, supported } = pickSupported(ranked, (step) => step.delayMs.n);
  if (!top) return null;
  const leadSumMs = totalLeadMs(inputs);
  const partial = partialClause(inputs.sufficiency, ['stepTimes', 'leadTime']);
  if (!supported) {
    // Every ranked step has fewer finished visits than needed: name the leader, claim no median or share.
    return {
      kind: 'biggest-delay',
      title: 'Biggest delay',
      statement:
        `Not enough finished visits to say where work waits longest: ${top.name} has held ${duration(top.totalDelayMs)} of waiting so far, ` +
        `but only ${formatCount(top.delayMs.n)} of its ${formatCount(top.visits)} visits have finished (at least ${MIN_FINISHED_VISITS} are needed).` +
        partial,
      subject: { step: top.name },
      metric: { name: 'totalDelayMs', value: top.totalDelayMs, unit: 'ms' },
      shareOfLeadTime: null,
      n: top.delayMs.n,
      ciLow: null,
      ciHigh: null,
      thin: true,
      evidence: ranked.slice(1, 3).map((step) => `next: ${step.name} with ${formatCount(step.delayMs.n)} finished visits`),
    };
  }
  const step = supported;
  const share = leadSumMs > 0 ? step.totalDelayMs / leadSumMs : null;
  const delay = step.delayMs;
  const intake = isIntakeStep(step, inputs.commitmentPointSet === true);
  const where = step.activeUnknown
    ? `before ${step.name} (elapsed time; this log has no start times)`
    : intake
      ? `in ${step.name}, before the commitment point (backlog time)`
      : `in ${step.name}`;
  const caveat = step === top ? '' : `${notEnoughText(top.name, top.delayMs.n, top.visits, 'visits')} Among steps with enough finished visits, `;
  const opening = caveat === '' ? 'Work waits longest' : 'work waits longest';
  const statement =
    caveat +
    `${opening} ${where}: ${delay.approximate ? '≈ ' : ''}${duration(delay.median)} median per visit (${ciText(delay.ciLow, delay.ciHigh, duration, engineLimited(inputs, 'stepTimes'))}), ` +
    `${duration(step.totalDelayMs)} in total, ${formatPercent(share)} of all lead time, over ${formatCount(delay.n)} finished visits.` +
    waitCauseSentence(step) +
    thinNote(delay.n, delay.thin) +
    partial;
  const evidence = [
    `queue ${duration(step.queueMs.median)} · waiting ${duration(step.waitingMs.median)} · blocked ${duration(step.blockedMs.median)} (medians per visit)`,
    `p85 ${duration(delay.p85)}, p95 ${duration(delay.p95)}`,
  ];
  if (intake) evidence.push(`${step.name} is the first step and a queue: ${INTAKE_ADVICE}`);
  if (step.activeUnknown) evidence.push('single-timestamp log: elapsed time between events, active time unknown');
  const causes = waitCauseEvidence(step);
  if (causes) evidence.push(causes);
  const next = ranked.find((candidate) => candidate !== step && candidate !== top);
  if (next) evidence.push(`next: ${next.name} with ${duration(next.totalDelayMs)} in total`);
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

/** The handoff total as text; "an unknown number of" when the engine did not count it. */
function handoffTotalText(inputs: FindingInputs): string {
  return inputs.handoffs.total === null ? 'an unknown number of' : formatCount(inputs.handoffs.total);
}

/** 2. Most common rework loop: the loop affecting the most cases, with the time it adds. */
export function findMostCommonReworkLoop(inputs: FindingInputs): FindingJson | null {
  const duration = durationFormatter(inputs);
  const rankedLoops = [...inputs.rework.loops].sort((a, b) => b.cases - a.cases || b.addedMs.sum - a.addedMs.sum);
  const { top, supported: loop } = pickSupported(rankedLoops, (candidate) => candidate.addedMs.n);
  if (!top) return null;
  if (!loop) {
    return {
      kind: 'rework-loop',
      title: 'Most common rework loop',
      statement:
        `${formatCount(top.cases)} ${top.cases === 1 ? 'case loops' : 'cases loop'} ${top.path.join(' → ')}, but not enough finished loops to say what it adds: ` +
        `${formatCount(top.addedMs.n)} measured (at least ${MIN_FINISHED_VISITS} are needed).` +
        partialClause(inputs.sufficiency, ['rework']),
      subject: { from: top.from, to: top.to, path: top.path },
      metric: { name: 'cases', value: top.cases, unit: 'cases' },
      shareOfLeadTime: null,
      n: top.cases,
      ciLow: null,
      ciHigh: null,
      thin: true,
      evidence: [`${formatCount(top.occurrences)} occurrences in ${formatCount(top.cases)} cases`],
    };
  }
  const loopCaveat = loop === top ? '' : `${notEnoughText(top.path.join(' → '), top.addedMs.n, top.occurrences, 'loops')} Among loops with enough finished repeats: `;
  const caseShare = inputs.log.cases > 0 ? loop.cases / inputs.log.cases : 0;
  const leadSumMs = totalLeadMs(inputs);
  const share = leadSumMs > 0 ? loop.addedMs.sum / leadSumMs : null;
  const statement =
    loopCaveat +
    `${formatCount(loop.cases)} cases (${formatPercent(caseShare)}) loop ${loop.path.join(' → ')}, ` +
    `adding ${loop.addedMs.approximate ? '≈ ' : ''}${duration(loop.addedMs.median)} median per loop (${ciText(loop.addedMs.ciLow, loop.addedMs.ciHigh, duration, engineLimited(inputs, 'rework'))}), ` +
    `${formatPercent(share)} of all lead time.` +
    thinNote(loop.addedMs.n, loop.addedMs.thin) +
    partialClause(inputs.sufficiency, ['rework']);
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
  type Scored = { handoff: ReportJson['handoffs']['matrix'][number]; score: number; pingPongs: number };
  const scored: Scored[] = [];
  for (const handoff of inputs.handoffs.matrix) {
    const pingPongs = pingPongByPair.get(`${handoff.from}\u0000${handoff.to}`) ?? pingPongByPair.get(`${handoff.to}\u0000${handoff.from}`) ?? 0;
    const waitMs = handoff.waitAfterMs.median ?? 0;
    const score = handoff.count * Math.max(waitMs, 1) * (1 + pingPongs / Math.max(handoff.count, 1));
    scored.push({ handoff, score, pingPongs });
  }
  // Stable: equal scores keep matrix order (the first one found wins, as before).
  scored.sort((a, b) => b.score - a.score);
  const { top, supported: best } = pickSupported(scored, (entry) => entry.handoff.waitAfterMs.n);
  if (!top) return null;
  if (!best) {
    const handoff = top.handoff;
    return {
      kind: 'handoff',
      title: 'Handoff to simplify',
      statement:
        `${handoff.from} → ${handoff.to} is handed over ${formatCount(handoff.count)} times, but not enough finished waits after it to say how long work then waits: ` +
        `${formatCount(handoff.waitAfterMs.n)} measured (at least ${MIN_FINISHED_VISITS} are needed).` +
        partialClause(inputs.sufficiency, ['handoffs']),
      subject: { from: handoff.from, to: handoff.to },
      metric: { name: 'handoffs', value: handoff.count, unit: 'count' },
      shareOfLeadTime: null,
      n: handoff.waitAfterMs.n,
      ciLow: null,
      ciHigh: null,
      thin: true,
      evidence: [`${handoffTotalText(inputs)} handoffs in all, at ${inputs.handoffs.level} level`],
    };
  }
  const handoffCaveat =
    best === top ? '' : `${notEnoughText(`${top.handoff.from} → ${top.handoff.to}`, top.handoff.waitAfterMs.n, top.handoff.count, 'waits')} Among handoffs with enough finished waits: `;
  const { handoff, pingPongs } = best;
  const wait = handoff.waitAfterMs;
  const leadSumMs = totalLeadMs(inputs);
  const share = leadSumMs > 0 ? wait.sum / leadSumMs : null;
  const statement =
    handoffCaveat +
    `${handoff.from} → ${handoff.to} is handed over ${formatCount(handoff.count)} times in ${formatCount(handoff.cases)} cases; ` +
    `work then waits ${wait.approximate ? '≈ ' : ''}${duration(wait.median)} median (${ciText(wait.ciLow, wait.ciHigh, duration, engineLimited(inputs, 'handoffs'))}), ${formatPercent(share)} of all lead time` +
    (pingPongs > 0 ? `, and bounces back ${formatCount(pingPongs)} times (ping-pong).` : '.') +
    thinNote(wait.n, wait.thin) +
    partialClause(inputs.sufficiency, ['handoffs']);
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
      `${handoffTotalText(inputs)} handoffs in all, at ${inputs.handoffs.level} level`,
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
