/**
 * Start estimation as SQL (the in-memory chain of wait-analysis.ts: traces/activity-instances.ts →
 * concurrency-oracle.ts → enabled-time.ts → start-estimation.ts), on ClickHouse 18.16 (no window functions): every
 * step is a per-case or per-resource array expression. Single-timestamp logs estimate every start; logs where only
 * some instances have one estimate the missing ones (recorded starts are kept and limit enabling).
 * - instances: per case in completion order (estimateCasesSql);
 * - the oracle from its counts: heuristics (directly-follows and A-B-A counts) or, when at least half the instances
 *   have a recorded start, overlapping (overlapping pairs per case); computed in Node by the in-memory code and sent
 *   back as a literal array of concurrent pair keys;
 * - enabled time inside each case's arrays: the latest earlier completion (strictly before, and no later than a
 *   recorded start under the overlapping oracle) of a non-concurrent activity within the MAX_ENABLING_SCAN instances
 *   before, else the case's beginning;
 * - the resource's previous completion across cases: per resource its distinct completions sorted, each paired with
 *   the one before, joined back to the instances by (resource, completion) (O(n log n), no lambda);
 * - at scale (more than ESTIMATE_INSTANCES_PER_SLICE instances) the two joins that hold O(instances) rows run in K =
 *   ⌈instances / 20 M⌉ slices: the previous completions per slice of resources (cityHash64(resource) % K) into a
 *   session table, then the estimates per slice of cases (cityHash64(case_id) % K); one query each below that;
 * - start = max(enabled, previous) clamped to the completion (instant activities and bot resources: the completion);
 * - outlier repair of the estimates with each activity's lower median estimated duration (a second step: the medians
 *   are computed here, picked in Node and sent back as literals).
 * Memory on the server: the per-case arrays (O(instances), session tables) and, per query, about 1/K of the distinct
 * (resource, completion) pairs as a join table and of the resources' sorted arrays, or 1/K of the cases' previous
 * completions as a join table. Still O(instances) in one query: each activity's estimated durations for its median
 * (8 bytes an instance, a GROUP BY by activity) and the per-case GROUP BY that builds the arrays (it spills with
 * max_bytes_before_external_group_by).
 */
import { MAX_INSTANCES_PER_CASE_SCAN } from '../../traces/concurrency-oracle.js';
import { MAX_ENABLING_SCAN } from '../../traces/enabled-time.js';
import { fixed, int, intArray, type Sql, sql } from './sql.js';
import { type EventSource, FIFO_PAIRING } from './visit-sql.js';

/** "No previous completion": below every epoch-ms instant (Int64 minimum). */
const NONE = fixed('toInt64(-9223372036854775807 - 1)');

export const EST_CASES = sql`vsm_est_cases`;
export const EST_STARTS = sql`vsm_est_starts`;

/**
 * Per case in completion order (the completing event's timestamp, file, row: the order the in-memory engine keeps
 * visits in when starts are estimated): acts, res (resource, '' unknown), owners (at the owner level), ends
 * (completion, epoch ms), rec (the recorded start, NONE when none) and has_start. Single-timestamp logs: every
 * `instant` / `other` / `complete` event. Logs where only some instances have a start (`partial`): `start` /
 * `complete` events paired FIFO per activity as in memory (visit-sql.ts FIFO_PAIRING; a complete with no open start is
 * an instance without a recorded start; the owner of the complete, else of the start), rows with `start_ms`, and `instant` / `other` events.
 */
