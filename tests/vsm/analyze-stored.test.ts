/**
 * The analysis over the event store (src/vsm/analyze-stored.ts) gives analyzeLog's report on readLog's log: on every
 * CSV and XES log of ../shared/data and on fixtures in a bare clone, with the ranges forced small (about 3 and 17 of
 * them, and one case a range on small logs). Fields that differ, and why: none — the ranges are contiguous case ranges
 * in case order, the instance table they collect is the in-memory one, and the wait chain and the case chain merge
 * exactly (tests/vsm/case-partitions.test.ts, wait-partitions-logs.test.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { isVsmError } from '../../src/errors.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLog } from '../../src/ingest/read-log.js';
import type { ReadOptions } from '../../src/ingest/read-options.js';
import { readLogToStore } from '../../src/ingest/stored-read.js';
import { readFileSync } from 'node:fs';
import { parseConfig } from '../../src/model/config-parse.js';
import type { VsmConfig } from '../../src/model/config-schema.js';
import { analyzeLog, type AnalyzeOptions } from '../../src/vsm/analyze.js';
import { analyzeStored, DEFAULT_RANGE_EVENTS, rangeEventsFromEnv, storedRangeCount } from '../../src/vsm/analyze-stored.js';
import { SHARED_DIR, hasShared } from '../shared-dir.js';

const DATA = `${SHARED_DIR}/data/`;
const sharedLogs = hasShared(DATA) ? readdirSync(DATA).filter((name) => /\.(csv|xes)(\.gz)?$/.test(name)).sort().map((name) => join(DATA, name)) : [];
const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname;
const fixtureLogs = ['xes/lifecycle-pairs.xes', 'csv/pm4py-index.csv', 'demo/helpdesk.csv.gz'].map((name) => join(FIXTURES, name));

async function expectStoredEqual(path: string, options: Omit<AnalyzeOptions, 'logName'> = {}, rangeCounts = [3, 17], readOptions: ReadOptions = {}): Promise<void> {
  const { log, report: ingest } = await readLog(path, readOptions);
  const memory = analyzeLog(log, ingest, { ...options, logName: path });
  const rangeSizes = rangeCounts.map((k) => Math.max(1, Math.ceil(log.eventCount / k)));
  if (log.caseCount <= 2_000) rangeSizes.push(1);
  for (const rangeEvents of rangeSizes) {
    const stored = await readLogToStore(path, readOptions, { spillEvents: 4096, memoryLimit: '256MB', threads: 1 });
    try {
      const { analysis, ingest: storedIngest } = await analyzeStored(stored, { ...options, logName: path, rangeEvents });
      expect(storedIngest, `${path}: ingest report, ranges of ${rangeEvents} events`).toEqual(ingest);
      expect(analysis.report, `${path}: report, ranges of ${rangeEvents} events`).toEqual(memory.report);
      expect(analysis.waits?.table?.instances.count).toBe(memory.waits?.table?.instances.count);
    } finally {
      stored.store.close();
    }
  }
}

describe.skipIf(sharedLogs.length === 0)('the stored analysis on every shared CSV and XES log equals the in-memory one', () => {
  for (const path of sharedLogs) it(path.slice(DATA.length), { timeout: 300_000 }, () => expectStoredEqual(path));
});

describe('the stored analysis on fixtures (bare clone)', () => {
  for (const path of fixtureLogs) it(path.slice(FIXTURES.length), { timeout: 60_000 }, () => expectStoredEqual(path));

  it('a status-change CSV (its visits kept whole: the ticket wait causes read them; activity logs stream theirs)', { timeout: 60_000 }, async () => {
    const readOptions: ReadOptions = { shape: 'status', mapping: { case: 'ticket', activity: 'status', resource: 'agent', group: 'team', timestamp: 'changed' } };
    await expectStoredEqual(join(FIXTURES, 'csv/status-changes.csv'), {}, [2, 3], readOptions);
  });

  it('with configs: the demo config (business calendar, done, exclude) and steps with a system from an attribute', { timeout: 60_000 }, async () => {
    const demo = join(FIXTURES, 'demo/vsm.config.json');
    const steps = JSON.stringify({ ...JSON.parse(readFileSync(join(FIXTURES, 'config/helpdesk-steps.json'), 'utf8')), system: { attribute: 'product' }, asOf: undefined });
    const configs: VsmConfig[] = [parseConfig(readFileSync(demo, 'utf8'), demo), parseConfig(steps, 'helpdesk-steps.json with system from "product"')];
    for (const config of configs) await expectStoredEqual(join(FIXTURES, 'demo/helpdesk.csv.gz'), { config });
    // What the comparison covers: the steps' systems come from the attribute, read per range.
    const { log, report: ingest } = await readLog(join(FIXTURES, 'demo/helpdesk.csv.gz'));
    const systems = analyzeLog(log, ingest, { logName: 'helpdesk', config: configs[1] }).report.steps.map((step) => step.system);
    expect(systems.filter((system) => system !== null && system !== 'Zendesk').length).toBeGreaterThan(0);
  });
});

/**
 * 410,000 events (the far-timestamp sample strides from 400,000 on), exact duplicate rows (dropped per range, so the
 * ranges' event indexes shift) and three far timestamps: the sample, the third pass and the duplicate counts.
 */
