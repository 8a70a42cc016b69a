#!/usr/bin/env node
// ClickHouse engine scale run (not a test): generates an activity log inside ClickHouse with numbers() — nothing
// crosses the network to create it — then runs the --engine clickhouse analysis and prints wall time and the
// bytes that came back.
//   node bench/clickhouse.mjs                          100 M events, own server on a loopback port (temp dir)
//   node bench/clickhouse.mjs --events 5000000         smaller run
//   node bench/clickhouse.mjs --url http://127.0.0.1:8123 --keep   use a running server, keep the table
//   node bench/clickhouse.mjs --events 1000000 --no-estimate        elapsed step times only (no start estimation)
//   node bench/clickhouse.mjs --events 5000000 --instances-per-slice 1000000   start estimation in 5 slices, as at 100 M
// With its own server it also prints the server's peak resident memory (VmHWM of clickhouse-server).
// Needs `npm run build` and clickhouse-server (Debian: apt-get install clickhouse-server).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ClickHouseHttp } from '../dist/vsm/clickhouse/http-client.js';
import { analyzeClickHouse, canonicalSource } from '../dist/vsm/clickhouse/engine.js';
import { createTableSql } from '../dist/vsm/clickhouse/canonical-table.js';
import { clickHouseReport } from '../dist/vsm/clickhouse/to-report.js';
import { renderReportFiles } from '../dist/render/write-report.js';
import { ident, int, sql } from '../dist/vsm/clickhouse/sql.js';

const { values } = parseArgs({
  options: { events: { type: 'string', default: '100000000' }, url: { type: 'string' }, keep: { type: 'boolean', default: false }, 'no-estimate': { type: 'boolean', default: false }, 'instances-per-slice': { type: 'string' } },
});
const events = Number(values.events);
const EVENTS_PER_CASE = 8;

async function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function ownServer() {
  const dir = mkdtempSync(join(tmpdir(), 'vsm-ch-bench-'));
  for (const sub of ['data', 'tmp', 'user_files']) mkdirSync(join(dir, sub));
  const [http, tcp] = [await freePort(), await freePort()];
  writeFileSync(
    join(dir, 'users.xml'),
    `<?xml version="1.0"?><yandex><profiles><default><max_memory_usage>16000000000</max_memory_usage><max_bytes_before_external_group_by>6000000000</max_bytes_before_external_group_by></default></profiles>
<users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
<quotas><default></default></quotas></yandex>`,
  );
  writeFileSync(
    join(dir, 'config.xml'),
    `<?xml version="1.0"?><yandex><logger><level>warning</level><log>${dir}/server.log</log><errorlog>${dir}/err.log</errorlog></logger>
<listen_host>127.0.0.1</listen_host><http_port>${http}</http_port><tcp_port>${tcp}</tcp_port>
<path>${dir}/data/</path><tmp_path>${dir}/tmp/</tmp_path><user_files_path>${dir}/user_files/</user_files_path>
<users_config>${dir}/users.xml</users_config><default_profile>default</default_profile><default_database>default</default_database>
<mark_cache_size>268435456</mark_cache_size><timezone>UTC</timezone></yandex>`,
  );
  const child = spawn('/usr/sbin/clickhouse-server', [`--config-file=${join(dir, 'config.xml')}`], { cwd: dir, stdio: 'ignore' });
  const stop = () => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', stop);
  const url = `http://127.0.0.1:${http}`;
  for (let attempt = 0; attempt < 300; attempt++) {
    try {
      if ((await fetch(`${url}/ping`)).ok) return { url, stop, pid: child.pid };
    } catch {
      /* starting */
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  stop();
  throw new Error('clickhouse-server did not start');
}

const server = values.url ? { url: values.url, stop: () => {}, pid: undefined } : await ownServer();
/** Peak resident memory of the own server process so far (MB), from /proc; null with --url. */
const serverPeakMB = () => {
  if (server.pid === undefined) return null;
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : null;
};
const client = new ClickHouseHttp({ url: `${server.url}/` });
const table = ident('default.vsm_bench');
await client.exec(sql`DROP TABLE IF EXISTS ${table}`);
await client.exec(createTableSql(table, false));

// Case c = number / 8; its k-th event (k = number % 8) is one of 6 activities, with a 1-in-5 chance of going back
// one step (rework); resources r0..r49; one event per ~minute with hashed jitter. All generated server-side.
let started = Date.now();
await client.exec(sql`INSERT INTO ${table}
SELECT concat('c', toString(intDiv(number, ${int(EVENTS_PER_CASE)}))) AS case_id,
  ['New', 'Triage', 'Investigate', 'Fix', 'Review', 'Closed'][1 + least(5, toUInt64(greatest(0, toInt64(number % ${int(EVENTS_PER_CASE)}) - if(cityHash64(number) % 5 = 0, 1, 0))))] AS activity,
  toInt64(1700000000000 + intDiv(number, ${int(EVENTS_PER_CASE)}) * 600000 + (number % ${int(EVENTS_PER_CASE)}) * 3600000 + cityHash64(number, 1) % 60000) AS timestamp_ms,
  CAST(NULL AS Nullable(Int64)) AS start_ms, 'instant' AS lifecycle,
  concat('r', toString(cityHash64(number, 2) % 50)) AS resource, '' AS \`group\`, '' AS status_category,
  toUInt16(0) AS file_index, toInt32(number % 2000000000) AS source_row
FROM numbers(${int(events)})`);
const generateSeconds = (Date.now() - started) / 1000;
const peakAfterGenerateMB = serverPeakMB();

const before = { ...client.stats };
started = Date.now();
const analysis = await analyzeClickHouse(client, await canonicalSource(client, 'default.vsm_bench'), {
  estimateStarts: !values['no-estimate'],
  estimateInstancesPerSlice: values['instances-per-slice'] === undefined ? undefined : Number(values['instances-per-slice']),
});
const analyzeSeconds = (Date.now() - started) / 1000;
const bytesBack = client.stats.bytesReceived - before.bytesReceived;
// The same report set as `vsm analyze --engine clickhouse` writes: report.json mapped, findings, HTML, map, charts.
started = Date.now();
const { report } = clickHouseReport(analysis, { logName: 'default.vsm_bench' });
const files = await renderReportFiles(report, { html: true });
const reportSeconds = (Date.now() - started) / 1000;
console.log(
  JSON.stringify(
    {
      machine: { cpus: cpus().length, memoryGB: Math.round(totalmem() / 2 ** 30), server: analysis.serverVersion },
      events: analysis.log.events,
      cases: analysis.log.cases,
      generateSeconds,
      analyzeSeconds,
      reportSeconds,
      reportJsonBytes: Buffer.byteLength(files.get('report.json') ?? ''),
      queries: client.stats.queries - before.queries,
      bytesReceived: bytesBack,
      variants: analysis.variants.total,
      leadMedianMs: analysis.leadTimeMs.median,
      estimatedStarts: analysis.startEstimates?.estimated ?? 0,
      serverPeakMB: { afterGenerate: peakAfterGenerateMB, afterAnalyse: serverPeakMB() },
    },
    null,
    2,
  ),
);
if (!values.keep) await client.exec(sql`DROP TABLE IF EXISTS ${table}`);
server.stop();
