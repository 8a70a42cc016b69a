/**
 * The aggregations over the per-case visit rows of visit-sql.ts. Each returns few rows (one per step, edge,
 * owner pair or variant): only these cross the network. `cases` is a FROM item giving caseVisitsSql's columns.
 */
import { fixed, type Sql, int, sql } from './sql.js';

/**
 * Rows any one aggregate may bring back (steps, DFG edges, rework steps, owner pairs): the bound on what crosses the
 * network and on vsm's memory. Queries ask for one more row so the caller can tell that the cap applied.
 */
export const MAX_AGGREGATE_ROWS = 10_000;
const CAP = int(MAX_AGGREGATE_ROWS + 1);

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
function rawValues(name: string, sorted: string, n: string, rawMax: number, total = n): string {
  const max = int(rawMax).text;
  // 18.16's least / greatest take no mixed UInt64 and Float64 arguments: all Float64.
  const from = `toInt64(greatest(toFloat64(1), floor(${n} / 2 - 2 * sqrt(${n})) - 1))`;
  const to = `toInt64(least(toFloat64(${n}), ceil(${n} / 2 + 2 * sqrt(${n})) + 2))`;
  return (
    `arraySlice(${sorted}, 1, if(${total} <= ${max}, ${n}, 0)) AS ${name}_values, ${from} AS ${name}_window_from, ` +
    `arraySlice(${sorted}, ${from}, if(${total} > ${max}, ${to} - ${from} + 1, 0)) AS ${name}_window`
  );
}

/** Cases pushed down / not, visits, visits without an owner. */
export function totalsSql(cases: Sql): Sql {
  return sql`SELECT countIf(pushed = 1) AS cases, countIf(pushed = 0) AS not_pushed, sumIf(length(steps), pushed = 1) AS visits,
  sumIf(arrayCount(o -> o = '', owners), pushed = 1) AS missing_owner FROM ${cases}`;
}

/** Events and the log's first and last instants (epoch ms, interval starts included as ingest counts them; the last is the default as-of of open cases). */
export function eventCountSql(from: Sql): Sql {
  return sql`SELECT count() AS events, min(least(timestamp_ms, ifNull(start_ms, timestamp_ms))) AS first_ms, max(timestamp_ms) AS last_ms FROM ${from}`;
}

/**
 * The map order (traces/step-order.ts): per step, the lower median of the rank at which cases first enter it (0 for
 * the first distinct step of a case, capped at 255), i.e. the ⌈n/2⌉-th smallest rank.
 */
export function stepOrderSql(cases: Sql): Sql {
  return sql`SELECT step, arraySort(groupArray(rank))[toUInt64(intDiv(count() + 1, 2))] AS median_rank FROM (
  SELECT step, least(position - 1, 255) AS rank
  FROM (SELECT arrayFilter((s, u) -> u = 1, steps, arrayEnumerateUniq(steps)) AS firsts FROM ${cases} WHERE pushed = 1)
  ARRAY JOIN firsts AS step, arrayEnumerate(firsts) AS position
) GROUP BY step ORDER BY step LIMIT ${CAP}`;
}

/** Variants: the top `top` step sequences by cases (ties by sequence), and the number of distinct sequences. */
export function variantsSql(cases: Sql, top: number): Sql {
  return sql`SELECT steps, count() AS n FROM ${cases} WHERE pushed = 1 AND length(steps) > 0 GROUP BY steps ORDER BY n DESC, steps LIMIT ${int(top)}`;
}

export function variantTotalSql(cases: Sql): Sql {
  return sql`SELECT count() AS total FROM (SELECT steps FROM ${cases} WHERE pushed = 1 AND length(steps) > 0 GROUP BY steps)`;
}

/** Directly-follows edges between consecutive visits, with counts. */
export function dfgEdgesSql(cases: Sql): Sql {
  return sql`SELECT edge.1 AS from, edge.2 AS to, count() AS n FROM ${cases}
ARRAY JOIN arrayMap(i -> (steps[i], steps[i + 1]), arrayEnumerate(arrayPopBack(steps))) AS edge
WHERE pushed = 1 GROUP BY from, to ORDER BY n DESC, from, to LIMIT ${CAP}`;
}

