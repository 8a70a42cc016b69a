/**
 * `--engine clickhouse` on activity logs without a recorded start for every instance (single-timestamp logs, or only
 * some starts recorded): the missing starts are estimated inside ClickHouse as the in-memory engine estimates them by default (estimate-sql.ts has the SQL, docs/clickhouse.md "Single-timestamp logs"), and
 * the visit rows then carry them like recorded starts. What runs in Node: the concurrency oracle from the
 * directly-follows counts (the in-memory code), the config's name patterns, and the per-activity medians picked for
 * outlier repair. Configured resource calendars are refused (not pushed down).
 */
import { VsmError } from '../../errors.js';
import { nameMatcher, type VsmConfig } from '../../model/config-schema.js';
import { concurrentFromFollows, concurrentFromOverlaps } from '../../traces/concurrency-oracle.js';
import { DEFAULT_OUTLIER_MULTIPLE } from '../../traces/start-estimation.js';
import * as est from './estimate-sql.js';
import type { ClickHouseHttp } from './http-client.js';
import { type Sql, sql, strArray } from './sql.js';
import type { EventSource } from './visit-sql.js';

const EST_FINAL = sql`vsm_est_final`;

/** What report.json says about the estimates (wait-analysis.ts `WaitCausesJson` counterparts). */
export interface StartEstimateFacts {
  /** Instances whose start is estimated (those without a recorded start). */
  estimated: number;
  /** Steps (activities) with an estimated start: report.json marks them `startEstimated`. */
  estimatedSteps: string[];
  /** Estimates replaced by their activity's median duration (outlier repair). */
  repaired: number;
  /** Visits whose estimated start lies before the previous visit's completion: their queue is clamped to 0. */
  clamped: number;
  /** Concurrent activity pairs of the heuristics oracle (a < b by name). */
  concurrentPairs: [string, string][];
}

/** The estimated visit rows of the cases of each slice (their union: every case), and the facts for the report. */
export interface EstimatedVisits {
  slices: est.Slice[];
  visits: (slice: est.Slice) => Sql;
  facts: StartEstimateFacts;
}

/**
 * The oracle from the counts, by the in-memory code (discoverConcurrency: overlapping when at least half the
 * instances have a recorded start, else heuristics); as literals for estimate-sql.ts.
 */
async function concurrency(client: ClickHouseHttp): Promise<{ literal: est.ConcurrencyLiteral; pairs: [string, string][]; instances: number }> {
  const [shape] = await client.rows<{ n: string; with_start: string }>(sql`SELECT sum(length(ends)) AS n, sum(arraySum(has_start)) AS with_start FROM ${est.EST_CASES}`);
  const overlapping = Number(shape.n) > 0 && Number(shape.with_start) * 2 >= Number(shape.n);
  const rows = overlapping
    ? (await client.rows<{ a: string; b: string; overlaps: string; together: string }>(est.overlapCountsSql())).map((row) => ({ a: row.a, b: row.b, x: row.overlaps, y: row.together }))
    : (await client.rows<{ a: string; b: string; follows: string; loops: string }>(est.followsCountsSql())).map((row) => ({ a: row.a, b: row.b, x: row.follows, y: row.loops }));
  const names = [...new Set(rows.flatMap((row) => [row.a, row.b]))].sort();
  const code = new Map(names.map((name, k) => [name, k]));
  const n = names.length;
  const first = new Float64Array(n * n);
  const second = new Float64Array(n * n);
  for (const row of rows) {
    const key = (code.get(row.a) ?? 0) * n + (code.get(row.b) ?? 0);
    first[key] += Number(row.x);
    second[key] += Number(row.y);
  }
  const concurrent = overlapping ? concurrentFromOverlaps(first, second, n) : concurrentFromFollows(first, second, n);
  const pairs: [string, string][] = [];
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) if (concurrent[a * n + b] === 1) pairs.push([names[a], names[b]]);
  const involved = [...new Set(pairs.flat())].sort();
  const base = involved.length + 1;
  const codeOf = (name: string): number => involved.indexOf(name) + 1;
  const keys = pairs.flatMap(([a, b]) => [codeOf(a) * base + codeOf(b), codeOf(b) * base + codeOf(a)]);
  return { literal: { overlapping, activities: strArray(involved), base, keys }, pairs, instances: Number(shape.n) };
}

