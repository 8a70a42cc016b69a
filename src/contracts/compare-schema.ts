import { z } from 'zod';

/**
 * The versioned shape of `vsm compare --json` / compare.json: two periods (or two files) of one process side by
 * side, one row per compared metric with its test. Durations in ms, ratios and rates as fractions (0.25 = 25 %).
 * Convention (src/metrics/significance.ts): `before` is the baseline and every diff is after − before.
 * Bump COMPARE_SCHEMA_VERSION's minor for additive changes, major for breaking ones.
 */
export const COMPARE_SCHEMA_VERSION = '1.0.0';

export const ComparePeriodSchema = z.object({
  /** 'before' or 'after'. */
  role: z.enum(['before', 'after']),
  /** As the user wrote it (2024-Q3, 2024-07-01..2024-09-30) or the file name when comparing two files. */
  label: z.string(),
  /** Half-open interval [from, to) as ISO instants; null when the whole file is the period. */
  from: z.string().nullable(),
  to: z.string().nullable(),
  source: z.string(),
  /** Cases in the period (by completion or by trigger, see `by`). */
  cases: z.number().int().nonnegative(),
  /** Of those, cases that reached their outcome (lead / cycle time and flow efficiency use these). */
  closedCases: z.number().int().nonnegative(),
});

export const CompareMetricSchema = z.object({
  /** Stable key: `step:<name>:wait`, `step:<name>:active`, `leadTime`, `cycleTime`, `flowEfficiency`, `reworkRate`, `handoffRate`. */
  id: z.string(),
  metric: z.enum(['wait', 'active', 'leadTime', 'cycleTime', 'flowEfficiency', 'reworkRate', 'handoffRate']),
  /** The step for per-step metrics, else null. */
  step: z.string().nullable(),
  unit: z.enum(['ms', 'ratio']),
  /** Values in each period: visits (step metrics), closed cases (lead, cycle, flow efficiency) or cases (rates). */
  nBefore: z.number().int().nonnegative(),
  nAfter: z.number().int().nonnegative(),
  /** Median (durations, flow efficiency) or share of cases (rates); null when that period has no values. */
  before: z.number().nullable(),
  after: z.number().nullable(),
  diff: z.number().nullable(),
  /**
   * 95 % interval of diff: the median difference's percentile bootstrap (either side ≤ 1,000 values) or order-statistic
   * interval (both sides above; significance.ts quantileDiffCi), or the Wald interval for rates.
   */
  ciLow: z.number().nullable(),
  ciHigh: z.number().nullable(),
  /** 85th percentiles and the interval of their difference as for the median (durations and flow efficiency only). */
  p85Before: z.number().nullable(),
  p85After: z.number().nullable(),
  p85Diff: z.number().nullable(),
  p85CiLow: z.number().nullable(),
  p85CiHigh: z.number().nullable(),
  test: z.enum(['mann-whitney', 'two-proportion']).nullable(),
  pValue: z.number().nullable(),
  /** Benjamini–Hochberg adjusted over every tested (non-thin) metric of this comparison; null when not tested. */
  pAdjusted: z.number().nullable(),
  /** pAdjusted < 0.05 and the interval excludes 0, and not thin. */
  significant: z.boolean(),
  /** n < 30 in either period: reported, never called significant, left out of the BH family. */
  thin: z.boolean(),
  direction: z.enum(['up', 'down', 'same']).nullable(),
  /** One plain-language line. */
  statement: z.string(),
});
export type CompareMetricJson = z.infer<typeof CompareMetricSchema>;

export const TrendWeekSchema = z.object({
  period: z.enum(['before', 'after']),
  /** Monday of the ISO week (in the calendar's zone, else UTC), yyyy-MM-dd. */
  weekStart: z.string(),
  cases: z.number().int(),
  medianLeadMs: z.number(),
  /** 'above' / 'below' the baseline's natural process limits, else null. */
  signal: z.enum(['above', 'below']).nullable(),
});

export const CompareTrendSchema = z.object({
  /** XmR (individuals and moving range) chart of the weekly median lead times; limits from the before weeks. */
  method: z.literal('xmr-weekly-median'),
  /** Mean of the before weeks' medians; null with fewer than 2 before weeks. */
  centerMs: z.number().nullable(),
  /** center ± 2.66 × mean moving range (lower limit clamped at 0). */
  upperMs: z.number().nullable(),
  lowerMs: z.number().nullable(),
  weeks: z.array(TrendWeekSchema),
});

export const CompareSchema = z.object({
  schemaVersion: z.literal(COMPARE_SCHEMA_VERSION),
  /** Working day of the business calendar in ms (durations then read in working days, `wd`); null for 24x7. */
  workdayMs: z.number().nullable().optional(),
  tool: z.object({ name: z.literal('valuestream'), version: z.string() }),
  /** How cases were assigned to periods: by outcome time, by trigger time, or whole files. */
  by: z.enum(['completed', 'started', 'file']),
  periods: z.array(ComparePeriodSchema).length(2),
  alpha: z.number(),
  seed: z.number().int(),
  resamples: z.number().int(),
  metrics: z.array(CompareMetricSchema),
  summary: z.object({ compared: z.number().int(), tested: z.number().int(), significant: z.number().int(), thin: z.number().int() }),
  trend: CompareTrendSchema,
  notes: z.array(z.string()),
});
export type CompareJson = z.infer<typeof CompareSchema>;
