/**
 * Start estimation of single-timestamp activity logs as SQL (the in-memory chain of wait-analysis.ts:
 * traces/activity-instances.ts → concurrency-oracle.ts → enabled-time.ts → start-estimation.ts), on ClickHouse 18.16
 * (no window functions): every step is a per-case or per-resource array expression.
 * - instances: every `instant` / `other` / `complete` event (the log has no start), per case in completion order
 *   (timestamp, file, row), as collectInstances orders them;
 * - the heuristics oracle from the directly-follows and A-B-A counts (one aggregate; the oracle itself is computed in
 *   Node by the in-memory code and comes back as a literal array of concurrent pair keys);
 * - enabled time inside each case's arrays: the latest earlier completion (strictly before) of a non-concurrent
 *   activity within the MAX_ENABLING_SCAN instances before, else the case's first completion;
 * - the resource's previous completion across cases: per resource its distinct completions sorted, each paired with
 *   the one before, joined back to the instances by (resource, completion) (O(n log n), no lambda);
 * - start = max(enabled, previous) clamped to the completion (instant activities and bot resources: the completion);
 * - outlier repair with each activity's lower median estimated duration (a second step: the medians are computed
 *   here, picked in Node and sent back as literals).
 * Memory on the server: the per-case arrays (O(instances)) and, while the previous completions are computed, the
 * distinct (resource, completion) pairs as a join table and one sorted array per resource (its distinct completions).
 */
import { MAX_INSTANCES_PER_CASE_SCAN } from '../../traces/concurrency-oracle.js';
import { MAX_ENABLING_SCAN } from '../../traces/enabled-time.js';
import { fixed, int, intArray, type Sql, sql } from './sql.js';
import type { EventSource } from './visit-sql.js';

/** "No previous completion": below every epoch-ms instant (Int64 minimum). */
const NONE = fixed('toInt64(-9223372036854775807 - 1)');

export const EST_CASES = sql`vsm_est_cases`;
export const EST_STARTS = sql`vsm_est_starts`;

/**
 * Per case: acts, res (resource, '' unknown) and ends (completion, epoch ms) in completion order. The tie-breakers
 * after (timestamp, file, row) follow the visit reconstruction (activity, owner), so instance k is visit k of a
 * pushed-down case.
 */
export function estimateCasesSql(source: EventSource): Sql {
  const owner = source.ownerLevel === 'group' ? sql`\`group\`` : sql`resource`;
  return sql`CREATE TEMPORARY TABLE ${EST_CASES} AS
SELECT case_id, arrayMap(t -> t.4, ev) AS acts, arrayMap(t -> t.6, ev) AS res, arrayMap(t -> t.1, ev) AS ends
FROM (SELECT case_id, arraySort(groupArray((timestamp_ms, file_index, source_row, activity, ${owner}, resource))) AS ev
  FROM ${source.from} WHERE lifecycle IN ('instant', 'other', 'complete') GROUP BY case_id)`;
}

/**
 * The heuristics oracle's counts (concurrency-oracle.ts, the first MAX_INSTANCES_PER_CASE_SCAN instances of a case):
 * per (a, b) how often b directly follows a (`follows`) and how often a-b-a occurs with a ≠ b (`loops`, keyed
 * (a, b) = (the repeated activity, the one between)).
 */
export function followsCountsSql(): Sql {
  const scan = int(MAX_INSTANCES_PER_CASE_SCAN);
  return sql`SELECT a, b, sum(f) AS follows, sum(l) AS loops FROM (
  SELECT acts2[i - 1] AS a, acts2[i] AS b, toUInt64(1) AS f, toUInt64(0) AS l
  FROM (SELECT arraySlice(acts, 1, ${scan}) AS acts2 FROM ${EST_CASES}) ARRAY JOIN arrayEnumerate(acts2) AS i WHERE i > 1
  UNION ALL
  SELECT acts2[i] AS a, acts2[i - 1] AS b, toUInt64(0) AS f, toUInt64(1) AS l
  FROM (SELECT arraySlice(acts, 1, ${scan}) AS acts2 FROM ${EST_CASES}) ARRAY JOIN arrayEnumerate(acts2) AS i
  WHERE i > 2 AND acts2[i - 2] = acts2[i] AND acts2[i - 1] != acts2[i]
) GROUP BY a, b`;
}

