/**
 * Wait causes for status (ticket) logs (docs/wait-causes.md "Ticket logs"), per step visit, in elapsed time from
 * entering the status to leaving it (asOf while open). A visit wholly in one non-active class is split:
 *   blocked class → **blocked**;  waiting class → **waiting** (on the customer or a third party);
 *   queue class   → in this precedence: **batching** (it left in a release train: ≥ MIN_TRAIN visits of the same
 *   step leaving within the same minute; the part before the train's last member arrived), **contention** (its
 *   owner held other work in an active status), **unavailability** (off the report's business calendar),
 *   **unassigned** (no owner known, in a log that records owners), **extraneous** (the rest).
 * A stay's class is its step's (members agreeing); a stay flagged blocked throughout is blocked. Stays of steps
 * mixing classes, or flagged for part of the stay, are not split, only counted: the visit does not say when
 * within it each class's time fell.
 */
import type { BusinessCalendar } from '../calendar/business-calendar.js';
import { MISSING_CODE } from '../model/dictionary.js';
import type { StepVisits } from '../traces/step-visits.js';

export const TICKET_WAIT_CAUSES = ['batching', 'contention', 'unavailability', 'blocked', 'waiting', 'unassigned', 'extraneous'] as const;
export type TicketWaitCause = (typeof TICKET_WAIT_CAUSES)[number];

/** Visits of one step leaving within the same minute that make a release train. */
export const MIN_TRAIN = 3;
const MINUTE_MS = 60_000;

export interface TicketWaitCauses {
  /** By step code: Σ ms per cause over its split visits, and how many visits were split / not split. */
  byStep: Array<{ byCauseMs: Record<TicketWaitCause, number>; totalMs: number; visits: number; unsplitVisits: number }>;
  trains: number;
}

function zero(): Record<TicketWaitCause, number> {
  return { batching: 0, contention: 0, unavailability: 0, blocked: 0, waiting: 0, unassigned: 0, extraneous: 0 };
}

/** ms of [fromMs, toMs) covered by sorted, merged [from, to) pairs. */
function covered(union: number[], fromMs: number, toMs: number): number {
  let total = 0;
  for (let k = 0; k < union.length; k += 2) total += Math.max(0, Math.min(toMs, union[k + 1]) - Math.max(fromMs, union[k]));
  return total;
}

function merge(pairs: Array<[number, number]>): number[] {
  pairs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [from, to] of pairs) {
    if (out.length > 0 && from <= out[out.length - 1]) out[out.length - 1] = Math.max(out[out.length - 1], to);
    else out.push(from, to);
  }
  return out;
}

