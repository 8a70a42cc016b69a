/**
 * Time figures over the per-case visit rows of visit-sql.ts: step times (status logs; activity logs with recorded
 * starts), lead, cycle and active time per case, DFG edge times and each visit's elapsed time. Statistics and the
 * raw values of small groups come back (stats-sql.ts), never a row per visit.
 */
import { MAX_AGGREGATE_ROWS } from './aggregate-sql.js';
import { RAW_VALUES_MAX, rawValues, statsAggregates, statsColumns, type7 } from './stats-sql.js';
import { fixed, int, type Sql, sql } from './sql.js';

const CAP = int(MAX_AGGREGATE_ROWS + 1);

/**
 * Each visit's elapsed time (rework.ts's addedMs sums them), as an array expression over a case row: status logs
 * entry to the next entry (the last visit up to as-of); timed activity logs completion − entered. null when the
 * visits carry no times (activity logs without recorded starts). The lambdas capture no column: 18.16 loses a
 * captured column when an outer query reads the result.
 */
export function elapsedArray(shape: 'activity' | 'status', timed: boolean | 'elapsed', asOfMs: number): Sql | null {
  if (shape === 'status') return sql`arrayMap((x, e) -> x - e, arrayPushBack(arrayPopFront(entered), toInt64(${int(asOfMs)})), entered)`;
  return timed ? sql`arrayMap((x, e) -> x - e, exited, entered)` : null;
}

/**
 * Timed activity logs (activity-visits.ts): per step the queue (start − entered), active (completion − start) and
 * elapsed (completion − entered) time of its visits, all closed and inside the lead time, with their sums.
 */
export function activityStepTimesSql(cases: Sql, rawMax = RAW_VALUES_MAX): Sql {
  return sql`SELECT step, ${statsColumns('queue', rawMax)}, ${statsColumns('active', rawMax)}, ${statsColumns('elapsed', rawMax)}, queue_lead_sum, active_lead_sum
FROM (
  SELECT step, ${statsAggregates('queue', 'queue', '1')}, ${statsAggregates('active', 'active', '1')}, ${statsAggregates('elapsed', 'elapsed', '1')},
    sumIf(queue, in_lead) AS queue_lead_sum, sumIf(active, in_lead) AS active_lead_sum
  FROM (
    SELECT steps[i] AS step, started[i] - entered[i] AS queue, exited[i] - started[i] AS active, exited[i] - entered[i] AS elapsed, lead_from > 0 AND i >= lead_from AS in_lead
    FROM ${cases} ARRAY JOIN arrayEnumerate(steps) AS i WHERE pushed = 1
  ) GROUP BY step
) ORDER BY step LIMIT ${CAP}`;
}

/**
 * Single-timestamp activity logs (activity-visits.ts without starts, metrics/timing.ts `activeUnknown`): per step the
 * elapsed time of its visits that are not their case's first (the first has no previous completion: 0), and the Σ
 * of all its visits' elapsed time (its total delay; every visit is closed and inside the lead time).
 */
export function elapsedStepTimesSql(cases: Sql, rawMax = RAW_VALUES_MAX): Sql {
  return sql`SELECT step, ${statsColumns('elapsed', rawMax)}, lead_sum_ms
FROM (
  SELECT step, ${statsAggregates('elapsed', 'elapsed', 'i > 1')}, sumIf(elapsed, lead_from > 0 AND i >= lead_from) AS lead_sum_ms
  FROM (SELECT i, steps[i] AS step, exited[i] - entered[i] AS elapsed, lead_from FROM ${cases} ARRAY JOIN arrayEnumerate(steps) AS i WHERE pushed = 1)
  GROUP BY step
) ORDER BY step LIMIT ${CAP}`;
}

/**
 * Activity logs: the time on each DFG edge a → b (metrics/dfg.ts): b's queue when starts are recorded, else
 * (single-timestamp logs) b's elapsed time. Timed transitions, Σ, exact median.
 */
export function activityEdgeTimesSql(cases: Sql, elapsedOnly = false): Sql {
  const ms = elapsedOnly ? sql`exited[i + 1] - entered[i + 1]` : sql`started[i + 1] - entered[i + 1]`;
  return sql`SELECT from, to, n, sum_ms, ${fixed(type7('0.5', 'n'))} AS median_ms FROM (
  SELECT edge.1 AS from, edge.2 AS to, count() AS n, sum(ms) AS sum_ms, arraySort(groupArray(ms)) AS sorted FROM (
    SELECT (steps[i], steps[i + 1]) AS edge, ${ms} AS ms
    FROM ${cases} ARRAY JOIN arrayEnumerate(arrayPopBack(steps)) AS i WHERE pushed = 1
  ) GROUP BY from, to
) ORDER BY from, to LIMIT ${CAP}`;
}

