import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/ingest/csv.js';
import { mainShare, threadPlan } from '../../src/ingest/csv-threaded.js';
import type { CsvThreadOptions, CsvThreadOutcome, ReadOptions } from '../../src/ingest/read-options.js';
import { logSnapshot } from './log-snapshot.js';

const dir = mkdtempSync(`${tmpdir()}/vsm-csv-threads-`);
function csvFile(name: string, text: string | Buffer): string {
  const path = `${dir}/${name}`;
  writeFileSync(path, text);
  return path;
}

/** Split on the main thread (same split, chunk reads and merge as on workers), tiny chunks: many cuts. */
const INLINE: CsvThreadOptions = { minBytes: 0, workers: 2, chunkBytes: 64, mainBytes: 0, inline: true };
/** The main thread's own share in the second round of readBoth: a few rows, ending mid-record. */
const MAIN_BYTES = 150;

/**
 * The one-thread read against the split read, with the main thread reading no share of its own (`threads` as given)
 * and then with the main thread reading the first `mainBytes` itself (its cut lands where the chunk cuts do not).
 */
async function readBoth(path: string, options: ReadOptions = {}, threads: CsvThreadOptions = INLINE): Promise<CsvThreadOutcome | undefined> {
  let outcome: CsvThreadOutcome | undefined;
  const one = await readCsv(path, { ...options, csvThreads: false });
  for (const mainBytes of [threads.mainBytes ?? 0, MAIN_BYTES]) {
    const many = await readCsv(path, { ...options, csvThreads: { ...threads, mainBytes, onOutcome: (o) => (outcome = o) } });
    expect(logSnapshot(many.log)).toEqual(logSnapshot(one.log));
    expect(JSON.stringify(many.report)).toBe(JSON.stringify(one.report));
  }
  return outcome;
}

/** Same result and the split read was used (no fallback to one thread). */
async function expectThreadedSame(path: string, options: ReadOptions = {}, threads: CsvThreadOptions = INLINE): Promise<CsvThreadOutcome> {
  const outcome = await readBoth(path, options, threads);
  expect(outcome).toBeDefined();
  expect(outcome?.fallback).toBeUndefined();
  return outcome as CsvThreadOutcome;
}

async function errorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return JSON.stringify({ name: (error as Error).name, message: (error as Error).message, ...(error as object) });
  }
  return 'no error';
}

const ts = (minute: number) => `2024-01-01T${String(8 + Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00Z`;

describe('threadPlan', () => {
  it('is off below the threshold, for 0 workers and when turned off', () => {
    expect(threadPlan({ minBytes: 100, workers: 2 }, 99)).toBeUndefined();
    expect(threadPlan({ minBytes: 100, workers: 0 }, 1000)).toBeUndefined();
    expect(threadPlan(false, 1e12)).toBeUndefined();
    expect(threadPlan({ workers: 2 }, 255 * 1024 * 1024)).toBeUndefined();
    expect(threadPlan({ workers: 2 }, 256 * 1024 * 1024)).toMatchObject({ workers: 2 });
    expect(threadPlan({ workers: 2, mainBytes: 0 }, 380e6)).toMatchObject({ workers: 2, mainBytes: 0, chunkBytes: 47_500_000 });
  });

  it('by default one thread for every size: workers only when given, at most 8', () => {
    const saved = process.env.VSM_CSV_WORKERS;
    delete process.env.VSM_CSV_WORKERS;
    try {
      expect(threadPlan(undefined, 380e6)).toBeUndefined();
      expect(threadPlan({}, 7.6e9)).toBeUndefined();
      expect(threadPlan({ minBytes: 0 }, 2000)).toBeUndefined();
      expect(threadPlan({ workers: 2 }, 7.6e9)).toMatchObject({ workers: 2 });
      expect(threadPlan({ workers: 64 }, 7.6e9)).toMatchObject({ workers: 8 });
      process.env.VSM_CSV_WORKERS = '1';
      expect(threadPlan(undefined, 380e6)).toMatchObject({ workers: 1 });
      expect(threadPlan({ workers: 0 }, 380e6)).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.VSM_CSV_WORKERS;
      else process.env.VSM_CSV_WORKERS = saved;
    }
  });

  it('the main thread reads the first share itself, sized so it merges the workers\' chunks as they finish', () => {
    expect(mainShare(1)).toBeCloseTo(0.444, 3);
    expect(mainShare(2)).toBeCloseTo(0.231, 3);
    expect(mainShare(8)).toBe(0);
    // 380 MB on one worker: 169 MB on the main thread, the rest in four chunks.
    expect(threadPlan({ workers: 1 }, 380e6)).toMatchObject({ workers: 1, mainBytes: 168_888_888, chunkBytes: 52_777_778 });
    // A share under 8 MiB is not worth a cut; an explicit one is taken as given.
    expect(threadPlan({ workers: 8, minBytes: 0 }, 380e6)).toMatchObject({ mainBytes: 0 });
    expect(threadPlan({ workers: 1, minBytes: 0 }, 1000)).toMatchObject({ mainBytes: 0 });
    expect(threadPlan({ workers: 1, minBytes: 0, mainBytes: 100 }, 1000)).toMatchObject({ mainBytes: 100 });
  });
});

