import { basename } from 'node:path';
import { Command, Option } from 'commander';
import { VsmError } from '../../errors.js';
import { readLog } from '../../ingest/read-log.js';
import { type FileDigest, InputDigest, fileDigest, startFileDigest } from '../../ingest/input-digest.js';
import { anonymizeLog, anonymizeNames } from '../../model/anonymize.js';
import { sufficiencyLines } from '../../render/sufficiency.js';
import { assertWritableOutput } from '../../render/output-set.js';
import { type AnalyzeOptions, reportFromVisits } from '../../vsm/analyze.js';
import { COLLECT_MIN_EVENTS, type LogHandover, type MeasuredVisits, measureVisits } from '../../vsm/analyze-visits.js';
import { measureStored } from '../../vsm/analyze-stored.js';
import { readLogToStore, type StoredRead } from '../../ingest/stored-read.js';
import type { IngestReport } from '../../contracts/ingest-report.js';
import { collectGarbage } from '../../vsm/collect-garbage.js';
import type { CalendarSpec } from '../../calendar/calendar-spec.js';
import type { VsmConfig } from '../../model/config-schema.js';
import type { ClickHouseFlags } from './clickhouse.js';
import { addIngestFlags, type IngestFlags, readOptionsFromFlags } from '../ingest-flags.js';
import { addLogScopeFlags, type LogScopeFlags, logScopeFromFlags } from '../log-scope-flags.js';
import { chooseEngine } from '../memory-check.js';
import { makePhaseProgress, makeProgress } from '../progress.js';
import { reportFolderName } from '../report-folder-name.js';
import { assertUsableEvents, strictFailureReason } from '../usable-events.js';
import { emitReport } from '../emit-report.js';

// Re-exported: they lived here before compare and simulate shared them.
export { calendarFromFlags, parseAsOf } from '../log-scope-flags.js';
export { renderAnswers } from '../emit-report.js';

export interface AnalyzeFlags extends IngestFlags, LogScopeFlags {
  out?: string;
  json?: boolean;
  strict?: boolean;
  seed: string;
  anonymize?: boolean;
  html?: boolean;
  estimate?: boolean;
}

/**
 * Reads the log and hands it over: only the handover holds it when this returns, so measureVisits can let the columns
 * it does not read go before the wait analysis (issue 14: peak memory).
 */
async function readForHandover(file: string, flags: AnalyzeFlags, readOptions: ReturnType<typeof readOptionsFromFlags>) {
  const progress = makeProgress('reading', flags.progress !== false);
  // The input's checksum: a large file is hashed on a worker thread while it is read; a smaller one from the bytes the
  // read reads (CSV). Either way no second pass over the file after the read (input-digest.ts).
  const background = startFileDigest(file);
  const digest = new InputDigest();
  let read: Awaited<ReturnType<typeof readLog>>;
  try {
    read = await readLog(file, { ...readOptions, onProgress: progress.onProgress, inputDigest: background === undefined ? digest : undefined }).finally(() => progress.stop());
    assertUsableEvents(read, file);
  } catch (error) {
    background?.cancel();
    throw error;
  }
  // The read leaves ≈ 60 MB of dead typed arrays at 5 M events (the unsorted columns, the file's chunks): freed now,
  // before the wait analysis allocates (≈ 40-55 CPU ms). The checksum's second pass over the file used to set off that
  // collection; without it the 5 M peak rose by ≈ 30 MB in the median (docs/benchmarks.md, h24-read).
  if (read.log.eventCount >= COLLECT_MIN_EVENTS) collectGarbage();
  const handover: LogHandover = { log: flags.anonymize ? anonymizeLog(read.log) : read.log };
  const checksum = (): Promise<FileDigest> => (background === undefined ? fileDigest(file, digest) : background.result());
  return { ingest: read.report, handover, checksum };
}

/**
 * `--engine duckdb`: reads the log into the event store (src/ingest/stored-read.ts); the measurement reads it back by
 * case ranges (src/vsm/analyze-stored.ts). The caller closes the store. The read's report is finished by the
 * measurement (its duplicates are dropped range by range), so `pull` is none: the stored sources (CSV, XES, Parquet)
 * have none.
 */
