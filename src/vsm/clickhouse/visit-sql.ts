/**
 * Step-visit reconstruction as SQL (DESIGN §3), one row per case with its visits in order — the same rules as
 * traces/ (one step per activity or status, or per config step: config-sql.ts renames them in the source):
 * - status logs (any `enter` event): a visit per `enter`, ordered by (timestamp_ms, file_index, source_row), no row
 *   for a case whose first status is already done (left-censored: no visits, no lead time, as status-intervals.ts),
 *   consecutive entries of the same status merged; lead time starts at the first status entry (status-intervals.ts). Owner changes inside a visit are not replayed (owner: '').
 * - activity logs: `start`/`complete` pairs FIFO per activity, a row with start_ms or an instant/other event is
 *   one instance; instances ordered by (start or completion, completion, first event) as lifecycle.ts does. A case
 *   is pushed down only when its pairs are well formed (as many starts as completes, each k-th start before the
 *   k-th complete): FIFO pairing is then the k-th with the k-th. Other cases get `pushed = 0`, are counted and left
 *   out of every figure (the report says so).
 * Only per-case arrays live on the server; nothing here crosses the network.
 */
import { fixed, int, type Sql, sql } from './sql.js';

/**
 * Status logs: the owner of each visit v, replayed over time as status-intervals.ts does. Every enter / owner / block /
 * unblock event starts a segment held by that event's owner until the next event (the last up to as-of); a segment
 * belongs to the visit current at its event (ev_visit). The visit's owner is the known owner holding it longest, ties
 * to the one seen first in it; '' when no segment has an owner. O(visits × events) per case.
 */
const STATUS_VISIT_OWNERS = (() => {
  const candidates = "arrayFilter((o, vi) -> vi = v AND o != '', ev_owner, ev_visit)";
  const held = "arrayFilter((h, o, vi) -> vi = v AND o != '', ev_held, ev_owner, ev_visit)";
  const distinct = `arrayFilter((o, u) -> u = 1, ${candidates}, arrayEnumerateUniq(${candidates}))`;
  const totals = `arrayMap(o -> arraySum(arrayMap((h, c) -> if(c = o, h, toInt64(0)), ${held}, ${candidates})), ${distinct})`;
  // 18.16 computes a column a lambda only captures as missing (it does not count as used): the arrays the lambdas
  // capture are named once outside any lambda too (a length term that adds 0).
  const used = 'length(ev_owner) + length(ev_visit) + length(ev_held) + length(entry_starts_visit)';
  return `arrayResize(arrayMap(v -> ${distinct}[arrayFirstIndex(t -> t = arrayReduce('max', ${totals}), ${totals})], arrayEnumerate(steps)), length(steps) + 0 * (${used}))`;
})();

/** The event source with canonical column names: a table, a Distributed table, or a mapped (sub)query. */
export interface EventSource {
  /** A FROM item giving the canonical columns (see canonical-table.ts). */
  from: Sql;
  /** Owner level: `group` when the source has any group, else `resource` (as reconstruct.ts decides). */
  ownerLevel: 'resource' | 'group';
  shape: 'activity' | 'status';
}

function ownerColumn(level: 'resource' | 'group'): Sql {
  return level === 'group' ? sql`\`group\`` : sql`resource`;
}

/**
 * Per case: steps Array(String), entered Array(Int64) (each visit's entry, epoch ms), started / exited Array(Int64)
 * (activity logs: each visit's work start and completion), owners Array(String), pushed UInt8, first_ms / last_ms /
 * outcome_ms Int64. Status logs leave started / exited empty (a visit exits when the next is entered). Activity logs
 * fill entered / started / exited only when `timed` (every instance has a recorded start, so the in-memory engine
 * estimates none): else they are empty — nothing reads them and they would cost 24 bytes a visit on the server —,
 * except on single-timestamp logs (`timed` = 'elapsed': no instance has a start), which fill entered and exited.
 *
 * Timed activity visits (activity-visits.ts): enteredAt = the previous visit's completion (the first visit: its
 * start), clamped to the visit's start (parallel work); queue = start − entered, active = completion − start,
 * elapsed = completion − entered. A pushed-down case has no open instance (its starts and completes pair).
 */