describe('the split read gives the one-thread log and report', () => {
  it('quoted fields holding newlines, with cuts inside them (chunks read again)', async () => {
    const rows = ['case,activity,timestamp,note'];
    for (let k = 0; k < 60; k++) rows.push(`c${k % 7},a${k % 3},${ts(k)},"line one\nline ""two"" of ${k}\n\nend"`);
    const path = csvFile('multiline.csv', `${rows.join('\n')}\n`);
    let rereads = 0;
    for (const chunkBytes of [1, 7, 13, 31, 64, 200, 1000]) rereads += (await expectThreadedSame(path, {}, { ...INLINE, chunkBytes })).rereads;
    expect(rereads).toBeGreaterThan(0);
  });

  it('a BOM, CRLF records, quoted CRLF and blank lines', async () => {
    const rows = ['case;activity;timestamp;resource'];
    for (let k = 0; k < 50; k++) rows.push(k % 9 === 4 ? '' : `c${k % 5};"act\r\n${k % 4}";${ts(k)};r${k % 3}`);
    const path = csvFile('bom-crlf.csv', `\uFEFF\r\n${rows.join('\r\n')}\r\n`);
    await expectThreadedSame(path);
  });

  it('rejected rows across chunks: counts, the first five examples per reason and their row numbers', async () => {
    const rows = ['case,activity,timestamp,resource'];
    for (let k = 0; k < 120; k++) {
      if (k % 10 === 3) rows.push(`,a,${ts(k)},r`);
      else if (k % 10 === 6) rows.push(`c${k},a,not a time ${k},r`);
      else if (k % 17 === 8) rows.push(`c${k},a,${ts(k)}`);
      else if (k % 13 === 0) rows.push('');
      else rows.push(`c${k % 9},a${k % 4},${ts(k)},r${k % 2}`);
    }
    const path = csvFile('rejections.csv', `${rows.join('\n')}\n`);
    await expectThreadedSame(path);
    const { report } = await readCsv(path, { csvThreads: INLINE });
    expect(report.rejections['bad-timestamp']?.examples.map((e) => e.row)).toHaveLength(5);
  });

  it('exact duplicates in other chunks are dropped with the same note', async () => {
    const rows = ['case,activity,timestamp'];
    for (let k = 0; k < 40; k++) rows.push(`c${k % 4},a${k % 2},${ts(k % 4)}`);
    const path = csvFile('duplicates.csv', `${rows.join('\n')}\n`);
    await expectThreadedSame(path);
    expect((await readCsv(path, { csvThreads: INLINE })).report.duplicatesDropped).toBeGreaterThan(0);
  });

  it('codes are remapped to first appearance in the file, not in the chunk', async () => {
    // Each chunk meets cases, activities, resources, groups and attribute values in another order than the file.
    const rows = ['case,activity,timestamp,start_timestamp,resource,group,lifecycle,channel,case:priority'];
    const order = ['z', 'y', 'x', 'w', 'v', 'u'];
    for (let k = 0; k < 90; k++) {
      const c = order[(k * 5 + Math.floor(k / 7)) % order.length];
      const start = k % 4 === 0 ? '' : ts(k);
      rows.push(`${c}${k % 11},act-${order[(k * 7) % 6]},${ts(k + 1)},${start},res-${order[(k * 3 + 1) % 6]},g${(k * 5) % 4},${k % 2 ? 'complete' : 'start'},${k % 5 === 0 ? '' : `ch-${order[k % 6]}`},${order[k % 3]}`);
    }
    const path = csvFile('remap.csv', `${rows.join('\n')}\n`);
    const outcome = await expectThreadedSame(path, {}, { ...INLINE, chunkBytes: 300 });
    expect(outcome.chunks).toBeGreaterThan(5);
    const { log } = await readCsv(path, { csvThreads: { ...INLINE, chunkBytes: 300 } });
    const firstSeen = (column: number) => [...new Set(rows.slice(1).map((row) => row.split(',')[column]).filter((v) => v !== ''))];
    expect(log.caseIds.values).toEqual(firstSeen(0));
    expect(log.activities.values).toEqual(firstSeen(1));
    expect(log.resources.values).toEqual(firstSeen(4));
    expect(log.attributes.get('channel')?.dictionary.values).toEqual(firstSeen(7));
  });

  it('epoch timestamps, a date format and a time zone, in every chunk', async () => {
    const epoch = ['case,activity,timestamp'];
    for (let k = 0; k < 40; k++) epoch.push(`c${k % 3},a,${1_700_000_000 + k * 60}`);
    await expectThreadedSame(csvFile('epoch.csv', `${epoch.join('\n')}\n`));
    await expectThreadedSame('fixtures/csv/day-first.csv', { dateFormat: 'dd/MM/yyyy HH:mm', timeZone: 'Europe/Amsterdam' }, { ...INLINE, chunkBytes: 20 });
  });

  for (const name of readdirSync('fixtures/csv').filter((f) => /\.csv$/.test(f) && !/latin1|day-first|status-changes/.test(f))) {
    it(`fixtures/csv/${name}, chunks of 16 bytes`, async () => {
      await readBoth(`fixtures/csv/${name}`, { timeZone: 'Europe/Rome' }, { ...INLINE, chunkBytes: 16 });
    });
  }

  const worker = fileURLToPath(new URL('../../dist/ingest/csv-chunk-worker.js', import.meta.url));
  it.skipIf(!existsSync(worker))('on real worker threads (the build)', async () => {
    const rows = ['case,activity,timestamp,note'];
    for (let k = 0; k < 3000; k++) rows.push(`c${(k * 7) % 101},a${k % 5},${ts(k % 600)},"n\n${k}"`);
    const path = csvFile('workers.csv', `${rows.join('\n')}\n`);
    const outcome = await expectThreadedSame(path, {}, { minBytes: 0, workers: 2, chunkBytes: 4096 });
    expect(outcome.workers).toBe(2);
    // One worker beside the main thread's own share (the default split for one worker).
    await expectThreadedSame(path, {}, { minBytes: 0, workers: 1, chunkBytes: 4096, mainBytes: 20_000 });
  });
});

