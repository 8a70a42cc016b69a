#!/usr/bin/env node
// Writes a synthetic ticket CSV (bench/generate.mjs) as Parquet with embedded DuckDB, the timestamp column typed
// TIMESTAMP WITH TIME ZONE (as a warehouse export would hold it), every other column text, rows in file order:
//   node bench/to-parquet.mjs --file bench/out/tickets-5m.csv --out bench/out/tickets-5m.parquet
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';

const { values } = parseArgs({ options: { file: { type: 'string' }, out: { type: 'string' }, timestamp: { type: 'string', default: 'time:timestamp' } } });
if (!values.file || !values.out) {
  console.error('usage: node bench/to-parquet.mjs --file <log.csv> --out <log.parquet> [--timestamp <column>]');
  process.exit(2);
}
const sql = (text) => `'${text.replace(/'/g, "''")}'`;
const column = `"${values.timestamp.replace(/"/g, '""')}"`;
const connection = await (await DuckDBInstance.create(':memory:', { threads: '2' })).connect();
await connection.run(
  `COPY (SELECT * REPLACE (CAST(${column} AS TIMESTAMPTZ) AS ${column}) FROM read_csv(${sql(resolve(values.file))}, all_varchar = true)) ` +
    `TO ${sql(resolve(values.out))} (FORMAT parquet)`,
);
connection.closeSync();
console.log(JSON.stringify({ ok: true, out: values.out }));