export function caseVisitsSql(
  source: EventSource,
  doneStatuses: Sql,
  timed: boolean | 'elapsed' = false,
  asOfMs = 0,
  { trigger = false, openAtAsOf = false, mergedSteps = null, rawNames = false }: { trigger?: boolean; openAtAsOf?: boolean; mergedSteps?: Sql | null; rawNames?: boolean } = {},
): Sql {
  const owner = ownerColumn(source.ownerLevel);
  // The commitment point (config trigger, config-sql.ts): events flagged trigger_hit, else the first status / instance.
  // `reached` marks the entries at or after it; a visit is in the lead time when it starts there (lead_from, its
  // index; 0 when never triggered) and before the outcome's visit (lead_to; 0 when none): the first done entry after it.
  const hit = trigger ? sql`trigger_hit` : sql`toUInt8(1)`;
  // The status as the log names it (a config step may merge several): outcome and left-censoring go by it.
  const rawStatus = rawNames ? sql`raw_activity` : sql`activity`;
  if (source.shape === 'status') {
    return sql`SELECT case_id, steps_all AS raw_steps,
  arrayMap(e -> e.4, events) AS ev_enter, arrayMap(e -> e.6, events) AS ev_owner, arrayMap(e -> e.1, events) AS ev_ms,
  arrayMap((s, i) -> toUInt8(i = 1 OR s != steps_all[i - 1]), steps_all, arrayEnumerate(steps_all)) AS entry_starts_visit,
  arrayCumSum(arrayMap((is_enter, k) -> if(is_enter = 1, entry_starts_visit[k], toUInt8(0)), ev_enter, arrayCumSum(ev_enter))) AS ev_visit,
  arrayMap((t, next) -> next - t, ev_ms, arrayPushBack(arrayPopFront(ev_ms), toInt64(${int(asOfMs)}))) AS ev_held,
  arrayFilter((s, i) -> i = 1 OR s != steps_all[i - 1], steps_all, arrayEnumerate(steps_all)) AS steps,
  arrayMap(e -> e.1, arrayFilter((e, i) -> i = 1 OR e.4 != steps_all[i - 1], entries, arrayEnumerate(entries))) AS entered,
  ${fixed(STATUS_VISIT_OWNERS)} AS owners, CAST([] AS Array(Int64)) AS started, CAST([] AS Array(Int64)) AS exited, toUInt8(1) AS pushed,
  if(trigger_entry > 0, entries[trigger_entry].1, first_event_ms) AS first_ms, last_ms,
  if(outcome_index = 0, toInt64(-1), entries[outcome_index].1) AS outcome_ms,
  arrayFilter((r, s) -> s = 1, reached, entry_starts_visit) AS visit_reached,
  toUInt32(if(trigger_entry = 0, 0, if(arrayFirstIndex(r -> r = 1, visit_reached) = 0, length(steps) + 1, arrayFirstIndex(r -> r = 1, visit_reached)))) AS lead_from,
  toUInt32(if(outcome_index = 0, 0, arrayCumSum(entry_starts_visit)[outcome_index])) AS lead_to
FROM (
  SELECT case_id, arraySort(groupArrayIf((timestamp_ms, file_index, source_row, activity, ${hit}, ${rawStatus}), lifecycle = 'enter')) AS entries,
    arrayMap(c -> toUInt8(c > 0), arrayCumSum(arrayMap(e -> e.5, entries))) AS reached,
    arrayFirstIndex(r -> r = 1, reached) AS trigger_entry,
    arraySort(groupArrayIf((timestamp_ms, file_index, source_row, toUInt8(lifecycle = 'enter'), activity, ${owner}),
      lifecycle IN ('enter', 'owner', 'block', 'unblock'))) AS events,
    arrayMap(e -> e.4, entries) AS steps_all,
    arrayFirstIndex((e, r) -> r = 1 AND has(${doneStatuses}, e.6), entries, reached) AS outcome_index,
    min(timestamp_ms) AS first_event_ms, max(timestamp_ms) AS last_ms
  FROM ${source.from} GROUP BY case_id
) WHERE NOT has(${doneStatuses}, entries[1].6)`;
  }
  // Instances per (case, activity), then per case ordered. A tuple (key_ms, end_ms, first_ms, file, row, activity, owner).
  // Single-timestamp logs ('elapsed'): each visit is entered at the previous completion (the first at its own), so
  // only its elapsed time is known (activity-visits.ts without a start); started stays empty.
  const times = timed === 'elapsed'
    ? sql`CAST([] AS Array(Int64)) AS started, arrayMap(v -> v.2, visits) AS exited,
  arraySlice(arrayPushFront(arrayPopBack(exited), exited[1]), 1, length(exited)) AS entered`
    : timed
    ? sql`arrayMap(v -> v.1, visits) AS started, arrayMap(v -> v.2, visits) AS exited,
  arrayMap((previous, s) -> least(previous, s), arraySlice(arrayPushFront(arrayPopBack(exited), started[1]), 1, length(started)), started) AS entered`
    : sql`CAST([] AS Array(Int64)) AS started, CAST([] AS Array(Int64)) AS exited, CAST([] AS Array(Int64)) AS entered`;
  // A case cut at an explicit as-of may hold starts not completed by then (open instances, not reconstructed here):
  // pushed = 2 when that is its only pairing problem (open_starts), so it is left out as an engine limit, not a data one.
  const base = openAtAsOf ? sql`toUInt8(if(min(pair_ok) = 1, 1, if(min(pair_ok OR open_starts) = 1, 2, 0)))` : sql`toUInt8(min(pair_ok))`;
  // Config steps of several activities (config-sql.ts): consecutive instances of one such step, of different activities
  // and on the same side of the trigger, are one visit in memory; such a case is left out here (pushed = 3).
  const raw = mergedSteps === null ? sql`''` : sql`raw_activity`;
  const rawKey = mergedSteps === null ? sql`` : sql`, raw_activity`;
  const pushed = mergedSteps === null
    ? base
    : sql`toUInt8(if(${base} = 1 AND arrayExists((s, p, r, q, a, b) -> s = p AND r != q AND a = b AND has(${mergedSteps}, s),
      arrayPopFront(steps), arrayPopBack(steps), arrayPopFront(raws), arrayPopBack(raws), arrayPopFront(reached), arrayPopBack(reached)), 3, ${base}))`;
  // `+ 0 * trig` below: 18.16 drops a column that lambdas only capture (trig is read inside the instance tuples).
  const firstMs = trigger ? sql`if(lead_from > 0, visits[lead_from].1, min(inst_first_ms))` : sql`min(inst_first_ms)`;
  return sql`SELECT case_id, arrayMap(v -> v.6, visits) AS steps, ${times}, arrayMap(v -> v.7, visits) AS owners,
  arrayMap(v -> v.9, visits) AS raws, arrayMap(c -> toUInt8(c > 0), arrayCumSum(arrayMap(v -> v.8, visits))) AS reached,
  ${pushed} AS pushed, ${firstMs} AS first_ms, max(inst_last_ms) AS last_ms, if(lead_from > 0, max(inst_last_ms), toInt64(-1)) AS outcome_ms,
  arraySort(groupArrayArray(instances)) AS visits,
  toUInt32(arrayFirstIndex(c -> c > 0, arrayCumSum(arrayMap(v -> v.8, visits)))) AS lead_from, toUInt32(0) AS lead_to
FROM (
  SELECT case_id, activity${rawKey}, max(${hit}) AS trig,
    arraySort(groupArrayIf((timestamp_ms, file_index, source_row, ${owner}), lifecycle = 'start' AND isNull(start_ms))) AS starts,
    arraySort(groupArrayIf((timestamp_ms, file_index, source_row, ${owner}), lifecycle = 'complete' AND isNull(start_ms))) AS completes,
    // The activity is the group key: added after aggregation, not held once per event in the aggregation state.
    arrayMap(t -> (t.1, t.2, t.3, t.4, t.5, activity, t.6, trig, ${raw}), groupArrayIf((ifNull(start_ms, timestamp_ms), timestamp_ms, timestamp_ms, file_index, source_row, ${owner}),
      isNotNull(start_ms) AND lifecycle != 'schedule' OR isNull(start_ms) AND lifecycle IN ('instant', 'other'))) AS singles,
    ${FIFO_PAIRING},
    length(starts) = matched_n AS pair_ok,
    length(starts) > matched_n AS open_starts,
    // A complete closing a start is the instance [start, complete] (the complete's owner, else the start's); a complete
    // with no open start is an instance with an unknown start, like a single-timestamp event (lifecycle.ts).
    arrayConcat(singles,
      arrayMap(t -> (t.1, t.2, t.3, t.4, t.5, t.6, t.7, t.8, t.9), arrayFilter(t -> t.10 = 1,
        arrayMap((c, m, x) -> (starts[m].1, c.1, starts[m].1, starts[m].2, starts[m].3, activity, if(c.4 != '', c.4, starts[m].4), trig, ${raw}, x), completes, matched, closes))),
      arrayMap(c -> (c.1, c.1, c.1, c.2, c.3, activity, c.4, trig, ${raw}), arrayFilter((c, x) -> x = 0, completes, closes))) AS instances,
    least(min(if(lifecycle = 'schedule', timestamp_ms, ifNull(start_ms, timestamp_ms))), min(timestamp_ms)) AS inst_first_ms,
    maxIf(timestamp_ms, lifecycle != 'schedule') + 0 * trig AS inst_last_ms
  FROM ${source.from} GROUP BY case_id, activity${rawKey}
) GROUP BY case_id`;
}

