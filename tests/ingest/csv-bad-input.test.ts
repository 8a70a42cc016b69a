import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsv } from '../../src/ingest/csv.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(`${tmpdir()}/vsm-csv-bad-`);
});

function write(name: string, content: string | Buffer): string {
  const path = `${dir}/${name}`;
  writeFileSync(path, content);
  return path;
}

const HEADER = 'case,activity,timestamp\n';

describe('readCsv fatal input errors (VsmError with what · where · got · fix)', () => {
  it('FILE_NOT_FOUND for a missing path', async () => {
    await expect(readCsv(`${dir}/nope.csv`, {})).rejects.toMatchObject({ code: 'FILE_NOT_FOUND', where: `${dir}/nope.csv` });
  });

  it('NOT_A_FILE for a directory', async () => {
    await expect(readCsv(dir, {})).rejects.toMatchObject({ code: 'NOT_A_FILE', got: 'a directory' });
  });

  it('EMPTY_FILE for 0 bytes, and for blank lines only', async () => {
    await expect(readCsv(write('empty.csv', ''), {})).rejects.toMatchObject({ code: 'EMPTY_FILE' });
    await expect(readCsv(write('blank.csv', '\n\n\n'), {})).rejects.toMatchObject({ code: 'EMPTY_FILE' });
  });

  it('HEADER_ONLY for a header without rows (both engines)', async () => {
    const path = write('header-only.csv', HEADER);
    for (const csvEngine of ['fast', 'csv-parse'] as const) {
      await expect(readCsv(path, { csvEngine })).rejects.toMatchObject({ code: 'HEADER_ONLY', got: 'columns "case", "activity", "timestamp"' });
    }
  });

  it('BINARY_INPUT for NUL bytes and for a ZIP (xlsx) file', async () => {
    const junk = Buffer.from([0x63, 0x61, 0x73, 0x65, 0x00, 0x01, 0x02, 0x9f, 0x00, 0x00, 0x41, 0x42, 0x43, 0x0a]);
    await expect(readCsv(write('junk.csv', junk), {})).rejects.toMatchObject({ code: 'BINARY_INPUT', got: '5 control bytes in the first 14 bytes, the first NUL at offset 4' });
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100, 7)]);
    await expect(readCsv(write('sheet.csv', zip), {})).rejects.toMatchObject({ code: 'BINARY_INPUT', fix: 'unzip it, or save the sheet as CSV' });
  });

  it('CSV_PARSE for a quote never closed, naming the data row where it opened (both engines)', async () => {
    const path = write('open-quote.csv', `${HEADER}c1,a,2024-01-01T00:00:00Z\nc1,"b,2024-01-01T01:00:00Z\nc1,c,2024-01-01T02:00:00Z\n`);
    for (const csvEngine of ['fast', 'csv-parse'] as const) {
      await expect(readCsv(path, { csvEngine })).rejects.toMatchObject({ code: 'CSV_PARSE', where: 'open-quote.csv record 2 (where the quote opened)' });
    }
  });

  it('BAD_ENCODING when a forced encoding contradicts the bytes, or is unknown', async () => {
    const latin1 = write('latin1.csv', Buffer.from(`${HEADER}c1,Caf\xe9,2024-01-01T00:00:00Z\n`, 'latin1'));
    await expect(readCsv(latin1, { encoding: 'utf-8' })).rejects.toMatchObject({ code: 'BAD_ENCODING', fix: expect.stringContaining('--encoding latin1') });
    await expect(readCsv(latin1, { encoding: 'utf-16le' })).rejects.toMatchObject({ code: 'BAD_ENCODING' });
    await expect(readCsv(latin1, { encoding: 'ebcdic' })).rejects.toMatchObject({ code: 'BAD_ENCODING', where: '--encoding' });
  });

  it('BAD_TIME_ZONE for an unknown zone name', async () => {
    const path = write('ok.csv', `${HEADER}c1,a,2024-01-01 00:00:00\n`);
    await expect(readCsv(path, { timeZone: 'Mars/Olympus' })).rejects.toMatchObject({ code: 'BAD_TIME_ZONE', where: '--timezone' });
  });

  it('BAD_TIMESTAMP when no value of the column parses (a format is needed)', async () => {
    const rows = Array.from({ length: 1001 }, (_, k) => `c${k},a,March ${(k % 28) + 1} 2024`).join('\n');
    await expect(readCsv(write('words.csv', `${HEADER}${rows}\n`), {})).rejects.toMatchObject({ code: 'BAD_TIMESTAMP', fix: expect.stringContaining('--date-format') });
  });

  it('a 10 MB field rejects its row as field-too-long, quickly, in both engines', async () => {
    const huge = 'x'.repeat(10 * 1024 * 1024);
    const path = write('huge-field.csv', `${HEADER}c1,a,2024-01-01T00:00:00Z\nc1,"${huge}",2024-01-01T01:00:00Z\nc1,c,2024-01-01T02:00:00Z\n`);
    for (const csvEngine of ['fast', 'csv-parse'] as const) {
      const { log, report } = await readCsv(path, { csvEngine });
      expect(log.eventCount).toBe(2);
      expect(report.rowsRead).toBe(3);
      expect(report.rejections['field-too-long']?.count).toBe(1);
      expect(report.rejections['field-too-long']?.examples[0]).toMatchObject({ row: 2, column: 'activity' });
    }
  });
});

