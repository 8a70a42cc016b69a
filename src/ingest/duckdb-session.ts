/**
 * Embedded DuckDB (`@duckdb/node-api`) for inputs vsm hands to it (Parquet today): loaded on demand, so nothing else
 * pays for the 70 MB engine, and configured so it never holds more than its memory limit (it spills to a temp dir).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VsmError } from '../errors.js';

type DuckDbModule = typeof import('@duckdb/node-api');

/** DuckDB's own memory ceiling (it spills past it); small: vsm's columns, not DuckDB, hold the log. */
export const DUCKDB_MEMORY_LIMIT = '1GB';

export interface DuckDbSession {
  /** Runs statements; the result rows as JavaScript values. */
  rows(sql: string): Promise<unknown[][]>;
  run(sql: string): Promise<void>;
  /** Closes the connection and removes the spill folder. */
  close(): void;
}

/** A SQL string literal. */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A SQL identifier (column name as found in the file). */
export function sqlIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The error for embedded DuckDB not installed (`error`: what the import threw), with how to go on without it. */
export function duckDbMissing(where: string, error: unknown, otherwise: string): VsmError {
  return new VsmError({
    code: 'DEPENDENCY_MISSING',
    what: 'embedded DuckDB (@duckdb/node-api) is not installed',
    where,
    got: error instanceof Error ? error.message.split('\n')[0] : String(error),
    fix: `run npm install (the package is an optional dependency: --omit=optional leaves it out)${otherwise}`,
  });
}

async function loadDuckDb(where: string): Promise<DuckDbModule> {
  try {
    return await import('@duckdb/node-api');
  } catch (error) {
    throw duckDbMissing(where, error, ', or convert the file to CSV');
  }
}

/** Opens an in-memory DuckDB with a memory limit and a temp folder to spill into. */
export async function openDuckDb(where: string): Promise<DuckDbSession> {
  const duckdb = await loadDuckDb(where);
  const spill = mkdtempSync(join(tmpdir(), 'vsm-duckdb-'));
  const instance = await duckdb.DuckDBInstance.create(':memory:', { memory_limit: DUCKDB_MEMORY_LIMIT, temp_directory: spill, threads: '2' });
  const connection = await instance.connect();
  return {
    rows: async (sql) => (await connection.runAndReadAll(sql)).getRowsJS() as unknown[][],
    run: async (sql) => {
      await connection.run(sql);
    },
    close: () => {
      connection.closeSync();
      instance.closeSync();
      rmSync(spill, { recursive: true, force: true });
    },
  };
}
