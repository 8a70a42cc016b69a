/** Colours and labels of the five wait causes, shared by the map's cause bars and the wait-causes chart. */
import { WAIT_CAUSES, type WaitCause } from '../metrics/wait-causes.js';

export { WAIT_CAUSES, type WaitCause };

/** Distinct hues (colour-blind safe order after Okabe–Ito); extraneous is grey: "not explained by the data". */
export const WAIT_CAUSE_COLORS: Record<WaitCause | TicketOnlyCause, string> = {
  batching: '#CC79A7',
  contention: '#D55E00',
  prioritization: '#E69F00',
  unavailability: '#0072B2',
  blocked: '#7f1d1d',
  waiting: '#56B4E9',
  unassigned: '#009E73',
  extraneous: '#9aa5b1',
};

/** Causes only status (ticket) logs have. */
export type TicketOnlyCause = 'blocked' | 'waiting' | 'unassigned';

/** Display order: the activity causes, the ticket causes, extraneous last. */
export const ALL_WAIT_CAUSES = ['batching', 'contention', 'prioritization', 'unavailability', 'blocked', 'waiting', 'unassigned', 'extraneous'] as const;
export type AnyWaitCause = (typeof ALL_WAIT_CAUSES)[number];

/** The causes a report measures: the five, plus the ticket causes when any step has them. */
export function causesIn(steps: ReadonlyArray<{ waitCausesMs?: { byCauseMs: Partial<Record<AnyWaitCause, number>> } }>): AnyWaitCause[] {
  return ALL_WAIT_CAUSES.filter((cause) => WAIT_CAUSES.includes(cause as WaitCause) || steps.some((step) => step.waitCausesMs?.byCauseMs[cause] !== undefined));
}