/** Per step: visits, cases, cases entering it more than once, and (start, end) counts for the DFG. */
export function stepsSql(cases: Sql): Sql {
  return sql`SELECT step, count() AS visits, uniqExact(case_id) AS cases, countIf(nth = 2) AS rework_cases,
  countIf(position = 1) AS starts, countIf(position = length(steps)) AS ends
FROM ${cases} ARRAY JOIN steps AS step, arrayEnumerateUniq(steps) AS nth, arrayEnumerate(steps) AS position
WHERE pushed = 1 GROUP BY step ORDER BY visits DESC, step LIMIT ${CAP}`;
}

/**
 * Rework per step (rework.ts): visit j re-enters step S when the case visited S before; i = its latest earlier
 * visit of S. Self-loop when i = j − 1, else repetition; other owner when both owners are known and differ.
 */
export function reworkSql(cases: Sql): Sql {
  return sql`SELECT step, uniqExact(case_id) AS cases, count() AS repeat_visits,
  countIf(self_loop AND NOT other_owner) AS self_same, countIf(self_loop AND other_owner) AS self_other,
  countIf(NOT self_loop AND NOT other_owner) AS rep_same, countIf(NOT self_loop AND other_owner) AS rep_other
FROM (
  SELECT case_id, steps[j] AS step,
    j - arrayFirstIndex(x -> x = steps[j], arrayReverse(arraySlice(steps, 1, j - 1))) AS i,
    i = j - 1 AS self_loop,
    owners[i] != '' AND owners[j] != '' AND owners[i] != owners[j] AS other_owner
  FROM ${cases} ARRAY JOIN arrayEnumerate(steps) AS j
  WHERE pushed = 1 AND arrayEnumerateUniq(steps)[j] > 1
) GROUP BY step ORDER BY repeat_visits DESC, step LIMIT ${CAP}`;
}

/**
 * Rework loops (rework.ts): the path of visits i..j of each re-entry, summarised as [S, "… n steps …", from, S] when
 * longer than \`maxPathSteps\` visits; occurrences and cases per path (exact). With `elapsed` (elapsedArray) also
 * the time each loop adds: per occurrence Σ elapsed of visits i+1..j, summed per case, as `added_*` statistics over
 * the affected cases, and the loops ranked as in memory (cases, total added time, path); without, by cases,
 * occurrences, path.
 */
export function reworkLoopsSql(cases: Sql, maxPathSteps: number, elapsed: Sql | null = null, rawMax = RAW_VALUES_MAX): Sql {
  const max = int(maxPathSteps);
  const added = elapsed === null ? sql`toInt64(0)` : sql`arraySum(arraySlice(elapsed_ms, i + 1, j - i))`;
  const withElapsed = elapsed === null ? sql`` : sql`, ${elapsed} AS elapsed_ms`;
  const columns = elapsed === null ? sql`` : sql`, ${statsColumns('added', rawMax)}`;
  const aggregates = elapsed === null ? sql`` : sql`, ${statsAggregates('added', 'case_added', '1')}`;
  const order = elapsed === null ? sql`cases DESC, occurrences DESC, path` : sql`cases DESC, added_sum DESC, path`;
  return sql`SELECT path, occurrences, cases${columns} FROM (
  SELECT path, sum(case_occurrences) AS occurrences, count() AS cases${aggregates} FROM (
    SELECT case_id, path, count() AS case_occurrences, sum(added) AS case_added FROM (
      SELECT case_id, j - arrayFirstIndex(x -> x = steps[j], arrayReverse(arraySlice(steps, 1, j - 1))) AS i,
        if(j - i + 1 <= ${max}, arraySlice(steps, i, j - i + 1),
          [steps[j], concat('… ', toString(j - i - 2), ' steps …'), steps[j - 1], steps[j]]) AS path,
        ${added} AS added
      FROM (SELECT case_id, steps${withElapsed} FROM ${cases} WHERE pushed = 1) ARRAY JOIN arrayEnumerate(steps) AS j
      WHERE arrayEnumerateUniq(steps)[j] > 1
    ) GROUP BY case_id, path
  ) GROUP BY path
) ORDER BY ${order} LIMIT ${CAP}`;
}

