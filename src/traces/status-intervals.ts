/**
 * Status-change logs → step visits (DESIGN §3.1). One pass per case over its events, in time order:
 * - `enter` closes the current status stay and opens the next; consecutive stays in statuses of the same step
 *   are one visit, whose time is split by the class of each status (queue / active / waiting);
 * - `block` / `unblock` overlay blocked time on whatever class is current (a flagged "In Progress" is blocked,
 *   not active); `owner` changes who holds the case; every event carries the owner state after it;
 * - the first entry to a done-class status (or a configured done activity) is the outcome. Time in done
 *   statuses is no class's time. Leaving done for another status is a reopen: counted, and the later visits
 *   are kept (rework sees them) but lie outside the lead time, which ends at the FIRST done entry (DESIGN §4);
 * - the last stay is open and censored at asOf.
 */
import { MISSING_CODE } from '../model/dictionary.js';
import { LifecycleCode } from '../model/lifecycle.js';
import { closeCase } from './censoring.js';
import { OwnerTally, type PassContext } from './pass-context.js';
import { ClassCode } from './step-map.js';

/** Mutable state of the case being scanned; one object reused for all cases (no per-case closures). */
interface ScanState {
  visit: number;
  visitStep: number;
  currentClass: number;
  blocked: boolean;
  owner: number;
  segmentStart: number;
  caseActiveMs: number;
  caseDelayMs: number;
}

/** Books the time since the last event to the current visit: by class, or blocked while flagged. */
function closeSegment(ctx: PassContext, state: ScanState, tally: OwnerTally, atMs: number): void {
  const visit = state.visit;
  if (visit < 0) return;
  tally.add(state.owner, atMs - state.segmentStart);
  const currentClass = state.currentClass;
  if (currentClass === ClassCode.done) return;
  const ms = ctx.durationMs(state.segmentStart, atMs);
  const visits = ctx.visits;
  if (state.blocked || currentClass === ClassCode.blocked) visits.blockedMs[visit] += ms;
  else if (currentClass === ClassCode.active) visits.activeMs[visit] += ms;
  else if (currentClass === ClassCode.waiting) visits.waitingMs[visit] += ms;
  else visits.queueMs[visit] += ms;
}

function closeVisit(ctx: PassContext, state: ScanState, tally: OwnerTally, exitMs: number, open: boolean): void {
  const visit = state.visit;
  if (visit < 0) return;
  const visits = ctx.visits;
  if (!open) visits.exitedAt[visit] = exitMs;
  visits.open[visit] = open ? 1 : 0;
  visits.elapsedMs[visit] = ctx.durationMs(visits.enteredAt[visit], exitMs);
  const dominant = tally.dominant();
  visits.ownerCode[visit] = dominant;
  if (dominant === MISSING_CODE) ctx.quality.missingOwnerVisits++;
  if (visits.inLead[visit] === 1) {
    state.caseActiveMs += visits.activeMs[visit];
    state.caseDelayMs += visits.queueMs[visit] + visits.waitingMs[visit] + visits.blockedMs[visit];
  }
}

/**
 * Left-censoring (DESIGN §7b): the case's first observed status is already an outcome, or the adapter knows its
 * history starts after creation. Such a case gets no lead time (never 0 s) and no visits; it is counted.
 */
function isLeftCensored(ctx: PassContext, c: number, logCase: number, from: number, to: number): boolean {
  const { log, map, asOfMs, quality, cases } = ctx;
  let firstDone = false;
  let hasStatus = false;
  for (let i = from; i < to; i++) {
    if (log.timestampMs[i] > asOfMs) break;
    if (log.lifecycle[i] !== LifecycleCode.enter || map.stepOfActivity[log.activityCode[i]] < 0) continue;
    hasStatus = true;
    firstDone = map.isOutcomeActivity[log.activityCode[i]] === 1;
    break;
  }
  if (!hasStatus) return false;
  const afterCreation = log.caseEvidence?.historyAfterCreation[logCase] === 1;
  if (!firstDone && !afterCreation) return false;
  cases.leftCensored[c] = 1;
  quality.leftCensoredCases++;
  if (firstDone) quality.leftCensoredFirstDone++;
  return true;
}