/** The oracle as SQL literals: activities in a concurrent pair (code = 1-based position) and the pair keys a·m + b. */
export interface ConcurrencyLiteral {
  activities: Sql;
  /** m: the key base (activities + 1). */
  base: number;
  keys: number[];
}

/**
 * Index of the instance that enables instance k (1-based; 0: the case's beginning), as enabled-time.ts scans back:
 * the latest j < k (at most MAX_ENABLING_SCAN back) completed strictly before k whose activity is not concurrent
 * with k's. Without concurrent pairs that is the instance before k's run of equal completions (O(n)); with them a
 * scan of the window (O(n · window) per case).
 */
function enablerSql(oracle: ConcurrencyLiteral): Sql {
  const scan = int(MAX_ENABLING_SCAN);
  if (oracle.keys.length === 0) {
    return sql`arrayMap((k, u) -> if(k > u AND u <= ${scan}, k - u, 0), arrayEnumerate(ends), arrayEnumerateUniq(ends))`;
  }
  // Captures ends and codes (the `codes` column of the query): 18.16 copies a captured array for every element, so
  // this is O(n²) memory per case — cases are short; the concurrency-free path above captures nothing.
  return sql`arrayMap((k, ck) -> arrayReduce('max', arrayFilter(j -> j < k AND j + ${scan} >= k AND ends[j] < ends[k]
    AND NOT has(${intArray(oracle.keys)}, toInt64(codes[j]) * ${int(oracle.base)} + ck), arrayEnumerate(ends))), arrayEnumerate(ends), codes)`;
}

/**
 * Per case the raw estimates `starts0` (before outlier repair) and the `instant` flags (instant activity or bot
 * resource: start = completion), beside acts and ends. `instantActivities` / `botResources` are literal arrays of the
 * names the config's patterns matched (in Node, as in memory).
 */
export function estimateStartsSql(oracle: ConcurrencyLiteral, instantActivities: Sql, botResources: Sql): Sql {
  // The resource's latest completion strictly before each instance (start-estimation.ts previousCompletionByResource):
  // per resource its distinct completions sorted, each paired with the one before (a run of equal completions takes
  // the completion before the run), joined back by (resource, completion). No lambda captures a column: 18.16 would
  // copy a resource's whole array for each of its elements.
  const instances = sql`SELECT case_id, i, res[i] AS r, ends[i] AS e FROM ${EST_CASES} ARRAY JOIN arrayEnumerate(ends) AS i`;
  const previous = sql`SELECT case_id, i, if(r = '', ${NONE}, prev) AS prev FROM (${instances})
  ANY LEFT JOIN (
    SELECT r, e, prev FROM (
      SELECT r, arraySort(groupUniqArray(e)) AS distinct_ends, arrayPushFront(arrayPopBack(distinct_ends), ${NONE}) AS before
      FROM (${instances}) WHERE r != '' GROUP BY r
    ) ARRAY JOIN distinct_ends AS e, before AS prev
  ) USING r, e`;
  return sql`CREATE TEMPORARY TABLE ${EST_STARTS} AS
SELECT case_id, acts, ends, instant,
  arrayMap((e, en, p, flag) -> if(flag = 1, e, least(greatest(en, p), e)), ends, enabled, prevs, instant) AS starts0
FROM (
  SELECT case_id, acts, ends, arrayMap(j -> if(j = 0, ends[1], ends[j]), ${enablerSql(oracle)}) AS enabled,
    arrayMap((a, r) -> toUInt8(has(${instantActivities}, a) OR r != '' AND has(${botResources}, r)), acts, res) AS instant
  FROM (SELECT case_id, acts, res, ends, arrayMap(a -> indexOf(${oracle.activities}, a), acts) AS codes FROM ${EST_CASES})
) ANY LEFT JOIN (
  SELECT case_id, arrayMap(p -> p.2, arraySort(groupArray((i, prev)))) AS prevs FROM (${previous}) GROUP BY case_id
) USING case_id`;
}