export function reworkCasesSql(cases: Sql): Sql {
  return sql`SELECT countIf(arrayExists(u -> u > 1, arrayEnumerateUniq(steps))) AS cases_with_rework FROM ${cases} WHERE pushed = 1`;
}

/**
 * Handoffs (handoffs.ts): consecutive visits whose known owners differ; a missing owner is no handoff. With `timed`
 * visits (activity logs with recorded starts) also the wait after each handoff: the `to` visit's queue (start −
 * entered), as `wait_*` statistics with raw values (aggregate rows stay one per owner pair).
 */
export function handoffsSql(cases: Sql, timed = false, rawMax = RAW_VALUES_MAX): Sql {
  const waits = timed ? sql`, ${statsColumns('wait', rawMax)}` : sql``;
  const waitAggregates = timed ? sql`, ${statsAggregates('wait', 'started[i + 1] - entered[i + 1]', '1')}` : sql``;
  return sql`SELECT from, to, n, cases${waits} FROM (
  SELECT owners[i] AS from, owners[i + 1] AS to, count() AS n, uniqExact(case_id) AS cases${waitAggregates}
  FROM ${cases} ARRAY JOIN arrayEnumerate(arrayPopBack(steps)) AS i
  WHERE pushed = 1 AND owners[i] != '' AND owners[i + 1] != '' AND owners[i] != owners[i + 1]
  GROUP BY from, to
) ORDER BY n DESC, from, to LIMIT ${CAP}`;
}

/**
 * Each visit's elapsed time (rework.ts's addedMs sums them), as an array expression over a case row: status logs
 * entry to the next entry (the last visit up to as-of); timed activity logs completion − entered. null when the
 * visits carry no times (activity logs without recorded starts). The lambdas capture no column: 18.16 loses a
 * captured column when an outer query reads the result.
 */
export function elapsedArray(shape: 'activity' | 'status', timed: boolean, asOfMs: number): Sql | null {
  if (shape === 'status') return sql`arrayMap((x, e) -> x - e, arrayPushBack(arrayPopFront(entered), toInt64(${int(asOfMs)})), entered)`;
  return timed ? sql`arrayMap((x, e) -> x - e, exited, entered)` : null;
}

/**
 * Timed activity logs (activity-visits.ts): per step the queue (start − entered), active (completion − start) and
 * elapsed (completion − entered) time of its visits, all closed and inside the lead time, with their sums.
 */
export function activityStepTimesSql(cases: Sql, rawMax = RAW_VALUES_MAX): Sql {
  return sql`SELECT step, ${statsColumns('queue', rawMax)}, ${statsColumns('active', rawMax)}, ${statsColumns('elapsed', rawMax)}
FROM (
  SELECT step, ${statsAggregates('queue', 'queue', '1')}, ${statsAggregates('active', 'active', '1')}, ${statsAggregates('elapsed', 'elapsed', '1')}
  FROM (
    SELECT steps[i] AS step, started[i] - entered[i] AS queue, exited[i] - started[i] AS active, exited[i] - entered[i] AS elapsed
    FROM ${cases} ARRAY JOIN arrayEnumerate(steps) AS i WHERE pushed = 1
  ) GROUP BY step
) ORDER BY step LIMIT ${CAP}`;
}

/** Timed activity logs: the time on each DFG edge a → b (metrics/dfg.ts): b's queue. Timed transitions, Σ, exact median. */
export function activityEdgeTimesSql(cases: Sql): Sql {
  return sql`SELECT from, to, n, sum_ms, ${fixed(type7('0.5', 'n'))} AS median_ms FROM (
  SELECT edge.1 AS from, edge.2 AS to, count() AS n, sum(ms) AS sum_ms, arraySort(groupArray(ms)) AS sorted FROM (
    SELECT (steps[i], steps[i + 1]) AS edge, started[i + 1] - entered[i + 1] AS ms
    FROM ${cases} ARRAY JOIN arrayEnumerate(arrayPopBack(steps)) AS i WHERE pushed = 1
  ) GROUP BY from, to
) ORDER BY from, to LIMIT ${CAP}`;
}

