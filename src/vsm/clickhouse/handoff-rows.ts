/**
 * The handoff matrix rows of `--engine clickhouse`: with waits, only the owner pairs the matrix keeps (as in memory:
 * handoff-pairs.ts, chosen from exact counts and medians) bring their waits' statistics and raw values back; every
 * pair counts in the total.
 */
import * as agg from './aggregate-sql.js';
import { keptHandoffPairs } from './handoff-pairs.js';
import type { ClickHouseHttp } from './http-client.js';
import { type Sql, strArray } from './sql.js';
import { num } from './group-values.js';

/** Keeps the first rows of a capped aggregate and notes the cap (engine.ts). */
export type CapRows = <T>(rows: T[], what: string) => T[];


/**
 * The matrix rows (from, to, n, cases and, with `wait`, its statistics) and the total handoff count.
 * @param wait the per-handoff wait expression (aggregate-sql.ts handoffWaitMs), null when the waits are not computed
 */
export async function handoffRowsOf(client: ClickHouseHttp, timeCases: Sql, wait: Sql | null, rowRawMax: number, capped: CapRows): Promise<{ rows: Record<string, unknown>[]; total: number }> {
  const pairCounts = wait === null ? null : capped(await client.rows<{ from: string; to: string; n: string; median: string }>(agg.handoffMediansSql(timeCases, wait)), 'handoff pairs');
  const keptPairs = pairCounts === null ? null : keptHandoffPairs(pairCounts.map((row) => ({ from: row.from, to: row.to, count: num(row.n), wait: { median: num(row.median) } })));
  const rows: Record<string, unknown>[] =
    keptPairs === null
      ? capped(await client.rows(agg.handoffsSql(timeCases, wait, rowRawMax)), 'handoff pairs')
      : keptPairs.length === 0
        ? []
        : await client.rows(agg.handoffsSql(timeCases, wait, rowRawMax, { from: strArray(keptPairs.map((pair) => pair.from)), to: strArray(keptPairs.map((pair) => pair.to)) }));
  const total = (pairCounts ?? rows).reduce((sum: number, row) => sum + num(row.n), 0);
  return { rows, total };
}
