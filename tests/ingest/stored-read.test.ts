import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isVsmError } from '../../src/errors.js';
import { readCsv } from '../../src/ingest/csv.js';
import { finishStoredReport, readCsvToStore, readLogToStore, type StoredLogRange, storedLogs } from '../../src/ingest/stored-read.js';
import { readLog } from '../../src/ingest/read-log.js';
import type { ReadOptions } from '../../src/ingest/read-options.js';
import type { EventLog } from '../../src/model/event-log.js';
import { sharedOrSkip } from '../shared-dir.js';

const DIR = mkdtempSync(join(tmpdir(), 'vsm-csv-stored-test-'));

async function storedRead(path: string, options: ReadOptions, rangeCount: number, spillEvents: number) {
  const stored = await readLogToStore(path, options, { spillEvents, memoryLimit: '64MB', threads: 1 });
  try {
    const ranges: StoredLogRange[] = [];
    for await (const range of storedLogs(stored, rangeCount)) ranges.push(range);
    return { ranges, report: finishStoredReport(stored) };
  } finally {
    stored.store.close();
  }
}

type Column = Int32Array | Float64Array | Uint8Array | Uint16Array;

/** Byte-equal columns (toEqual walks typed arrays value by value: seconds at 10⁵ events). */
function expectColumn(actual: Column | undefined, expected: Column | undefined, name: string): void {
  if (actual === undefined || expected === undefined) {
    expect(actual === undefined, name).toBe(expected === undefined);
    return;
  }
  const bytes = (column: Column) => Buffer.from(column.buffer, column.byteOffset, column.byteLength);
  expect(actual.constructor.name, name).toBe(expected.constructor.name);
  if (!bytes(actual).equals(bytes(expected))) expect(Array.from(actual), name).toEqual(Array.from(expected));
}

/** Range `range` equals the in-memory log over its cases, column for column. */
function expectRangeOf(whole: EventLog, { log, firstCase }: StoredLogRange): void {
  const from = whole.caseStart[firstCase];
  const to = whole.caseStart[firstCase + log.caseCount];
  expect(log.eventCount).toBe(to - from);
  expect(log.caseIds.values).toEqual(whole.caseIds.values.slice(firstCase, firstCase + log.caseCount));
  expectColumn(Int32Array.from(log.caseStart, (k) => k + from), whole.caseStart.subarray(firstCase, firstCase + log.caseCount + 1), 'caseStart');
  expectColumn(Int32Array.from(log.caseCode, (c) => c + firstCase), whole.caseCode.subarray(from, to), 'caseCode');
  expectColumn(log.activityCode, whole.activityCode.subarray(from, to), 'activityCode');
  expectColumn(log.resourceCode, whole.resourceCode.subarray(from, to), 'resourceCode');
  expectColumn(log.groupCode, whole.groupCode.subarray(from, to), 'groupCode');
  expectColumn(log.timestampMs, whole.timestampMs.subarray(from, to), 'timestampMs');
  expectColumn(log.startTimestampMs, whole.startTimestampMs?.subarray(from, to), 'startTimestampMs');
  expectColumn(log.lifecycle, whole.lifecycle.subarray(from, to), 'lifecycle');
  expectColumn(log.fileIndex, whole.fileIndex.subarray(from, to), 'fileIndex');
  expectColumn(log.sourceRow, whole.sourceRow.subarray(from, to), 'sourceRow');
  expect([...log.attributes.keys()]).toEqual([...whole.attributes.keys()]);
  for (const [name, column] of whole.attributes) {
    expectColumn(log.attributes.get(name)?.codes, column.codes.subarray(from, to), `attribute ${name}`);
    expect(log.attributes.get(name)?.dictionary.values).toEqual(column.dictionary.values);
  }
  for (const [name, column] of whole.caseAttributes) expectColumn(log.caseAttributes.get(name)?.codes, column.codes.subarray(firstCase, firstCase + log.caseCount), `case attribute ${name}`);
  expect(log.activities.values).toEqual(whole.activities.values);
  expect(log.resources.values).toEqual(whole.resources.values);
  expect(log.shape).toBe(whole.shape);
}

async function expectSameAsInMemory(path: string, options: ReadOptions, rangeCounts: number[], spillEvents: number): Promise<void> {
  const { log, report } = await readLog(path, options);
  for (const rangeCount of rangeCounts) {
    const stored = await storedRead(path, options, rangeCount, spillEvents);
    expect(stored.report).toEqual(report);
    expect(stored.ranges.length).toBe(Math.min(rangeCount, log.caseCount));
    let cases = 0;
    for (const range of stored.ranges) {
      expect(range.firstCase).toBe(cases);
      expectRangeOf(log, range);
      cases += range.log.caseCount;
    }
    expect(cases).toBe(log.caseCount);
  }
}

