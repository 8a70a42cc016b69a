/**
 * Facts the engine asks ClickHouse for before and beside the aggregates: the status classes, whether every activity
 * instance has a recorded start, each step's owner, the canonical source of a table; and the case-times row turned into numbers.
 */
import { nameMatcher, type VsmConfig } from '../../model/config-schema.js';
import { defaultStatusClass } from '../../model/status-class.js';
import { configuredClass } from '../../traces/step-map.js';
import type { ClickHouseAnalysis } from './analysis.js';
import * as agg from './aggregate-sql.js';
import { num, statsFromRow, valuesFromRow } from './group-values.js';
import type { ClickHouseHttp } from './http-client.js';
import { ident, type Sql, sql, strArray } from './sql.js';
import { type EventSource, FIFO_PAIRING } from './visit-sql.js';


/** Every entered status with its category (status logs), classified as in memory (config → category → name). */
export async function statusClasses(
  client: ClickHouseHttp,
  source: EventSource,
  config: VsmConfig | undefined,
): Promise<{ statuses: { name: string; category: string }[]; done: string[]; active: string[]; delay: string[] }> {
  if (source.shape !== 'status') return { statuses: [], done: [], active: [], delay: [] };
  const rows = await client.rows<{ activity: string; category: string }>(
    sql`SELECT activity, any(status_category) AS category FROM ${source.from} WHERE lifecycle = 'enter' GROUP BY activity ORDER BY activity`,
  );
  // config done.activities: exact names and /regex/ patterns, as traces/step-map.ts matches them.
  const done = config?.done ? nameMatcher(config.done.activities) : null;
  const classOf = (row: { activity: string; category: string }) => configuredClass(config, row.activity) ?? defaultStatusClass(row.activity, row.category || undefined).statusClass;
  const doneRows = rows.filter((row) => done?.matches(row.activity) === true || classOf(row) === 'done');
  return {
    statuses: rows.map((row) => ({ name: row.activity, category: row.category })),
    done: doneRows.map((row) => row.activity),
    active: rows.filter((row) => !doneRows.includes(row) && classOf(row) === 'active').map((row) => row.activity),
    // Queue- and waiting-class statuses: a visit's time there is its wait (handoffs.ts waitAfterMs).
    delay: rows.filter((row) => !doneRows.includes(row) && (classOf(row) === 'queue' || classOf(row) === 'waiting')).map((row) => row.activity),
  };
}

/** Cycle time, flow efficiency and active time per case from the row of statusCaseTimesSql / activityCaseTimesSql. */
export function caseTimesOf(times: Record<string, unknown>): NonNullable<ClickHouseAnalysis['caseTimes']> {
  const cycleClosed = statsFromRow(times, 'cycle');
  const censored = num(times.cycle_censored);
  const measured = cycleClosed.n + censored;
  return {
    cycle: {
      measured,
      censored,
      closed: cycleClosed,
      openValues: valuesFromRow(times, 'cycle_open', censored),
      minMs: measured === 0 ? null : num(times.cycle_all_min),
      maxMs: measured === 0 ? null : num(times.cycle_all_max),
      sumMs: num(times.cycle_all_sum),
    },
    pooledActiveMs: num(times.pooled_active_ms),
    pooledLeadMs: num(times.pooled_lead_ms),
    ratio: statsFromRow(times, 'ratio'),
    activePerClosedCase: statsFromRow(times, 'active'),
  };
}

/**
 * Each step's owner as metrics/timing.ts picks it: the known owner of most of its visits, ties to the owner the log
 * names first (the in-memory dictionary code order: first (file, row) at which it appears).
 */