export function handoffCasesSql(cases: Sql): Sql {
  return sql`SELECT uniqExact(case_id) AS cases_with_handoff FROM ${cases}
ARRAY JOIN arrayEnumerate(arrayPopBack(steps)) AS i
WHERE pushed = 1 AND owners[i] != '' AND owners[i + 1] != '' AND owners[i] != owners[i + 1]`;
}

/**
 * Exact type-7 quantile (numpy's default, as metrics/distribution.ts) of the sorted array `sorted` with `n` values:
 * h = (n − 1)·p, x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]) (0-based). The sorted array lives on the server (memory
 * O(group) there); only the number comes back (the raw values too for small groups, see rawValues).
 */
function type7(p: string, n: string, sorted = 'sorted'): string {
  const h = `(${n} - 1) * ${p}`;
  const at = (offset: number): string => `${sorted}[toUInt64(floor(${h})) + ${offset}]`;
  return `if(${n} = 0, toFloat64(-1), ${at(1)} + (${h} - floor(${h})) * (${at(2)} - ${at(1)}))`;
}

/**
 * Status logs (status-intervals.ts): per step, its visits' elapsed time, entry to the next visit's entry (24x7).
 * The last visit of a case is open (censored at as-of): left out of the statistics, counted in the total while it
 * lies inside the lead time (entered before the first done entry). Statistics over closed visits: n, sum, min, max,
 * mean and exact type-7 median / p85 / p95; `lead_sum_ms` is the step's time inside lead times (its total).
 */
export function statusStepTimesSql(cases: Sql, doneStatuses: Sql, asOfMs: number, rawMax = RAW_VALUES_MAX): Sql {
  return sql`SELECT step, ${statsColumns('elapsed', rawMax)}, lead_sum_ms
FROM (
  SELECT step, ${statsAggregates('elapsed', 'elapsed', 'open = 0')}, sumIf(elapsed, in_lead = 1) AS lead_sum_ms
  FROM (
    SELECT steps[i] AS step, toUInt8(i = length(steps)) AS open,
      if(i = length(steps), toInt64(${int(asOfMs)}), entered[i + 1]) - entered[i] AS elapsed,
      toUInt8(outcome_index = 0 OR i < outcome_index) AS in_lead
    FROM (SELECT steps, entered, arrayFirstIndex(s -> has(${doneStatuses}, s), steps) AS outcome_index FROM ${cases} WHERE pushed = 1)
    ARRAY JOIN arrayEnumerate(steps) AS i
  ) GROUP BY step
) ORDER BY step LIMIT ${CAP}`;
}

/**
 * Lead time trigger → outcome over 24x7: closed and censored counts; min, max, sum over all (open cases measured up
 * to as-of, as metrics/lead-time.ts); statistics of the closed ones; and the raw values (closed and open) when the
 * cases are few enough, so vsm computes the same Kaplan–Meier or bootstrap figures as in memory.
 */
export function leadTimeSql(cases: Sql, asOfMs: number, rawMax = RAW_VALUES_MAX): Sql {
  const asOf = int(asOfMs);
  const lead = sql`(if(outcome_ms >= 0, outcome_ms, toInt64(${asOf})) - first_ms)`;
  return sql`SELECT closed, censored, min_ms, max_ms, sum_ms, ${statsColumns('lead', rawMax, 'closed + censored')}, ${fixed(rawValues('open', 'open_sorted', 'censored', rawMax, 'closed + censored'))}
FROM (SELECT countIf(outcome_ms >= 0) AS closed, countIf(outcome_ms < 0) AS censored,
  min(${lead}) AS min_ms, max(${lead}) AS max_ms, sum(${lead}) AS sum_ms,
  ${statsAggregates('lead', 'outcome_ms - first_ms', 'outcome_ms >= 0')},
  arraySort(groupArrayIf(toInt64(${asOf}) - first_ms, outcome_ms < 0)) AS open_sorted
FROM ${cases} WHERE pushed = 1 AND length(steps) > 0)`;
}

