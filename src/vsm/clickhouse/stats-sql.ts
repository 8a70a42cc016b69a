/**
 * Statistics of a group of values as SQL pieces (count, sum, min, max, exact type-7 quantiles over the sorted
 * array) and the raw values that come back for small groups (group-values.ts turns them into distributions).
 */
import { fixed, int, type Sql } from './sql.js';

/**
 * Largest group (a step's visits, the cases of lead or cycle time …) whose values come back raw, so vsm runs the
 * same summary code on them as the in-memory engine (bootstrap interval of the median, Kaplan–Meier with open
 * cases): exact equality. About 10 bytes a value, so at most ≈ 1 MB per group. Above it only statistics come back.
 */
export const RAW_VALUES_MAX = 100_000;

/**
 * The raw values of a group, as they cross the network. `${name}_values`: the sorted array when `total` ≤
 * RAW_VALUES_MAX, else empty. Above, `${name}_window` holds the sorted values at 1-based ranks `${name}_window_from`
 * onwards around the median, wide enough (n/2 ± (2√n + 2), i.e. z ≤ 4) to hold both ranks of the median's
 * order-statistic interval, which the in-memory engine uses for n > 1 000 (distribution.ts): O(√n) values.
 */
export function rawValues(name: string, sorted: string, n: string, rawMax: number, total = n): string {
  const max = int(rawMax).text;
  // 18.16's least / greatest take no mixed UInt64 and Float64 arguments: all Float64.
  const from = `toInt64(greatest(toFloat64(1), floor(${n} / 2 - 2 * sqrt(${n})) - 1))`;
  const to = `toInt64(least(toFloat64(${n}), ceil(${n} / 2 + 2 * sqrt(${n})) + 2))`;
  return (
    `arraySlice(${sorted}, 1, if(${total} <= ${max}, ${n}, 0)) AS ${name}_values, ${from} AS ${name}_window_from, ` +
    `arraySlice(${sorted}, ${from}, if(${total} > ${max}, ${to} - ${from} + 1, 0)) AS ${name}_window`
  );
}

/**
 * Exact type-7 quantile (numpy's default, as metrics/distribution.ts) of the sorted array `sorted` with `n` values:
 * h = (n − 1)·p, x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]) (0-based). The sorted array lives on the server (memory
 * O(group) there); only the number comes back (the raw values too for small groups, see rawValues).
 */
export function type7(p: string, n: string, sorted = 'sorted'): string {
  const h = `(${n} - 1) * ${p}`;
  const at = (offset: number): string => `${sorted}[toUInt64(floor(${h})) + ${offset}]`;
  return `if(${n} = 0, toFloat64(-1), ${at(1)} + (${h} - floor(${h})) * (${at(2)} - ${at(1)}))`;
}

/** n, sum, min, max and exact type-7 median / p85 / p95 of the sorted array `name`_sorted with `name`_n values. */
export function statsColumns(name: string, rawMax: number, total?: string): Sql {
  const n = `${name}_n`;
  const sorted = `${name}_sorted`;
  return fixed(
    `${n}, ${name}_sum, ${name}_min, ${name}_max, ${type7('0.5', n, sorted)} AS ${name}_median, ` +
      `${type7('0.85', n, sorted)} AS ${name}_p85, ${type7('0.95', n, sorted)} AS ${name}_p95, ${rawValues(name, sorted, n, rawMax, total)}`,
  );
}

/** Per-group aggregate of `value` where `condition`: its count, sum, min, max and sorted values. */
export function statsAggregates(name: string, value: string, condition: string): Sql {
  return fixed(
    `countIf(${condition}) AS ${name}_n, sumIf(${value}, ${condition}) AS ${name}_sum, minIf(${value}, ${condition}) AS ${name}_min, ` +
      `maxIf(${value}, ${condition}) AS ${name}_max, arraySort(groupArrayIf(${value}, ${condition})) AS ${name}_sorted`,
  );
}