/**
 * FIFO pairing of one activity's `start` and `complete` events in a case (lifecycle.ts), over the sorted arrays
 * `starts` and `completes` of (timestamp, file, row, …) tuples: a complete closes the oldest open start before it,
 * else it is an instance with an unknown start. With S(k) the starts before complete k, the number of starts closed
 * by the first k completes is matched[k] = min(k, k + min over j ≤ k of (S(j) − j)) (the recurrence
 * matched[k] = min(S(k), matched[k − 1] + 1) unrolled: no sequential state, which 18.16 arrays cannot carry), so
 * complete k closes start matched[k] when matched[k] > matched[k − 1] (`closes`). `matched_n` starts are closed; the
 * rest (the latest) are still open. O(starts × completes) per case and activity.
 */
export const FIFO_PAIRING = fixed(`arrayMap(c -> toInt64(arrayCount(s -> (s.1, s.2, s.3) < (c.1, c.2, c.3), starts)), completes) AS starts_before,
    arrayMap(k -> least(toInt64(k), toInt64(k) + arrayReduce('min', arraySlice(arrayMap((b, j) -> b - toInt64(j), starts_before, arrayEnumerate(starts_before)), 1, k))),
      arrayEnumerate(completes)) AS matched,
    arrayMap((m, p) -> toUInt8(m > p), matched, arraySlice(arrayPushFront(arrayPopBack(matched), toInt64(0)), 1, length(matched))) AS closes,
    if(length(matched) = 0, toInt64(0), matched[length(matched)]) AS matched_n`);