/** The names of `column` in the instances that the config's patterns match (as wait-analysis.ts codesMatching). */
async function matching(client: ClickHouseHttp, column: 'acts' | 'res', patterns: readonly string[] | undefined): Promise<Sql> {
  if (!patterns || patterns.length === 0) return strArray([]);
  const matcher = nameMatcher(patterns);
  const rows = await client.rows<{ name: string }>(sql`SELECT DISTINCT arrayJoin(${column === 'acts' ? sql`acts` : sql`res`}) AS name FROM ${est.EST_CASES}`);
  return strArray(rows.map((row) => row.name).filter((name) => name !== '' && matcher.matches(name)));
}

/** Refuses configured resource calendars that name a resource of the source: start estimation would use them. */
async function refuseResourceCalendars(client: ClickHouseHttp, source: EventSource, config: VsmConfig | undefined): Promise<void> {
  const names = Object.keys(config?.resources ?? {});
  if (names.length === 0) return;
  const [row] = await client.rows<{ n: string }>(sql`SELECT count() AS n FROM ${source.from} WHERE has(${strArray(names)}, resource)`);
  if (Number(row.n) === 0) return;
  throw new VsmError({
    code: 'BAD_OPTION',
    what: 'resource calendars (config resources.<name>.calendar) are not pushed down to ClickHouse: start estimation would move estimates to each resource\'s working hours',
    where: '--config resources',
    fix: 'drop "resources" from the config, pass --no-estimate, or analyse an export with the in-memory engine',
  });
}

/**
 * Estimates the missing starts of the source's instances in session temporary tables and returns the visit rows of
 * `caseVisits` (caseVisitsSql for the cases of a slice: which cases are pushed down, their boundaries) with the
 * instances in completion order and their recorded or estimated starts, per slice of cases (`slices`: one, or K at
 * scale: the visit rows join the estimates by case, a join that would otherwise hold every instance), and the facts
 * for the report. `partial`: some instances have a start.
 * `instancesPerSlice`: above it the estimation's joins run in slices (estimate-sql.ts ESTIMATE_INSTANCES_PER_SLICE;
 * lower in tests, to run the sliced path on small logs).
 */
export async function estimatedVisits(
  client: ClickHouseHttp,
  source: EventSource,
  caseVisits: (slice: est.Slice) => Sql,
  config: VsmConfig | undefined,
  partial = false,
  trigger = false,
  instancesPerSlice = est.ESTIMATE_INSTANCES_PER_SLICE,
): Promise<EstimatedVisits> {
  await refuseResourceCalendars(client, source, config);
  try {
    return await estimateInSession(client, source, caseVisits, config, { partial, trigger, instancesPerSlice });
  } catch (error) {
    throw withEstimationMemoryFix(error);
  }
}

/**
 * A memory refusal of the server (`Code: 241` / `173`) while estimating starts: the estimation keeps every instance in
 * session tables on the answering server and joins them in slices (ESTIMATE_INSTANCES_PER_SLICE), so the fix also names
 * `--no-estimate`, which skips it (elapsed step times; active time, cycle time and flow efficiency then unknown).
 */
export function withEstimationMemoryFix(error: unknown): unknown {
  if (!(error instanceof VsmError) || !/Code: (241|173)\b/.test(error.got ?? '')) return error;
  return new VsmError({
    code: error.code,
    what: `${error.what} while estimating start times`,
    where: error.where,
    got: error.got,
    fix: `${error.fix}; or pass --no-estimate: start estimation keeps every instance in memory on the server and joins them in slices of ${est.ESTIMATE_INSTANCES_PER_SLICE.toLocaleString('en-US')} instances, and without it step times are elapsed times with active time, cycle time and flow efficiency unknown`,
  });
}