async function readIntoStore(file: string, flags: AnalyzeFlags, readOptions: ReturnType<typeof readOptionsFromFlags>) {
  const progress = makeProgress('reading', flags.progress !== false);
  const background = startFileDigest(file);
  const digest = new InputDigest();
  let stored: StoredRead;
  try {
    stored = await readLogToStore(file, { ...readOptions, onProgress: progress.onProgress, inputDigest: background === undefined ? digest : undefined }).finally(() => progress.stop());
  } catch (error) {
    background?.cancel();
    throw error;
  }
  try {
    // No event at all: refused as readLog's log is (duplicates cannot empty a log, so the count before them decides).
    if (stored.log.eventCount === 0) assertUsableEvents({ log: stored.log, report: stored.finishReport(0, undefined) }, file);
  } catch (error) {
    background?.cancel();
    stored.store.close();
    throw error;
  }
  if (flags.anonymize) stored = { ...stored, log: anonymizeNames(stored.log) };
  const checksum = (): Promise<FileDigest> => (background === undefined ? fileDigest(file, digest) : background.result());
  return { stored, checksum };
}

type Scope = { config: VsmConfig | undefined; calendar: CalendarSpec | undefined; asOfMs: number | undefined; seed: number };

/**
 * Reads the log and runs the first half of the analysis (measureVisits): what comes back holds none of the log's
 * per-event columns, so they can go before the metrics run (issue 14: peak memory). The phase line is running when
 * this returns. With the event store (`engine` duckdb) the events stay on disk and are read back by ranges.
 */
async function readAndMeasure(file: string, flags: AnalyzeFlags, scope: Scope, engine: 'memory' | 'duckdb') {
  const readOptions = readOptionsFromFlags(flags);
  if (engine === 'memory') {
    const { ingest, handover, checksum } = await readForHandover(file, flags, readOptions);
    return measureRead(file, flags, scope, readOptions, { ingest, checksum, measure: (options) => ({ measured: measureVisits(handover, ingest, options), ingest }) });
  }
  const { stored, checksum } = await readIntoStore(file, flags, readOptions);
  try {
    return await measureRead(file, flags, scope, readOptions, { ingest: undefined, checksum, measure: (options) => measureStored(stored, options) });
  } finally {
    stored.store.close();
  }
}

interface ReadToMeasure {
  /** The read's report when it is finished (in memory); undefined when the measurement finishes it (the store). */
  ingest: IngestReport | undefined;
  checksum: () => Promise<FileDigest>;
  measure: (options: AnalyzeOptions) => { measured: MeasuredVisits; ingest: IngestReport } | Promise<{ measured: MeasuredVisits; ingest: IngestReport }>;
}

async function measureRead(file: string, flags: AnalyzeFlags, scope: Scope, readOptions: ReturnType<typeof readOptionsFromFlags>, read: ReadToMeasure) {
  const { config, calendar, asOfMs, seed } = scope;
  const { checksum } = read;
  const logName = file === '-' ? 'stdin' : basename(file).replace(/\.(gz)$/i, '').replace(/\.(csv|xes|json|jsonl|jsonocel|xmlocel|tsv|txt|parquet)$/i, '');
  // A `vsm pull` folder knows the instant its data describes: open cases are censored there unless --as-of or the config say otherwise.
  const pull = read.ingest?.pull;
  const pullAsOfMs = pull?.asOf != null && config?.asOf === undefined ? Date.parse(pull.asOf) : undefined;
  const provenanceOptions: Record<string, unknown> = {
    ...Object.fromEntries(Object.entries(readOptions).filter(([, value]) => value !== undefined)),
    config: flags.config,
    calendar: flags.calendar ?? (config?.calendar ? 'from config' : '24x7'),
    holidays: flags.holidays,
    asOf: flags.asOf,
    seed,
    anonymize: flags.anonymize === true,
    pull,
    estimate: flags.estimate !== false,
    ...(read.ingest === undefined ? { engine: 'duckdb' } : {}),
  };
  // The analysis is synchronous: its phases are drawn on one stderr line by direct writes (docs/commands.md).
  const phases = makePhaseProgress('analysing', flags.progress !== false);
  try {
    phases.onPhase?.('checksum of the input', 0, 0);
    // sha256 for report.json's provenance: the worker's or the read's own, else streamed again; standard input, pipes
    // and folders give an empty one (input-digest.ts).
    const input = { file: basename(file), ...(await checksum()) };
    const options: AnalyzeOptions = {
      logName,
      estimateStarts: flags.estimate !== false,
      activityTable: flags.html !== false,
      config,
      calendar,
      asOfMs: asOfMs ?? pullAsOfMs,
      seed,
      input,
      provenanceOptions: JSON.parse(JSON.stringify(provenanceOptions)) as Record<string, unknown>,
      onPhase: phases.onPhase,
    };
    const { measured, ingest } = await read.measure(options);
    return { ingest, logName, measured, options, phases };
  } catch (error) {
    phases.stop();
    throw error;
  }
}