export function reconstructStatusCases(ctx: PassContext): void {
  const { log, map, durationMs, asOfMs, ownerColumn, visits, cases, quality } = ctx;
  const { stepOfActivity, classOfActivity, isOutcomeActivity, isTriggerActivity } = map;
  const { timestampMs, lifecycle, activityCode, caseStart } = log;
  const tally = new OwnerTally();
  const state: ScanState = {
    visit: -1,
    visitStep: -1,
    currentClass: ClassCode.queue,
    blocked: false,
    owner: MISSING_CODE,
    segmentStart: NaN,
    caseActiveMs: 0,
    caseDelayMs: 0,
  };

  const { firstCase, endCase } = ctx;
  for (let logCase = firstCase; logCase < endCase; logCase++) {
    const c = logCase - firstCase;
    const from = caseStart[logCase];
    const to = caseStart[logCase + 1];
    state.visit = -1;
    state.visitStep = -1;
    state.currentClass = ClassCode.queue;
    state.blocked = false;
    state.owner = MISSING_CODE;
    state.segmentStart = NaN;
    state.caseActiveMs = 0;
    state.caseDelayMs = 0;
    if (isLeftCensored(ctx, c, logCase, from, to)) continue;
    let triggered = isTriggerActivity === null;
    let inDone = false;
    let sawEvent = false;

    for (let i = from; i < to; i++) {
      const atMs = timestampMs[i];
      if (atMs > asOfMs) {
        quality.eventsAfterAsOf += to - i;
        break;
      }
      const lifecycleCode = lifecycle[i];
      if (lifecycleCode === LifecycleCode.enter) {
        const activity = activityCode[i];
        const step = stepOfActivity[activity];
        if (step < 0) continue;
        sawEvent = true;
        closeSegment(ctx, state, tally, atMs);
        if (!triggered && isTriggerActivity !== null && isTriggerActivity[activity] === 1) triggered = true;
        if (triggered && Number.isNaN(cases.triggeredAt[c])) cases.triggeredAt[c] = atMs;
        const reachedOutcome = !Number.isNaN(cases.outcomeAt[c]);
        state.owner = ownerColumn[i];
        if (step !== state.visitStep) {
          closeVisit(ctx, state, tally, atMs, false);
          const visit = visits.push(c, step, i, atMs);
          state.visit = visit;
          state.visitStep = step;
          visits.inLead[visit] = triggered && !reachedOutcome && isOutcomeActivity[activity] === 0 ? 1 : 0;
          tally.reset();
          tally.add(state.owner, 0);
        }
        const currentClass = classOfActivity[activity];
        state.currentClass = currentClass;
        if (currentClass === ClassCode.active) {
          if (Number.isNaN(visits.workStartedAt[state.visit])) visits.workStartedAt[state.visit] = atMs;
          if (triggered && !reachedOutcome && Number.isNaN(cases.firstActiveAt[c])) cases.firstActiveAt[c] = atMs;
        }
        if (isOutcomeActivity[activity] === 1) {
          if (triggered && !reachedOutcome) cases.outcomeAt[c] = atMs;
          inDone = true;
        } else if (inDone) {
          inDone = false;
          cases.reopens[c]++;
        }
        state.segmentStart = atMs;
      } else if (
        lifecycleCode === LifecycleCode.owner ||
        lifecycleCode === LifecycleCode.block ||
        lifecycleCode === LifecycleCode.unblock
      ) {
        closeSegment(ctx, state, tally, atMs);
        state.segmentStart = atMs;
        state.owner = ownerColumn[i];
        if (lifecycleCode === LifecycleCode.block) state.blocked = true;
        else if (lifecycleCode === LifecycleCode.unblock) state.blocked = false;
      }
    }
    if (state.visit >= 0) {
      closeSegment(ctx, state, tally, asOfMs);
      closeVisit(ctx, state, tally, asOfMs, true);
    }
    cases.activeMs[c] = state.caseActiveMs;
    cases.delayMs[c] = state.caseDelayMs;
    if (cases.reopens[c] > 0) quality.reopenedCases++;
    if (sawEvent && !triggered) quality.casesWithoutTrigger++;
    if (!sawEvent && to > from) quality.casesWithoutStatus++;
    closeCase(cases, c, durationMs, asOfMs);
  }
}
