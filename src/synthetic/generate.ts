import { VsmError } from '../errors.js';
import { type StepVisit, type TicketStep, simulateTicket } from './ticket-flow.js';
import { WORKING_DAY_MS, addWorkingMs, exponential, mixSeed, mulberry32, snapToWorkingMs } from './working-time.js';

/**
 * A deterministic synthetic help-desk log (Triage → Investigate → Fix → Review → Resolve, with customer waits,
 * review rework and reopens) for benchmarks, demos and tests. Same options → the same events, always.
 */
export type SyntheticShape = 'activity-start-complete' | 'activity-complete-only' | 'status-changes';
export const SYNTHETIC_SHAPES: readonly SyntheticShape[] = ['activity-start-complete', 'activity-complete-only', 'status-changes'];

export interface SyntheticEvent {
  caseId: string;
  /** The step (activity shapes) or the status entered (status-changes shape). */
  activity: string;
  lifecycle: 'start' | 'complete' | 'enter';
  timestampMs: number;
  /** The person; '' while a ticket sits unassigned in a queue status. */
  resource: string;
  group: string;
  /** Status-changes shape: the status left ('' for the creation event). '' in activity shapes. */
  fromStatus: string;
}

export interface GenerateOptions {
  seed: number;
  cases: number;
  shape: SyntheticShape;
  /** First possible arrival, epoch ms (default 2024-01-01T00:00:00Z, a Monday). */
  startMs?: number;
  /**
   * Stop after this many events. The last case emitted may be cut short, which reads like an export taken
   * while it was open; the censoring horizon is unchanged.
   */
  maxEvents?: number;
}

export const DEFAULT_START_MS = Date.UTC(2024, 0, 1);
/** Open cases: the export is taken this much office time after the last ticket arrived. */
const EXPORT_AFTER_LAST_ARRIVAL_MS = 2 * WORKING_DAY_MS;
/** Arrival stream number (case streams are 0..cases-1; this one sits far above them). */
const ARRIVAL_STREAM = 0x7fffffff;

/** Status entered while a step waits to be picked up, and while it is being worked. */
const STATUSES: Record<TicketStep, { queue: string; active: string }> = {
  Triage: { queue: 'New', active: 'Triaging' },
  Investigate: { queue: 'Waiting for L2', active: 'Investigating' },
  'Wait for customer': { queue: 'Waiting for Customer', active: 'Waiting for Customer' },
  Fix: { queue: 'Ready for Dev', active: 'In Development' },
  Review: { queue: 'Ready for Review', active: 'In Review' },
  Resolve: { queue: 'Ready to Resolve', active: 'Resolving' },
};
export const RESOLVED_STATUS = 'Resolved';

/** Tickets per office day: enough that a big log spans about a year of working days, at least 20 a day. */
function casesPerWorkingDay(cases: number): number {
  return Math.max(20, Math.ceil(cases / 250));
}

/** Arrival times of all cases, in order; computed twice (horizon, then generation) instead of stored. */
function* arrivals(options: GenerateOptions): Generator<number> {
  const random = mulberry32(mixSeed(options.seed, ARRIVAL_STREAM));
  const meanGapMs = WORKING_DAY_MS / casesPerWorkingDay(options.cases);
  let atMs = snapToWorkingMs(options.startMs ?? DEFAULT_START_MS);
  for (let i = 0; i < options.cases; i++) {
    atMs = Math.round(addWorkingMs(atMs, exponential(random, meanGapMs)));
    yield atMs;
  }
}

/** The moment the export was taken: events after it do not exist yet (their cases are open, i.e. censored). */
export function exportHorizonMs(options: GenerateOptions): number {
  let lastArrivalMs = options.startMs ?? DEFAULT_START_MS;
  for (const atMs of arrivals(options)) lastArrivalMs = atMs;
  return addWorkingMs(lastArrivalMs, EXPORT_AFTER_LAST_ARRIVAL_MS);
}

function caseIdOf(index: number): string {
  return `T-${String(index + 1).padStart(7, '0')}`;
}

