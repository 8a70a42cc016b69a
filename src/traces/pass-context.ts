/**
 * What the per-case passes (status-intervals.ts, activity-visits.ts) share: the log, the step map, the calendar,
 * the visit buffer, the case columns and the data-quality counters. Plain mutable state, no per-event objects.
 */
import { MISSING_CODE } from '../model/dictionary.js';
import type { ReconstructionLog } from '../model/event-log.js';
import type { CaseColumns } from './censoring.js';
import type { DurationFn } from './duration-fn.js';
import type { StepMap } from './step-map.js';
import type { VisitBuffer } from './visit-buffer.js';

export type { DurationFn } from './duration-fn.js';

export interface QualityCounters {
  clampedNegativeIntervals: number;
  unmatchedStarts: number;
  unmatchedCompletes: number;
  missingOwnerVisits: number;
  estimatedStarts: number;
  reopenedCases: number;
  casesWithoutTrigger: number;
  eventsAfterAsOf: number;
  /** Left-censored cases (first observed status done, or history after creation): no lead time, no visits. */
  leftCensoredCases: number;
  /** Of those, the cases whose first observed status is already done. */
  leftCensoredFirstDone: number;
  /** Cases with events but no status at all (e.g. only assignee changes): neither open nor closed. */
  casesWithoutStatus: number;
  /** Current-state exports: cases closed now whose resolution time is unknown (no lead time). */
  closedWithoutResolutionTime: number;
  /** Current-state exports: cases without a creation time (no lead time). */
  casesWithoutCreatedTime: number;
}

export interface PassContext {
  readonly log: ReconstructionLog;
  readonly map: StepMap;
  readonly durationMs: DurationFn;
  readonly asOfMs: number;
  /** Owner column at the chosen level (log.groupCode or log.resourceCode). */
  readonly ownerColumn: Int32Array;
  readonly visits: VisitBuffer;
  readonly cases: CaseColumns;
  readonly quality: QualityCounters;
  /**
   * The log's cases this pass reconstructs: [firstCase, endCase). Case c of the log is case c − firstCase of `cases`
   * and of the visits' case codes (a partition of the case chain, vsm/case-chain.ts; the whole log: 0, caseCount).
   */
  readonly firstCase: number;
  readonly endCase: number;
}

/**
 * Time held per owner within one visit; the visit's owner is the known owner holding it longest (ties: the
 * earliest). A missing owner only wins when no owner is known.
 */
export class OwnerTally {
  private codes = new Int32Array(8);
  private heldMs = new Float64Array(8);
  private size = 0;

  reset(): void {
    this.size = 0;
  }

  add(ownerCode: number, ms: number): void {
    for (let k = 0; k < this.size; k++) {
      if (this.codes[k] === ownerCode) {
        this.heldMs[k] += ms;
        return;
      }
    }
    if (this.size === this.codes.length) {
      const codes = new Int32Array(this.size * 2);
      codes.set(this.codes);
      const heldMs = new Float64Array(this.size * 2);
      heldMs.set(this.heldMs);
      this.codes = codes;
      this.heldMs = heldMs;
    }
    this.codes[this.size] = ownerCode;
    this.heldMs[this.size] = ms;
    this.size++;
  }

  dominant(): number {
    let best = MISSING_CODE;
    let bestMs = -1;
    for (let k = 0; k < this.size; k++) {
      if (this.codes[k] !== MISSING_CODE && this.heldMs[k] > bestMs) {
        best = this.codes[k];
        bestMs = this.heldMs[k];
      }
    }
    return best;
  }
}
