import { z } from 'zod';
import { ApproximationSchema, DistributionSchema as MetricDistributionSchema } from './distribution-schema.js';
import { REPORT_SCHEMA_VERSION } from './report-version.js';

/**
 * The versioned shape of `report.json` — the one contract between the measuring engine (metrics, vsm) and
 * every renderer (HTML, SVG, Markdown, CSV) and the compare / simulate commands. Times are epoch-free durations
 * in milliseconds (keys end in `Ms`) or ISO instants (keys end in `At` or named `from`/`to`).
 * Bump REPORT_SCHEMA_VERSION's minor for additive changes, major for breaking ones (report-version.ts).
 */
export { REPORT_SCHEMA_VERSION };

/** A distribution of durations (ms) or ratios; null statistics when n = 0. `thin` when n < 30. Defined with `summarize`. */
export const DistributionSchema = MetricDistributionSchema;
export type DistributionJson = z.infer<typeof DistributionSchema>;

/** Lead / cycle time: Kaplan–Meier percentiles over cases, open cases right-censored. */
export const SurvivalSummarySchema = DistributionSchema.extend({
  censored: z.number().int().nonnegative(),
  /** How the percentiles were computed: 'kaplan-meier' when any case is censored, else 'empirical'. */
  method: z.enum(['kaplan-meier', 'empirical']),
  /** Equal bins up to p99 plus an overflow bin (`toMs` null), closed and censored cases apart (report.json only). */
  histogram: z
    .array(z.object({ fromMs: z.number(), toMs: z.number().nullable(), closed: z.number().int(), censored: z.number().int() }))
    .optional(),
});
export type SurvivalSummaryJson = z.infer<typeof SurvivalSummarySchema>;

export const StatusClassSchema = z.enum(['queue', 'active', 'waiting', 'blocked', 'done']);
export const ValueClassSchema = z.enum(['value-adding', 'necessary', 'waste']);

export const StepSchema = z.object({
  name: z.string(),
  /** Position in the map, 0-based (config order, else median first-entry order). */
  order: z.number().int(),
  /**
   * The step's class: its members' class when they agree, else the class holding most of its time
   * (activity logs: `active`).
   */
  class: StatusClassSchema,
  /** Statuses or activities merged into this step, with their class. */
  members: z.array(z.object({ name: z.string(), statusClass: StatusClassSchema, origin: z.string() })),
  valueClass: ValueClassSchema,
  owner: z.object({ name: z.string(), share: z.number() }).nullable(),
  system: z.string().nullable(),
  visits: z.number().int(),
  cases: z.number().int(),
  /** Cases that entered this step more than once. */
  reworkCases: z.number().int(),
  activeMs: DistributionSchema,
  queueMs: DistributionSchema,
  waitingMs: DistributionSchema,
  blockedMs: DistributionSchema,
  /** Single-timestamp activity logs: time from the previous event's completion to this one's (active unknown). */
  elapsedMs: DistributionSchema,
  /**
   * Delay per visit = queue + waiting + blocked (status logs, start/complete logs); for single-timestamp logs,
   * where active time is unknown, the elapsed time before the event (labelled so in the report).
   */
  delayMs: DistributionSchema,
  /** True when active time is unknown (single-timestamp logs) and only elapsed time is measured. */
  activeUnknown: z.boolean(),
  /**
   * Σ over cases of queue + waiting + blocked time spent in this step, ms (the biggest-delay ranking). Schema 1.2:
   * null when the engine did not compute step times (`vsm analyze --engine clickhouse`; see dataQuality.sufficiency).
   */
  totalDelayMs: z.number().nullable(),
  totalActiveMs: z.number().nullable(),
  thin: z.boolean(),
  /** Schema 1.1: true when the step's active and wait times rest on estimated start times (docs/wait-causes.md). */
  startEstimated: z.boolean().optional(),
  /** Schema 1.1 (activity logs): the step's waits split by cause. */
  waitCausesMs: z.lazy(() => StepWaitCausesSchema).optional(),
});
export type StepJson = z.infer<typeof StepSchema>;

/** The five causes of a wait (docs/wait-causes.md), ms of elapsed time; they sum to the wait. */
export const WaitCausesMsSchema = z.object({
  batching: z.number(),
  prioritization: z.number(),
  contention: z.number(),
  unavailability: z.number(),
  extraneous: z.number(),
  /** Status (ticket) logs only: flagged / blocked-class time. */
  blocked: z.number().optional(),
  /** Status (ticket) logs only: time in `waiting`-class statuses (customer, third party). */
  waiting: z.number().optional(),
  /** Status (ticket) logs only: queue time with no owner. */
  unassigned: z.number().optional(),
});
export type WaitCausesMsJson = z.infer<typeof WaitCausesMsSchema>;

