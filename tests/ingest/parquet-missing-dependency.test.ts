import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { isVsmError } from '../../src/errors.js';
import { readLog } from '../../src/ingest/read-log.js';

// As after `npm install --omit=optional`: the optional DuckDB package cannot be imported.
vi.mock('@duckdb/node-api', () => {
  throw new Error("Cannot find package '@duckdb/node-api' imported from parquet.ts");
});

describe('Parquet without the optional @duckdb/node-api', () => {
  it('stops with DEPENDENCY_MISSING saying what to install (exit 2 class), not a crash', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'vsm-parquet-missing-')), 'events.parquet');
    writeFileSync(path, 'PAR1');
    const error = await readLog(path).catch((caught: unknown) => caught);
    expect(isVsmError(error) && error.code).toBe('DEPENDENCY_MISSING');
    expect(String(error)).toContain('npm install');
  });
});