export function makeAnalyzeCommand(): Command {
  const command = new Command('analyze')
    .description('measure the value stream: step timings, lead time, handoffs, rework, the four answers; write the report')
    .argument('[file]', 'log file or folder of JSON pages (none with --engine clickhouse)');
  addLogScopeFlags(command, '24x7 (default) or "<IANA zone> <days> <hh:mm-hh:mm>[,…]", e.g. "Europe/Berlin Mon-Fri 09:00-17:00"')
    .option('--out <dir>', 'output folder (default reports/<log name>)')
    .option('--json', 'print report.json to stdout instead of the summary')
    .option('--strict', 'exit 1 when rows were rejected, data-quality problems were found, or a metric is partial / unsupported by the log')
    .option('--seed <n>', 'seed of the bootstrap intervals', '42')
    .option('--anonymize', "replace people's names with stable pseudonyms in every output")
    .option('--no-html', 'write report.json only (skip HTML, SVG, Markdown and CSV)')
    .option('--no-estimate', 'do not estimate missing start times (single-timestamp logs then show active time as unknown)')
    .addOption(
      new Option('--engine <engine>', 'memory (the default while the log fits), duckdb (events on disk, read back by case ranges: docs/limits.md) or clickhouse (docs/clickhouse.md)').choices(['memory', 'duckdb', 'clickhouse']),
    )
    .option('--table <db.table>', '--engine clickhouse: the event table (canonical columns, or mapped with --case, --activity, --timestamp …)')
    .option('--query <select>', '--engine clickhouse: a single SELECT used as the event source (mapped with --case, --activity, --timestamp …)')
    .option('--clickhouse-url <url>', '--engine clickhouse: HTTP interface, e.g. http://127.0.0.1:8123');
  addIngestFlags(command);
  command.addHelpText(
    'after',
    `
Examples:
  $ vsm analyze helpdesk.csv.gz --out reports/helpdesk
  $ vsm analyze jira.json --source jira --config vsm.config.json --calendar "Europe/Berlin Mon-Fri 09:00-17:00" --holidays holidays.txt
  $ vsm analyze tickets.csv --json > report.json`,
  );
  command.action(async (file: string | undefined, flags: AnalyzeFlags & ClickHouseFlags) => {
    const { config, calendar, asOfMs } = await logScopeFromFlags(flags);
    // The ClickHouse engine's code loads only for --engine clickhouse.
    if (flags.engine === 'clickhouse') return (await import('./clickhouse.js')).analyzeWithClickHouse(flags, config, { calendar: calendar ?? config?.calendar, asOfMs });
    if (file === undefined) throw new VsmError({ code: 'BAD_OPTION', what: 'no log file given', where: 'vsm analyze', got: 'no <file> argument (it may only be left out with --engine clickhouse)', fix: 'pass a file, e.g. vsm analyze tickets.csv' });
    const seed = Number(flags.seed);
    if (!Number.isInteger(seed)) throw new VsmError({ code: 'BAD_OPTION', what: 'seed must be an integer', where: 'flag --seed', got: `"${flags.seed}"`, fix: 'pass --seed 42' });
    if (flags.out !== undefined) assertWritableOutput(flags.out);
    const engine = chooseEngine(file, flags.engine, flags.html === false ? 'json' : 'html');
    // Read and measured in a function of its own: the log (its per-event columns) is not kept past the reconstruction.
    const { ingest, logName, measured, options, phases } = await readAndMeasure(file, flags, { config, calendar, asOfMs, seed }, engine);
    // The log's columns are dead now: freed before the metrics allocate theirs (src/vsm/collect-garbage.ts).
    if (measured.log.eventCount >= COLLECT_MIN_EVENTS) collectGarbage();
    let analysis: ReturnType<typeof reportFromVisits>;
    try {
      analysis = reportFromVisits(measured, ingest, options);
      phases.onPhase?.('writing the report', 0, 0);
    } catch (error) {
      phases.stop();
      throw error;
    }
    const { report, waits } = analysis;
    const outDir = flags.out ?? `reports/${reportFolderName(logName)}`;
    await emitReport(report, {
      outDir,
      html: flags.html !== false,
      json: flags.json === true,
      strict: flags.strict === true,
      ingest,
      activities: waits?.table,
      strictReason: strictFailureReason(report.dataQuality, ingest),
      strictLimits: sufficiencyLines(report),
      onWritten: () => phases.stop(),
    }).finally(() => phases.stop());
  });
  return command;
}