export async function stepOwnersOf(
  client: ClickHouseHttp,
  source: EventSource,
  cases: Sql,
  capped: <T>(rows: T[], what: string) => T[],
  pinned: ReadonlyMap<string, string> = new Map(),
): Promise<Map<string, { owner: string; visits: number }>> {
  const rows = capped(await client.rows<{ step: string; owner: string; n: string }>(agg.stepOwnersSql(cases)), 'step × owner pairs (steps past the cap show no owner)');
  // A configured owner (config steps) is the step's owner whatever the data names, with the visits it holds.
  const pinnedVisits = (step: string, owner: string): number => num(rows.find((row) => row.step === step && row.owner === owner)?.n ?? 0);
  const best = new Map<string, { owners: string[]; visits: number }>();
  for (const row of rows) {
    const current = best.get(row.step);
    if (current === undefined || num(row.n) > current.visits) best.set(row.step, { owners: [row.owner], visits: num(row.n) });
    else if (num(row.n) === current.visits) current.owners.push(row.owner);
  }
  const tied = [...new Set([...best.values()].filter((entry) => entry.owners.length > 1).flatMap((entry) => entry.owners))];
  const firstSeen = new Map<string, number>();
  if (tied.length > 0) {
    const ownerColumn = source.ownerLevel === 'group' ? sql`\`group\`` : sql`resource`;
    const seen = await client.rows<{ owner: string }>(
      sql`SELECT ${ownerColumn} AS owner FROM ${source.from} WHERE has(${strArray(tied)}, ${ownerColumn}) GROUP BY owner
ORDER BY min(toUInt64(file_index) * 4294967296 + toUInt64(greatest(source_row, 0))), owner`,
    );
    seen.forEach((row, rank) => firstSeen.set(row.owner, rank));
  }
  const rankOf = (owner: string): number => firstSeen.get(owner) ?? Number.MAX_SAFE_INTEGER;
  const owners = new Map([...best].map(([step, entry]) => [step, { owner: [...entry.owners].sort((a, b) => rankOf(a) - rankOf(b))[0], visits: entry.visits }]));
  for (const [step, owner] of pinned) owners.set(step, { owner, visits: pinnedVisits(step, owner) });
  return owners;
}

/**
 * Which activity instances have a recorded start: `all` (no instant / other event without start_ms, and some start),
 * `none` (a single-timestamp log: no start event and no start_ms, where the in-memory engine with --no-estimate
 * reports elapsed times only) or `some`.
 */
export async function activityStartsRecorded(client: ClickHouseHttp, source: EventSource): Promise<'all' | 'none' | 'some'> {
  const [row] = await client.rows<{ unstarted: string; started: string }>(
    sql`SELECT countIf(isNull(start_ms) AND lifecycle IN ('instant', 'other')) AS unstarted, countIf(lifecycle = 'start' OR isNotNull(start_ms)) AS started FROM ${source.from}`,
  );
  if (num(row.started) === 0) return 'none';
  if (num(row.unstarted) > 0) return 'some';
  // A complete with no open start (FIFO per case and activity) is an instance without a recorded start too.
  const [lone] = await client.rows<{ n: string }>(sql`SELECT sum(length(completes) - matched_n) AS n FROM (
  SELECT arraySort(groupArrayIf((timestamp_ms, file_index, source_row), lifecycle = 'start' AND isNull(start_ms))) AS starts,
    arraySort(groupArrayIf((timestamp_ms, file_index, source_row), lifecycle = 'complete' AND isNull(start_ms))) AS completes, ${FIFO_PAIRING}
  FROM ${source.from} GROUP BY case_id, activity)`);
  return num(lone.n) === 0 ? 'all' : 'some';
}
/**
 * The canonical source for a table written by `vsm load` (or a Distributed table over such tables): shape from
 * the lifecycles (any `enter` → status log), owner level from the groups (any group → group), as in-memory.
 */
export async function canonicalSource(client: ClickHouseHttp, table: string | Sql, ownerLevel?: 'resource' | 'group'): Promise<EventSource> {
  const from = typeof table === 'string' ? ident(table, 'table name') : table;
  const [row] = await client.rows<{ status: number; has_group: number }>(
    sql`SELECT countIf(lifecycle = 'enter') > 0 AS status, countIf(\`group\` != '') > 0 AS has_group FROM ${from}`,
  );
  return { from, shape: Number(row.status) === 1 ? 'status' : 'activity', ownerLevel: ownerLevel ?? (Number(row.has_group) === 1 ? 'group' : 'resource') };
}