function* visitEvents(caseId: string, visits: StepVisit[], shape: SyntheticShape): Generator<SyntheticEvent> {
  if (shape !== 'status-changes') {
    for (const visit of visits) {
      const { step: activity, resource, group } = visit;
      if (shape === 'activity-start-complete') {
        yield { caseId, activity, lifecycle: 'start', timestampMs: visit.workStartedAtMs, resource, group, fromStatus: '' };
      }
      yield { caseId, activity, lifecycle: 'complete', timestampMs: visit.exitedAtMs, resource, group, fromStatus: '' };
    }
    return;
  }
  let current = '';
  const enter = (status: string, timestampMs: number, resource: string, group: string): SyntheticEvent => {
    const event: SyntheticEvent = { caseId, activity: status, lifecycle: 'enter', timestampMs, resource, group, fromStatus: current };
    current = status;
    return event;
  };
  for (const visit of visits) {
    const statuses = STATUSES[visit.step];
    if (visit.step === 'Wait for customer') {
      yield enter(statuses.queue, visit.enteredAtMs, visit.resource, visit.group);
      continue;
    }
    // Queues are unassigned in help desks: the ticket belongs to the team until someone picks it up.
    yield enter(statuses.queue, visit.enteredAtMs, '', visit.group);
    yield enter(statuses.active, visit.workStartedAtMs, visit.resource, visit.group);
    if (visit.resolves) yield enter(RESOLVED_STATUS, visit.exitedAtMs, visit.resource, visit.group);
  }
}

/**
 * Generates the events of a synthetic ticket log, case by case (events of one case are contiguous and in
 * time order). Lazy: 5 million events stream through without being held in memory.
 *
 * @example
 * for (const event of generateTicketLog({ seed: 42, cases: 100, shape: 'activity-start-complete' })) { … }
 */
export function* generateTicketLog(options: GenerateOptions): Generator<SyntheticEvent> {
  if (!Number.isSafeInteger(options.cases) || options.cases < 0) {
    throw new VsmError({ code: 'BAD_OPTION', what: 'case count must be a whole number ≥ 0', where: 'generateTicketLog cases', got: String(options.cases), fix: 'pass e.g. cases: 1000' });
  }
  if (!(SYNTHETIC_SHAPES as readonly string[]).includes(options.shape)) {
    throw new VsmError({ code: 'BAD_OPTION', what: 'unknown synthetic log shape', where: 'generateTicketLog shape', got: String(options.shape), fix: `use one of ${SYNTHETIC_SHAPES.join(', ')}` });
  }
  const horizonMs = exportHorizonMs(options);
  const maxEvents = options.maxEvents ?? Infinity;
  let emitted = 0;
  let caseIndex = 0;
  for (const arrivedAtMs of arrivals(options)) {
    const random = mulberry32(mixSeed(options.seed, caseIndex));
    const caseId = caseIdOf(caseIndex);
    caseIndex++;
    for (const event of visitEvents(caseId, simulateTicket(random, arrivedAtMs), options.shape)) {
      if (event.timestampMs > horizonMs) break;
      if (emitted >= maxEvents) return;
      emitted++;
      yield event;
    }
  }
}

/** Events per case of each shape at seed 42, measured on 20,000 cases: the first guess of casesForEvents. */
const EVENTS_PER_CASE_GUESS: Record<SyntheticShape, number> = {
  'activity-start-complete': 8.3,
  'activity-complete-only': 4.15,
  'status-changes': 9.17,
};

/** Counts the events a configuration yields (a generation pass without writing). */
export function countEvents(options: GenerateOptions): number {
  let count = 0;
  for (const _event of generateTicketLog(options)) count++;
  return count;
}

/**
 * A case count whose log has at least `targetEvents` events and barely more, for "give me a 1M-event log":
 * pass it as `cases` with `maxEvents: targetEvents` to get exactly that many events. Barely more matters:
 * the export horizon follows the last arrival, so surplus cases cut by maxEvents would push it out and
 * leave no open cases in what is written. Costs two or three generation passes.
 */
export function casesForEvents(targetEvents: number, shape: SyntheticShape, seed: number): number {
  let cases = Math.max(1, Math.ceil(targetEvents / EVENTS_PER_CASE_GUESS[shape]));
  let best = Infinity;
  for (let attempt = 0; attempt < 8; attempt++) {
    const events = countEvents({ seed, cases, shape });
    if (events >= targetEvents) {
      best = Math.min(best, cases);
      if (events <= targetEvents * 1.002 + 50) return cases;
    }
    // Rescale by the measured rate, aiming 0.1 % high so the next pass lands just above the target.
    const next = Math.ceil(((cases * targetEvents) / Math.max(1, events)) * 1.001) + 1;
    cases = next === cases ? cases + 1 : next;
  }
  if (best !== Infinity) return best;
  throw new VsmError({ code: 'INTERNAL', what: 'could not size the synthetic log', where: 'casesForEvents', got: String(targetEvents), fix: 'report this as a bug' });
}