const FIXTURES: Record<string, ReadOptions> = {
  'day-first.csv': { dateFormat: 'dd/MM/yyyy HH:mm' },
  'epoch-ms.csv': {},
  'latin1.csv': {},
  'pm4py-index.csv': {},
  'quoted-multiline.csv': {},
  'rejections.csv': {},
  'semicolon-bom-crlf.csv': {},
  'status-changes.csv': { shape: 'status', mapping: { case: 'ticket', activity: 'status', resource: 'agent', group: 'team', timestamp: 'changed' } },
};

describe('readCsvToStore', () => {
  it('gives readCsv’s log in ranges and readCsv’s report, on every CSV fixture (spilling every 3 events)', async () => {
    for (const [name, options] of Object.entries(FIXTURES)) {
      const path = new URL(`../../fixtures/csv/${name}`, import.meta.url).pathname;
      try {
        await expectSameAsInMemory(path, options, [1, 2, 5], 3);
      } catch (error) {
        if (isVsmError(error)) throw error;
        throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  });

  it('drops exact duplicates per range as readCsv drops them on the whole log, with the same first example', async () => {
    const path = join(DIR, 'duplicates.csv');
    const rows = ['case,activity,timestamp,resource,channel'];
    for (let c = 0; c < 6; c++) {
      rows.push(`c${c},a,2024-01-0${c + 1}T10:00:00Z,r1,web`, `c${c},b,2024-01-0${c + 1}T11:00:00Z,r2,mail`);
      if (c % 2 === 1) rows.push(`c${c},b,2024-01-0${c + 1}T11:00:00Z,r2,mail`); // an exact repeat
      if (c === 4) rows.push(`c${c},b,2024-01-0${c + 1}T11:00:00Z,r2,phone`); // differs in a kept column: not a repeat
    }
    writeFileSync(path, `${rows.join('\n')}\n`);
    const { report } = await readCsv(path);
    expect(report.duplicatesDropped).toBe(3);
    await expectSameAsInMemory(path, {}, [1, 3, 6], 4);
    await expectSameAsInMemory(path, { duplicateRows: 'keep' }, [2], 4);
  });

  it('reports a bad file as readCsv does and leaves no store folder behind', async () => {
    const before = readdirSync(tmpdir()).filter((name) => name.startsWith('vsm-store-')).length;
    const path = join(DIR, 'header-only.csv');
    writeFileSync(path, 'case,activity,timestamp\n');
    const error = await readCsvToStore(path, {}).catch((caught: unknown) => caught);
    expect(isVsmError(error) && error.code).toBe('HEADER_ONLY');
    // The store opens asynchronously: give a discarded open time to close.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(readdirSync(tmpdir()).filter((name) => name.startsWith('vsm-store-')).length).toBe(before);
  });

  it('spills as it reads once the store is open: a 200,000-row log in many appends, the same log and report', async () => {
    const path = join(DIR, 'large.csv');
    const lines = ['case,activity,timestamp,resource,channel,priority'];
    // Cases interleaved and out of time order inside a case; attributes on some rows only.
    for (let i = 0; i < 200_000; i++) {
      const c = (i * 7919) % 40_000;
      const t = Date.UTC(2024, 0, 1) + ((i * 104_729) % 9_000_000) * 1000;
      lines.push(`k${c},step${i % 5},${new Date(t).toISOString()},r${i % 13},${i % 3 === 0 ? 'web' : ''},${i % 11 === 0 ? 'high' : 'low'}`);
    }
    writeFileSync(path, `${lines.join('\n')}\n`);
    const stored = await readCsvToStore(path, {}, { spillEvents: 10_000, threads: 2 });
    try {
      expect(stored.store.appendCount).toBeGreaterThan(10);
      expect(stored.store.eventCount).toBe(200_000);
    } finally {
      stored.store.close();
    }
    await expectSameAsInMemory(path, {}, [3], 10_000);
  });

  it('gives readXes’s log and report on the XES fixtures (spilling every 2 events)', async () => {
    for (const name of ['lifecycle-pairs.xes', 'nested-attributes.xes', 'missing-fields.xes', 'offsetless.xes']) {
      const path = new URL(`../../fixtures/xes/${name}`, import.meta.url).pathname;
      try {
        await expectSameAsInMemory(path, {}, [1, 3], 2);
      } catch (error) {
        if (isVsmError(error)) throw error;
        throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  });

  it('refuses the sources it does not store yet, clearly', async () => {
    const error = await readLogToStore(new URL('../../fixtures/jira/deleted-status.json', import.meta.url).pathname, { source: 'jira' }).catch((caught: unknown) => caught);
    expect(isVsmError(error) && error.code).toBe('BAD_OPTION');
    expect(isVsmError(error) && error.what).toMatch(/CSV, XES and Parquet/);
  });

  it('gives the in-memory log of shared logs (running example CSV and XES, sepsis, helpdesk, interval log)', async () => {
    for (const name of ['data/running-example.csv', 'data/running-example.xes', 'data/sepsis.csv.gz', 'data/helpdesk.xes.gz', 'data/interval_event_log.xes.gz']) {
      const path = sharedOrSkip(name);
      if (path === undefined) return;
      await expectSameAsInMemory(path, {}, [1, 4], 1000);
    }
  });
});
