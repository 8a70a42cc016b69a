import type { Dictionary } from '../model/dictionary.js';
import type { StatusClass, ValueClass } from '../model/status-class.js';

/**
 * Step visits (DESIGN §3): one stay of a case in a step, columnar. The visits of case `c` are the index range
 * [caseVisitStart[c], caseVisitStart[c + 1]) in the order the case made them (by enteredAt, then source order).
 *
 * Times are epoch ms; durations are on the calendar in force (`activeMs` etc. are calendar ms, not elapsed ms).
 * - Status logs: a visit merges consecutive stays in statuses of the same step; its time is split by the
 *   class of each status (queue / active / waiting / blocked; `blocked` also covers flagged intervals, which
 *   overlay any class). `workStartedAt` = first entry into an `active` status of the visit.
 * - Activity logs: a visit is one activity instance. `enteredAt` = the completion of the case's previous visit
 *   (the case's first event for the first visit), `workStartedAt` = the instance's start (NaN when the log has
 *   no start), `exitedAt` = its completion. queueMs = workStartedAt − enteredAt (clamped at 0, counted),
 *   activeMs = exitedAt − workStartedAt. Without a start, only `elapsedMs` = exitedAt − enteredAt is known.
 */
export interface StepVisits {
  readonly count: number;
  readonly caseCount: number;
  /** Step names by step code, in map order. */
  readonly steps: readonly StepDefinition[];
  /** Owner names (resource or group, per `ownerLevel`). */
  readonly owners: Dictionary;
  readonly ownerLevel: 'resource' | 'group';
  readonly caseCode: Int32Array;
  /** Length caseCount + 1. */
  readonly caseVisitStart: Int32Array;
  readonly stepCode: Int32Array;
  /** Dominant owner of the visit (the owner holding it longest), MISSING_CODE (-1) when unknown. */
  readonly ownerCode: Int32Array;
  readonly enteredAt: Float64Array;
  /** NaN when unknown (no start event, or never reached an active status). */
  readonly workStartedAt: Float64Array;
  /** NaN when the visit is still open at `asOf` (censored). */
  readonly exitedAt: Float64Array;
  readonly activeMs: Float64Array;
  readonly queueMs: Float64Array;
  readonly waitingMs: Float64Array;
  readonly blockedMs: Float64Array;
  /** Calendar ms from enteredAt to exitedAt (or asOf when open). */
  readonly elapsedMs: Float64Array;
  /** 1 when open at asOf. */
  readonly open: Uint8Array;
  /** True when the log gives no active time (single-timestamp activity log). */
  readonly activeUnknown: boolean;
  /** Instant at which open visits and cases are censored. */
  readonly asOfMs: number;
  /**
   * 1 when the visit lies between the case's trigger and its outcome, i.e. counts toward lead time (status logs:
   * entered before the first done entry; activity logs: started at/after the trigger and completed by the
   * outcome). Visits after a reopen, and done-status visits, are 0. Absent = all 1 (hand-built fixtures).
   */
  readonly inLead?: Uint8Array;
  /**
   * The log's shape. In activity logs a visit with NaN workStartedAt has unknown active / queue time; in status
   * logs it was never in an active status (active 0 is measured). Absent = 'status'.
   */
  readonly shape?: 'activity' | 'status';
  /** Event index (into the EventLog) that opened the visit: status `enter`, else the instance's start or only event. */
  readonly firstEvent?: Int32Array;
}

/** What a visit table says besides its columns: its steps and owners, shape, censoring instant, active time unknown. */
export type VisitTableFacts = Pick<StepVisits, 'steps' | 'owners' | 'ownerLevel' | 'activeUnknown' | 'asOfMs' | 'shape'>;

/** The facts of a visit table without its columns (a holder of them keeps no per-visit array alive). */
export function visitTableFacts(visits: StepVisits): VisitTableFacts {
  const { steps, owners, ownerLevel, activeUnknown, asOfMs, shape } = visits;
  return { steps, owners, ownerLevel, activeUnknown, asOfMs, ...(shape === undefined ? {} : { shape }) };
}

export interface StepDefinition {
  name: string;
  /** Statuses / activities that make up this step, with their class and where the class came from. */
  members: { name: string; statusClass: StatusClass; origin: string }[];
  valueClass: ValueClass;
  /** Configured owner, else null (then the dominant owner of its visits is reported). */
  owner: string | null;
  system: string | null;
  /**
   * True for a status-log step made only of done-class statuses: reaching it is the outcome, its time is not
   * lead time, so it is not a box on the map (its visits are kept to see reopens). Absent = false.
   */
  outcome?: boolean;
}

/** Per case: lead and cycle time boundaries (DESIGN §4), censoring and totals. */
export interface CaseTimes {
  readonly caseCount: number;
  /** Trigger: case creation / first event. */
  readonly triggeredAt: Float64Array;
  /** Outcome: first entry to a done-class status or the configured end activity; NaN when open. */
  readonly outcomeAt: Float64Array;
  /** First active work; NaN when never active or unknown. */
  readonly firstActiveAt: Float64Array;
  /** 1 when the case has not reached its outcome by asOf (right-censored). */
  readonly censored: Uint8Array;
  /** Calendar ms trigger → outcome (or asOf when censored). */
  readonly leadMs: Float64Array;
  /** Calendar ms first active → outcome (or asOf); NaN when never active. */
  readonly cycleMs: Float64Array;
  /**
   * Active calendar ms between trigger and outcome: status logs Σ activeMs of the in-lead visits; activity logs
   * the union of the instances' [start, completion] intervals (parallel work counted once, as PM4Py's busy time).
   */
  readonly activeMs: Float64Array;
  /** Σ queue + waiting + blocked ms before the outcome. */
  readonly delayMs: Float64Array;
  /** Times the case left a done status for another class (status logs); the outcome stays the first done entry. */
  readonly reopens?: Int32Array;
  /**
   * 1 when the case is left-censored (DESIGN §7b): its first observed status is already done, or its history starts
   * after its creation. Such a case has no lead time (NaN, not 0) and no step visits. Absent = none.
   */
  readonly leftCensored?: Uint8Array;
}
