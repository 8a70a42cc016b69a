import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
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
  for (const csvEngine of ENGINES) results.push(await readCsv(path, { ...options, csvEngine }));
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

describe('mixed line endings (issue 11 #18)', () => {
  const rows = ['A,x,2024-01-01T00:00:00Z', 'A,y,2024-01-01T01:00:00Z', 'B,x,2024-01-01T02:00:00Z', 'B,y,2024-01-01T03:00:00Z', 'C,x,2024-01-01T04:00:00Z'];

  it('a CRLF header with CRLF and LF rows: all 5 rows read and used, in both engines', async () => {
    const path = write('crlf-mixed.csv', `case,activity,timestamp\r\n${rows[0]}\r\n${rows[1]}\n${rows[2]}\r\n${rows[3]}\n${rows[4]}\r\n`);
    for (const { log, report } of await readBoth(path)) {
      expect(report.rowsRead).toBe(5);
      expect(report.rowsUsed).toBe(5);
      expect(log.caseIds.values).toEqual(['A', 'B', 'C']);
    }
  });

  it('an LF header with some CRLF rows: no trailing CR in a value, no bad timestamps', async () => {
    const path = write('lf-mixed.csv', `case,activity,timestamp\n${rows[0]}\r\n${rows[1]}\n${rows[2]}\r\n"B","y","2024-01-01T03:00:00Z"\r\n${rows[4]}\n`);
    for (const { log, report } of await readBoth(path)) {
      expect(report.rowsUsed).toBe(5);
      expect(report.rowsRejected).toBe(0);
      expect(log.activities.values).toEqual(['x', 'y']);
    }
  });

  it('a classic-Mac file (bare CR everywhere) is still read (csv-parse detection)', async () => {
    const path = write('cr-only.csv', `case,activity,timestamp\r${rows[0]}\r${rows[1]}\r`);
    const { report } = await readCsv(path, {});
    expect(report.rowsUsed).toBe(2);
  });
});

describe('exact duplicate rows (issue 11 #21)', () => {
  it('drops and counts repeats, keeps rows that differ in any kept column', async () => {
    // Rows 1 and 2 are identical (row 2 dropped); row 3 differs from row 1 only in "team" (kept);
    // row 5 repeats row 4 after another row in between (dropped). read 5 = used 3 + duplicates 2.
    const path = write(
      'duplicates.csv',
      'case,activity,timestamp,team\nA,x,2024-01-01T00:00:00Z,L1\nA,x,2024-01-01T00:00:00Z,L1\nA,x,2024-01-01T00:00:00Z,L2\nB,y,2024-01-02T00:00:00Z,L1\nB,y,2024-01-02T00:00:00Z,L1\n',
    );
    for (const { log, report } of await readBoth(path)) {
      expect(report.rowsRead).toBe(5);
      expect(report.rowsUsed).toBe(3);
      expect(report.duplicatesDropped).toBe(2);
      expect(log.eventCount).toBe(3);
      expect(Array.from(log.caseStart)).toEqual([0, 2, 3]);
      expect(Array.from(log.sourceRow)).toEqual([1, 3, 4]);
      expect(report.notes.some((note) => note.startsWith('2 exact duplicate rows dropped') && note.endsWith('(first: data row 2 repeats row 1)'))).toBe(true);
    }
  });

  it('a repeated block of 40 same-time rows (keyed comparison) drops exactly the repeats', async () => {
    const block = Array.from({ length: 40 }, (_, k) => `A,step${k % 20},2024-01-01T00:00:00Z`);
    // 40 rows, 20 distinct activities, each twice → 20 dropped; then the block again → 40 more.
    const path = write('duplicate-block.csv', `case,activity,timestamp\n${[...block, ...block].join('\n')}\n`);
    for (const { log, report } of await readBoth(path)) {
      expect(report.rowsRead).toBe(80);
      expect(report.duplicatesDropped).toBe(60);
      expect(log.eventCount).toBe(20);
    }
  });
});

