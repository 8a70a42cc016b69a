import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/ingest/csv.js';
import type { ReadOptions } from '../../src/ingest/read-options.js';
import { SHARED_DIR, hasShared } from '../shared-dir.js';
import { logSnapshot } from './log-snapshot.js';

async function expectSameFromBothEngines(path: string, options: ReadOptions = {}): Promise<void> {
  const fast = await readCsv(path, { ...options, csvEngine: 'fast' });
  const slow = await readCsv(path, { ...options, csvEngine: 'csv-parse' });
  expect(logSnapshot(fast.log)).toEqual(logSnapshot(slow.log));
  expect(fast.report).toEqual(slow.report);
}

/** Fixtures whose columns are not recognised by name: read with the options their own test uses. */
const FIXTURE_OPTIONS: Record<string, ReadOptions> = {
  'status-changes.csv': { shape: 'status', mapping: { case: 'ticket', activity: 'status', resource: 'agent', group: 'team', timestamp: 'changed' } },
};

describe('the fast engine and csv-parse give identical logs and reports', () => {
  for (const name of readdirSync('fixtures/csv').filter((f) => /\.csv(\.gz)?$/.test(f) && !/latin1|day-first/.test(f))) {
    it(`fixtures/csv/${name}`, async () => {
      await expectSameFromBothEngines(`fixtures/csv/${name}`, FIXTURE_OPTIONS[name] ?? {});
    });
  }

  it('fixtures/csv/day-first.csv with a date format and zone', async () => {
    await expectSameFromBothEngines('fixtures/csv/day-first.csv', { dateFormat: 'dd/MM/yyyy HH:mm', timeZone: 'Europe/Amsterdam' });
  });

  it('a --date-format log read from bytes by the fast engine: DST gap and repeat, non-canonical and bad values', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = `${mkdtempSync(`${tmpdir()}/vsm-csv-`)}/jira-dates.csv`;
    const values = [
      '"05/Mar/24 1:07 PM"', // canonical: the compiled byte parser reads it
      '31/Mar/24 2:30 AM', // Berlin's spring gap (read as 03:30 CEST)
      '"27/Oct/24 2:30 AM"', // Berlin's autumn repeat (the earlier instant)
      '"27/Oct/24 2:30 am"',
      '" 05/Mar/24 1:07 PM"', // a leading space: date-fns reads it, trimmed
      '"05/Mar/24 1:07 a.m."', // date-fns only
      '"05/Mär/24 1:07 PM"', // not ASCII: unparseable, rejected with its text
      '"30/Feb/24 1:07 PM"', // no such day
      '"05/Mar/24 1:07 ""PM"""', // doubled quotes, unescaped in place
      '01/Jan/50 12:00 AM', // yy 50 is 1950
      '"31/Dec/49 11:59 PM"',
    ];
    const rows = ['case,activity,timestamp'];
    for (let k = 0; k < 40; k++) rows.push(`c${k % 3},a${k % 4},${values[k % values.length]}`);
    writeFileSync(path, `${rows.join('\n')}\n`);
    const options: ReadOptions = { dateFormat: 'dd/MMM/yy h:mm a', timeZone: 'Europe/Berlin' };
    await expectSameFromBothEngines(path, options);
    const { log, report } = await readCsv(path, { ...options, csvEngine: 'fast' });
    expect(report.rowsRejected).toBe(10); // 'Mär', 30 Feb and the quotes, at rows k % 11 = 6, 7, 8 of 40
    expect(log.timestampMs.includes(Date.UTC(2024, 2, 31, 1, 30))).toBe(true);
    expect(log.timestampMs.includes(Date.UTC(2024, 9, 27, 0, 30))).toBe(true);
    expect(log.timestampMs.includes(Date.UTC(2024, 9, 27, 1, 30))).toBe(false);
  });

  it('auto falls back to csv-parse for junk after a closing quote, with the same result', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(`${tmpdir()}/vsm-csv-`);
    const path = `${dir}/junk-quote.csv`;
    writeFileSync(path, 'case,activity,timestamp\nc1,"a"x,2024-01-01T00:00:00Z\nc1,b,2024-01-01T01:00:00Z\n');
    await expect(readCsv(path, { csvEngine: 'fast' })).rejects.toMatchObject({ code: 'BAD_OPTION' });
    const auto = await readCsv(path, { csvEngine: 'auto' });
    const slow = await readCsv(path, { csvEngine: 'csv-parse' });
    expect(logSnapshot(auto.log)).toEqual(logSnapshot(slow.log));
    expect(auto.report).toEqual(slow.report);
    expect(auto.report.rowsRead).toBe(2);
  });

  it('unquoted fields skipped 4 bytes at a time: every field length and stop byte (delimiter, LF, CRLF) at every offset', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(`${tmpdir()}/vsm-csv-`);
    // Bytes next to the stop bytes (',' is 0x2c, LF 0x0a, CR 0x0d) and multi-byte UTF-8, in cells of 0-11 bytes: the
    // word test must stop at each delimiter and line end wherever it falls in a 4-byte word.
    const bytesNearStops = ['+', '-', '.', '\t', ' ', 'é', 'x', '\u000b', '\u000c', '\u000e', '€', ';'];
    for (const [delimiter, name] of [[',', 'comma'], [';', 'semicolon'], ['\t', 'tab']]) {
      const filler = bytesNearStops.filter((c) => c !== delimiter);
      for (const eol of ['\n', '\r\n']) {
        const rows = [['case', 'activity', 'timestamp', 'resource'].join(delimiter)];
        for (let k = 0; k < 150; k++) {
          const cell = (length: number) => Array.from({ length }, (_, j) => filler[(k + j) % filler.length]).join('');
          const resource = k % 13 === 0 ? '' : cell(k % 12);
          rows.push([`c${cell(k % 7)}${k % 5}`, `a${cell((k * 3) % 11)}`, `2024-01-01T00:${String(k % 60).padStart(2, '0')}:00Z`, resource].join(delimiter));
        }
        const path = `${dir}/words-${name}-${eol.length}.csv`;
        // No line end after the last record in one of the two: the word test must not read past the buffer.
        writeFileSync(path, rows.join(eol) + (eol.length === 1 ? eol : ''));
        await expectSameFromBothEngines(path, { delimiter });
        const { report } = await readCsv(path, { delimiter, csvEngine: 'fast' });
        expect(report.rowsUsed).toBe(150);
      }
    }
  });
});

const DATA = `${SHARED_DIR}/data`;
describe.skipIf(!hasShared(DATA))('both engines on the real logs in /work/shared/data', () => {
  const files = existsSync(DATA) ? readdirSync(DATA).filter((f) => /\.csv(\.gz)?$/.test(f)) : [];
  for (const name of files) {
    it(name, async () => {
      await expectSameFromBothEngines(`${DATA}/${name}`, { timeZone: 'Europe/Amsterdam' });
    });
  }
});
