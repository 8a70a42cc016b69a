/**
 * The aggregations over the per-case visit rows of visit-sql.ts. Each returns few rows (one per step, edge,
 * owner pair or variant): only these cross the network. `cases` is a FROM item giving caseVisitsSql's columns.
 */
import { fixed, type Sql, int, intArray, sql } from './sql.js';
import { RAW_VALUES_MAX, statsAggregates, statsColumns, type7 } from './stats-sql.js';

/**
 * Rows any one aggregate may bring back (steps, DFG edges, rework steps, owner pairs): the bound on what crosses the
 * network and on vsm's memory. Queries ask for one more row so the caller can tell that the cap applied.
 */
export const MAX_AGGREGATE_ROWS = 10_000;
const CAP = int(MAX_AGGREGATE_ROWS + 1);

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
 * The wait after a handoff from visit i to visit i + 1 (handoffs.ts: the `to` visit's queue + waiting time): timed
 * activity logs its queue (start − entered); status logs (`timed`) its elapsed time (up to as-of when open), less its
 * blocked time when `flagged`, when its status is of class queue or waiting (`delayStatuses`), else 0. null where visits carry no such times.
 */
export function handoffWaitMs(shape: 'activity' | 'status', timed: boolean | 'elapsed', delayStatuses: Sql, asOfMs: number, flagged = false): Sql | null {
  if (shape === 'status') {
    // Flagged logs: the rows carry each visit's blocked time (blocked-sql.ts), which is not queue or waiting time.
    const net = flagged ? sql` - blocked[i + 1]` : sql``;
    return timed ? sql`if(has(${delayStatuses}, steps[i + 1]), if(i + 1 = length(steps), toInt64(${int(asOfMs)}), entered[i + 2]) - entered[i + 1]${net}, toInt64(0))` : null;
  }
  // Single-timestamp logs: no work start, so the wait is the `to` visit's elapsed time (handoffs.ts activeUnknown).
  if (timed === 'elapsed') return sql`exited[i + 1] - entered[i + 1]`;
  return timed ? sql`started[i + 1] - entered[i + 1]` : null;
}

/**
 * Each step's owner (metrics/timing.ts): per step and known owner, the visits it owns, most first (the caller breaks
 * ties by the owner's first appearance in the log, as the in-memory dictionary codes do).
 */
export function stepOwnersSql(cases: Sql): Sql {
  return sql`SELECT step, owner, count() AS n FROM ${cases} ARRAY JOIN steps AS step, owners AS owner
WHERE pushed = 1 AND owner != '' GROUP BY step, owner ORDER BY step, n DESC, owner LIMIT ${CAP}`;
}

/**
 * Handoffs (handoffs.ts): consecutive visits whose known owners differ; a missing owner is no handoff. With `wait` (an
 * expression of the handoff's from-visit index `i`, handoffWaitMs) also the wait after each handoff, as `wait_*`
 * statistics with raw values (aggregate rows stay one per owner pair).
 */
export function handoffsSql(cases: Sql, wait: Sql | null = null, rawMax = RAW_VALUES_MAX, only: { from: Sql; to: Sql } | null = null): Sql {
  const waits = wait !== null ? sql`, ${statsColumns('wait', rawMax)}` : sql``;
  const waitAggregates = wait !== null ? sql`, ${statsAggregates('wait', wait.text, '1')}` : sql``;
  // Only the listed pairs (parallel arrays of from and to owners), e.g. those the matrix keeps. The pair list is a
  // scalar subquery, built once: an arrayMap in the row expression is built again for every row (on 18.16 past the
  // 2 GB query limit at 975 000 events and ≈ 200 kept pairs).
  const onlyPairs = only !== null ? sql` AND has((SELECT arrayMap((f, t) -> (f, t), ${only.from}, ${only.to})), (owners[i], owners[i + 1]))` : sql``;
  return sql`SELECT from, to, n, cases${waits} FROM (
  SELECT owners[i] AS from, owners[i + 1] AS to, count() AS n, uniqExact(case_id) AS cases${waitAggregates}
  FROM ${cases} ARRAY JOIN arrayEnumerate(arrayPopBack(steps)) AS i
  WHERE pushed = 1 AND owners[i] != '' AND owners[i + 1] != '' AND owners[i] != owners[i + 1]${onlyPairs}
  GROUP BY from, to
) ORDER BY n DESC, from, to LIMIT ${CAP}`;
}

/** Per owner pair (handoffsSql) its count and the exact median of its waits only: what the matrix's choice needs. */
export function handoffMediansSql(cases: Sql, wait: Sql): Sql {
  return sql`SELECT from, to, n, ${fixed(type7('0.5', 'n'))} AS median FROM (
  SELECT owners[i] AS from, owners[i + 1] AS to, count() AS n, arraySort(groupArray(${fixed(wait.text)})) AS sorted
  FROM ${cases} ARRAY JOIN arrayEnumerate(arrayPopBack(steps)) AS i
  WHERE pushed = 1 AND owners[i] != '' AND owners[i + 1] != '' AND owners[i] != owners[i + 1]
  GROUP BY from, to
) ORDER BY n DESC, from, to LIMIT ${CAP}`;
}

export function handoffCasesSql(cases: Sql): Sql {
  return sql`SELECT uniqExact(case_id) AS cases_with_handoff FROM ${cases}
ARRAY JOIN arrayEnumerate(arrayPopBack(steps)) AS i
WHERE pushed = 1 AND owners[i] != '' AND owners[i + 1] != '' AND owners[i] != owners[i + 1]`;
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
 * Index (0-based) of the slot holding instant `t`: the last start ≤ t, clamped to the slots (time-buckets.ts). An
 * estimate by arithmetic — weeks are 7-day slots from the first start (a Monday), coarser slots whole groups of UTC
 * months — corrected by one slot against the slot starts themselves, which a business calendar's zone shifts off the
 * UTC grid (local midnight, DST).
 */
function slotOf(t: Sql, slots: FlowSlots): Sql {
  const last = int(slots.starts.length - 1);
  const raw = slots.months === null
    ? sql`intDiv(toInt64(${t}) - toInt64(${int(slots.starts[0])}), toInt64(604800000))`
    : sql`toInt64(floor(${fixed(monthIndexOf(t.text))} / ${int(slots.months.size)})) - toInt64(${int(Math.floor(slots.months.firstMonthIndex / slots.months.size))})`;
  const estimate = sql`least(toInt64(${last}), greatest(toInt64(0), ${raw}))`;
  const starts = intArray(slots.starts);
  return sql`least(toInt64(${last}), greatest(toInt64(0), if(toInt64(${t}) < ${starts}[${estimate} + 1], ${estimate} - 1,
    if(${estimate} < ${last} AND toInt64(${t}) >= ${starts}[${estimate} + 2], ${estimate} + 1, ${estimate}))))`;
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

/**
 * Activity logs with recorded starts (visit-sql.ts `timed`): visits entered and exited per step and slot; every
 * pushed-down visit is closed (entered = the previous completion, clamped to the start; exited = its completion).
 */
export function activityStepWeeksSql(cases: Sql, slots: FlowSlots): Sql {
  return sql`SELECT step, slot, sum(entering) AS entered, sum(1 - entering) AS exited FROM (
  SELECT move.1 AS step, ${slotOf(sql`move.2`, slots)} AS slot, move.3 AS entering FROM (
    SELECT arrayJoin(arrayConcat(arrayMap((s, t) -> (s, t, 1), steps, entered), arrayMap((s, t) -> (s, t, 0), steps, exited))) AS move
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

/**
 * Activity logs cut at an explicit as-of (flow.ts agingOf): the `top` open cases by age (as-of − first instant); every
 * visit is closed, so the case is between steps: step null (''), in step = as-of − its last completion (≥ 0).
 */
export function activityAgingSql(cases: Sql, asOfMs: number, top: number): Sql {
  const asOf = int(asOfMs);
  return sql`SELECT case_id, '' AS step, toInt64(${asOf}) - first_ms AS age_ms, greatest(toInt64(0), toInt64(${asOf}) - exited[length(exited)]) AS in_step_ms
FROM ${cases} WHERE pushed = 1 AND length(steps) > 0 AND outcome_ms < 0 ORDER BY age_ms DESC, case_id LIMIT ${int(top)}`;
}