/** Per step (schema 1.1): Σ of its instances' enabled → start waits by cause, and each cause's share of that Σ. */
export const StepWaitCausesSchema = z.object({
  totalMs: z.number(),
  byCauseMs: WaitCausesMsSchema,
  shares: WaitCausesMsSchema,
  /** Activity logs: instances; status logs: visits split into causes. */
  instances: z.number().int(),
  /** Status logs: visits mixing classes (merged steps), not split into causes. */
  unsplitVisits: z.number().int().optional(),
});

export const WaitTransitionSchema = z.object({
  /** The enabling instance's step and resource; null when the case's beginning enabled it. */
  fromStep: z.string().nullable(),
  fromResource: z.string().nullable(),
  toStep: z.string(),
  toResource: z.string().nullable(),
  count: z.number().int(),
  cases: z.number().int(),
  totalMs: z.number(),
  batchingMs: z.number(),
  prioritizationMs: z.number(),
  contentionMs: z.number(),
  unavailabilityMs: z.number(),
  extraneousMs: z.number(),
});
export type WaitTransitionJson = z.infer<typeof WaitTransitionSchema>;

/** Activity logs (schema 1.1): enabled times, estimated starts and the causes of every wait. */
export const WaitCausesSchema = z.object({
  /** True when some starts are estimated (single-timestamp logs): every active time and wait is then estimated. */
  startEstimated: z.boolean(),
  estimatedStarts: z.number().int(),
  /** Estimates replaced by the activity's median duration (outlier repair). */
  repairedEstimates: z.number().int(),
  concurrency: z.object({ oracle: z.enum(['overlapping', 'heuristics']), pairs: z.array(z.tuple([z.string(), z.string()])) }),
  calendars: z.array(z.object({ resource: z.string(), source: z.enum(['config', 'discovered']), description: z.string() })),
  /** Resources with no calendar (too few events to discover one): their off-hours count as extraneous. */
  resourcesWithoutCalendar: z.number().int(),
  batches: z.object({ parallel: z.number().int(), sequential: z.number().int() }),
  /**
   * Scanned waits (batch members; waits outside batches are swept exactly, with no cap) whose overlap scan stopped
   * after MAX_OVERLAP_SCAN other instances of the same resource (absent when none): overlaps past the cap count as
   * extraneous, so extraneous leans high and contention/prioritization low there.
   */
  overlapScanCapped: z.number().int().optional(),
  instances: z.number().int(),
  totalMs: z.number(),
  byCauseMs: WaitCausesMsSchema,
  /** Largest first, at most MAX_WAIT_TRANSITIONS; `transitionsTotal` counts all groups. */
  transitions: z.array(WaitTransitionSchema),
  transitionsTotal: z.number().int(),
});
export type WaitCausesJson = z.infer<typeof WaitCausesSchema>;

export const HandoffSchema = z.object({
  from: z.string(),
  to: z.string(),
  count: z.number().int(),
  cases: z.number().int(),
  /** Wait after the handoff: from the exit of the `from` visit to work start (or entry) of the `to` visit. */
  waitAfterMs: DistributionSchema,
});

export const PingPongSchema = z.object({ a: z.string(), b: z.string(), count: z.number().int(), cases: z.number().int() });

export const ReworkLoopSchema = z.object({
  /** Step left, then steps in between, back to the step re-entered: [A, …, A]. */
  path: z.array(z.string()),
  from: z.string(),
  to: z.string(),
  cases: z.number().int(),
  occurrences: z.number().int(),
  /** Time spent after the first pass: from leaving the first pass of `to` to leaving its last repeat. */
  addedMs: DistributionSchema,
});

export const ReworkStepSchema = z.object({
  step: z.string(),
  cases: z.number().int(),
  repeatVisits: z.number().int(),
  /** Schema 1.2: the owner split is null when the visits' owners are unknown to the engine (--engine clickhouse, status logs). */
  selfLoopSameOwner: z.number().int().nullable(),
  selfLoopOtherOwner: z.number().int().nullable(),
  repetitionSameOwner: z.number().int().nullable(),
  repetitionOtherOwner: z.number().int().nullable(),
});