/** Status visit i lies inside its case's lead time: from the commitment point's visit up to the outcome's (config-sql.ts). */
export const STATUS_VISIT_IN_LEAD = fixed('toUInt8(lead_from > 0 AND i >= lead_from AND (lead_to = 0 OR i < lead_to))');

/**
 * Status logs (status-intervals.ts): per step, its visits' elapsed time, entry to the next visit's entry (24x7).
 * The last visit of a case is open (censored at as-of): left out of the statistics, counted in the total while it
 * lies inside the lead time (entered before the first done entry). Statistics over closed visits: n, sum, min, max,
 * mean and exact type-7 median / p85 / p95; `lead_sum_ms` is the step's time inside lead times (its total).
 */
export function statusStepTimesSql(cases: Sql, asOfMs: number, rawMax = RAW_VALUES_MAX): Sql {
  return sql`SELECT step, ${statsColumns('elapsed', rawMax)}, lead_sum_ms
FROM (
  SELECT step, ${statsAggregates('elapsed', 'elapsed', 'open = 0')}, sumIf(elapsed, in_lead = 1) AS lead_sum_ms
  FROM (
    SELECT steps[i] AS step, toUInt8(i = length(steps)) AS open,
      if(i = length(steps), toInt64(${int(asOfMs)}), entered[i + 1]) - entered[i] AS elapsed,
      ${STATUS_VISIT_IN_LEAD} AS in_lead
    FROM (SELECT steps, entered, lead_from, lead_to FROM ${cases} WHERE pushed = 1)
    ARRAY JOIN arrayEnumerate(steps) AS i
  ) GROUP BY step
) ORDER BY step LIMIT ${CAP}`;
}

/**
 * Lead time trigger → outcome over 24x7: closed and censored counts, the closed cases that ended at their trigger's
 * instant (sufficiency: one event, or one time on all events); min, max, sum over all (open cases measured up
 * to as-of, as metrics/lead-time.ts); statistics of the closed ones; and the raw values (closed and open) when the
 * cases are few enough, so vsm computes the same Kaplan–Meier or bootstrap figures as in memory.
 */
export function leadTimeSql(cases: Sql, asOfMs: number, rawMax = RAW_VALUES_MAX): Sql {
  const asOf = int(asOfMs);
  const lead = sql`(if(outcome_ms >= 0, outcome_ms, toInt64(${asOf})) - first_ms)`;
  return sql`SELECT closed, censored, closed_instant, min_ms, max_ms, sum_ms, ${statsColumns('lead', rawMax, 'closed + censored')}, ${fixed(rawValues('open', 'open_sorted', 'censored', rawMax, 'closed + censored'))}
FROM (SELECT countIf(outcome_ms >= 0) AS closed, countIf(outcome_ms < 0) AS censored, countIf(outcome_ms >= 0 AND outcome_ms = first_ms) AS closed_instant,
  min(${lead}) AS min_ms, max(${lead}) AS max_ms, sum(${lead}) AS sum_ms,
  ${statsAggregates('lead', 'outcome_ms - first_ms', 'outcome_ms >= 0')},
  arraySort(groupArrayIf(toInt64(${asOf}) - first_ms, outcome_ms < 0)) AS open_sorted
FROM ${cases} WHERE pushed = 1 AND length(steps) > 0 AND lead_from > 0)`;
}

/**
 * Status logs (status-intervals.ts, censoring.ts): per case its lead end (first done entry, else
 * as-of), first active entry inside the lead time, and active time inside the lead time (Σ elapsed of its active-class
 * visits before the outcome, open ones up to as-of); then
 * - cycle time = lead end − first active entry (cases without one are not measured): n, open ones, and over the
 *   closed ones the statistics; min / max / sum over all measured cases, open ones up to as-of;
 * - flow efficiency over closed cases with a positive lead time: Σ active ÷ Σ lead, and the per-case ratios;
 * - active time per closed case.
 * With `flagged` the rows carry each visit's blocked time (blocked-sql.ts), which active time leaves out.
 * Visits count from the commitment point on (lead_from; lead_to is the outcome's visit). `+ 0 * lead_from`: 18.16
 * drops a column a lambda only captures when the outer query does not read it.
 */
