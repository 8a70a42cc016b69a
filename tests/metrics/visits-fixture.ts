/**
 * Hand-made StepVisits / CaseTimes for metric tests, built from a readable list of cases, plus an adapter that
 * turns every event of an EventLog into one visit (the atomic-log view the PM4Py cross-check compares).
 */
import { Dictionary, MISSING_CODE } from '../../src/model/dictionary.js';
import type { EventLog } from '../../src/model/event-log.js';
import type { CaseTimes, StepDefinition, StepVisits } from '../../src/traces/step-visits.js';

/** One visit: step, owner (undefined = missing), times in ms. Omitted enteredAt = the previous visit's exit (else 0). */
export interface VisitSpec {
  step: string;
  owner?: string;
  enteredAt?: number;
  /** Undefined = still open at asOf. */
  exitedAt?: number;
  workStartedAt?: number;
  queueMs?: number;
  waitingMs?: number;
  blockedMs?: number;
  activeMs?: number;
}

export interface CaseSpec {
  id: string;
  visits: VisitSpec[];
  /** Default: the first visit's enteredAt (0 without visits). */
  triggeredAt?: number;
  /** Undefined = censored (open at asOf). */
  outcomeAt?: number;
}

export interface VisitsSpec {
  cases: CaseSpec[];
  /** Step names in map order; default: first-seen order. */
  steps?: string[];
  activeUnknown?: boolean;
  /** Default: the latest time in the spec. */
  asOfMs?: number;
  ownerLevel?: 'resource' | 'group';
}

/** Shorthand for a closed visit: v('A', 'ann', 0, 10). Owner '' or undefined = missing. */
export function v(step: string, owner: string | undefined, enteredAt: number, exitedAt?: number, extra: Partial<VisitSpec> = {}): VisitSpec {
  return { step, owner: owner === '' ? undefined : owner, enteredAt, exitedAt, ...extra };
}

/** Sequence shorthand for tests that only care about steps and owners: seq('A:ann B:bob A') — times 0,1,2,… */
export function seq(text: string): VisitSpec[] {
  return text
    .trim()
    .split(/\s+/)
    .map((token, index) => {
      const [step, owner] = token.split(':');
      return { step, owner: owner === undefined || owner === '' ? undefined : owner, enteredAt: index, exitedAt: index + 1 };
    });
}

function stepDefinition(name: string): StepDefinition {
  return { name, members: [{ name, statusClass: 'active', origin: 'fallback' }], valueClass: 'value-adding', owner: null, system: null };
}

export interface VisitsFixture {
  visits: StepVisits;
  cases: CaseTimes;
  caseIds: Dictionary;
}

