/**
 * Case boundaries and right-censoring (DESIGN §4): lead time runs trigger → outcome; a case without an outcome
 * by `asOf` is open and censored there (lead = trigger → asOf, flagged so Kaplan–Meier treats it as "at least").
 * Events after `asOf` are treated as not yet happened.
 */
import type { ReconstructionLog } from '../model/event-log.js';
import type { CaseTimes } from './step-visits.js';
import type { DurationFn } from './duration-fn.js';

/** CaseTimes under construction (same columns, mutable). */
export interface CaseColumns {
  triggeredAt: Float64Array;
  outcomeAt: Float64Array;
  firstActiveAt: Float64Array;
  censored: Uint8Array;
  leadMs: Float64Array;
  cycleMs: Float64Array;
  activeMs: Float64Array;
  delayMs: Float64Array;
  reopens: Int32Array;
  /** 1 when the case's history starts after its creation (left-censored): no lead time, no step visits. */
  leftCensored: Uint8Array;
}

export function allocateCaseColumns(caseCount: number): CaseColumns {
  return {
    triggeredAt: new Float64Array(caseCount).fill(NaN),
    outcomeAt: new Float64Array(caseCount).fill(NaN),
    firstActiveAt: new Float64Array(caseCount).fill(NaN),
    censored: new Uint8Array(caseCount),
    leadMs: new Float64Array(caseCount).fill(NaN),
    cycleMs: new Float64Array(caseCount).fill(NaN),
    activeMs: new Float64Array(caseCount),
    delayMs: new Float64Array(caseCount),
    reopens: new Int32Array(caseCount),
    leftCensored: new Uint8Array(caseCount),
  };
}

/** The default censoring instant: the log's last timestamp (NaN for an empty log). */
export function defaultAsOfMs(log: ReconstructionLog): number {
  let lastMs = -Infinity;
  const { timestampMs } = log;
  for (let i = 0; i < log.eventCount; i++) if (timestampMs[i] > lastMs) lastMs = timestampMs[i];
  return lastMs === -Infinity ? NaN : lastMs;
}

/**
 * Closes case `caseCode` once its trigger, outcome and first-active instants are set: a case never triggered has
 * no lead time (NaN, not censored); one without an outcome is censored at asOf.
 */
export function closeCase(cases: CaseColumns, caseCode: number, durationMs: DurationFn, asOfMs: number): void {
  const triggeredAt = cases.triggeredAt[caseCode];
  if (Number.isNaN(triggeredAt)) return;
  const outcomeAt = cases.outcomeAt[caseCode];
  const censored = Number.isNaN(outcomeAt);
  const endMs = censored ? asOfMs : outcomeAt;
  cases.censored[caseCode] = censored ? 1 : 0;
  cases.leadMs[caseCode] = durationMs(triggeredAt, endMs);
  const firstActiveAt = cases.firstActiveAt[caseCode];
  cases.cycleMs[caseCode] = Number.isNaN(firstActiveAt) ? NaN : durationMs(firstActiveAt, endMs);
}

export function freezeCaseTimes(cases: CaseColumns): CaseTimes {
  return { caseCount: cases.triggeredAt.length, ...cases };
}
