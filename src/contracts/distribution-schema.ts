/**
 * The shape of a duration distribution in report.json (DESIGN.md §4 "Distributions"); computed by
 * `summarize` in src/metrics/distribution.ts, which defines each field. Durations are in milliseconds.
 */
import { z } from 'zod';

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
});
export type Distribution = z.infer<typeof DistributionSchema>;