describe('bad input: the same error or the same fallback as one thread', () => {
  it('a day/month timestamp in a later chunk stops with the same BAD_DATE_FORMAT and row', async () => {
    const rows = ['case,activity,timestamp'];
    for (let k = 0; k < 50; k++) rows.push(`c${k % 3},a,${k === 41 ? '03/04/2024 10:00' : ts(k)}`);
    const path = csvFile('day-month.csv', `${rows.join('\n')}\n`);
    const one = await errorOf(readCsv(path, { csvThreads: false }));
    expect(one).toContain('BAD_DATE_FORMAT');
    for (const mainBytes of [0, MAIN_BYTES, 10_000]) expect(await errorOf(readCsv(path, { csvThreads: { ...INLINE, mainBytes } }))).toBe(one);
  });

  it('no timestamp parseable in the first 1,000 values, spread over many chunks', async () => {
    const rows = ['case,activity,timestamp'];
    for (let k = 0; k < 1200; k++) rows.push(`c${k % 3},a,never`);
    const path = csvFile('hopeless.csv', `${rows.join('\n')}\n`);
    const one = await errorOf(readCsv(path, { csvThreads: false }));
    expect(one).toContain('BAD_TIMESTAMP');
    for (const mainBytes of [0, MAIN_BYTES, 5_000, 100_000]) expect(await errorOf(readCsv(path, { csvThreads: { ...INLINE, chunkBytes: 500, mainBytes } }))).toBe(one);
  });

  it('a chunk that decides its time column otherwise (epoch first, ISO later) falls back to one thread', async () => {
    const rows = ['case,activity,timestamp'];
    for (let k = 0; k < 40; k++) rows.push(`c${k % 3},a,${k < 5 ? 1_700_000_000 + k : ts(k)}`);
    const outcome = await readBoth(csvFile('mixed-kinds.csv', `${rows.join('\n')}\n`));
    expect(outcome?.fallback).toMatch(/time column/);
  });

  it('an unterminated quote, NUL bytes and Latin-1 bytes read as on one thread', async () => {
    const open = await errorOf(readCsv(csvFile('open-quote.csv', 'case,activity,timestamp\nc1,a,2024-01-01T00:00:00Z\nc1,"b,2024-01-01T01:00:00Z\n'), { csvThreads: INLINE }));
    expect(open).toBe(await errorOf(readCsv(`${dir}/open-quote.csv`, { csvThreads: false })));
    for (const mainBytes of [30, 1000]) expect(await errorOf(readCsv(`${dir}/open-quote.csv`, { csvThreads: { ...INLINE, mainBytes } }))).toBe(open);
    expect(open).toContain('quote opened and never closed');
    const rows = ['case,activity,timestamp'];
    for (let k = 0; k < 30; k++) rows.push(`c${k % 3},${k === 20 ? 'a\0' : 'a'},${ts(k)}`);
    expect((await readBoth(csvFile('nul.csv', `${rows.join('\n')}\n`)))?.fallback).toMatch(/NUL/);
    // Past the 64 KB head (the head alone would choose Latin-1 before any split): found by a chunk's UTF-8 check.
    const long = ['case,activity,timestamp'];
    for (let k = 0; k < 3000; k++) long.push(`c${k % 3},a,${ts(k % 600)}`);
    const latin1 = Buffer.concat([Buffer.from(`${long.join('\n')}\n`), Buffer.from([0x63, 0x39, 0x2c, 0x50, 0xfc, 0x2c]), Buffer.from(`${ts(3)}\n`)]);
    expect((await readBoth(csvFile('latin1.csv', latin1), {}, { ...INLINE, chunkBytes: 20_000 }))?.fallback).toMatch(/UTF-8/);
  });
});