export function estimateCasesSql(source: EventSource, partial = false): Sql {
  const owner = source.ownerLevel === 'group' ? sql`\`group\`` : sql`resource`;
  const columns = sql`arrayMap(t -> t.6, ev) AS acts, arrayMap(t -> t.8, ev) AS res, arrayMap(t -> t.7, ev) AS owners, arrayMap(t -> t.1, ev) AS ends,
  arrayMap(t -> t.5, ev) AS rec, arrayMap(t -> t.4, ev) AS has_start`;
  if (!partial) {
    return sql`CREATE TEMPORARY TABLE ${EST_CASES} AS
SELECT case_id, ${columns}
FROM (SELECT case_id, arraySort(groupArray((timestamp_ms, file_index, source_row, toUInt8(0), ${NONE}, activity, ${owner}, resource))) AS ev
  FROM ${source.from} WHERE lifecycle IN ('instant', 'other', 'complete') GROUP BY case_id)`;
  }
  return sql`CREATE TEMPORARY TABLE ${EST_CASES} AS
SELECT case_id, ${columns}
FROM (SELECT case_id, arraySort(groupArrayArray(instances)) AS ev FROM (
  SELECT case_id, activity,
    arraySort(groupArrayIf((timestamp_ms, file_index, source_row, ${owner}, resource), lifecycle = 'start' AND isNull(start_ms))) AS starts,
    arraySort(groupArrayIf((timestamp_ms, file_index, source_row, ${owner}, resource), lifecycle = 'complete' AND isNull(start_ms))) AS completes,
    arrayMap(t -> (t.1, t.2, t.3, toUInt8(isNotNull(t.4)), ifNull(t.4, ${NONE}), activity, t.5, t.6),
      groupArrayIf((timestamp_ms, file_index, source_row, start_ms, ${owner}, resource),
        isNotNull(start_ms) AND lifecycle != 'schedule' OR isNull(start_ms) AND lifecycle IN ('instant', 'other'))) AS singles,
    ${FIFO_PAIRING},
    arrayMap((c, m, x) -> if(x = 1, (c.1, c.2, c.3, toUInt8(1), starts[m].1, activity, if(c.4 != '', c.4, starts[m].4), if(c.5 != '', c.5, starts[m].5)),
      (c.1, c.2, c.3, toUInt8(0), ${NONE}, activity, c.4, c.5)), completes, matched, closes) AS paired,
    arrayConcat(singles, paired) AS instances
  FROM ${source.from} GROUP BY case_id, activity
) GROUP BY case_id)`;
}

/**
 * The overlapping oracle's counts (concurrency-oracle.ts, the first MAX_INSTANCES_PER_CASE_SCAN instances of a case):
 * per ordered pair of instances of different activities, `together` 1 and `overlaps` 1 when both have a recorded
 * start and their intervals overlap strictly. O(n²) rows per case.
 */
export function overlapCountsSql(): Sql {
  const scan = int(MAX_INSTANCES_PER_CASE_SCAN);
  return sql`SELECT a, b, sum(o) AS overlaps, count() AS together FROM (
  SELECT acts2[i] AS a, acts2[j] AS b, toUInt64(h2[i] = 1 AND h2[j] = 1 AND r2[i] < e2[j] AND r2[j] < e2[i]) AS o
  FROM (
    SELECT acts2, h2, r2, e2, i
    FROM (SELECT arraySlice(acts, 1, ${scan}) AS acts2, arraySlice(has_start, 1, ${scan}) AS h2, arraySlice(rec, 1, ${scan}) AS r2, arraySlice(ends, 1, ${scan}) AS e2 FROM ${EST_CASES})
    ARRAY JOIN arrayEnumerate(acts2) AS i
  ) ARRAY JOIN arrayEnumerate(acts2) AS j WHERE i != j AND acts2[i] != acts2[j]
) GROUP BY a, b`;
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
  /** Overlapping oracle (at least half the instances have a recorded start): recorded starts limit enabling. */
  overlapping: boolean;
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
  if (oracle.keys.length === 0 && !oracle.overlapping) {
    return sql`arrayMap((k, u) -> if(k > u AND u <= ${scan}, k - u, 0), arrayEnumerate(ends), arrayEnumerateUniq(ends))`;
  }
  // Captures ends and codes (the `codes` column of the query): 18.16 copies a captured array for every element, so
  // this is O(n²) memory per case — cases are short; the concurrency-free path above captures nothing.
  // Overlapping oracle: an instance with a recorded start is enabled no later than it (enabled-time.ts limitMs).
  const limit = oracle.overlapping ? sql` AND (lim = ${NONE} OR ends[j] <= lim)` : sql``;
  return sql`arrayMap((k, ck, lim) -> arrayReduce('max', arrayFilter(j -> j < k AND j + ${scan} >= k AND ends[j] < ends[k]${limit}
    AND NOT has(${intArray(oracle.keys)}, toInt64(codes[j]) * ${int(oracle.base)} + ck), arrayEnumerate(ends))), arrayEnumerate(ends), codes,
    arrayMap((h, r) -> if(h = 1, r, ${NONE}), has_start, rec))`;
}

/**
 * One of `count` slices of the instances by `cityHash64(key) % count` (count 1: all of them). The hash joins of
 * estimation cannot spill on 18.16, so at scale they run once per slice, each holding about 1/count of the rows.
 */
