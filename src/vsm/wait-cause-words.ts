/**
 * Wait causes in words (docs/wait-causes.md): the dominant cause of a step's wait with its share, and the
 * future-state change that follows from it. One place for the phrasing, shared by the answers and candidates.
 */
import { TICKET_WAIT_CAUSES } from '../metrics/ticket-wait-causes.js';
import { WAIT_CAUSES } from '../metrics/wait-causes.js';
import { formatPercent } from '../model/units.js';
import type { StepJson } from '../contracts/report-schema.js';

type Cause = (typeof WAIT_CAUSES)[number] | (typeof TICKET_WAIT_CAUSES)[number];
const ALL_CAUSES: readonly Cause[] = [...WAIT_CAUSES, 'blocked', 'waiting', 'unassigned'];

const MEANING: Record<Cause, string> = {
  blocked: 'it was flagged or blocked inside the team',
  waiting: 'it was waiting on the customer or a third party',
  unassigned: 'nobody owned it yet',
  batching: 'work was held until a batch of it had accumulated',
  contention: 'the people who do it were busy with work that arrived earlier',
  prioritization: 'the people who do it took work that arrived later first',
  unavailability: 'the people who do it were off their working hours',
  extraneous: 'nothing in the data explains it (customer, vendor or work outside the log)',
};

const ADVICE: Record<Cause, { kind: 'wip-limit' | 'reduce-wait'; change: (step: string) => string }> = {
  blocked: { kind: 'reduce-wait', change: (step) => `Remove what blocks work at ${step} (its wait is mostly blocked time)` },
  waiting: { kind: 'reduce-wait', change: (step) => `Shorten the wait on customers and third parties at ${step}: clearer requests, reminders, agreed response times` },
  unassigned: { kind: 'reduce-wait', change: (step) => `Assign work at ${step} as it arrives (triage rota or pull from one queue)` },
  contention: { kind: 'wip-limit', change: (step) => `Add capacity or limit work in progress at ${step} (its wait is mostly contention)` },
  unavailability: { kind: 'reduce-wait', change: (step) => `Overlap shifts or cover the off-hours at ${step} (its wait is mostly unavailability)` },
  batching: { kind: 'reduce-wait', change: (step) => `Release smaller batches, more often, at ${step} (its wait is mostly batching)` },
  prioritization: { kind: 'reduce-wait', change: (step) => `Work ${step} first-in first-out or by explicit class of service (its wait is mostly prioritization)` },
  extraneous: { kind: 'reduce-wait', change: (step) => `Look outside the process for the wait before ${step}: customer, vendor or hand-offs the log does not show` },
};

/** The cause holding the largest share of the step's wait; null when no wait was split. */
export function dominantCause(step: StepJson): { cause: Cause; share: number } | null {
  const causes = step.waitCausesMs;
  if (!causes || !(causes.totalMs > 0)) return null;
  let best: Cause = WAIT_CAUSES[0];
  for (const cause of ALL_CAUSES) if ((causes.byCauseMs[cause] ?? 0) > (causes.byCauseMs[best] ?? 0)) best = cause;
  return { cause: best, share: causes.shares[best] ?? 0 };
}

/** " 62 % of the wait before Review is contention: …" (leading space), or '' when causes are unknown. */
export function waitCauseSentence(step: StepJson): string {
  const dominant = dominantCause(step);
  if (!dominant) return '';
  const estimated = step.startEstimated ? ' (≈, from estimated start times)' : '';
  return ` ${formatPercent(dominant.share)} of the wait before ${step.name} is ${dominant.cause}: ${MEANING[dominant.cause]}${estimated}.`;
}

/** Every cause's share, for the evidence list. */
export function waitCauseEvidence(step: StepJson): string | null {
  const causes = step.waitCausesMs;
  if (!causes || !(causes.totalMs > 0)) return null;
  const shown = ALL_CAUSES.filter((cause) => causes.byCauseMs[cause] !== undefined);
  return `wait causes (elapsed time): ${shown.map((cause) => `${cause} ${formatPercent(causes.shares[cause] ?? 0)}`).join(' · ')}`;
}

/** The change a step's dominant cause points to; null when causes are unknown. */
export function adviceFor(step: StepJson): { kind: 'wip-limit' | 'reduce-wait'; description: string } | null {
  const dominant = dominantCause(step);
  if (!dominant) return null;
  const advice = ADVICE[dominant.cause];
  return { kind: advice.kind, description: advice.change(step.name) };
}