/** n, sum, min, max and exact type-7 median / p85 / p95 of the sorted array `name`_sorted with `name`_n values. */
function statsColumns(name: string, rawMax: number, total?: string): Sql {
  const n = `${name}_n`;
  const sorted = `${name}_sorted`;
  return fixed(
    `${n}, ${name}_sum, ${name}_min, ${name}_max, ${type7('0.5', n, sorted)} AS ${name}_median, ` +
      `${type7('0.85', n, sorted)} AS ${name}_p85, ${type7('0.95', n, sorted)} AS ${name}_p95, ${rawValues(name, sorted, n, rawMax, total)}`,
  );
}

/** Per-group aggregate of `value` where `condition`: its count, sum, min, max and sorted values. */
function statsAggregates(name: string, value: string, condition: string): Sql {
  return fixed(
    `countIf(${condition}) AS ${name}_n, sumIf(${value}, ${condition}) AS ${name}_sum, minIf(${value}, ${condition}) AS ${name}_min, ` +
      `maxIf(${value}, ${condition}) AS ${name}_max, arraySort(groupArrayIf(${value}, ${condition})) AS ${name}_sorted`,
  );
}

/**
 * Status logs without flags (status-intervals.ts, censoring.ts): per case its lead end (first done entry, else
 * as-of), first active entry inside the lead time, and active time inside the lead time (Σ elapsed of its active-class
 * visits before the outcome, open ones up to as-of); then
 * - cycle time = lead end − first active entry (cases without one are not measured): n, open ones, and over the
 *   closed ones the statistics; min / max / sum over all measured cases, open ones up to as-of;
 * - flow efficiency over closed cases with a positive lead time: Σ active ÷ Σ lead, and the per-case ratios;
 * - active time per closed case.
 */
export function statusCaseTimesSql(cases: Sql, doneStatuses: Sql, activeStatuses: Sql, asOfMs: number, rawMax = RAW_VALUES_MAX): Sql {
  const asOf = int(asOfMs);
  return sql`SELECT cycle_censored, cycle_all_min, cycle_all_max, cycle_all_sum, ${statsColumns('cycle', rawMax, 'cycle_n + cycle_censored')},
  ${fixed(rawValues('cycle_open', 'cycle_open_sorted', 'cycle_censored', rawMax, 'cycle_n + cycle_censored'))}, pooled_active_ms, pooled_lead_ms,
  ${statsColumns('ratio', rawMax)}, ${statsColumns('active', rawMax)}
FROM (
  SELECT countIf(has_active AND outcome_index = 0) AS cycle_censored,
    minIf(cycle_ms, has_active) AS cycle_all_min, maxIf(cycle_ms, has_active) AS cycle_all_max, sumIf(cycle_ms, has_active) AS cycle_all_sum,
    ${statsAggregates('cycle', 'cycle_ms', 'has_active AND outcome_index > 0')},
    arraySort(groupArrayIf(cycle_ms, has_active AND outcome_index = 0)) AS cycle_open_sorted,
    sumIf(active_ms, outcome_index > 0 AND lead_ms > 0) AS pooled_active_ms, sumIf(lead_ms, outcome_index > 0 AND lead_ms > 0) AS pooled_lead_ms,
    ${statsAggregates('ratio', 'active_ms / lead_ms', 'outcome_index > 0 AND lead_ms > 0')},
    ${statsAggregates('active', 'active_ms', 'outcome_index > 0')}
  FROM (
    SELECT outcome_index, lead_end - first_ms AS lead_ms, first_active > 0 AS has_active,
      lead_end - if(first_active > 0, entered[first_active], lead_end) AS cycle_ms,
      arraySum(arrayMap((s, i) -> if(has(${activeStatuses}, s) AND (outcome_index = 0 OR i < outcome_index),
        if(i = length(steps), toInt64(${asOf}), entered[i + 1]) - entered[i], toInt64(0)), steps, arrayEnumerate(steps))) AS active_ms
    FROM (
      SELECT steps, entered, first_ms, arrayFirstIndex(s -> has(${doneStatuses}, s), steps) AS outcome_index,
        if(outcome_index = 0, toInt64(${asOf}), entered[outcome_index]) AS lead_end,
        arrayFirstIndex((s, i) -> has(${activeStatuses}, s) AND (outcome_index = 0 OR i < outcome_index), steps, arrayEnumerate(steps)) AS first_active
      FROM ${cases} WHERE pushed = 1 AND length(steps) > 0
    )
  )
)`;
}

