import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsv } from '../../src/ingest/csv.js';
import type { ReadOptions } from '../../src/ingest/read-options.js';

/** Issue 11 ingest defects on CSV: each case reproduces a reported failure, in both engines. */
let dir = '';
beforeAll(() => {
  dir = mkdtempSync(`${tmpdir()}/vsm-csv-hard-`);
});

function write(name: string, content: string | Buffer): string {
  const path = `${dir}/${name}`;
  writeFileSync(path, content);
  return path;
}

const ENGINES = ['fast', 'csv-parse'] as const;

async function readBoth(path: string, options: ReadOptions = {}) {
  const results = [];
  for (const csvEngine of ENGINES) results.push(await readCsv(path, { ...options, csvEngine: csvEngine === 'fast' ? 'auto' : csvEngine }));
  return results;
}

describe('timestamps beyond the JavaScript Date range (issue 11 #2)', () => {
  it('rejects an epoch-seconds value of 9e12 s (year ~287,000) as a bad timestamp, keeps the others', async () => {
    // Column decided as epoch seconds from 1700000000; 9000000000000 s = 9e15 ms > 8.64e15 ms, the Date limit.
    const path = write('epoch-far.csv', 'case,activity,timestamp\nA,x,1700000000\nA,y,9000000000000\nB,x,1700000001\n');
    for (const { log, report } of await readBoth(path)) {
      expect(report.rowsRead).toBe(3);
      expect(report.rowsUsed).toBe(2);
      expect(report.rejections['bad-timestamp']?.count).toBe(1);
      expect(report.rejections['bad-timestamp']?.examples[0]).toMatchObject({ row: 2, value: '9000000000000' });
      expect(log.eventCount).toBe(2);
      expect(report.timeRange).toEqual({ from: '2023-11-14T22:13:20.000Z', to: '2023-11-14T22:13:21.000Z' });
    }
  });

  it('rejects a date-format value that parses past the Date range', async () => {
    const path = write('format-far.csv', 'case,activity,timestamp\nA,x,01/02/2024\nA,y,01/02/999999\n');
    for (const { report } of await readBoth(path, { dateFormat: 'dd/MM/yyyy' })) {
      expect(report.rowsUsed).toBe(1);
      expect(report.rejections['bad-timestamp']?.count).toBe(1);
    }
  });
});