export const FindingSchema = z.object({
  kind: z.enum(['biggest-delay', 'rework-loop', 'handoff', 'future-state']),
  title: z.string(),
  /** One plain-language sentence with the number, its share and its evidence. */
  statement: z.string(),
  subject: z.object({
    step: z.string().optional(),
    from: z.string().optional(),
    to: z.string().optional(),
    path: z.array(z.string()).optional(),
  }),
  metric: z.object({ name: z.string(), value: z.number(), unit: z.enum(['ms', 'cases', 'count', 'ratio']) }),
  shareOfLeadTime: z.number().nullable(),
  n: z.number().int(),
  ciLow: z.number().nullable(),
  ciHigh: z.number().nullable(),
  thin: z.boolean(),
  evidence: z.array(z.string()),
});
export type FindingJson = z.infer<typeof FindingSchema>;

/** One metric's data-sufficiency verdict (DESIGN §7b, vsm/sufficiency.ts): reason and fix are null when `ok`. */
export const SufficiencyVerdictSchema = z.object({
  verdict: z.enum(['ok', 'partial', 'unsupported']),
  reason: z.string().nullable(),
  fix: z.string().nullable(),
  counts: z.record(z.string(), z.number()),
  /**
   * Set (schema 1.3.0) when an analysis engine left (part of) this metric uncomputed — a limit of the engine, not of the
   * data: `engine` names it (`clickhouse`); `only` is true when that is the verdict's only limit (then reports say
   * "unknown", not "not supported by this log", and `--strict` does not fail on it). Absent in memory.
   */
  notComputedBy: z.object({ engine: z.string(), only: z.boolean() }).optional(),
});
export type SufficiencyVerdictJson = z.infer<typeof SufficiencyVerdictSchema>;

/** Verdicts by metric: leadTime, cycleTime, stepTimes, flowEfficiency, handoffs, rework, variants, flow. */
export const SufficiencySchema = z.record(z.string(), SufficiencyVerdictSchema);
export type SufficiencyJson = z.infer<typeof SufficiencySchema>;

export const WorkloadShiftSchema = z.object({
  owner: z.string(),
  activeMsBefore: z.number(),
  activeMsAfter: z.number(),
});

export const CandidateChangeSchema = z.object({
  /** `cut-intake`: the delay is backlog time before the commitment point — cut intake or set the trigger, not a WIP limit. */
  kind: z.enum(['wip-limit', 'reduce-wait', 'merge-steps', 'remove-handoff', 'cut-rework', 'cut-intake']),
  description: z.string(),
  steps: z.array(z.string()),
  /** Simple estimate (no simulation): expected lead-time saving per case, ms. */
  leadTimeSavedMsPerCase: z.number(),
  shareOfLeadTime: z.number().nullable(),
  workloadShift: z.array(WorkloadShiftSchema),
  /** True when the change mainly moves active work onto another owner: never proposed. */
  movesWork: z.boolean(),
});

export const FutureStateFindingSchema = FindingSchema.extend({
  candidates: z.array(CandidateChangeSchema),
});

export const WeekSchema = z.object({
  weekStart: z.string(),
  arrivals: z.number().int(),
  throughput: z.number().int(),
  /** Cases open at the end of the week. */
  wip: z.number().int(),
});

export const StepWeekSchema = z.object({
  step: z.string(),
  weekStart: z.string(),
  entered: z.number().int(),
  exited: z.number().int(),
  wip: z.number().int(),
  /** Present on the one row that sums the steps beyond the busiest ones: how many steps it holds. */
  otherSteps: z.number().int().optional(),
});

/** The slot of the flow series: a week unless the log's span needs a coarser one (metrics/time-buckets.ts). */
export const FlowBucketSchema = z.object({
  /** week, month, quarter, year, decade, century, millennium, 10 millennia. */
  unit: z.string(),
  count: z.number().int(),
  /** Why the slot is coarser than a week; null for weeks. */
  reason: z.string().nullable(),
  /** Steps with their own stepWeeks rows, and steps summed into the "other" row. */
  stepsShown: z.number().int(),
  otherSteps: z.number().int(),
});

export const AgingSchema = z.object({ caseId: z.string(), step: z.string().nullable(), ageMs: z.number(), inStepMs: z.number() });