/** The flow series' range (metrics/flow.ts): first trigger, and the last outcome or visit entry (epoch ms). */
export function flowRangeSql(cases: Sql): Sql {
  return sql`SELECT min(first_ms) AS range_first_ms, max(if(length(entered) > 0, greatest(outcome_ms, entered[length(entered)]), outcome_ms)) AS range_last_ms
FROM ${cases} WHERE pushed = 1 AND length(steps) > 0`;
}

/** The slots of the flow series: their starts (epoch ms) and, past weeks, their size in months (time-buckets.ts). */
export interface FlowSlots {
  starts: readonly number[];
  /** null for weeks; else months per slot (1 month, 3 quarter, 12 year, …) and the first slot's month index. */
  months: { size: number; firstMonthIndex: number } | null;
}

/**
 * The UTC month index (year · 12 + month − 1) of epoch ms `t`, by integer arithmetic (days → civil date, H. Hinnant's
 * algorithm): no DateTime, so any year works on 18.16.
 */
function monthIndexOf(t: string): string {
  const z = `(toInt64(floor((${t}) / 86400000)) + 719468)`;
  const era = `toInt64(floor(${z} / 146097))`;
  const doe = `(${z} - ${era} * 146097)`;
  const yoe = `intDiv(${doe} - intDiv(${doe}, 1460) + intDiv(${doe}, 36524) - intDiv(${doe}, 146096), 365)`;
  const doy = `(${doe} - (365 * ${yoe} + intDiv(${yoe}, 4) - intDiv(${yoe}, 100)))`;
  const mp = `intDiv(5 * ${doy} + 2, 153)`;
  const month = `if(${mp} < 10, ${mp} + 3, ${mp} - 9)`;
  const year = `(${yoe} + ${era} * 400 + if(${month} <= 2, 1, 0))`;
  return `(${year} * 12 + ${month} - 1)`;
}

/**
 * Index (0-based) of the slot holding instant `t`: the last start ≤ t, clamped to the slots (time-buckets.ts), by
 * arithmetic: weeks are 7-day slots from the first start (a Monday), coarser slots whole groups of UTC months.
 */
function slotOf(t: Sql, slots: FlowSlots): Sql {
  const last = int(slots.starts.length - 1);
  const raw = slots.months === null
    ? sql`intDiv(toInt64(${t}) - toInt64(${int(slots.starts[0])}), toInt64(604800000))`
    : sql`toInt64(floor(${fixed(monthIndexOf(t.text))} / ${int(slots.months.size)})) - toInt64(${int(Math.floor(slots.months.firstMonthIndex / slots.months.size))})`;
  return sql`least(toInt64(${last}), greatest(toInt64(0), ${raw}))`;
}

/**
 * Arrivals (trigger) and throughput (closed cases' outcome) per slot; `boundaries` are the slot starts (epoch ms).
 * One row per instant by arrayJoin, not UNION ALL: 18.16 does not resolve a column a lambda captures inside one.
 */
export function flowWeeksSql(cases: Sql, slots: FlowSlots): Sql {
  return sql`SELECT slot, sum(arrived) AS arrivals, sum(1 - arrived) AS throughput FROM (
  SELECT ${slotOf(sql`instant.1`, slots)} AS slot, instant.2 AS arrived FROM (
    SELECT arrayJoin(if(outcome_ms >= 0, [(first_ms, 1), (outcome_ms, 0)], [(first_ms, 1)])) AS instant
    FROM ${cases} WHERE pushed = 1 AND length(steps) > 0
  )
) GROUP BY slot ORDER BY slot`;
}

