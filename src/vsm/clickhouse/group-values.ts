/**
 * A group of values (a step's visit times, the cases' lead or cycle times, per-case ratios) as it comes back from
 * ClickHouse, and its report distribution. Small groups (n ≤ RAW_VALUES_MAX, aggregate-sql.ts) come back raw and go through the SAME
 * summary code as in memory (`summarize`, `survivalSummary`: bootstrap interval of the median, Kaplan–Meier with
 * open cases), so every figure is equal. Larger groups come back as exact statistics plus the window of the sorted
 * values that holds the median's order-statistic interval — the interval the in-memory engine uses above 1 000
 * values — so they are equal too, except Kaplan–Meier figures with open cases (unknown) and the mean of non-integer
 * values (its sum is added in another order: equal to floating-point rounding).
 */
import type { DistributionJson, SurvivalSummaryJson } from '../../contracts/report-schema.js';
import { BOOTSTRAP_MAX_N, medianOrderStatisticRanks, summarize, THIN_EVIDENCE_N } from '../../metrics/distribution.js';
import { survivalSummary } from '../../metrics/lead-time.js';

/** Exact statistics of a group of values (null statistics when n = 0), with its raw values when few enough. */
export interface Stats {
  n: number;
  sum: number;
  min: number | null;
  max: number | null;
  median: number | null;
  p85: number | null;
  p95: number | null;
  /** Every value, ascending, when the group (with its open values, if any) has at most RAW_VALUES_MAX; else null. */
  values: number[] | null;
  /** Larger groups: the ascending values at 1-based ranks fromRank, fromRank + 1, … around the median. */
  window: { fromRank: number; values: number[] } | null;
}

/** A cell of a ClickHouse JSON row as a number (64-bit integers arrive as strings). */
export const num = (value: unknown): number => Number(value);

/** Reads the columns `${name}_n`, `_sum`, `_min`, `_max`, `_median`, `_p85`, `_p95`, `_values`, `_window_from`, `_window` (aggregate-sql.ts). */
export function statsFromRow(row: Record<string, unknown>, name: string): Stats {
  const n = num(row[`${name}_n`]);
  const stat = (value: unknown): number | null => (n === 0 || value === null || value === undefined ? null : num(value));
  const values = (row[`${name}_values`] as unknown[] | undefined) ?? [];
  const window = (row[`${name}_window`] as unknown[] | undefined) ?? [];
  return {
    n,
    sum: num(row[`${name}_sum`]),
    min: stat(row[`${name}_min`]),
    max: stat(row[`${name}_max`]),
    median: stat(row[`${name}_median`]),
    p85: stat(row[`${name}_p85`]),
    p95: stat(row[`${name}_p95`]),
    values: n > 0 && values.length === n ? values.map(num) : n === 0 ? [] : null,
    window: window.length > 0 ? { fromRank: num(row[`${name}_window_from`]), values: window.map(num) } : null,
  };
}

/** Raw values only (`${name}_values`): null when the group was too large to come back. */
export function valuesFromRow(row: Record<string, unknown>, name: string, n: number): number[] | null {
  const values = (row[`${name}_values`] as unknown[] | undefined) ?? [];
  return values.length === n ? values.map(num) : null;
}

/** The median's order-statistic interval (n > BOOTSTRAP_MAX_N) from the window; null when the window misses a rank. */
function windowInterval(stats: Stats): { ciLow: number | null; ciHigh: number | null } {
  if (stats.window === null || stats.n <= BOOTSTRAP_MAX_N) return { ciLow: null, ciHigh: null };
  const { lowRank, highRank } = medianOrderStatisticRanks(stats.n);
  const at = (rank: number): number | null => stats.window?.values[rank - stats.window.fromRank] ?? null;
  return { ciLow: at(lowRank), ciHigh: at(highRank) };
}

/** The report distribution of a group: `summarize` on the raw values, else the exact statistics. */
export function distributionOf(stats: Stats, seed: number): DistributionJson {
  if (stats.values !== null) return summarize(stats.values, { seed });
  const { ciLow, ciHigh } = windowInterval(stats);
  return { n: stats.n, mean: stats.sum / stats.n, median: stats.median, p85: stats.p85, p95: stats.p95, min: stats.min, max: stats.max, sum: stats.sum, ciLow, ciHigh, thin: stats.n < THIN_EVIDENCE_N };
}

/**
 * Lead or cycle time over closed cases (`closed`) and open ones (`openValues`, measured up to as-of): the in-memory
 * `survivalSummary` on the raw values when they came back; else the exact statistics, with the Kaplan–Meier
 * percentiles and the mean null when any case is open (`min`, `max`, `sum` over all are given by `all`).
 */
export function survivalOf(closed: Stats, censored: number, openValues: number[] | null, all: { min: number | null; max: number | null; sum: number }, seed: number): SurvivalSummaryJson {
  if (closed.values !== null && openValues !== null && openValues.length === censored) {
    const durations = Float64Array.from([...closed.values, ...openValues]);
    const flags = new Uint8Array(durations.length).fill(1, closed.values.length);
    return survivalSummary(durations, flags, { seed });
  }
  const n = closed.n + censored;
  const method = censored > 0 ? 'kaplan-meier' : 'empirical';
  if (censored === 0) return { ...distributionOf(closed, seed), censored, method };
  return { n, mean: null, median: null, p85: null, p95: null, min: all.min, max: all.max, sum: all.sum, ciLow: null, ciHigh: null, thin: n < THIN_EVIDENCE_N, censored, method };
}

/** What report.json says about these figures (dataQuality.notes): where they are exact and the transfer bound. */
export function rawValuesNote(rawMax: number): string {
  return (
    `lead time, cycle time and per-case ratios of at most ${rawMax.toLocaleString('en-US')} cases, and per-step, per-pair and per-loop groups of at most ${BOOTSTRAP_MAX_N.toLocaleString('en-US')} values, ` +
    'came back raw and went through the in-memory summary code (bootstrap and Kaplan–Meier figures equal); larger groups came back as exact statistics plus the ≈ 4√n values around the median ' +
    'that hold its order-statistic interval (Kaplan–Meier figures with open cases unknown)'
  );
}
