/**
 * The ClickHouse engine's CLI: `vsm load --engine clickhouse` and `vsm analyze --engine clickhouse --table T`
 * (docs/clickhouse.md). Credentials only from CLICKHOUSE_USER / CLICKHOUSE_PASSWORD; nothing printed or written
 * holds them (the URL is shown without user info).
 */
import { basename, join } from 'node:path';
import { Command, Option } from 'commander';
import { VsmError } from '../../errors.js';
import { readLog } from '../../ingest/read-log.js';
import type { CalendarSpec } from '../../calendar/calendar-spec.js';
import type { VsmConfig } from '../../model/config-schema.js';
import { ClickHouseHttp, connectionFromEnv, safeUrl } from '../../vsm/clickhouse/http-client.js';
import { analyzeClickHouse, canonicalSource } from '../../vsm/clickhouse/engine.js';
import { loadEventLog } from '../../vsm/clickhouse/load.js';
import { type ColumnMapping, hasMapping, mappedFrom } from '../../vsm/clickhouse/mapped-source.js';
import { userSelect } from '../../vsm/clickhouse/sql.js';
import { clickHouseReport } from '../../vsm/clickhouse/to-report.js';
import { assertAsOfWithinLog } from '../../vsm/analyze.js';
import { assertWritableOutput } from '../../render/output-set.js';
import { sufficiencyLines } from '../../render/sufficiency.js';
import { emitReport } from '../emit-report.js';
import { strictFailureReason } from '../usable-events.js';
import { reportFolderName } from '../report-folder-name.js';
import { addIngestFlags, type IngestFlags, readOptionsFromFlags } from '../ingest-flags.js';

export interface ClickHouseFlags {
  engine?: string;
  table?: string;
  query?: string;
  clickhouseUrl?: string;
}

function requireFlag(value: string | undefined, flag: string, example: string): string {
  if (value === undefined || value === '') {
    throw new VsmError({ code: 'BAD_OPTION', what: `--engine clickhouse needs ${flag}`, where: flag, fix: `pass ${flag} ${example}` });
  }
  return value;
}

/**
 * `vsm analyze --engine clickhouse`: the aggregates from ClickHouse mapped onto report.json (to-report.ts), then the
 * same findings and the same report set as in memory (emit-report.ts). `--strict` fails on the data's own limits
 * only, never on what this engine does not compute.
 */
