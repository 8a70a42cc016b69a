import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVsmError } from '../../src/errors.js';
import { readLog } from '../../src/ingest/read-log.js';
import type { ReadOptions } from '../../src/ingest/read-options.js';
import { analyzeLog } from '../../src/vsm/analyze.js';
import type { ReportJson } from '../../src/contracts/report-schema.js';
import { runCli } from '../cli/run-cli.js';
import { SHARED_DIR, hasShared } from '../shared-dir.js';

const DATA = `${SHARED_DIR}/data`;
const DIR = mkdtempSync(join(tmpdir(), 'vsm-parquet-test-'));
let connection: Awaited<ReturnType<DuckDBInstance['connect']>>;

beforeAll(async () => {
  connection = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(() => connection.closeSync());

/** Writes `csvPath` as Parquet with DuckDB (every column text unless `select` types some), returns the path. */
async function toParquet(csvPath: string, name: string, select = 'SELECT *'): Promise<string> {
  const out = join(DIR, `${name}.parquet`);
  await connection.run(`COPY (${select} FROM read_csv('${csvPath}', all_varchar = true)) TO '${out}' (FORMAT parquet)`);
  return out;
}

/**
 * Notes that differ for reasons of DuckDB's CSV → Parquet conversion, not of the reader: the Parquet note itself, and
 * what our CSV reader says about the CSV's header (DuckDB names a leading unnamed column and renames duplicates), and
 * the pandas-index note (asserted on its own below).
 */
const CONVERSION_NOTES = /^(Parquet read through embedded DuckDB|leading unnamed column ignored|duplicate column names renamed|pandas index column)/;

async function reportOf(path: string, options: ReadOptions = {}): Promise<ReportJson> {
  const { log, report } = await readLog(path, options);
  const json = analyzeLog(log, report, { logName: 'log' }).report;
  return { ...json, dataQuality: { ...json.dataQuality, notes: json.dataQuality.notes.filter((note) => !CONVERSION_NOTES.test(note)).map((note) => note.split(path).join('<input>')) }, provenance: { ...json.provenance, input: { file: '', bytes: 0, sha256: '' } } };
}

async function expectSameReport(csvPath: string, parquetPath: string, options: ReadOptions = {}): Promise<void> {
  const fromCsv = await reportOf(csvPath, options);
  const fromParquet = await reportOf(parquetPath, options);
  expect(fromParquet.log.format).toBe('parquet');
  expect({ ...fromParquet, log: { ...fromParquet.log, format: 'csv' } }).toEqual(fromCsv);
}

describe('Parquet input through DuckDB', () => {
  it('a fixture CSV written as Parquet gives the same report (bare clone)', async () => {
    const csv = 'fixtures/csv/day-first.csv';
    await expectSameReport(csv, await toParquet(csv, 'day-first'), { dateFormat: 'dd/MM/yyyy HH:mm' });
  });

  it('typed timestamp columns: TIMESTAMP WITH TIME ZONE is read as UTC instants, naive TIMESTAMP in --time-zone', async () => {
    const csv = join(DIR, 'typed.csv');
    writeFileSync(csv, 'case,activity,timestamp\nA,open,2024-03-01T08:00:00.250Z\nA,close,2024-03-02T09:30:00Z\nB,open,2024-03-01T10:00:00Z\nB,close,2024-03-04T10:00:00Z\n');
    const withZone = await toParquet(csv, 'typed-tz', 'SELECT * REPLACE (CAST("timestamp" AS TIMESTAMPTZ) AS "timestamp")');
    await expectSameReport(csv, withZone);
    const naiveCsv = join(DIR, 'naive.csv');
    writeFileSync(naiveCsv, 'case,activity,timestamp\nA,open,2024-03-01T08:00:00.250\nA,close,2024-03-02T09:30:00\nB,open,2024-03-01T10:00:00\nB,close,2024-03-04T10:00:00\n');
    const naive = await toParquet(naiveCsv, 'typed-naive', 'SELECT * REPLACE (CAST("timestamp" AS TIMESTAMP) AS "timestamp")');
    await expectSameReport(naiveCsv, naive, { timeZone: 'Europe/Berlin' });
  });

  it("pandas' index column (__index_level_0__) is left out with a note; the report is the CSV's", async () => {
    const csv = 'fixtures/csv/day-first.csv';
    const parquet = await toParquet(csv, 'pandas', 'SELECT *, 100 + row_number() OVER () AS __index_level_0__');
    await expectSameReport(csv, parquet, { dateFormat: 'dd/MM/yyyy HH:mm' });
    const { report } = await readLog(parquet, { dateFormat: 'dd/MM/yyyy HH:mm' });
    expect(report.notes).toContain('pandas index column "__index_level_0__" ignored (written by DataFrame.to_parquet, not event data)');
  });

  it('a file named .parquet that is not Parquet: UNKNOWN_FORMAT, exit 2', async () => {
    const fake = join(DIR, 'fake.parquet');
    writeFileSync(fake, 'case,activity,timestamp\n1,a,2024-01-01\n');
    const error = await readLog(fake).catch((caught: unknown) => caught);
    expect(isVsmError(error) && error.code).toBe('UNKNOWN_FORMAT');
    const cli = runCli(['analyze', fake, '--no-html', '--out', join(DIR, 'out-fake')]);
    expect(cli.status).toBe(2);
    expect(cli.stderr).toContain('not a readable Parquet file');
  });

  it('--source other than csv is refused; the CLI analyses a Parquet file (exit 0, format parquet)', async () => {
    const parquet = await toParquet('fixtures/csv/day-first.csv', 'cli');
    const error = await readLog(parquet, { source: 'xes' }).catch((caught: unknown) => caught);
    expect(isVsmError(error) && error.code).toBe('WRONG_SOURCE');
    const cli = runCli(['analyze', parquet, '--date-format', 'dd/MM/yyyy HH:mm', '--json', '--no-html', '--out', join(DIR, 'out-cli')]);
    expect(cli.status).toBe(0);
    expect((JSON.parse(cli.stdout) as ReportJson).log).toMatchObject({ name: 'cli', format: 'parquet' });
  });

  it('a renamed Parquet file is recognised by its magic bytes', async () => {
    const renamed = join(DIR, 'events.dat');
    copyFileSync(await toParquet('fixtures/csv/day-first.csv', 'renamed'), renamed);
    const { report } = await readLog(renamed, { dateFormat: 'dd/MM/yyyy HH:mm' });
    expect(report.format).toBe('parquet');
    expect(report.files).toEqual([renamed]);
    // CSV-only flags describe a CSV input, not the file DuckDB writes: --delimiter ';' changes nothing.
    const withDelimiter = await readLog(renamed, { dateFormat: 'dd/MM/yyyy HH:mm', delimiter: ';' });
    expect(withDelimiter.log.eventCount).toBe(report.rowsUsed);
    expect(withDelimiter.report.rowsRejected).toBe(0);
  });
});

// Every CSV log of ../shared/data (MANIFEST.md), converted to Parquet by DuckDB: the report equals the CSV's.
const SHARED_CSV = hasShared('data') ? readdirSync(DATA).filter((name) => /\.csv(\.gz)?$/.test(name)).sort() : [];
describe.skipIf(SHARED_CSV.length === 0)('Parquet = CSV on every CSV log in ../shared/data', () => {
  for (const name of SHARED_CSV) {
    it(name, async () => {
      await expectSameReport(join(DATA, name), await toParquet(join(DATA, name), name.replace(/\.csv(\.gz)?$/, '')));
    }, 60_000);
  }
});