export function statusCaseTimesSql(cases: Sql, activeStatuses: Sql, asOfMs: number, rawMax = RAW_VALUES_MAX, flagged = false): Sql {
  const asOf = int(asOfMs);
  const blocked = flagged ? { arg: sql`, b`, array: sql`, blocked`, minus: sql` - b` } : { arg: sql``, array: sql``, minus: sql`` };
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
      arraySum(arrayMap((s, i${blocked.arg}) -> if(has(${activeStatuses}, s) AND i >= lead_from AND (outcome_index = 0 OR i < outcome_index),
        if(i = length(steps), toInt64(${asOf}), entered[i + 1]) - entered[i]${blocked.minus}, toInt64(0)), steps, arrayEnumerate(steps)${blocked.array})) + 0 * lead_from AS active_ms
    FROM (
      SELECT steps, entered${blocked.array}, first_ms, lead_from, lead_to AS outcome_index,
        if(outcome_index = 0, toInt64(${asOf}), entered[outcome_index]) AS lead_end,
        arrayFirstIndex((s, i) -> has(${activeStatuses}, s) AND i >= lead_from AND (outcome_index = 0 OR i < outcome_index), steps, arrayEnumerate(steps)) AS first_active
      FROM ${cases} WHERE pushed = 1 AND length(steps) > 0 AND lead_from > 0
    )
  )
)`;
}

/**
 * Status logs: the time on each DFG edge a → b (metrics/dfg.ts from visits): b's queue + waiting time when its work
 * start is known (an active-class b: 0, flagged or not: flags only add blocked time), else b's elapsed time; an
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
 * Timed activity logs (activity-visits.ts, censoring.ts) over the visits inside the lead time (from lead_from on): cycle
 * time = outcome (as-of when open) − the first work start; case active time = the length of the union of its
 * [start, completion] intervals (instances in start order: Σ max(0, completion − max(start, the latest earlier
 * completion))); flow efficiency and active time over closed cases with a positive lead time. The same columns as
 * statusCaseTimesSql.
 */
export function activityCaseTimesSql(cases: Sql, asOfMs: number, rawMax = RAW_VALUES_MAX): Sql {
  const asOf = int(asOfMs);
  return sql`SELECT cycle_censored, cycle_all_min, cycle_all_max, cycle_all_sum, ${statsColumns('cycle', rawMax, 'cycle_n + cycle_censored')},
  ${fixed(rawValues('cycle_open', 'cycle_open_sorted', 'cycle_censored', rawMax, 'cycle_n + cycle_censored'))}, pooled_active_ms, pooled_lead_ms,
  ${statsColumns('ratio', rawMax)}, ${statsColumns('active', rawMax)}
FROM (
  SELECT countIf(has_active AND NOT closed) AS cycle_censored,
    minIf(cycle_ms, has_active) AS cycle_all_min, maxIf(cycle_ms, has_active) AS cycle_all_max, sumIf(cycle_ms, has_active) AS cycle_all_sum,
    ${statsAggregates('cycle', 'cycle_ms', 'has_active AND closed')}, arraySort(groupArrayIf(cycle_ms, has_active AND NOT closed)) AS cycle_open_sorted,
    sumIf(active_ms, closed AND lead_ms > 0) AS pooled_active_ms, sumIf(lead_ms, closed AND lead_ms > 0) AS pooled_lead_ms,
    ${statsAggregates('ratio', 'active_ms / lead_ms', 'closed AND lead_ms > 0')},
    ${statsAggregates('active', 'active_ms', 'closed')}
  FROM (
    SELECT outcome_ms >= 0 AS closed, if(closed, outcome_ms, toInt64(${asOf})) AS lead_end, lead_end - first_ms AS lead_ms,
      lead_from <= length(started) AS has_active, lead_end - started[lead_from] AS cycle_ms,
      arraySlice(started, lead_from) AS lead_started, arraySlice(exited, lead_from) AS lead_exited,
      arraySum(arrayMap((s, x, i) -> greatest(toInt64(0), x - if(i = 1, s, greatest(s, arrayReduce('max', arraySlice(lead_exited, 1, i - 1))))),
        lead_started, lead_exited, arrayEnumerate(lead_started))) AS active_ms
    FROM ${cases} WHERE pushed = 1 AND length(steps) > 0 AND lead_from > 0
  )
)`;
}