export const ReportSchema = z.object({
  /** Readers accept the older minor versions of the same major: minors only add optional fields. */
  schemaVersion: z.union([z.literal(REPORT_SCHEMA_VERSION), z.literal('1.3.0'), z.literal('1.2.0'), z.literal('1.1.0'), z.literal('1.0.0')]),
  tool: z.object({ name: z.literal('valuestream'), version: z.string() }),
  log: z.object({
    name: z.string(),
    format: z.string(),
    shape: z.enum(['activity', 'status']),
    cases: z.number().int(),
    events: z.number().int(),
    openCases: z.number().int(),
    timeRange: z.object({ from: z.string(), to: z.string() }).nullable(),
    /** The instant open cases are censored at (log end or --as-of). */
    asOf: z.string().nullable(),
  }),
  boundaries: z.object({ trigger: z.string(), outcome: z.string(), ownerLevel: z.enum(['resource', 'group']) }),
  calendar: z.object({
    kind: z.enum(['24x7', 'business']),
    description: z.string(),
    timeZone: z.string().nullable(),
    /** Working ms in a full working day (business calendars): durations shown in working days (`wd`) use it. */
    workdayMs: z.number().nullable(),
  }),
  steps: z.array(StepSchema),
  leadTimeMs: SurvivalSummarySchema,
  cycleTimeMs: SurvivalSummarySchema,
  flowEfficiency: z.object({
    /** Σ active ÷ Σ lead over closed cases; null when active time is unknown. */
    pooled: z.number().nullable(),
    perCase: DistributionSchema,
    activeKnown: z.boolean(),
    /** Active time per closed case (the ladder's "active" total), ms; absent when active time is unknown. */
    activeMsPerCase: DistributionSchema.optional(),
    /** Schema 1.1: true when active time rests on estimated start times. */
    startEstimated: z.boolean().optional(),
  }),
  handoffs: z.object({
    level: z.enum(['resource', 'group']),
    /** Schema 1.2: null when the engine does not know the visits' owners (--engine clickhouse on status logs). */
    total: z.number().int().nullable(),
    casesWithHandoff: z.number().int().nullable(),
    matrix: z.array(HandoffSchema),
    pingPong: z.array(PingPongSchema),
  }),
  rework: z.object({
    casesWithRework: z.number().int(),
    share: z.number(),
    byStep: z.array(ReworkStepSchema),
    loops: z.array(ReworkLoopSchema),
  }),
  variants: z.object({
    total: z.number().int(),
    top: z.array(z.object({ activities: z.array(z.string()), count: z.number().int(), share: z.number() })),
  }),
  dfg: z.object({
    nodes: z.array(z.object({ name: z.string(), count: z.number().int() })),
    edges: z.array(
      z.object({
        from: z.string(),
        to: z.string(),
        count: z.number().int(),
        meanMs: z.number().nullable(),
        medianMs: z.number().nullable(),
        /** Present when medianMs comes from a sketch (the edge had more times than the exact-values limit). */
        medianApproximate: ApproximationSchema.optional(),
      }),
    ),
    startActivities: z.record(z.string(), z.number()),
    endActivities: z.record(z.string(), z.number()),
  }),
  flow: z.object({
    weeks: z.array(WeekSchema),
    stepWeeks: z.array(StepWeekSchema),
    aging: z.array(AgingSchema),
    /** Optional for reports written before the series was bounded. */
    bucket: FlowBucketSchema.optional(),
  }),
  findings: z.object({
    biggestDelay: FindingSchema.nullable(),
    mostCommonReworkLoop: FindingSchema.nullable(),
    handoffToSimplify: FindingSchema.nullable(),
    futureStateChange: FutureStateFindingSchema.nullable(),
  }),
  /** Schema 1.1: present for activity logs. */
  waitCauses: WaitCausesSchema.optional(),
  dataQuality: z.object({
    censoredCases: z.number().int(),
    clampedNegativeIntervals: z.number().int(),
    duplicateEventsDropped: z.number().int(),
    missingOwnerVisits: z.number().int(),
    unmatchedStarts: z.number().int(),
    unmatchedCompletes: z.number().int(),
    estimatedStarts: z.number().int(),
    rowsRejected: z.number().int(),
    /** Ingest row accounting (docs/ingest-accounting.md): rowsRead = rowsUsed + rowsRejected + rowsIgnored + duplicateEventsDropped. */
    rowsRead: z.number().int().optional(),
    rowsUsed: z.number().int().optional(),
    rowsIgnored: z.number().int().optional(),
    /** Ignore reason → rows ("not a status/owner change: field priority"). */
    rowsIgnoredByReason: z.record(z.string(), z.number().int()).optional(),
    notes: z.array(z.string()),
    /** Per-metric data-sufficiency verdicts, decided before any metric (absent in reports before they existed). */
    sufficiency: SufficiencySchema.optional(),
  }),
  provenance: z.object({
    input: z.object({ file: z.string(), bytes: z.number().int(), sha256: z.string() }),
    options: z.record(z.string(), z.unknown()),
    timeZoneAssumed: z.string().nullable(),
    toolVersion: z.string(),
  }),
});
export type ReportJson = z.infer<typeof ReportSchema>;
