/**
 * Lead time from case fields (DESIGN §7b): a current-state export (Jira search without changelog, a Zendesk ticket
 * list) has no status history, only each case's creation and resolution fields. Lead time then runs created →
 * resolved; a case without a resolution time that is open now is censored at asOf; one that is closed now but gives
 * no resolution time has no lead time (never 0 s). No step visits are made: no step can be timed from such a log.
 */
import type { ReconstructionLog } from '../model/event-log.js';
import { closeCase } from './censoring.js';
import type { PassContext } from './pass-context.js';

/** True when the log is a current-state export whose lead time must come from case fields. */
export function usesCaseFieldTimes(log: Pick<ReconstructionLog, 'shape' | 'caseEvidence'>): boolean {
  return log.shape === 'status' && log.caseEvidence !== undefined && !log.caseEvidence.statusHistory;
}

export function fillCasesFromFields(ctx: PassContext): void {
  const { log, cases, quality, durationMs, asOfMs } = ctx;
  const evidence = log.caseEvidence;
  if (!evidence) return;
  const { firstCase, endCase } = ctx;
  for (let logCase = firstCase; logCase < endCase; logCase++) {
    const c = logCase - firstCase;
    const createdAtMs = evidence.createdAtMs[logCase];
    if (Number.isNaN(createdAtMs) || createdAtMs > asOfMs) {
      quality.casesWithoutCreatedTime++;
      continue;
    }
    const resolvedAtMs = evidence.resolvedAtMs[logCase];
    const resolved = !Number.isNaN(resolvedAtMs) && resolvedAtMs <= asOfMs;
    if (!resolved && evidence.doneNow[logCase] === 1) {
      quality.closedWithoutResolutionTime++;
      continue;
    }
    cases.triggeredAt[c] = createdAtMs;
    if (resolved) cases.outcomeAt[c] = Math.max(resolvedAtMs, createdAtMs);
    closeCase(cases, c, durationMs, asOfMs);
  }
}