async function estimateInSession(
  client: ClickHouseHttp,
  source: EventSource,
  caseVisits: (slice: est.Slice) => Sql,
  config: VsmConfig | undefined,
  { partial, trigger, instancesPerSlice }: { partial: boolean; trigger: boolean; instancesPerSlice: number },
): Promise<EstimatedVisits> {
  await client.exec(est.estimateCasesSql(source, partial));
  const oracle = await concurrency(client);
  const instantActivities = await matching(client, 'acts', config?.estimate?.instantActivities);
  const botResources = await matching(client, 'res', config?.estimate?.botResources);
  // K slices (K = ⌈instances / instancesPerSlice⌉; 1: one query as before): the previous completions per slice of
  // resources into a session table, then the estimates per slice of cases. Every join holds about 1/K of its rows.
  const count = est.sliceCount(oracle.instances, instancesPerSlice);
  const slices = Array.from({ length: count }, (_, index) => ({ index, count }));
  if (count === 1) await client.exec(est.estimateStartsSql(oracle.literal, instantActivities, botResources));
  else {
    for (const slice of slices) await client.exec(est.fillSliceSql(est.EST_PREVIOUS, slice, est.previousCompletionsSql(slice)));
    const previous = sql`SELECT case_id, i, prev FROM ${est.EST_PREVIOUS}`;
    for (const slice of slices) await client.exec(est.estimateStartsSql(oracle.literal, instantActivities, botResources, previous, slice));
    await client.exec(sql`DROP TEMPORARY TABLE ${est.EST_PREVIOUS}`);
  }
  await client.exec(sql`DROP TEMPORARY TABLE ${est.EST_CASES}`);
  const multiple = config?.estimate?.outlierMultiple ?? DEFAULT_OUTLIER_MULTIPLE;
  let repairSql = est.repairedStartsSql(strArray([]), [], null);
  if (Number.isFinite(multiple)) {
    const medians = (await client.rows<{ a: string; median: string }>(est.activityMediansSql(instantActivities))).filter((row) => Number(row.median) > 0);
    repairSql = est.repairedStartsSql(strArray(medians.map((row) => row.a)), medians.map((row) => Number(row.median)), multiple);
  }
  await client.exec(sql`CREATE TEMPORARY TABLE ${EST_FINAL} AS ${repairSql}`);
  await client.exec(sql`DROP TEMPORARY TABLE ${est.EST_STARTS}`);
  // Visits that start before the previous one completed (their queue clamped to 0, activity-visits.ts).
  const [counts] = await client.rows<{ estimated: string; repaired: string; clamped: string }>(sql`SELECT sum(length(starts) - arraySum(has_start)) AS estimated, sum(repaired) AS repaired,
  sum(arraySum(arrayMap((s, p) -> toUInt64(s < p), arrayPopFront(starts), arrayPopBack(ends)))) AS clamped FROM ${EST_FINAL}`);
  const steps = await client.rows<{ step: string }>(sql`SELECT DISTINCT arrayJoin(arrayFilter((a, h) -> h = 0, acts, has_start)) AS step FROM ${EST_FINAL} ORDER BY step`);
  return {
    slices,
    visits: (slice) => est.estimatedVisitsSql(caseVisits(slice), sql`SELECT case_id, acts, owners, ends, starts FROM ${EST_FINAL} WHERE ${est.inSlice(sql`case_id`, slice)}`, trigger),
    facts: {
      estimated: Number(counts.estimated),
      estimatedSteps: steps.map((row) => row.step),
      repaired: Number(counts.repaired),
      clamped: Number(counts.clamped),
      concurrentPairs: oracle.pairs,
    },
  };
}
