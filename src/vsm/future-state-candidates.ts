import { formatPercent, makeDurationFormatter } from '../model/units.js';
import { isIntakeStep, MIN_FINISHED_VISITS, partialClause } from './finding-support.js';
import type { FindingJson, ReportJson, SufficiencyJson } from '../contracts/report-schema.js';
import { adviceFor } from './wait-cause-words.js';

type Candidate = NonNullable<ReportJson['findings']['futureStateChange']>['candidates'][number];
type Inputs = Pick<ReportJson, 'steps' | 'leadTimeMs' | 'rework' | 'handoffs' | 'log'> & {
  calendar?: Pick<ReportJson['calendar'], 'workdayMs'>;
  sufficiency?: SufficiencyJson;
  commitmentPointSet?: boolean;
};

/** The share by which each simple candidate is assumed to cut its target (a queue, a loop, a handoff wait). */
export const CANDIDATE_CUT = 0.5;
/** A change that raises one owner's active work by more than this share, while no one else's drops, only moves work. */
export const MOVES_WORK_THRESHOLD = 0.1;

/** Active work per owner (Σ active ms of the steps each owner dominates). */
export function activeWorkByOwner(steps: ReportJson['steps']): Map<string, number> {
  const work = new Map<string, number>();
  for (const step of steps) {
    const owner = step.owner?.name ?? '(unknown owner)';
    // Unknown active time (null: not computed by the engine) adds nothing rather than a guess.
    work.set(owner, (work.get(owner) ?? 0) + (step.totalActiveMs ?? 0));
  }
  return work;
}

function shiftRows(before: Map<string, number>, after: Map<string, number>): Candidate['workloadShift'] {
  return [...before.keys()]
    .filter((owner) => (after.get(owner) ?? 0) !== (before.get(owner) ?? 0))
    .map((owner) => ({ owner, activeMsBefore: before.get(owner) ?? 0, activeMsAfter: after.get(owner) ?? 0 }));
}

/** True when some owner gains more than MOVES_WORK_THRESHOLD of its active work and no owner's total drops. */
export function movesWork(shift: Candidate['workloadShift']): boolean {
  const gains = shift.some((row) => row.activeMsAfter > row.activeMsBefore * (1 + MOVES_WORK_THRESHOLD));
  const totalBefore = shift.reduce((sum, row) => sum + row.activeMsBefore, 0);
  const totalAfter = shift.reduce((sum, row) => sum + row.activeMsAfter, 0);
  return gains && totalAfter >= totalBefore * (1 - 1e-9);
}

/**
 * Candidate future-state changes with a simple per-case estimate (no simulation), DESIGN §5.4:
 * cut the biggest queue with a WIP limit, cut the top rework loop's cause, merge the two steps around the handoff
 * to simplify. Merging moves the receiving team's active work onto the other team, so it is flagged when it only
 * moves work. The proposal is the largest saving among changes that do not move work.
 */
