import { z } from 'zod';
import { StepSchema } from './report-schema.js';

/**
 * The versioned shape of `vsm simulate --json` / simulate.json: the lead-time distribution before and after a
 * set of changes, by Monte Carlo resampling of the measured closed cases, with the workload shift per owner and
 * the future-state steps for the map. Durations in ms, ratios as fractions.
 * Bump SIMULATE_SCHEMA_VERSION's minor for additive changes, major for breaking ones.
 */
export const SIMULATE_SCHEMA_VERSION = '1.1.0';

/** A statistic over Monte Carlo runs: its median over runs and the central 95 % of runs. */
export const RunIntervalSchema = z.object({ estimate: z.number(), ciLow: z.number(), ciHigh: z.number() });

export const SimulatedStateSchema = z.object({
  leadTimeMs: z.object({ median: RunIntervalSchema, p85: RunIntervalSchema, p95: RunIntervalSchema, mean: RunIntervalSchema }).nullable(),
  /** Pooled Σ active ÷ Σ lead per run; null when active time is unknown or no case closed. */
  flowEfficiency: RunIntervalSchema.nullable(),
});

export const SimulatedChangeSchema = z.object({
  kind: z.enum(['reduce-wait', 'wip-limit', 'merge', 'remove-handoff', 'cut-rework', 'capacity']),
  spec: z.string(),
  description: z.string(),
  steps: z.array(z.string()),
  owners: z.array(z.string()),
  visitsAffected: z.number().int(),
  notes: z.array(z.string()),
});

export const OwnerWorkloadSchema = z.object({
  owner: z.string(),
  /** Σ active ms credited to the owner over the closed cases, before and after (expected value under the cut). */
  activeMsBefore: z.number(),
  activeMsAfter: z.number(),
  /** (after − before) ÷ before; null when the owner had no active work before. */
  shift: z.number().nullable(),
});

export const SimulateSchema = z.object({
  schemaVersion: z.literal(SIMULATE_SCHEMA_VERSION),
  /** Working day of the business calendar in ms (durations then read in working days, `wd`); null for 24x7. */
  workdayMs: z.number().nullable().optional(),
  tool: z.object({ name: z.literal('valuestream'), version: z.string() }),
  log: z.object({
    name: z.string(),
    cases: z.number().int(),
    /** Cases resampled: the closed ones (an open case's lead time is not final). */
    closedCases: z.number().int(),
    openCasesExcluded: z.number().int(),
  }),
  runs: z.number().int(),
  /**
   * How the runs were drawn (since 1.1.0): 'monte-carlo' resamples the closed cases; 'normal-approximation' draws
   * each run from the resampling's normal approximation (large logs, docs/commands.md#vsm-simulate).
   */
  method: z.enum(['monte-carlo', 'normal-approximation']),
  seed: z.number().int(),
  changes: z.array(SimulatedChangeSchema),
  /** Measured on the closed cases (no resampling), for reference. */
  measured: z.object({ leadTimeMedianMs: z.number().nullable(), leadTimeP85Ms: z.number().nullable(), leadTimeP95Ms: z.number().nullable() }),
  before: SimulatedStateSchema,
  after: SimulatedStateSchema,
  /** Paired per-run differences after − before (same resampled cases on both sides). */
  difference: z.object({
    leadTimeMedianMs: RunIntervalSchema.nullable(),
    leadTimeP85Ms: RunIntervalSchema.nullable(),
    leadTimeP95Ms: RunIntervalSchema.nullable(),
    flowEfficiency: RunIntervalSchema.nullable(),
  }),
  workload: z.object({
    level: z.enum(['resource', 'group']),
    activeKnown: z.boolean(),
    totalActiveMsBefore: z.number(),
    totalActiveMsAfter: z.number(),
    owners: z.array(OwnerWorkloadSchema),
    /** True when some owner's active work grows by more than 10 % while total active work does not fall. */
    movesBottleneck: z.boolean(),
    /** Owners whose active work grows by more than 10 %. */
    gainingOwners: z.array(z.string()),
  }),
  /** The future-state map's steps (ReportJson['steps'] shape): medians after the change. */
  futureSteps: z.array(StepSchema),
  /** Steps whose visits, median delay, median active time or owner the change alters (or that it creates/removes). */
  changedSteps: z.array(z.string()),
  statement: z.string(),
  notes: z.array(z.string()),
});
export type SimulateJson = z.infer<typeof SimulateSchema>;