export interface Slice {
  index: number;
  count: number;
}

/** Every instance in one slice (no extra query or filter). */
export const WHOLE: Slice = { index: 0, count: 1 };

/**
 * Instances per slice of the estimation's joins: at 100 M events the single (resource, completion) join needed more than
 * 15 GiB (the bench server allows 16 GB per query), about 160 bytes a pair; 20 M pairs a slice is about 3 GiB.
 */
export const ESTIMATE_INSTANCES_PER_SLICE = 20_000_000;

/** The slice count for `instances` instances at most `perSlice` per slice (1 below it: small logs cost no extra query). */
export function sliceCount(instances: number, perSlice = ESTIMATE_INSTANCES_PER_SLICE): number {
  return Math.max(1, Math.ceil(instances / Math.max(1, perSlice)));
}

/** The filter of `slice` on `key` (`1` for a single slice). */
export function inSlice(key: Sql, slice: Slice): Sql {
  return slice.count === 1 ? sql`1` : sql`cityHash64(${key}) % ${int(slice.count)} = ${int(slice.index)}`;
}

/** `from` (a table or subquery with case_id) cut to the cases of `slice` (unchanged for a single slice). */
export function casesInSlice(from: Sql, slice: Slice): Sql {
  return slice.count === 1 ? from : sql`(SELECT * FROM ${from} WHERE ${inSlice(sql`case_id`, slice)})`;
}

/** `select` into the session temporary table `table`: created by the first slice, appended to by the others. */
export function fillSliceSql(table: Sql, slice: Slice, select: Sql): Sql {
  return slice.index === 0 ? sql`CREATE TEMPORARY TABLE ${table} AS ${select}` : sql`INSERT INTO ${table} ${select}`;
}

export const EST_PREVIOUS = sql`vsm_est_previous`;

/**
 * The resource's latest completion strictly before each instance (start-estimation.ts previousCompletionByResource),
 * as rows (case_id, i, prev) for the instances whose resource falls in `slice` (the unknown resource '' too: its
 * instances have none): per resource its distinct completions sorted, each paired with the one before (a run of
 * equal completions takes the completion before the run), joined back by (resource, completion). Every resource lies
 * in one slice, so a slice's join holds only its resources' pairs. No lambda captures a column: 18.16 would copy a
 * resource's whole array for each of its elements.
 */
export function previousCompletionsSql(slice: Slice): Sql {
  // ARRAY JOIN of the arrays side by side (not of an index into them: that copies each array for each element).
  const instances = sql`SELECT case_id, i, r, e FROM ${EST_CASES} ARRAY JOIN arrayEnumerate(ends) AS i, res AS r, ends AS e WHERE ${inSlice(sql`r`, slice)}`;
  return sql`SELECT case_id, i, if(r = '', ${NONE}, prev) AS prev FROM (${instances})
  ANY LEFT JOIN (
    SELECT r, e, prev FROM (
      SELECT r, arraySort(groupUniqArray(e)) AS distinct_ends, arrayPushFront(arrayPopBack(distinct_ends), ${NONE}) AS before
      FROM (${instances}) WHERE r != '' GROUP BY r
    ) ARRAY JOIN distinct_ends AS e, before AS prev
  ) USING r, e`;
}

/**
 * Per case the raw estimates `starts0` (before outlier repair) and the `instant` flags (instant activity or bot
 * resource: start = completion), beside acts and ends, for the cases in `slice` (by case_id). `previous`: the rows of
 * previousCompletionsSql for (at least) these cases. `instantActivities` / `botResources` are literal arrays of the
 * names the config's patterns matched (in Node, as in memory).
 */