function writeFarLog(): string {
  const rows = ['case,activity,resource,timestamp'];
  const activities = ['Open', 'Triage', 'Fix', 'Review', 'Close'];
  let n = 0;
  for (let c = 0; n < 410_000; c++) {
    const startMs = Date.UTC(2024, 0, 1) + (c % 9_000) * 3_600_000;
    for (let k = 0; k < 10; k++, n++) {
      let timestamp = new Date(startMs + k * 5_400_000 + (c % 7) * 60_000).toISOString();
      if (n === 123_457 || n === 300_001) timestamp = '1950-01-01T00:00:00Z';
      if (n === 409_990) timestamp = '2150-12-31T00:00:00Z';
      const row = `case-${c},${activities[k % 5]},r${(c + k) % 23},${timestamp}`;
      rows.push(row);
      if (n % 50_000 === 7) rows.push(row);
    }
  }
  const path = join(mkdtempSync(join(tmpdir(), 'vsm-stored-far-')), 'far.csv');
  writeFileSync(path, `${rows.join('\n')}\n`);
  return path;
}

describe('the stored analysis on a generated log with far timestamps and duplicate rows', () => {
  it('equals the in-memory one (strided sample, third pass, duplicates)', { timeout: 120_000 }, async () => {
    const path = writeFarLog();
    const { log, report: ingest } = await readLog(path);
    const notes = analyzeLog(log, ingest, { logName: path }).report.dataQuality.notes;
    // What the comparison covers: the note is there, the duplicates were dropped.
    expect(notes.some((note) => note.startsWith('3 events lie far outside the bulk of the log'))).toBe(true);
    expect(ingest.duplicatesDropped).toBeGreaterThan(0);
    await expectStoredEqual(path, {}, [3, 17]);
  });
});

