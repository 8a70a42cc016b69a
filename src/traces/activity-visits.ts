/**
 * Activity logs → step visits (DESIGN §3.2). Per case: collect instances (lifecycle.ts), order them by start,
 * then one visit per instance with
 *   enteredAt = the previous visit's completion (the case's first instant for the first visit),
 *   queueMs   = start − enteredAt, activeMs = completion − start, elapsedMs = completion − enteredAt.
 * A start before the previous completion (parallel work) would give a negative queue: enteredAt is clamped to
 * the start and the clamp counted. Without a start only elapsedMs is known (queue and active stay 0).
 * Consecutive instances of *different* activities of one configured multi-member step merge into one visit;
 * an activity repeated is a new visit (rework), as is every repeat in a one-activity step.
 *
 * Boundaries: trigger = the case's first instant (or the first instance of the trigger activity); outcome = the
 * completion of the first outcome-activity instance when configured, else the case's last event. A case with
 * events after asOf, without its configured outcome, or whose latest event is a start not yet completed (work in
 * progress), is censored; its open starts become open visits.
 * Case active time = the calendar length of the union of its instances' [start, completion] (parallel work is
 * counted once, as PM4Py's busy time).
 */
import { closeCase } from './censoring.js';
import { InstanceCollector } from './lifecycle.js';
import { OwnerTally, type PassContext } from './pass-context.js';
import { MISSING_CODE } from '../model/dictionary.js';

function finishVisit(ctx: PassContext, visit: number, tally: OwnerTally): void {
  const dominant = tally.dominant();
  ctx.visits.ownerCode[visit] = dominant;
  if (dominant === MISSING_CODE) ctx.quality.missingOwnerVisits++;
}

/**
 * True when the case's latest event is a start still waiting for its completion: the case is being worked on,
 * so without a configured done activity it is open (censored), not finished at its last event.
 */
function workInProgressAtEnd(collector: InstanceCollector): boolean {
  if (collector.openStarts === 0) return false;
  let lastCompleteMs = -Infinity;
  let lastOpenStartMs = -Infinity;
  for (let k = 0; k < collector.count; k++) {
    const endMs = collector.endMs[k];
    if (Number.isNaN(endMs)) lastOpenStartMs = Math.max(lastOpenStartMs, collector.startMs[k]);
    else lastCompleteMs = Math.max(lastCompleteMs, endMs);
  }
  return lastOpenStartMs >= lastCompleteMs;
}