export function makeVisits(spec: VisitsSpec): VisitsFixture {
  const stepNames = [...(spec.steps ?? [])];
  for (const c of spec.cases) for (const visit of c.visits) if (!stepNames.includes(visit.step)) stepNames.push(visit.step);
  const owners = new Dictionary();
  const caseIds = new Dictionary();
  const count = spec.cases.reduce((n, c) => n + c.visits.length, 0);
  const caseCount = spec.cases.length;
  let latestMs = 0;
  for (const c of spec.cases) {
    for (const visit of c.visits) latestMs = Math.max(latestMs, visit.enteredAt ?? 0, visit.exitedAt ?? 0);
    latestMs = Math.max(latestMs, c.outcomeAt ?? 0, c.triggeredAt ?? 0);
  }
  const asOfMs = spec.asOfMs ?? latestMs;

  const caseCode = new Int32Array(count);
  const caseVisitStart = new Int32Array(caseCount + 1);
  const stepCode = new Int32Array(count);
  const ownerCode = new Int32Array(count);
  const enteredAt = new Float64Array(count);
  const workStartedAt = new Float64Array(count);
  const exitedAt = new Float64Array(count);
  const activeMs = new Float64Array(count);
  const queueMs = new Float64Array(count);
  const waitingMs = new Float64Array(count);
  const blockedMs = new Float64Array(count);
  const elapsedMs = new Float64Array(count);
  const open = new Uint8Array(count);
  const triggeredAt = new Float64Array(caseCount);
  const outcomeAt = new Float64Array(caseCount);
  const censored = new Uint8Array(caseCount);
  const leadMs = new Float64Array(caseCount);

  let index = 0;
  spec.cases.forEach((c, caseIndex) => {
    const code = caseIds.intern(c.id);
    caseVisitStart[caseIndex] = index;
    let previousExitMs = c.triggeredAt ?? c.visits[0]?.enteredAt ?? 0;
    for (const visit of c.visits) {
      const entered = visit.enteredAt ?? previousExitMs;
      const exited = visit.exitedAt ?? NaN;
      const started = visit.workStartedAt ?? NaN;
      caseCode[index] = code;
      stepCode[index] = stepNames.indexOf(visit.step);
      ownerCode[index] = visit.owner === undefined ? MISSING_CODE : owners.intern(visit.owner);
      enteredAt[index] = entered;
      workStartedAt[index] = started;
      exitedAt[index] = exited;
      open[index] = Number.isNaN(exited) ? 1 : 0;
      elapsedMs[index] = (Number.isNaN(exited) ? asOfMs : exited) - entered;
      queueMs[index] = visit.queueMs ?? (Number.isNaN(started) ? 0 : Math.max(0, started - entered));
      activeMs[index] = visit.activeMs ?? (Number.isNaN(started) || Number.isNaN(exited) ? 0 : exited - started);
      waitingMs[index] = visit.waitingMs ?? 0;
      blockedMs[index] = visit.blockedMs ?? 0;
      if (!Number.isNaN(exited)) previousExitMs = exited;
      index++;
    }
    triggeredAt[caseIndex] = c.triggeredAt ?? c.visits[0]?.enteredAt ?? 0;
    outcomeAt[caseIndex] = c.outcomeAt ?? NaN;
    censored[caseIndex] = c.outcomeAt === undefined ? 1 : 0;
    leadMs[caseIndex] = (c.outcomeAt ?? asOfMs) - triggeredAt[caseIndex];
  });
  caseVisitStart[caseCount] = index;

  const visits: StepVisits = {
    count,
    caseCount,
    steps: stepNames.map(stepDefinition),
    owners,
    ownerLevel: spec.ownerLevel ?? 'resource',
    caseCode,
    caseVisitStart,
    stepCode,
    ownerCode,
    enteredAt,
    workStartedAt,
    exitedAt,
    activeMs,
    queueMs,
    waitingMs,
    blockedMs,
    elapsedMs,
    open,
    activeUnknown: spec.activeUnknown ?? false,
    asOfMs,
  };
  const cases: CaseTimes = {
    caseCount,
    triggeredAt,
    outcomeAt,
    firstActiveAt: new Float64Array(caseCount).fill(NaN),
    censored,
    leadMs,
    cycleMs: new Float64Array(caseCount).fill(NaN),
    activeMs: new Float64Array(caseCount),
    delayMs: new Float64Array(caseCount),
  };
  return { visits, cases, caseIds };
}

/**
 * Every event of an atomic (single-timestamp) log as one visit, step = activity, owner = resource (or group):
 * the event-level semantics PM4Py uses. enteredAt = the previous event's timestamp (the case's first event: its own),
 * elapsedMs = raw ms between them (24×7), activeUnknown. Not the product's reconstruction — a test adapter.
 */
export function eventsAsVisits(log: EventLog, ownerLevel: 'resource' | 'group' = 'resource'): StepVisits {
  const count = log.eventCount;
  const enteredAt = new Float64Array(count);
  const elapsedMs = new Float64Array(count);
  for (let c = 0; c < log.caseCount; c++) {
    for (let e = log.caseStart[c]; e < log.caseStart[c + 1]; e++) {
      enteredAt[e] = e === log.caseStart[c] ? log.timestampMs[e] : log.timestampMs[e - 1];
      elapsedMs[e] = log.timestampMs[e] - enteredAt[e];
    }
  }
  let lastMs = 0;
  for (let e = 0; e < count; e++) if (log.timestampMs[e] > lastMs) lastMs = log.timestampMs[e];
  const nan = new Float64Array(count).fill(NaN);
  const zeros = new Float64Array(count);
  return {
    count,
    caseCount: log.caseCount,
    steps: log.activities.values.map(stepDefinition),
    owners: ownerLevel === 'resource' ? log.resources : log.groups,
    ownerLevel,
    caseCode: log.caseCode,
    caseVisitStart: log.caseStart,
    stepCode: log.activityCode,
    ownerCode: ownerLevel === 'resource' ? log.resourceCode : log.groupCode,
    enteredAt,
    workStartedAt: nan,
    exitedAt: log.timestampMs,
    activeMs: zeros,
    queueMs: zeros,
    waitingMs: zeros,
    blockedMs: zeros,
    elapsedMs,
    open: new Uint8Array(count),
    activeUnknown: true,
    asOfMs: lastMs,
  };
}