export function proposeFutureState(
  inputs: Inputs,
  answers: { biggestDelay: FindingJson | null; mostCommonReworkLoop: FindingJson | null; handoffToSimplify: FindingJson | null },
): (FindingJson & { candidates: Candidate[] }) | null {
  const duration = makeDurationFormatter({ workdayMs: inputs.calendar?.workdayMs ?? null });
  const cases = Math.max(inputs.log.cases, 1);
  const leadSumMs = inputs.leadTimeMs.sum;
  const leadMeanMs = leadSumMs / cases;
  const shareOf = (savedPerCaseMs: number) => (leadMeanMs > 0 ? savedPerCaseMs / leadMeanMs : null);
  const workBefore = activeWorkByOwner(inputs.steps);
  const candidates: Candidate[] = [];

  // Savings only from targets with enough finished visits: never from censored (still open) time alone.
  const delayStep = inputs.steps.find((step) => step.name === answers.biggestDelay?.subject.step && step.delayMs.n >= MIN_FINISHED_VISITS);
  if (delayStep && delayStep.totalDelayMs !== null) {
    const saved = (CANDIDATE_CUT * delayStep.totalDelayMs) / cases;
    const intake = isIntakeStep(delayStep, inputs.commitmentPointSet === true);
    // Where the wait's causes are known, the change follows the dominant cause (docs/wait-causes.md).
    const advice = intake ? undefined : adviceFor(delayStep);
    candidates.push({
      kind: intake ? 'cut-intake' : (advice?.kind ?? 'wip-limit'),
      description: intake
        ? `Cut intake into ${delayStep.name} so its backlog time falls by ${formatPercent(CANDIDATE_CUT)}, or set the commitment point (config "trigger") after it — a WIP limit does not shorten a backlog`
        : `${advice?.description ?? `Limit work in progress before ${delayStep.name}`} so its waiting time falls by ${formatPercent(CANDIDATE_CUT)}`,
      steps: [delayStep.name],
      leadTimeSavedMsPerCase: saved,
      shareOfLeadTime: shareOf(saved),
      workloadShift: [],
      movesWork: false,
    });
  }

  const loop = inputs.rework.loops.find(
    (candidate) => candidate.path.join('\u0000') === answers.mostCommonReworkLoop?.subject.path?.join('\u0000') && candidate.addedMs.n >= MIN_FINISHED_VISITS,
  );
  if (loop) {
    const saved = (CANDIDATE_CUT * loop.addedMs.sum) / cases;
    const workAfter = new Map(workBefore);
    for (const name of new Set(loop.path)) {
      const step = inputs.steps.find((candidate) => candidate.name === name);
      if (!step || step.visits === 0) continue;
      const owner = step.owner?.name ?? '(unknown owner)';
      const repeatShare = Math.min(1, loop.occurrences / step.visits);
      workAfter.set(owner, (workAfter.get(owner) ?? 0) - CANDIDATE_CUT * repeatShare * (step.totalActiveMs ?? 0));
    }
    const workloadShift = shiftRows(workBefore, workAfter);
    candidates.push({
      kind: 'cut-rework',
      description: `Remove the cause of the ${loop.path.join(' → ')} loop for half of the cases that take it`,
      steps: [...new Set(loop.path)],
      leadTimeSavedMsPerCase: saved,
      shareOfLeadTime: shareOf(saved),
      workloadShift,
      movesWork: movesWork(workloadShift),
    });
  }

  const handoff = inputs.handoffs.matrix.find(
    (candidate) =>
      candidate.from === answers.handoffToSimplify?.subject.from &&
      candidate.to === answers.handoffToSimplify?.subject.to &&
      candidate.waitAfterMs.n >= MIN_FINISHED_VISITS,
  );
  if (handoff) {
    const saved = (CANDIDATE_CUT * handoff.waitAfterMs.sum) / cases;
    const receiving = inputs.steps.filter((step) => step.owner?.name === handoff.to);
    const moved = receiving.reduce((sum, step) => sum + (step.totalActiveMs ?? 0), 0);
    const workAfter = new Map(workBefore);
    workAfter.set(handoff.to, (workAfter.get(handoff.to) ?? 0) - moved);
    workAfter.set(handoff.from, (workAfter.get(handoff.from) ?? 0) + moved);
    const workloadShift = shiftRows(workBefore, workAfter);
    candidates.push({
      kind: 'merge-steps',
      description: `Let ${handoff.from} finish the work now handed to ${handoff.to} (merge their steps), removing half of the wait after the handoff`,
      steps: receiving.map((step) => step.name),
      leadTimeSavedMsPerCase: saved,
      shareOfLeadTime: shareOf(saved),
      workloadShift,
      movesWork: moved > 0 ? movesWork(workloadShift) : false,
    });
  }

  if (candidates.length === 0) return null;
  const proposable = candidates.filter((candidate) => !candidate.movesWork).sort((a, b) => b.leadTimeSavedMsPerCase - a.leadTimeSavedMsPerCase);
  const proposed = proposable[0];
  const flagged = candidates.filter((candidate) => candidate.movesWork);
  const evidence = candidates.map(
    (candidate) =>
      `${candidate.kind}: −${duration(candidate.leadTimeSavedMsPerCase)} per case (${formatPercent(candidate.shareOfLeadTime)})${candidate.movesWork ? ' — moves the bottleneck: not proposed' : ''}`,
  );
  evidence.push(`simple estimate: each change cuts its target by ${formatPercent(CANDIDATE_CUT)}; run \`vsm simulate\` for the distribution`);
  const statement = proposed
    ? `${proposed.description}: about ${duration(proposed.leadTimeSavedMsPerCase)} less lead time per case (${formatPercent(proposed.shareOfLeadTime)}), ` +
      `without moving active work onto another team.` +
      (flagged.length > 0 ? ` Not proposed: ${flagged.map((c) => c.kind).join(', ')} (only moves work).` : '')
    : `No change reduces delay without moving work onto another team; ${flagged.map((c) => c.kind).join(', ')} would only move the bottleneck.`;
  const statementWithData = statement + partialClause(inputs.sufficiency, ['stepTimes', 'leadTime']);
  return {
    kind: 'future-state',
    title: 'Future-state change',
    statement: statementWithData,
    subject: proposed ? { step: proposed.steps[0] } : {},
    metric: { name: 'leadTimeSavedMsPerCase', value: proposed?.leadTimeSavedMsPerCase ?? 0, unit: 'ms' },
    shareOfLeadTime: proposed?.shareOfLeadTime ?? null,
    n: inputs.log.cases,
    ciLow: null,
    ciHigh: null,
    thin: inputs.log.cases < 30,
    evidence,
    candidates,
  };
}