export function estimateStartsSql(oracle: ConcurrencyLiteral, instantActivities: Sql, botResources: Sql, previous: Sql = previousCompletionsSql(WHOLE), slice: Slice = WHOLE): Sql {
  return fillSliceSql(EST_STARTS, slice, sql`
SELECT case_id, acts, owners, ends, has_start, instant,
  arrayMap((e, en, p, flag, h, r) -> if(h = 1, r, if(flag = 1, e, least(greatest(en, p), e))), ends, enabled, prevs, instant, has_start, rec) AS starts0
FROM (
  SELECT case_id, acts, owners, ends, has_start, rec, arrayMap((j, e, b) -> if(j = 0, least(b, e), ends[j]), ${enablerSql(oracle)}, ends, arrayResize([case_begin], length(ends), case_begin)) AS enabled,
    arrayMap((a, r) -> toUInt8(has(${instantActivities}, a) OR r != '' AND has(${botResources}, r)), acts, res) AS instant
  FROM (SELECT case_id, acts, res, owners, ends, rec, has_start, arrayMap(a -> indexOf(${oracle.activities}, a), acts) AS codes,
    arrayReduce('min', arrayPushBack(arrayFilter((r, h) -> h = 1, rec, has_start), ends[1])) AS case_begin FROM ${EST_CASES} WHERE ${inSlice(sql`case_id`, slice)})
) ANY LEFT JOIN (
  SELECT case_id, arrayMap(p -> p.2, arraySort(groupArray((i, prev)))) AS prevs FROM (${previous}) WHERE ${inSlice(sql`case_id`, slice)} GROUP BY case_id
) USING case_id`);
}

/**
 * Each activity's lower median estimated duration (start-estimation.ts repairOutliers: estimated instances of
 * activities that are not instant; bot resources count with 0).
 */
export function activityMediansSql(instantActivities: Sql): Sql {
  return sql`SELECT a, arraySort(groupArray(d))[intDiv(count() - 1, 2) + 1] AS median FROM (
  SELECT a, e - s AS d FROM ${EST_STARTS} ARRAY JOIN acts AS a, ends AS e, starts0 AS s, has_start AS h WHERE h = 0 AND NOT has(${instantActivities}, a)
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
  const kept = sql`case_id, acts, owners, ends, has_start`;
  if (multiple === null || medians.length === 0) return sql`SELECT ${kept}, starts0 AS starts, toUInt64(0) AS repaired FROM ${EST_STARTS}`;
  const median = sql`${intArray(medians)}[indexOf(${medianActivities}, a)]`;
  const outlier = sql`h = 0 AND indexOf(${medianActivities}, a) > 0 AND toFloat64(e - s) > ${exactFloat(multiple)} * toFloat64(${median})`;
  return sql`SELECT ${kept}, arrayMap((a, e, s, h) -> if(${outlier}, e - ${median}, s), acts, ends, starts0, has_start) AS starts,
  toUInt64(arraySum(arrayMap((a, e, s, h) -> toUInt64(${outlier}), acts, ends, starts0, has_start))) AS repaired
FROM ${EST_STARTS}`;
}

/**
 * The visit rows of caseVisitsSql (single-timestamp reconstruction: steps, exited, owners …) with the estimated
 * starts as `started` and entered / first_ms as with recorded starts (activity-visits.ts: entered = the previous
 * visit's completion clamped to the start, the first visit's its start; the case begins at its earliest start or
 * completion). Visits keep the completion order (EventLog.startsEstimated: estimates time visits, never reorder them).
 */
export function estimatedVisitsSql(caseVisits: Sql, repaired: Sql, trigger = false): Sql {
  // With a config trigger the case begins at the (estimated) start of its trigger visit, as with recorded starts.
  const firstMs = trigger
    ? sql`if(lead_from > 0 AND lead_from <= length(started), started[lead_from], first_raw)`
    : sql`least(first_raw, arrayReduce('min', started))`;
  return sql`SELECT case_id, steps, started, exited, owners, pushed, ${firstMs} AS first_ms, last_ms, outcome_ms, lead_from, lead_to,
  arrayMap((previous, s) -> least(previous, s), arraySlice(arrayPushFront(arrayPopBack(exited), started[1]), 1, length(started)), started) AS entered
FROM (
  SELECT case_id, pushed, first_raw, last_ms, outcome_ms, lead_from, lead_to,
    if(pushed = 1, est_acts, steps_raw) AS steps, if(pushed = 1, est_owners, owners_raw) AS owners,
    if(pushed = 1, est_ends, CAST([] AS Array(Int64))) AS exited, if(pushed = 1, est, CAST([] AS Array(Int64))) AS started
  FROM (SELECT case_id, steps AS steps_raw, owners AS owners_raw, pushed, first_ms AS first_raw, last_ms, outcome_ms, lead_from, lead_to FROM (${caseVisits}))
  ANY LEFT JOIN (SELECT case_id, acts AS est_acts, owners AS est_owners, ends AS est_ends, starts AS est FROM (${repaired})) USING case_id
)`;
}