describe('readCsv byte-level detection', () => {
  it('detects gzip by its magic bytes even without .gz in the name, and says so', async () => {
    const path = write('log.csv', gzipSync(`${HEADER}c1,a,2024-01-01T00:00:00Z\n`));
    const { log, report } = await readCsv(path, {});
    expect(log.eventCount).toBe(1);
    expect(report.notes).toContain('input is gzip-compressed (detected by its content, not its name)');
  });

  it('falls back from the fast engine mid-gzip-stream without hanging, and reports progress', async () => {
    // 3 MB of good rows, then junk after a closing quote: the fast engine stops and csv-parse rereads.
    const good = Array.from({ length: 60_000 }, (_, k) => `c${k % 500},act ${k % 7},2024-01-01T00:00:00Z`).join('\n');
    const path = write('late-junk.csv.gz', gzipSync(`${HEADER}${good}\nc1,"a"x,2024-01-01T00:00:00Z\n`));
    const progress: number[] = [];
    const { report } = await readCsv(path, { onProgress: (bytesRead) => progress.push(bytesRead) });
    expect(report.rowsRead).toBe(60_001);
    expect(report.rowsRead).toBe(report.rowsUsed + report.rowsRejected + report.duplicatesDropped);
    expect(progress.length).toBeGreaterThan(0);
  });

  it('reads UTF-16LE with a BOM and without one (via csv-parse)', async () => {
    const text = `${HEADER}c1,Réunion,2024-01-01T00:00:00Z\n`;
    const withBom = write('utf16-bom.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const withoutBom = write('utf16.csv', Buffer.from(text, 'utf16le'));
    for (const path of [withBom, withoutBom]) {
      const { log, report } = await readCsv(path, {});
      expect(report.encoding).toBe('utf-16le');
      expect(log.activities.values).toEqual(['Réunion']);
    }
  });

  it('reads UTF-16BE with a BOM', async () => {
    const text = `${HEADER}c1,a,2024-01-01T00:00:00Z\n`;
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.alloc(le.length);
    for (let k = 0; k < le.length; k += 2) {
      be[k] = le[k + 1];
      be[k + 1] = le[k];
    }
    const { log, report } = await readCsv(write('utf16be.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), be])), {});
    expect(report.encoding).toBe('utf-16be');
    expect(log.eventCount).toBe(1);
  });

  it('sniffs tab and pipe delimiters', async () => {
    for (const delimiter of ['\t', '|']) {
      const path = write(`sep-${delimiter === '\t' ? 'tab' : 'pipe'}.csv`, `case${delimiter}activity${delimiter}timestamp\nc1${delimiter}a, b${delimiter}2024-01-01T00:00:00Z\n`);
      const { log, report } = await readCsv(path, {});
      expect(report.delimiter).toBe(delimiter);
      expect(log.activities.values).toEqual(['a, b']);
    }
  });
});
