import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { VsmError } from '../errors.js';
import type { ReadOptions, ReadResult, SourceKind } from './read-options.js';
import type { IngestReport } from '../contracts/ingest-report.js';
import { assertSourceFits, lookOfFile } from './file-look.js';
import { isPullFolder } from './pull-folder-check.js';
import { ingestLimits } from './ingest-limits.js';
import { spoolIfStream } from './input-spool.js';
import { type SniffResult, sniffSource } from './sniff.js';

type Reader = (path: string, options: ReadOptions) => Promise<ReadResult>;

/** Each reader is loaded on demand so `vsm inspect log.csv` never loads the XML or JSON code paths. */
const READERS: Record<SourceKind, () => Promise<Reader>> = {
  csv: async () => (await import('./csv.js')).readCsv,
  xes: async () => (await import('./xes.js')).readXes,
  ocel: async () => (await import('./ocel.js')).readOcel,
  jira: async () => (await import('./jira.js')).readJira,
  zendesk: async () => (await import('./zendesk.js')).readZendesk,
  github: async () => (await import('./github.js')).readGithub,
  servicenow: async () => (await import('./servicenow.js')).readServiceNow,
  salesforce: async () => (await import('./salesforce.js')).readSalesforce,
  greenhouse: async () => (await import('./greenhouse.js')).readGreenhouse,
  lever: async () => (await import('./lever.js')).readLever,
};

/**
 * Reads an export into an EventLog and its IngestReport. The source kind comes from `options.source`,
 * else from the file name and content (the report says which and how). `-` reads standard input; pipes and FIFOs
 * (`<(zcat log.csv.gz)`) are read too, through a temporary copy.
 *
 * @example
 * const { log, report } = await readLog('tickets.csv', { timeZone: 'Europe/Berlin' });
 * console.log(log.caseCount, report.rowsRejected);
 */
export async function readLog(path: string, options: ReadOptions = {}): Promise<ReadResult> {
  return readThroughSpool(
    path,
    options,
    (readable) => readPath(readable, options),
    (result, fix) => {
      fix(result.report);
      return result;
    },
  );
}

/**
 * `read(path)`, with standard input (`-`), pipes and FIFOs copied to a temporary file first (readers sniff and may
 * re-read) and the copy removed after the read; `withFix` applies to the result's report the fix that names the input,
 * not the copy (readLog's report, or the event store's once it is finished: stored-read.ts).
 */
export async function readThroughSpool<T>(path: string, options: ReadOptions, read: (readable: string) => Promise<T>, withFix: (result: T, fix: (report: IngestReport) => void) => T): Promise<T> {
  const spooled = await spoolIfStream(path, process.stdin, ingestLimits(options.limits).pipeOpenTimeoutMs);
  if (spooled === undefined) return read(path);
  try {
    return withFix(await read(spooled.path), (report) => {
      report.files = report.files.map((file) => (file === spooled.path ? path : file));
      report.notes.push(`input read from ${spooled.what} (${path}): copied to a temporary file first, then removed`);
    });
  } finally {
    await spooled.remove();
  }
}

/** How a path is read: a `vsm pull` folder, Parquet through DuckDB, a wide stage-date CSV, or a source's reader. */
export type ReadRoute = { kind: 'pull' } | { kind: 'parquet' } | { kind: 'wide'; sniffed: SniffResult; detectedBy: string } | { kind: 'reader'; sniffed: SniffResult };

/**
 * Which way `path` is read (readLog's dispatch, also the event store's: stored-read.ts): refuses a missing path, and
 * a forced source the file does not fit.
 */
export function readRoute(path: string, options: ReadOptions): ReadRoute {
  try {
    statSync(path);
  } catch {
    throw new VsmError({ code: 'FILE_NOT_FOUND', what: 'input not found', where: path, fix: 'check the path (relative paths are resolved from the current directory)' });
  }
  // A folder written by `vsm pull` says what it holds in pull.json (a small hook: folder reading stays in the readers).
  if (isPullFolder(path)) return { kind: 'pull' };
  // Parquet goes through embedded DuckDB into the CSV reader (parquet.ts), loaded only for .parquet files.
  if (isParquet(path)) return { kind: 'parquet' };
  // A forced source must fit what the file looks like: a CSV read as Jira is a clear error, never a crash.
  if (options.source) assertSourceFits(path, options.source);
  const sniffed = options.source ? { source: options.source, detectedBy: 'flag --source' } : sniffSource(path);
  if (options.wide) return { kind: 'wide', sniffed, detectedBy: 'flag --wide' };
  const wide = wideDetected(path, sniffed, options);
  if (wide) return { kind: 'wide', sniffed: wide, detectedBy: options.source ? `flag --source csv, ${wide.detectedBy}` : wide.detectedBy };
  return { kind: 'reader', sniffed };
}