/** Returns the number of instances with a known start (0 → active time is unknown for the whole log). */
export function reconstructActivityCases(ctx: PassContext): number {
  const { log, map, durationMs, asOfMs, ownerColumn, visits, cases, quality } = ctx;
  const { stepOfActivity, isOutcomeActivity, isTriggerActivity, outcomeFromActivities } = map;
  const multiMember = new Uint8Array(map.steps.length);
  map.steps.forEach((step, code) => (multiMember[code] = step.members.length > 1 ? 1 : 0));
  const collector = new InstanceCollector(log, stepOfActivity, ownerColumn);
  const tally = new OwnerTally();
  let memberScratch = new Int32Array(16);
  let instancesWithStart = 0;

  const { firstCase, endCase } = ctx;
  for (let logCase = firstCase; logCase < endCase; logCase++) {
    const c = logCase - firstCase;
    collector.collect(log.caseStart[logCase], log.caseStart[logCase + 1], asOfMs);
    quality.eventsAfterAsOf += collector.eventsAfterAsOf;
    quality.unmatchedCompletes += collector.unmatchedCompletes;
    if (collector.count === 0) continue;
    const { startMs, endMs, activity, owner, firstEvent, order } = collector;
    collector.sortByStart(log.startsEstimated === true);
    const count = collector.count;

    // Boundaries first: which visits lie in the lead time depends on them.
    let triggeredAt = NaN;
    if (isTriggerActivity === null) triggeredAt = collector.firstKeptMs;
    let outcomeAt = NaN;
    for (let n = 0; n < count; n++) {
      const k = order[n];
      if (Number.isNaN(triggeredAt)) {
        if (isTriggerActivity !== null && isTriggerActivity[activity[k]] === 1) triggeredAt = Number.isNaN(startMs[k]) ? endMs[k] : startMs[k];
        else continue;
      }
      if (outcomeFromActivities && isOutcomeActivity[activity[k]] === 1 && !Number.isNaN(endMs[k])) {
        outcomeAt = endMs[k];
        break;
      }
    }
    if (!outcomeFromActivities && !Number.isNaN(triggeredAt) && collector.eventsAfterAsOf === 0 && !workInProgressAtEnd(collector)) {
      outcomeAt = collector.lastKeptMs;
    }
    const censored = !Number.isNaN(triggeredAt) && Number.isNaN(outcomeAt);
    if (!censored) {
      quality.unmatchedStarts += collector.openStarts;
      if (collector.openStarts > 0) {
        collector.dropOpenStarts();
        collector.sortByStart(log.startsEstimated === true);
      }
    }
    if (Number.isNaN(triggeredAt)) quality.casesWithoutTrigger++;
    cases.triggeredAt[c] = triggeredAt;
    cases.outcomeAt[c] = outcomeAt;

    const firstVisit = visits.count;
    let visit = -1;
    let visitStep = -1;
    let memberCount = 0;
    let previousEndMs = NaN;
    let unionStartMs = NaN;
    let unionEndMs = NaN;
    let caseActiveMs = 0;

    for (let n = 0; n < collector.count; n++) {
      const k = order[n];
      const step = stepOfActivity[activity[k]];
      const instanceStartMs = startMs[k];
      const instanceEndMs = endMs[k];
      const open = Number.isNaN(instanceEndMs);
      const endOrAsOfMs = open ? asOfMs : instanceEndMs;
      const keyMs = Number.isNaN(instanceStartMs) ? instanceEndMs : instanceStartMs;
      let enteredAt = Number.isNaN(previousEndMs) ? keyMs : previousEndMs;
      if (enteredAt > keyMs) {
        quality.clampedNegativeIntervals++;
        enteredAt = keyMs;
      }
      const hasStart = !Number.isNaN(instanceStartMs);
      const queueMs = hasStart ? durationMs(enteredAt, instanceStartMs) : 0;
      const activeMs = hasStart ? durationMs(instanceStartMs, endOrAsOfMs) : 0;
      const inLead =
        !Number.isNaN(triggeredAt) && keyMs >= triggeredAt && (Number.isNaN(outcomeAt) || (!open && instanceEndMs <= outcomeAt)) ? 1 : 0;
      if (hasStart) instancesWithStart++;

      let merge = visit >= 0 && step === visitStep && multiMember[step] === 1 && visits.open[visit] === 0 && visits.inLead[visit] === inLead;
      for (let m = 0; merge && m < memberCount; m++) if (memberScratch[m] === activity[k]) merge = false;
      if (merge) {
        visits.queueMs[visit] += queueMs;
        visits.activeMs[visit] += activeMs;
        if (Number.isNaN(visits.workStartedAt[visit])) visits.workStartedAt[visit] = instanceStartMs;
        if (open) visits.exitedAt[visit] = NaN;
        else if (!(visits.exitedAt[visit] >= instanceEndMs)) visits.exitedAt[visit] = instanceEndMs;
        visits.open[visit] = open ? 1 : 0;
        visits.elapsedMs[visit] = durationMs(visits.enteredAt[visit], open ? asOfMs : visits.exitedAt[visit]);
      } else {
        if (visit >= 0) finishVisit(ctx, visit, tally);
        visit = visits.push(c, step, firstEvent[k], enteredAt);
        visitStep = step;
        memberCount = 0;
        tally.reset();
        visits.workStartedAt[visit] = instanceStartMs;
        visits.exitedAt[visit] = instanceEndMs;
        visits.queueMs[visit] = queueMs;
        visits.activeMs[visit] = activeMs;
        visits.elapsedMs[visit] = durationMs(enteredAt, endOrAsOfMs);
        visits.open[visit] = open ? 1 : 0;
        visits.inLead[visit] = inLead;
      }
      if (memberCount === memberScratch.length) {
        const bigger = new Int32Array(memberCount * 2);
        bigger.set(memberScratch);
        memberScratch = bigger;
      }
      memberScratch[memberCount++] = activity[k];
      tally.add(owner[k], endOrAsOfMs - enteredAt);
      if (!open) previousEndMs = instanceEndMs;

      if (inLead === 1 && hasStart) {
        if (Number.isNaN(cases.firstActiveAt[c])) cases.firstActiveAt[c] = instanceStartMs;
        // Instances are in start order, so the union of their intervals is one sweep.
        if (Number.isNaN(unionStartMs) || instanceStartMs > unionEndMs) {
          if (!Number.isNaN(unionStartMs)) caseActiveMs += durationMs(unionStartMs, unionEndMs);
          unionStartMs = instanceStartMs;
          unionEndMs = endOrAsOfMs;
        } else if (endOrAsOfMs > unionEndMs) {
          unionEndMs = endOrAsOfMs;
        }
      }
    }
    if (visit >= 0) finishVisit(ctx, visit, tally);
    let caseDelayMs = 0;
    for (let v = firstVisit; v <= visit; v++) {
      if (visits.inLead[v] === 0) continue;
      // The trigger visit may have queued before the trigger (after an earlier, out-of-lead visit): not lead time.
      if (visits.enteredAt[v] >= triggeredAt) caseDelayMs += visits.queueMs[v];
      else if (visits.workStartedAt[v] > triggeredAt) caseDelayMs += durationMs(triggeredAt, visits.workStartedAt[v]);
    }
    if (!Number.isNaN(unionStartMs)) caseActiveMs += durationMs(unionStartMs, unionEndMs);
    cases.activeMs[c] = caseActiveMs;
    cases.delayMs[c] = caseDelayMs;
    closeCase(cases, c, durationMs, asOfMs);
  }
  return instancesWithStart;
}
