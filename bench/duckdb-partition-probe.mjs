#!/usr/bin/env node
// Probe for stage 3 of the partitioned engine (docs/benchmarks.md "The plan (decided in stop 27)"): what does the
// round trip of a log's normalized event columns through embedded DuckDB cost — append in file order, then read back
// K contiguous case ranges each sorted by (case, timestamp, source row)? Not a test, not part of `npm run bench`.
//   node bench/duckdb-partition-probe.mjs --file bench/out/tickets-5m.csv [--partitions 8] [--memory 1GB] [--threads 2] [--database /tmp/p.duckdb]
// Prints one JSON line: append / per-range read seconds, rows, peak RSS, and whether every range came back in the
// in-memory log's event order (the EventLog is sorted by case, timestamp, source order).
import { parseArgs } from 'node:util';
import duckdb from '@duckdb/node-bindings';
import { readCsv } from '../dist/ingest/csv.js';

const { values } = parseArgs({ options: { file: { type: 'string' }, partitions: { type: 'string', default: '8' }, memory: { type: 'string', default: '1GB' }, threads: { type: 'string', default: '2' }, database: { type: 'string', default: ':memory:' } } });
if (!values.file) throw new Error('--file is required');
const K = Number(values.partitions);
const seconds = (t0) => (performance.now() - t0) / 1000;

let t0 = performance.now();
const { log } = await readCsv(values.file);
const readSeconds = seconds(t0);
const n = log.eventCount;
if (log.files.length !== 1) throw new Error('one file only');
// File order: the event with source row r is appended r-th (as a reader streaming rows would).
const fileOrder = new Int32Array(n);
for (let i = 0; i < n; i++) fileOrder[log.sourceRow[i] - 1] = i;

const config = duckdb.create_config();
duckdb.set_config(config, 'memory_limit', values.memory);
duckdb.set_config(config, 'threads', values.threads);
// --database PATH: a file-backed database (its buffer pool evicts to the file; an in-memory one must hold the table).
if (values.database !== ':memory:') duckdb.set_config(config, 'temp_directory', `${values.database}.tmp`);
const db = await duckdb.open(values.database, config);
const connection = await duckdb.connect(db);
await duckdb.query(connection, 'CREATE TABLE ev (c INTEGER, a INTEGER, r INTEGER, g INTEGER, t DOUBLE, s DOUBLE, l UTINYINT, w INTEGER)');

const T = duckdb.Type;
const types = [T.INTEGER, T.INTEGER, T.INTEGER, T.INTEGER, T.DOUBLE, T.DOUBLE, T.UTINYINT, T.INTEGER];
const size = duckdb.vector_size();
const chunk = duckdb.create_data_chunk(types.map((type) => duckdb.create_logical_type(type)));
const width = [4, 4, 4, 4, 8, 8, 1, 4];
// vector_get_data returns a copy: the columns are filled here and copied into the chunk's vectors.
const views = types.map((_, k) => (width[k] === 8 ? new Float64Array(size) : width[k] === 4 ? new Int32Array(size) : new Uint8Array(size)));
const vectors = types.map((_, k) => duckdb.data_chunk_get_vector(chunk, k));
const start = log.startTimestampMs;
t0 = performance.now();
const appender = duckdb.appender_create(connection, null, 'ev');
for (let from = 0; from < n; from += size) {
  const m = Math.min(size, n - from);
  duckdb.data_chunk_reset(chunk);
  for (let j = 0; j < m; j++) {
    const i = fileOrder[from + j];
    views[0][j] = log.caseCode[i];
    views[1][j] = log.activityCode[i];
    views[2][j] = log.resourceCode[i];
    views[3][j] = log.groupCode[i];
    views[4][j] = log.timestampMs[i];
    views[5][j] = start ? start[i] : NaN;
    views[6][j] = log.lifecycle[i];
    views[7][j] = log.sourceRow[i];
  }
  for (let k = 0; k < types.length; k++) duckdb.copy_data_to_vector(vectors[k], 0, views[k].buffer, 0, m * width[k]);
  duckdb.data_chunk_set_size(chunk, m);
  duckdb.append_data_chunk(appender, chunk);
}
duckdb.appender_close_sync(appender);
const appendSeconds = seconds(t0);

// K contiguous case ranges, each sorted, streamed back chunk by chunk into typed arrays.
const ranges = [];
let inOrder = true;
t0 = performance.now();
for (let p = 0; p < K; p++) {
  const lo = Math.floor((p * log.caseCount) / K);
  const hi = Math.floor(((p + 1) * log.caseCount) / K);
  const r0 = performance.now();
  const prepared = await duckdb.prepare(connection, `SELECT c, a, r, g, t, s, l, w FROM ev WHERE c >= ${lo} AND c < ${hi} ORDER BY c, t, w`);
  const result = await duckdb.execute_pending(duckdb.pending_prepared_streaming(prepared));
  let at = log.caseStart[lo];
  let rows = 0;
  for (;;) {
    const out = await duckdb.fetch_chunk(result);
    if (out === null) break;
    const m = duckdb.data_chunk_get_size(out);
    if (m === 0) break;
    const wBytes = duckdb.vector_get_data(duckdb.data_chunk_get_vector(out, 7), m * 4);
    const w = new Int32Array(wBytes.buffer, wBytes.byteOffset, m);
    for (let j = 0; j < m; j++, at++) if (log.sourceRow[at] !== w[j]) inOrder = false;
    rows += m;
  }
  ranges.push({ cases: hi - lo, rows, seconds: seconds(r0) });
}
const readBackSeconds = seconds(t0);
connection.disconnect?.();
console.log(JSON.stringify({ events: n, cases: log.caseCount, readSeconds, appendSeconds, readBackSeconds, partitions: K, inOrder, ranges, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