async function readPath(path: string, options: ReadOptions): Promise<ReadResult> {
  const route = readRoute(path, options);
  if (route.kind === 'pull') return (await import('./pull-folder.js')).readPullFolder(path, options);
  if (route.kind === 'parquet') return (await import('./parquet.js')).readParquet(path, options, readPath);
  if (route.kind === 'wide') return readWide(path, options, route.sniffed, route.detectedBy);
  const { sniffed } = route;
  const reader = await READERS[sniffed.source]();
  const result = await reader(path, { ...options, source: sniffed.source }).catch((error: unknown) => {
    throw options.source ? withLookHint(error, path, options.source) : error;
  });
  if (!options.source) result.report.formatDetectedBy = sniffed.detectedBy;
  else result.report.formatDetectedBy = 'flag --source';
  return result;
}

const PARQUET_MAGIC = 'PAR1';

/** A `.parquet` name, or a regular file starting with Parquet's magic bytes (a renamed Parquet file). */
function isParquet(path: string): boolean {
  if (/\.parquet$/i.test(path)) return true;
  if (!statSync(path).isFile()) return false;
  const head = Buffer.alloc(PARQUET_MAGIC.length);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return false; // unreadable: the reader chosen below says so in its own words
  }
  try {
    return readSync(fd, head, 0, head.length, 0) === head.length && head.toString('latin1') === PARQUET_MAGIC;
  } finally {
    closeSync(fd);
  }
}

/**
 * A forced source whose reader found no usable columns in a file that looks like another source (a Zendesk field-history
 * CSV read with --source csv): the same error, with what the file looks like added to the fix.
 */
export function withLookHint(error: unknown, path: string, source: SourceKind): unknown {
  if (!(error instanceof VsmError) || !['MISSING_COLUMN', 'NO_EVENTS', 'WRONG_SOURCE'].includes(error.code) || !statSync(path).isFile()) return error;
  const look = lookOfFile(path);
  if (look.source === undefined || look.source === source || error.message.includes(look.label)) return error;
  return new VsmError({
    code: error.code,
    what: error.what,
    where: error.where,
    got: error.got,
    fix: `${error.fix ? `${error.fix}; ` : ''}the file is ${look.label}: pass --source ${look.source}`,
  });
}

/**
 * A wide CSV (sniffed, or under `--source csv`) is read wide unless the flags describe a long (one row per event)
 * CSV: `--activity`, `--timestamp` or `--status-log`.
 */
function wideDetected(path: string, sniffed: SniffResult, options: ReadOptions): SniffResult | undefined {
  if (options.shape !== undefined || options.mapping?.activity !== undefined || options.mapping?.timestamp !== undefined) return undefined;
  if (options.source === undefined) return sniffed.layout === 'wide' ? sniffed : undefined;
  if (options.source !== 'csv') return undefined;
  try {
    const csvSniffed = sniffSource(path);
    return csvSniffed.layout === 'wide' ? csvSniffed : undefined;
  } catch {
    return undefined; // not sniffable: the CSV reader says what is wrong
  }
}

async function readWide(path: string, options: ReadOptions, sniffed: SniffResult, detectedBy: string): Promise<ReadResult> {
  if (sniffed.source !== 'csv') {
    throw new VsmError({ code: 'BAD_OPTION', what: '--wide reads a CSV of stage dates', where: path, got: `a ${sniffed.source} file (${sniffed.detectedBy})`, fix: 'drop --wide, or pass the wide CSV export' });
  }
  const { readWideCsv } = await import('./wide-csv.js');
  const result = await readWideCsv(path, { ...options, source: 'csv' });
  result.report.formatDetectedBy = detectedBy;
  return result;
}
