/**
 * What `--engine clickhouse` brings back (engine.ts computes it, to-report.ts maps it onto report.json): aggregates
 * only, every figure exact or absent.
 */
import type { StartEstimateFacts } from './estimate-starts.js';
import type { FlaggedStepTimes } from './blocked-sql.js';
import type { ConfiguredStep } from './config-sql.js';
import type { Stats } from './group-values.js';

export type SectionStatus = 'ok' | 'partial' | 'unsupported';

/**
 * The aggregates ClickHouse computed (to-report.ts maps them onto report.json). Only figures SQL computes are here;
 * what it does not compute is absent, and report.json shows it as unknown with the reason.
 */
export interface ClickHouseAnalysis {
  engine: 'clickhouse';
  serverVersion: string;
  log: {
    shape: 'activity' | 'status';
    ownerLevel: 'resource' | 'group';
    cases: number;
    events: number;
    visits: number;
    casesNotPushedDown: number;
    /** Cases cut at an explicit as-of with a start not completed by then (open instances not reconstructed): left out. */
    casesOpenAtAsOf: number;
    /** Cases with consecutive instances of different activities of one config step (one visit in memory): left out. */
    casesMergedInstances: number;
    /** Visits with no owner at the owner level (status logs: owners replayed over time, visit-sql.ts). */
    missingOwnerVisits: number;
    /** First and last event instants (epoch ms); null for an empty table. */
    firstMs: number | null;
    lastMs: number | null;
    /** The censoring instant of open cases: the explicit as-of, else the last event; null for an empty table. */
    asOfMs: number | null;
  };
  /** Status logs: every entered status with its source category ('' when none); activity logs: []. */
  statuses: { name: string; category: string }[];
  /** Names of the done-class statuses (the outcome; not boxes on the map). */
  doneStatuses: string[];
  /** Config steps (config-sql.ts) with their members, value class, owner and system; [] without config steps. */
  configSteps: ConfiguredStep[];
  /**
   * Status logs: per step, the elapsed time of its closed visits (exact statistics) and its time inside lead times
   * (open visits up to as-of); on logs with block / unblock events also its blocked time (`flagged`, blocked-sql.ts).
   * null where not pushed down, with the reason in `stepTimesUnknown`.
   */
  stepTimes: { step: string; elapsed: Stats; leadSumMs: number; flagged?: FlaggedStepTimes }[] | null;
  stepTimesUnknown: string | null;
  /**
   * Timed activity logs (every instance with a recorded start): per step its visits' queue, active and elapsed time
   * (all closed and inside the lead time). null otherwise.
   */
  activityStepTimes: { step: string; queue: Stats; active: Stats; elapsed: Stats; leadQueueMs: number; leadActiveMs: number }[] | null;
  /**
   * Single-timestamp activity logs with --no-estimate (no instance has a start, none estimated): per step the
   * elapsed time of its visits other than each case's first, and the Σ elapsed of all its visits. null otherwise.
   */
  elapsedStepTimes: { step: string; elapsed: Stats; leadSumMs: number }[] | null;
  /** Why cycle time and flow efficiency are unknown (null when `caseTimes` is given). */
  caseTimesUnknown: string | null;
  /** Status logs and timed activity logs: per DFG edge, its timed transitions, Σ and median (ms); null otherwise. */
  edgeTimes: { from: string; to: string; n: number; sumMs: number; medianMs: number | null }[] | null;
  /** Ping-pong owner pairs (handoffs.ts), most frequent first. */
  pingPong: { a: string; b: string; count: number; cases: number }[];
  /** Each step's owner (the known owner of most of its visits, metrics/timing.ts) and how many visits it owns. */
  stepOwners: Map<string, { owner: string; visits: number }>;
  /** Every step with its visits and first-entry rank, done (outcome) steps included: the rows of the flow series. */
  allSteps: { name: string; visits: number; medianFirstRank: number; outcome: boolean }[];
  /**
   * The flow series' counts per slot (slots planned by metrics/time-buckets.ts over [firstMs, lastMs]); per step and
   * slot on status logs and activity logs with recorded starts, the aging of open cases on status logs (null
   * otherwise). null when there is no case.
   */
  flow: {
    firstMs: number;
    lastMs: number;
    slots: { slot: number; arrivals: number; throughput: number }[];
    stepSlots: { step: string; slot: number; entered: number; exited: number }[] | null;
    /** Status logs: the open last visit's step; activity logs cut at an as-of: null (between steps). */
    aging: { caseId: string; step: string | null; ageMs: number; inStepMs: number }[] | null;
  } | null;
  /**
   * Status logs: cycle time (measured cases, open ones, statistics of the closed ones; min / max / sum
   * over all, open ones up to as-of), flow efficiency (pooled sums and per-case ratios over closed cases with a
   * positive lead time) and active time per closed case. null where step times are not pushed down.
   */
  caseTimes: {
    /** `openValues`: the open cases' cycle times up to as-of when they came back raw (with the closed ones), else null. */
    cycle: { measured: number; censored: number; closed: Stats; openValues: number[] | null; minMs: number | null; maxMs: number | null; sumMs: number };
    pooledActiveMs: number;
    pooledLeadMs: number;
    ratio: Stats;
    activePerClosedCase: Stats;
  } | null;
  steps: { status: SectionStatus; items: { name: string; visits: number; cases: number; reworkCases: number; medianFirstRank: number }[] };
  variants: { status: SectionStatus; total: number; top: { activities: string[]; count: number; share: number }[] };
  dfg: {
    status: SectionStatus;
    nodes: { name: string; count: number }[];
    edges: { from: string; to: string; count: number }[];
    startActivities: Record<string, number>;
    endActivities: Record<string, number>;
  };
  rework: {
    status: SectionStatus;
    casesWithRework: number;
    share: number;
    byStep: {
      step: string;
      cases: number;
      repeatVisits: number;
      selfLoopSameOwner: number | null;
      selfLoopOtherOwner: number | null;
      repetitionSameOwner: number | null;
      repetitionOtherOwner: number | null;
    }[];
    /**
     * Loop paths with exact counts; with visit times (status logs, timed activity logs) the time each adds per
     * affected case (`added`), ranked as in memory (cases, total added time, path); else `added` null, ranked by
     * cases then occurrences.
     */
    loops: { path: string[]; from: string; to: string; cases: number; occurrences: number; added: Stats | null }[];
  };
  handoffs: { status: SectionStatus; level: 'resource' | 'group'; total: number | null; casesWithHandoff: number | null; matrix: { from: string; to: string; count: number; cases: number; wait: Stats | null }[] };
  leadTimeMs: {
    status: SectionStatus;
    /** Cases that reached the outcome / still open at the log's end. */
    closed: number;
    censored: number;
    /** Closed cases whose outcome is at their trigger's instant (one event, or one time on all of its events). */
    closedInstant: number;
    /** Statistics of the closed cases (their raw values when the cases are few enough); the open ones' values likewise. */
    closedStats: Stats;
    openValues: number[] | null;
    /** Of closed cases; exact. Equal to the in-memory Kaplan–Meier figures only when censored = 0. */
    meanMs: number | null;
    median: number | null;
    p85: number | null;
    p95: number | null;
    /** Over all cases, open ones measured up to the log's last event (as in memory); null when there is no case. */
    minMs: number | null;
    maxMs: number | null;
    sumMs: number;
    note: string;
  };
  /** Single-timestamp logs with estimated starts (estimate-starts.ts): how many, how many repaired; null otherwise. */
  startEstimates: StartEstimateFacts | null;
  /** Groups of at most this many values came back raw (group-values.ts). */
  rawValuesMax: number;
  notes: string[];
  transfer: { queries: number; bytesReceived: number; bytesSent: number };
}