describe('invalid UTF-8 anywhere in the file (issue 11 #19)', () => {
  // 90 KB of ASCII rows first, so the bad bytes fall after the 64 KB the encoding is sniffed from.
  const filler = Array.from({ length: 3000 }, (_, k) => `F${k},Start,2024-01-01T00:00:00Z`).join('\n');
  const latin1 = (text: string) => Buffer.from(text, 'latin1');

  it('a Latin-1 file whose first non-ASCII byte is past 64 KB is re-read as Latin-1: "Prüfung" and "Prøfung" stay two', async () => {
    const path = write('late-latin1.csv', Buffer.concat([latin1(`case,activity,timestamp\n${filler}\n`), latin1('A,Prüfung,2024-01-02T00:00:00Z\nB,Prøfung,2024-01-02T00:00:00Z\n')]));
    for (const csvEngine of ['auto', 'csv-parse'] as const) {
      const { log, report } = await readCsv(path, { csvEngine });
      expect(report.encoding).toBe('windows-1252');
      expect(log.activities.values).toContain('Prüfung');
      expect(log.activities.values).toContain('Prøfung');
      expect(report.rowsUsed).toBe(3002);
      expect(report.notes.some((note) => /2 sequences, first at byte \d+\) and no UTF-8 character was seen: read as Latin-1/.test(note))).toBe(true);
    }
  });

  it('a UTF-8 file with stray Latin-1 bytes later: those rows are rejected as bad-encoding, never merged as "\uFFFD"', async () => {
    const head = Buffer.from(`case,activity,timestamp\nU,Größe,2024-01-01T00:00:00Z\n${filler}\n`, 'utf8');
    const path = write('mixed-encoding.csv', Buffer.concat([head, latin1('A,Prüfung,2024-01-02T00:00:00Z\nB,Prøfung,2024-01-02T00:00:00Z\nC,Größe,2024-01-03T00:00:00Z\n')]));
    for (const csvEngine of ['auto', 'csv-parse'] as const) {
      const { log, report } = await readCsv(path, { csvEngine });
      expect(report.encoding).toBe('utf-8');
      expect(report.rejections['bad-encoding']?.count).toBe(3);
      expect(log.activities.values.some((name) => name.includes('\uFFFD'))).toBe(false);
      expect(report.rowsUsed).toBe(3001);
    }
  });
});

describe('NUL bytes: one rule for the whole file (issue 11 #23)', () => {
  it('a NUL in the first row and one past 64 KB both reject their row as nul-byte', async () => {
    const filler = Array.from({ length: 3000 }, (_, k) => `F${k},Start,2024-01-01T00:00:00Z`).join('\n');
    const path = write('nul-bytes.csv', `case,activity,timestamp\nA,Re\0view,2024-01-01T00:00:00Z\n${filler}\nB,Ap\0prove,2024-01-02T00:00:00Z\n`);
    for (const csvEngine of ['auto', 'csv-parse'] as const) {
      const { log, report } = await readCsv(path, { csvEngine });
      expect(report.rowsRead).toBe(3002);
      expect(report.rejections['nul-byte']?.count).toBe(2);
      expect(report.rejections['nul-byte']?.examples.map((e) => e.row)).toEqual([1, 3002]);
      expect(log.activities.values.some((name) => name.includes('\0'))).toBe(false);
    }
  });

  it('a file mostly of NUL and control bytes is still refused as binary', async () => {
    const junk = Buffer.concat([Buffer.from('case,activity,timestamp\n'), Buffer.alloc(200, 0)]);
    await expect(readCsv(write('nul-junk.csv', junk), {})).rejects.toMatchObject({ code: 'BINARY_INPUT' });
  });
});

describe('very wide CSVs (issue 11 #3)', () => {
  it('a header past maxCsvColumns is refused with INPUT_TOO_LARGE before any row is read', async () => {
    const path = write('too-wide.csv', `case,activity,timestamp${',c'.repeat(200)}\nA,x,2024-01-01T00:00:00Z${','.repeat(200)}\n`);
    for (const csvEngine of ENGINES) {
      await expect(readCsv(path, { csvEngine, limits: { maxCsvColumns: 100 } })).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE', got: '203 columns (the limit is 100)' });
    }
  });

  it('9,000 mostly empty columns: only columns with a value become attributes; the duplicate-name note stays short', async () => {
    const path = write('wide.csv', `case,activity,timestamp${',c'.repeat(9000)}\nA,x,2024-01-01T00:00:00Z,v1${','.repeat(8999)}\nA,y,2024-01-01T01:00:00Z${','.repeat(8999)},v2\n`);
    for (const { log, report } of await readBoth(path)) {
      expect(report.rowsUsed).toBe(2);
      // Column 4 is "c", the last is "c_9000" (8,999 renamed duplicates).
      expect([...log.attributes.keys()]).toEqual(['c', 'c_9000']);
      const note = report.notes.find((n) => n.startsWith('duplicate column names renamed'));
      expect(note).toMatch(/and 8989 more$/);
    }
  });
});

describe('gzip bombs in CSV (issue 11 #10)', () => {
  it('a .csv.gz inflating past the ratio cap stops with INPUT_TOO_LARGE', async () => {
    // 8 MB of spaces in one field gzip to ~8 KB (~1000:1); the cap is 150:1 once 1 MB is inflated.
    const path = write('bomb.csv.gz', gzipSync(`case,activity,timestamp\nA,x${' '.repeat(8 * 1024 * 1024)},2024-01-01T00:00:00Z\n`));
    for (const csvEngine of ENGINES) {
      await expect(readCsv(path, { csvEngine, limits: { inflateRatioFloorBytes: 1024 * 1024 } })).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE' });
    }
  });
});