export async function analyzeWithClickHouse(
  flags: ClickHouseFlags & ColumnMapping & { out?: string; json?: boolean; strict?: boolean; html?: boolean; config?: string; seed?: string; estimate?: boolean },
  config: VsmConfig | undefined,
  scope: { calendar: CalendarSpec | undefined; asOfMs: number | undefined },
): Promise<void> {
  if ((flags.table === undefined) === (flags.query === undefined)) {
    throw new VsmError({ code: 'BAD_OPTION', what: '--engine clickhouse needs exactly one of --table and --query', where: '--table / --query', fix: 'pass --table db.events or --query "SELECT …"' });
  }
  const table = flags.table ?? 'query';
  const url = requireFlag(flags.clickhouseUrl, '--clickhouse-url', 'http://127.0.0.1:8123');
  const seed = Number(flags.seed ?? '42');
  if (!Number.isInteger(seed)) throw new VsmError({ code: 'BAD_OPTION', what: 'seed must be an integer', where: 'flag --seed', got: `"${flags.seed}"`, fix: 'pass --seed 42' });
  if (flags.out !== undefined) assertWritableOutput(flags.out);
  const client = new ClickHouseHttp(connectionFromEnv(url));
  // Mapping flags map a foreign table or query; without them the table / query already has the canonical columns.
  const mapped = hasMapping(flags);
  const from = mapped ? await mappedFrom(client, { table: flags.table, query: flags.query }, flags) : flags.query !== undefined ? userSelect(flags.query) : table;
  const source = await canonicalSource(client, from, config?.ownerLevel);
  // An explicit as-of is pushed down (activity-log cases with instances open at it are left out, named in the report).
  const asOfMs = scope.asOfMs ?? (config?.asOf !== undefined ? Date.parse(config.asOf) : undefined);
  // Single-timestamp logs: starts are estimated in SQL as in memory (docs/clickhouse.md), unless --no-estimate.
  const analysis = await analyzeClickHouse(client, source, { config, asOfMs, calendar: scope.calendar, estimateStarts: flags.estimate !== false });
  const { firstMs, lastMs } = analysis.log;
  assertAsOfWithinLog(asOfMs, firstMs === null || lastMs === null ? null : { from: new Date(firstMs).toISOString(), to: new Date(lastMs).toISOString() });
  const logName = flags.table ?? 'query';
  const { report } = clickHouseReport(analysis, {
    logName,
    config,
    seed,
    calendar: scope.calendar,
    // The URL without user info; credentials never reach any output.
    provenanceOptions: { table: flags.table ?? null, query: flags.query ?? null, mapped, url: safeUrl(url), config: flags.config },
  });
  await emitReport(report, {
    outDir: flags.out ?? join('reports', reportFolderName(basename(table))),
    html: flags.html !== false,
    json: flags.json === true,
    strict: flags.strict === true,
    // --strict fails on what the data cannot support, as in memory (cases left out, no start times under
    // --no-estimate, clamped estimated intervals), never on a figure only this engine leaves unknown.
    strictReason: strictFailureReason({ rowsRejected: 0, clampedNegativeIntervals: report.dataQuality.clampedNegativeIntervals }, null),
    strictLimits: sufficiencyLines(report, { dataOnly: true }),
    footer: [
      `analysed in ClickHouse ${analysis.serverVersion}: ${analysis.transfer.bytesReceived.toLocaleString('en-US')} bytes of aggregates came back over ${analysis.transfer.queries} queries; ` +
        `figures this engine does not compute are shown as unknown (docs/clickhouse.md)`,
    ],
  });
}

interface LoadFlags extends IngestFlags, ClickHouseFlags {
  batch: string;
  create: boolean;
}

export function makeLoadCommand(): Command {
  const command = new Command('load')
    .description('bulk-load an export into a ClickHouse table with the canonical columns (docs/clickhouse.md)')
    .argument('<file>', 'log file or folder of JSON pages')
    .addOption(new Option('--engine <engine>', 'where to load').choices(['clickhouse']).makeOptionMandatory())
    .requiredOption('--table <db.table>', 'target table; created as MergeTree when missing')
    .requiredOption('--clickhouse-url <url>', 'HTTP interface, e.g. http://127.0.0.1:8123 (user/password: CLICKHOUSE_USER / CLICKHOUSE_PASSWORD)')
    .option('--batch <events>', 'events per INSERT', '50000')
    .option('--no-create', 'do not create the table (e.g. loading into an existing Distributed table)');
  addIngestFlags(command);
  command.action(async (file: string, flags: LoadFlags) => {
    const batchEvents = Number(flags.batch);
    if (!Number.isInteger(batchEvents) || batchEvents < 1) throw new VsmError({ code: 'BAD_OPTION', what: '--batch must be a positive integer', where: '--batch', got: flags.batch, fix: 'pass --batch 50000' });
    const client = new ClickHouseHttp(connectionFromEnv(requireFlag(flags.clickhouseUrl, '--clickhouse-url', 'http://127.0.0.1:8123')));
    const { log, report } = await readLog(file, readOptionsFromFlags(flags));
    const result = await loadEventLog(client, log, { table: requireFlag(flags.table, '--table', 'db.events'), create: flags.create, batchEvents });
    process.stdout.write(
      `loaded ${result.events.toLocaleString('en-US')} events of ${result.cases.toLocaleString('en-US')} cases (${log.shape} log, ${report.format}) into ${result.table} in ${result.batches} batches; ` +
        `${report.rowsRejected} rows rejected\n`,
    );
  });
  return command;
}