/** @example computeTicketWaitCauses(visits, calendar).byStep[0].byCauseMs.blocked */
export function computeTicketWaitCauses(visits: StepVisits, calendar: BusinessCalendar): TicketWaitCauses {
  const byStep = visits.steps.map(() => ({ byCauseMs: zero(), totalMs: 0, visits: 0, unsplitVisits: 0 }));
  const endOf = (v: number) => (visits.open[v] === 1 ? visits.asOfMs : visits.exitedAt[v]);
  // A step's class when its members agree; the measured class ms are on the report calendar and can be 0
  // for a stay wholly off-hours, so they only tell whether a blocked flag overlaid part of the stay.
  const stepClass = visits.steps.map((step) => {
    const classes = new Set(step.members.map((member) => member.statusClass));
    return classes.size === 1 ? [...classes][0] : 'mixed';
  });
  const kindOf = (v: number): 'queue' | 'waiting' | 'blocked' | 'active' | 'mixed' | 'none' => {
    const statusClass = stepClass[visits.stepCode[v]];
    const flagged = visits.blockedMs[v] > 0;
    if (statusClass === 'mixed') return 'mixed';
    if (statusClass === 'done') return 'none';
    if (statusClass === 'blocked') return 'blocked';
    if (statusClass === 'active') return flagged && visits.activeMs[v] === 0 ? 'blocked' : 'active';
    if (!flagged) return statusClass;
    return visits.queueMs[v] === 0 && visits.waitingMs[v] === 0 ? 'blocked' : 'mixed';
  };
  let ownersRecorded = false;
  for (let v = 0; v < visits.count && !ownersRecorded; v++) ownersRecorded = visits.ownerCode[v] !== MISSING_CODE;
  // Each owner's active intervals (visits wholly active), for "the owner held other work".
  const activeByOwner = new Map<number, Array<[number, number, number]>>();
  for (let v = 0; v < visits.count; v++) {
    if (visits.ownerCode[v] === MISSING_CODE || kindOf(v) !== 'active') continue;
    let list = activeByOwner.get(visits.ownerCode[v]);
    if (!list) activeByOwner.set(visits.ownerCode[v], (list = []));
    list.push([visits.enteredAt[v], endOf(v), visits.caseCode[v]]);
  }
  // Release trains: queue visits of one step closed in the same minute.
  const readyMs = new Float64Array(visits.count).fill(NaN);
  const trainKey = new Map<string, number[]>();
  for (let v = 0; v < visits.count; v++) {
    if (visits.open[v] === 1 || kindOf(v) !== 'queue') continue;
    const key = `${visits.stepCode[v]}:${Math.floor(visits.exitedAt[v] / MINUTE_MS)}`;
    const members = trainKey.get(key);
    if (members) members.push(v);
    else trainKey.set(key, [v]);
  }
  let trains = 0;
  for (const members of trainKey.values()) {
    if (members.length < MIN_TRAIN) continue;
    trains++;
    const ready = Math.max(...members.map((v) => visits.enteredAt[v]));
    for (const v of members) readyMs[v] = ready;
  }

  for (let v = 0; v < visits.count; v++) {
    const step = byStep[visits.stepCode[v]];
    const kind = kindOf(v);
    if (kind === 'active' || kind === 'none') continue;
    if (kind === 'mixed') {
      step.unsplitVisits++;
      continue;
    }
    const fromMs = visits.enteredAt[v];
    const toMs = endOf(v);
    if (!(toMs > fromMs)) continue;
    const totalMs = toMs - fromMs;
    step.visits++;
    step.totalMs += totalMs;
    if (kind === 'blocked' || kind === 'waiting') {
      step.byCauseMs[kind] += totalMs;
      continue;
    }
    const batchEndMs = Number.isNaN(readyMs[v]) ? fromMs : Math.min(toMs, Math.max(fromMs, readyMs[v]));
    const batching = batchEndMs - fromMs;
    const owner = visits.ownerCode[v];
    const busy = merge((activeByOwner.get(owner) ?? []).filter(([from, to, caseCode]) => caseCode !== visits.caseCode[v] && to > batchEndMs && from < toMs).map(([from, to]) => [from, to]));
    const contention = covered(busy, batchEndMs, toMs);
    // Free stretches (not batching, not contention): off-hours there are unavailability.
    let unavailability = 0;
    let cursor = batchEndMs;
    const free: Array<[number, number]> = [];
    for (let k = 0; k < busy.length && cursor < toMs; k += 2) {
      if (busy[k + 1] <= cursor) continue;
      if (busy[k] >= toMs) break;
      if (busy[k] > cursor) free.push([cursor, busy[k]]);
      cursor = Math.max(cursor, busy[k + 1]);
    }
    if (cursor < toMs) free.push([cursor, toMs]);
    if (calendar.spec.kind === 'business') for (const [from, to] of free) unavailability += to - from - calendar.durationMs(from, to);
    const rest = totalMs - batching - contention - unavailability;
    step.byCauseMs.batching += batching;
    step.byCauseMs.contention += contention;
    step.byCauseMs.unavailability += unavailability;
    // "Unassigned" claims nobody owned the work; in a log that names no owner at all (a wide stage-date CSV) that is
    // unknown, so the rest stays extraneous (outside the data).
    step.byCauseMs[owner === MISSING_CODE && ownersRecorded ? 'unassigned' : 'extraneous'] += rest;
  }
  return { byStep, trains };
}
