#!/usr/bin/env node
// The DuckDB side of `npm run bench` (issue 14): what a data-savvy analyst would run instead of vsm — a DFG with
// mean edge times (frequency + performance DFG), the variants and the case durations, as SQL in embedded DuckDB
// (`@duckdb/node-api`, an optional dependency) on the same CSV. Every result is read back into JavaScript, as PM4Py's
// pipeline returns Python objects. One run in this process (bench/run.mjs spawns it fresh, so peak RSS is its own):
//   node bench/duckdb.mjs --file bench/out/tickets-1m.csv [--threads N]
// Prints one JSON line: { ok, events, cases, dfgEdges, variants, seconds, cpuSeconds, maxRssMB, threads, version }
// or { ok: false, error } (exit 3), e.g. when @duckdb/node-api is not installed.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { printChildResult } from './child-result.mjs';

const { values } = parseArgs({ options: { file: { type: 'string' }, threads: { type: 'string' } } });

const sqlString = (text) => `'${text.replace(/'/g, "''")}'`;

async function main() {
  if (!values.file) return { ok: false, error: 'no --file given' };
  let duckdb;
  try {
    duckdb = await import('@duckdb/node-api');
  } catch (error) {
    return { ok: false, error: `@duckdb/node-api is not installed (npm install): ${error instanceof Error ? error.message : String(error)}` };
  }
  const startedAt = performance.now();
  const cpuStart = process.cpuUsage();
  const instance = await duckdb.DuckDBInstance.create(':memory:', values.threads ? { threads: values.threads } : {});
  const connection = await instance.connect();
  const rows = async (sql) => (await connection.runAndReadAll(sql)).getRows();
  // Read: the six columns of the synthetic log, timestamps parsed (ISO 8601 with offset).
  await connection.run(
    `CREATE TEMP TABLE ev AS SELECT "case:concept:name" AS c, "concept:name" AS a, "time:timestamp" AS t ` +
      `FROM read_csv(${sqlString(resolve(values.file))}, header = true, ` +
      `columns = {'case:concept:name': 'VARCHAR', 'concept:name': 'VARCHAR', 'org:resource': 'VARCHAR', 'org:group': 'VARCHAR', 'lifecycle:transition': 'VARCHAR', 'time:timestamp': 'TIMESTAMPTZ'})`,
  );
  // Directly-follows pairs within each case in time order (ties in file order: a table's rowid is its insertion
  // order, which is the file's), with the time between them; the variants break ties the same way.
  await connection.run(
    `CREATE TEMP TABLE pairs AS SELECT a, lead(a) OVER w AS b, epoch_ms(lead(t) OVER w) - epoch_ms(t) AS gap_ms FROM (SELECT *, rowid AS r FROM ev) WINDOW w AS (PARTITION BY c ORDER BY t, r)`,
  );
  const dfg = await rows(`SELECT a, b, count(*) AS n, avg(gap_ms) AS mean_ms FROM pairs WHERE b IS NOT NULL GROUP BY a, b`);
  const variants = await rows(`SELECT variant, count(*) AS cases FROM (SELECT string_agg(a, ',' ORDER BY t, rowid) AS variant FROM ev GROUP BY c) GROUP BY variant`);
  const durations = await rows(`SELECT c, epoch_ms(max(t)) - epoch_ms(min(t)) AS duration_ms FROM ev GROUP BY c`);
  const [[events]] = await rows('SELECT count(*) FROM ev');
  const [[version]] = await rows('SELECT version()');
  const [[threads]] = await rows("SELECT current_setting('threads')");
  const seconds = (performance.now() - startedAt) / 1000;
  const used = process.cpuUsage(cpuStart);
  connection.closeSync();
  instance.closeSync();
  return {
    ok: true,
    events: Number(events),
    cases: durations.length,
    dfgEdges: dfg.length,
    variants: variants.length,
    seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    threads: Number(threads),
    version: String(version),
  };
}

printChildResult(main);