/**
 * Activity logs at an explicit as-of (activity-visits.ts): the visit rows were reconstructed from the events up to
 * it; a case with any event after it is open (censored: outcome_ms −1), as in memory. An instance is seen only when
 * its completion is (a row with start_ms and completion after the as-of is not yet an instance, as lifecycle.ts
 * reads it); a start event not completed by then is an open instance, which is not reconstructed: such a cut case
 * keeps pushed = 2 (left out, an engine limit). `from` is the unscoped source: any event after the as-of counts.
 */
export function censorAtAsOfSql(visits: Sql, from: Sql, asOfMs: number): Sql {
  return sql`SELECT case_id, steps, entered, started, exited, owners, if(pushed_raw = 2 AND cut = 0, toUInt8(0), pushed_raw) AS pushed, first_ms, last_ms,
  if(cut = 1, toInt64(-1), outcome_raw) AS outcome_ms, lead_from, lead_to
FROM (SELECT case_id, steps, entered, started, exited, owners, pushed AS pushed_raw, first_ms, last_ms, outcome_ms AS outcome_raw, lead_from, lead_to FROM (${visits}))
ANY LEFT JOIN (SELECT case_id, toUInt8(max(timestamp_ms) > ${int(asOfMs)}) AS cut FROM ${from} GROUP BY case_id) USING case_id`;
}