/**
 * Each activity's lower median estimated duration (start-estimation.ts repairOutliers: estimated instances of
 * activities that are not instant; bot resources count with 0).
 */
export function activityMediansSql(instantActivities: Sql): Sql {
  return sql`SELECT a, arraySort(groupArray(d))[intDiv(count() - 1, 2) + 1] AS median FROM (
  SELECT acts[i] AS a, ends[i] - starts0[i] AS d FROM ${EST_STARTS} ARRAY JOIN arrayEnumerate(ends) AS i WHERE NOT has(${instantActivities}, acts[i])
) GROUP BY a`;
}

/** A Float64 expression equal to `value` exactly (an integer, or mantissa / 2^k divided in exact power-of-two steps). */
export function exactFloat(value: number): Sql {
  if (Number.isSafeInteger(value)) return sql`toFloat64(${int(value)})`;
  let mantissa = value;
  let exponent = 0;
  while (!Number.isInteger(mantissa)) {
    mantissa *= 2;
    exponent++;
  }
  const steps: string[] = [];
  for (let left = exponent; left > 0; left -= 30) steps.push(` / ${2 ** Math.min(30, left)}`);
  return fixed(`(toFloat64(${int(mantissa).text})${steps.join('')})`);
}

/**
 * The repaired starts per case: an estimate whose duration exceeds `multiple` × its activity's median (> 0) becomes
 * completion − median; `repaired` counts them. `medianActivities` / `medians` are the literal lookup (positive
 * medians only); `multiple` null turns repair off.
 */
export function repairedStartsSql(medianActivities: Sql, medians: number[], multiple: number | null): Sql {
  if (multiple === null || medians.length === 0) return sql`SELECT case_id, ends, starts0 AS starts, toUInt64(0) AS repaired FROM ${EST_STARTS}`;
  const median = sql`${intArray(medians)}[indexOf(${medianActivities}, a)]`;
  return sql`SELECT case_id, ends, arrayMap((a, e, s) -> if(indexOf(${medianActivities}, a) > 0 AND toFloat64(e - s) > ${exactFloat(multiple)} * toFloat64(${median}), e - ${median}, s), acts, ends, starts0) AS starts,
  toUInt64(arraySum(arrayMap((a, e, s) -> toUInt64(indexOf(${medianActivities}, a) > 0 AND toFloat64(e - s) > ${exactFloat(multiple)} * toFloat64(${median})), acts, ends, starts0))) AS repaired
FROM ${EST_STARTS}`;
}

/**
 * The visit rows of caseVisitsSql (single-timestamp reconstruction: steps, exited, owners …) with the estimated
 * starts as `started` and entered / first_ms as with recorded starts (activity-visits.ts: entered = the previous
 * visit's completion clamped to the start, the first visit's its start; the case begins at its earliest start or
 * completion). Visits keep the completion order (EventLog.startsEstimated: estimates time visits, never reorder them).
 */
export function estimatedVisitsSql(elapsedVisits: Sql, repaired: Sql): Sql {
  return sql`SELECT case_id, steps, started, exited, owners, pushed, least(first_raw, arrayReduce('min', started)) AS first_ms, last_ms, outcome_ms,
  arrayMap((previous, s) -> least(previous, s), arraySlice(arrayPushFront(arrayPopBack(exited), started[1]), 1, length(started)), started) AS entered
FROM (
  SELECT case_id, steps, exited, owners, pushed, first_raw, last_ms, outcome_ms, if(pushed = 1 AND length(est) = length(steps), est, exited) AS started
  FROM (SELECT case_id, steps, exited, owners, pushed, first_ms AS first_raw, last_ms, outcome_ms FROM (${elapsedVisits}))
  ANY LEFT JOIN (SELECT case_id, starts AS est FROM (${repaired})) USING case_id
)`;
}