/**
 * Status logs: visits entered and exited per step and slot (a visit exits when the next one is entered; a case's last
 * visit is open). Few rows: steps × slots at most.
 */
export function statusStepWeeksSql(cases: Sql, slots: FlowSlots): Sql {
  return sql`SELECT step, slot, sum(entering) AS entered, sum(1 - entering) AS exited FROM (
  SELECT move.1 AS step, ${slotOf(sql`move.2`, slots)} AS slot, move.3 AS entering FROM (
    SELECT arrayJoin(arrayConcat(
      arrayMap((s, t) -> (s, t, 1), steps, entered),
      arrayMap((s, t) -> (s, t, 0), arrayPopBack(steps), arrayPopFront(entered)))) AS move
    FROM ${cases} WHERE pushed = 1
  )
) GROUP BY step, slot ORDER BY step, slot LIMIT ${CAP}`;
}

/** Status logs: the `top` open cases by age (as-of − first status entry), with their open last visit. */
export function agingSql(cases: Sql, asOfMs: number, top: number): Sql {
  const asOf = int(asOfMs);
  return sql`SELECT case_id, steps[length(steps)] AS step, toInt64(${asOf}) - first_ms AS age_ms, toInt64(${asOf}) - entered[length(entered)] AS in_step_ms
FROM ${cases} WHERE pushed = 1 AND length(steps) > 0 AND outcome_ms < 0 ORDER BY age_ms DESC, case_id LIMIT ${int(top)}`;
}

/**
 * Status logs: the time on each DFG edge a → b (metrics/dfg.ts from visits): b's queue + waiting time when its work
 * start is known (an active-class b: 0 without flags or not, flags only add blocked time), else b's elapsed time; an
 * edge into a case's last (open) visit carries no time. Per edge: timed transitions, Σ and exact median.
 */
export function statusEdgeTimesSql(cases: Sql, activeStatuses: Sql): Sql {
  return sql`SELECT from, to, n, sum_ms, ${fixed(type7('0.5', 'n'))} AS median_ms FROM (
  SELECT edge.1 AS from, edge.2 AS to, count() AS n, sum(ms) AS sum_ms, arraySort(groupArray(ms)) AS sorted FROM (
    SELECT (steps[i], steps[i + 1]) AS edge, if(has(${activeStatuses}, steps[i + 1]), toInt64(0), entered[i + 2] - entered[i + 1]) AS ms
    FROM ${cases} ARRAY JOIN arrayEnumerate(arrayPopBack(steps)) AS i WHERE pushed = 1 AND i + 1 < length(steps)
  ) GROUP BY from, to
) ORDER BY from, to LIMIT ${CAP}`;
}

/**
 * Ping-pong (handoffs.ts): a handoff B→A right after a handoff A→B in the same case, with no transition with a missing
 * owner between them (same-owner transitions do not break the chain). `a` is the owner that got the case back.
 */
export function pingPongSql(cases: Sql): Sql {
  return sql`SELECT a, b, count() AS n, uniqExact(case_id) AS cases FROM (
  SELECT case_id, owners[hpos[k]] AS a, owners[hpos[k] - 1] AS b
  FROM (
    SELECT case_id, owners,
      arrayFilter(i -> i > 1 AND owners[i - 1] != '' AND owners[i] != '' AND owners[i - 1] != owners[i], arrayEnumerate(owners)) AS hpos,
      arrayFilter(i -> i > 1 AND (owners[i - 1] = '' OR owners[i] = ''), arrayEnumerate(owners)) AS mpos
    FROM ${cases} WHERE pushed = 1
  ) ARRAY JOIN arrayEnumerate(hpos) AS k
  WHERE k > 1 AND owners[hpos[k - 1] - 1] = owners[hpos[k]] AND NOT arrayExists(m -> m > hpos[k - 1] AND m < hpos[k], mpos)
) GROUP BY a, b ORDER BY n DESC, a, b LIMIT ${CAP}`;
}
