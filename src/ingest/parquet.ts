/**
 * Parquet event logs (issue 14): embedded DuckDB reads the file and writes its rows, in file order, as a temporary
 * CSV that the CSV reader then reads. So mapping (--case, --activity, … or the usual column names), dates, time zones,
 * lifecycle, duplicates and row accounting are exactly the CSV reader's: a Parquet file and the CSV it was made from
 * give the same report. Timestamp columns are written as ISO 8601 text with milliseconds (UTC with `Z` for
 * TIMESTAMP WITH TIME ZONE; naive for TIMESTAMP, read in --time-zone like a naive CSV value).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { VsmError, isVsmError } from '../errors.js';
import type { ReadOptions, ReadResult } from './read-options.js';
import type { IngestReport } from '../contracts/ingest-report.js';
import { type DuckDbSession, openDuckDb, sqlIdentifier, sqlString } from './duckdb-session.js';

const ISO_MS = "'%Y-%m-%dT%H:%M:%S.%g'";

/** The SELECT expression writing one Parquet column as CSV text the CSV reader parses like the source value. */
function columnText(name: string, type: string): string {
  const column = sqlIdentifier(name);
  if (type === 'TIMESTAMP WITH TIME ZONE') return `strftime(timezone('UTC', ${column}), ${ISO_MS}) || 'Z' AS ${column}`;
  if (/^TIMESTAMP(_S|_MS|_NS)?$/.test(type)) return `strftime(CAST(${column} AS TIMESTAMP), ${ISO_MS}) AS ${column}`;
  if (type === 'DATE') return `strftime(${column}, '%Y-%m-%d') AS ${column}`;
  return column;
}

/** pandas' `DataFrame.to_parquet` stores a non-default index as these columns: not event data. */
const PANDAS_INDEX = /^__index_level_\d+__$/;

/** Writes the Parquet rows, in file order, as a CSV with a header; returns the pandas index columns left out. */
async function writeCsv(session: DuckDbSession, path: string, csvPath: string): Promise<string[]> {
  const file = basename(path);
  const source = `read_parquet(${sqlString(resolve(path))})`;
  let columns: unknown[][];
  try {
    columns = await session.rows(`DESCRIBE SELECT * FROM ${source}`);
  } catch (error) {
    throw new VsmError({ code: 'UNKNOWN_FORMAT', what: 'not a readable Parquet file', where: file, got: error instanceof Error ? error.message.split('\n')[0] : String(error), fix: 'check the file (a .parquet name with other content?) or export the log as CSV' });
  }
  const kept = columns.filter(([name]) => !PANDAS_INDEX.test(String(name)));
  if (kept.length === 0) throw new VsmError({ code: 'NO_EVENTS', what: 'Parquet file has no columns besides a pandas index', where: file, got: `${columns.length} columns`, fix: 'write the DataFrame with its event columns (case, activity, timestamp …)' });
  const select = kept.map(([name, type]) => columnText(String(name), String(type))).join(', ');
  await session.run(`COPY (SELECT ${select} FROM ${source}) TO ${sqlString(csvPath)} (FORMAT csv, HEADER true, DELIMITER ',')`);
  return columns.filter(([name]) => PANDAS_INDEX.test(String(name))).map(([name]) => String(name));
}

type ReadCsvPath = (path: string, options: ReadOptions) => Promise<ReadResult>;

/** What a read of the Parquet file's CSV copy fixes up: its report says Parquet, and names the file, not the copy. */
export interface ParquetCsv {
  readonly csvPath: string;
  readonly csvOptions: ReadOptions;
  /** The report of the CSV copy's read as the Parquet file's. */
  fixReport(report: IngestReport): void;
  /** File names with the copy's replaced by the Parquet file's. */
  fixFiles(files: readonly string[]): string[];
}

/**
 * Writes the Parquet file as a temporary CSV (DuckDB) and runs `read` on it; the copy is removed when `read` ends
 * (readParquet reads it in memory, the event store into DuckDB: stored-read.ts). Errors name the Parquet file.
 */
export async function withParquetCsv<T>(path: string, options: ReadOptions, read: (csv: ParquetCsv) => Promise<T>): Promise<T> {
  const file = basename(path);
  if (options.source !== undefined && options.source !== 'csv') {
    throw new VsmError({ code: 'WRONG_SOURCE', what: 'a Parquet file is read as a table of events', where: file, got: `--source ${options.source}`, fix: 'drop --source (or pass --source csv): Parquet columns are mapped like CSV columns' });
  }
  const session = await openDuckDb(file);
  const folder = mkdtempSync(join(tmpdir(), 'vsm-parquet-'));
  const csvPath = join(folder, `${file.replace(/\.parquet$/i, '')}.csv`);
  try {
    const dropped = await writeCsv(session, path, csvPath).finally(() => session.close());
    const fixFiles = (files: readonly string[]) => files.map((name) => (name === csvPath ? path : name));
    const fixReport = (report: IngestReport) => {
      report.format = 'parquet';
      report.formatDetectedBy = /\.parquet$/i.test(path) ? 'extension' : 'content (Parquet magic bytes PAR1)';
      report.files = fixFiles(report.files);
      report.notes.push('Parquet read through embedded DuckDB: rows in file order, timestamp columns as ISO 8601 with milliseconds, then mapped and parsed as CSV');
      if (dropped.length > 0) report.notes.push(`pandas index column${dropped.length > 1 ? 's' : ''} ${dropped.map((name) => `"${name}"`).join(', ')} ignored (written by DataFrame.to_parquet, not event data)`);
    };
    // DuckDB wrote UTF-8 with ',' whatever --delimiter / --encoding say (they describe CSV inputs, not this file).
    return await read({ csvPath, csvOptions: { ...options, source: 'csv', delimiter: ',', encoding: undefined }, fixReport, fixFiles });
  } catch (error) {
    throw isVsmError(error) ? new VsmError({ code: error.code, what: error.what, where: error.where?.split(basename(csvPath)).join(file), got: error.got, fix: error.fix }) : error;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * Reads a `.parquet` event log through DuckDB and the CSV reader (`readCsvPath`: read-log's path reader, so wide
 * stage-date files are recognised as in CSV).
 * @example const { log, report } = await readParquet('events.parquet', {}, readPath);
 */
export async function readParquet(path: string, options: ReadOptions, readCsvPath: ReadCsvPath): Promise<ReadResult> {
  return withParquetCsv(path, options, async ({ csvPath, csvOptions, fixReport, fixFiles }) => {
    const result = await readCsvPath(csvPath, csvOptions);
    fixReport(result.report);
    return { ...result, log: { ...result.log, files: fixFiles(result.log.files) } };
  });
}
