/**
 * The shape of a duration distribution in report.json (DESIGN.md §4 "Distributions"); computed by
 * `summarize` in src/metrics/distribution.ts, which defines each field. Durations are in milliseconds.
 */
import { z } from 'zod';

/**
 * Marks a figure read from a quantile sketch (a distribution over the exact-values limit, src/metrics/value-sketch.ts):
 * each quantile and interval bound is within `relativeAccuracy` (relative value error) of the exact one; n, mean,
 * sum, min and max stay exact. Absent when every value was kept.
 */
export const ApproximationSchema = z.object({ method: z.literal('DDSketch'), relativeAccuracy: z.number().positive() });
export type Approximation = z.infer<typeof ApproximationSchema>;

export const DistributionSchema = z.object({
  n: z.number().int().nonnegative(),
  mean: z.number().nullable(),
  median: z.number().nullable(),
  p85: z.number().nullable(),
  p95: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  sum: z.number(),
  /** Confidence interval for the median (see `summarize` for the method). */
  ciLow: z.number().nullable(),
  ciHigh: z.number().nullable(),
  /** n < THIN_EVIDENCE_N (30, src/metrics/distribution.ts). */
  thin: z.boolean(),
  /** Present when median, p85, p95, ciLow and ciHigh come from a sketch (see ApproximationSchema; schema 1.4.0). */
  approximate: ApproximationSchema.optional(),
});
export type Distribution = z.infer<typeof DistributionSchema>;