/** What the store refuses or reads as readLog does: every way in that readLog has (read-log.ts readRoute). */
describe('the store takes what readLog takes, or says why not', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vsm-stored-inputs-'));

  it('Parquet (its CSV copy, as readLog reads it): the same report, format parquet', { timeout: 60_000 }, async () => {
    const parquet = join(dir, 'helpdesk.parquet');
    const connection = await (await DuckDBInstance.create(':memory:')).connect();
    try {
      await connection.run(`COPY (SELECT * FROM read_csv('${join(FIXTURES, 'demo/helpdesk.csv.gz')}', all_varchar = true)) TO '${parquet}' (FORMAT parquet)`);
    } finally {
      connection.closeSync();
    }
    await expectStoredEqual(parquet, {}, [3]);
    const stored = await readLogToStore(parquet);
    try {
      const { ingest } = await analyzeStored(stored, { logName: 'helpdesk' });
      expect([ingest.format, ingest.files]).toEqual(['parquet', [parquet]]);
    } finally {
      stored.store.close();
    }
  });

  it('a named pipe, through a temporary copy, named as the pipe', { timeout: 60_000 }, async () => {
    const fifo = join(dir, 'tickets.fifo');
    if (spawnSync('mkfifo', [fifo]).status !== 0) return;
    const csv = join(FIXTURES, 'csv/pm4py-index.csv');
    const writer = spawn('sh', ['-c', `cat "${csv}" > "${fifo}"`]);
    const written = new Promise((resolve) => writer.on('close', resolve));
    const stored = await readLogToStore(fifo);
    try {
      const { ingest } = await analyzeStored(stored, { logName: 'fifo' });
      const memory = await readLog(csv);
      expect(ingest.files).toEqual([fifo]);
      expect(ingest.notes).toContain(`input read from a pipe (${fifo}): copied to a temporary file first, then removed`);
      expect(ingest.rowsUsed).toBe(memory.report.rowsUsed);
    } finally {
      stored.store.close();
    }
    await written;
  });

  it('refuses a wide stage-date CSV and a missing file, as clearly as readLog', async () => {
    const wide = await readLogToStore(join(FIXTURES, 'wide/jira-to-analytics.csv')).catch((error: unknown) => error);
    expect(isVsmError(wide) && [wide.code, wide.got]).toEqual(['BAD_OPTION', expect.stringMatching(/^a wide stage-date CSV, one row per case/)]);
    const missing = await readLogToStore(join(dir, 'nope.csv')).catch((error: unknown) => error);
    expect(isVsmError(missing) && missing.code).toBe('FILE_NOT_FOUND');
  });
});

describe('progress over the ranges', () => {
  it('counts the ranges of pass 1 (instances) and pass 2 (reconstruction), the report unchanged', { timeout: 60_000 }, async () => {
    const path = join(FIXTURES, 'demo/helpdesk.csv.gz');
    const seen: string[] = [];
    const stored = await readLogToStore(path);
    try {
      const { analysis } = await analyzeStored(stored, { logName: path, rangeEvents: 8_000, onPhase: (phase, done, total) => seen.push(`${phase} ${done}/${total}`) });
      const { log, report: ingest } = await readLog(path);
      expect(analysis.report).toEqual(analyzeLog(log, ingest, { logName: path }).report);
    } finally {
      stored.store.close();
    }
    const ranges = seen.filter((line) => /^(instances|reconstruction) [1-9]/.test(line));
    const total = Number(ranges[0]?.split('/')[1]);
    expect(total).toBeGreaterThan(2);
    const expected = ['instances', 'reconstruction'].flatMap((phase) => Array.from({ length: total }, (_, k) => `${phase} ${k + 1}/${total}`));
    expect(ranges).toEqual(expected);
  });
});

describe('stored range sizes', () => {
  it('reads about rangeEvents a range, at least one range', () => {
    expect(storedRangeCount(10, 3)).toBe(4);
    expect(storedRangeCount(0, 3)).toBe(1);
    expect(storedRangeCount(5, 0)).toBe(5);
  });

  it('VSM_STORE_RANGE_EVENTS: a whole number ≥ 1, else the default', () => {
    expect(rangeEventsFromEnv({ VSM_STORE_RANGE_EVENTS: '12' })).toBe(12);
    expect(rangeEventsFromEnv({ VSM_STORE_RANGE_EVENTS: '0' })).toBe(DEFAULT_RANGE_EVENTS);
    expect(rangeEventsFromEnv({ VSM_STORE_RANGE_EVENTS: 'x' })).toBe(DEFAULT_RANGE_EVENTS);
    expect(rangeEventsFromEnv({})).toBe(DEFAULT_RANGE_EVENTS);
  });
});
