import { describe, expect, it } from 'vitest';
import { attributeOf, lifecycleOf } from '../../src/model/event-log.js';
import { readCsv } from '../../src/ingest/csv.js';
import type { ReadOptions } from '../../src/ingest/read-options.js';

const FIXTURES = 'fixtures/csv';
const ENGINES = ['fast', 'csv-parse'] as const;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

for (const csvEngine of ENGINES) {
  const read = (name: string, options: ReadOptions = {}) => readCsv(`${FIXTURES}/${name}`, { csvEngine, ...options });

  describe(`readCsv (${csvEngine} engine)`, () => {
    it('reads quoted fields: delimiters, doubled quotes, embedded newlines, literal quotes, blank lines', async () => {
      const { log, report } = await read('quoted-multiline.csv');
      // 5 data records (the blank line is skipped, not counted); cases A1 (3 events) and A2 (2 events).
      expect(report.rowsRead).toBe(5);
      expect(report.rowsUsed).toBe(5);
      expect(log.caseIds.values).toEqual(['A1', 'A2']);
      expect(report.mapping).toEqual({ case: 'case_id', activity: 'activity', timestamp: 'timestamp', resource: 'resource' });
      expect(log.resources.values).toEqual(['Smith, Jane', 'Bob']);
      const comments = Array.from({ length: log.eventCount }, (_, i) => attributeOf(log, 'comment', i));
      // Sorted by case then time: A1 Submit, Review, Approve; A2 Submit, Reject. An empty quoted cell is absent.
      expect(comments).toEqual(['said "hello"', 'two\nlines', undefined, '5" screen', 'plain']);
      // A2 Submit 11:00+01:00 = 10:00Z; Reject 09:15:30.250+01:00 = 08:15:30.250Z.
      expect(iso(log.timestampMs[3])).toBe('2024-03-01T10:00:00.000Z');
      expect(iso(log.timestampMs[4])).toBe('2024-03-02T08:15:30.250Z');
      expect(log.sourceRow[4]).toBe(5);
      expect(report.timeZone.offsetsSeen).toEqual(['+01:00', 'Z']);
      expect(report.timeRange).toEqual({ from: '2024-03-01T09:00:00.000Z', to: '2024-03-02T08:15:30.250Z' });
    });

    it('reads a semicolon CSV with BOM and CRLF, lifecycle values and case attributes', async () => {
      const { log, report } = await read('semicolon-bom-crlf.csv');
      expect(report.delimiter).toBe(';');
      expect(report.encoding).toBe('utf-8');
      expect(report.mapping.case).toBe('Case ID');
      expect(report.mapping.lifecycle).toBe('lifecycle:transition');
      expect(report.lifecycleValues).toEqual({ start: 1, complete: 1, COMPLETE: 1, 'In Progress': 1 });
      // C1: Open start 14:50, Open complete 15:50, Close (In Progress → other) on the 11th; C2: Close COMPLETE.
      expect([0, 1, 2, 3].map((i) => lifecycleOf(log, i))).toEqual(['start', 'complete', 'other', 'complete']);
      expect(report.notes.some((n) => n.includes('"In Progress"'))).toBe(true);
      // First value per case wins; an empty cell does not count: C1 Email, C2 Phone.
      const channel = log.caseAttributes.get('channel');
      expect(channel?.dictionary.valueOf(channel.codes[log.caseIds.codeOf('C1')])).toBe('Email');
      expect(channel?.dictionary.valueOf(channel.codes[log.caseIds.codeOf('C2')])).toBe('Phone');
      // 4 offset-less timestamps read as UTC, and the report says so.
      expect(report.timeZone.assumed).toBe('UTC');
      expect(report.notes).toContain('no time zone given: 4 offset-less timestamps read as UTC; pass --timezone <IANA>');
      expect(iso(log.timestampMs[0])).toBe('2012-10-09T14:50:17.000Z');
    });

    it('reads offset-less times in the given zone, DST-correct', async () => {
      const { log, report } = await read('semicolon-bom-crlf.csv', { timeZone: 'Europe/Rome' });
      // 2012-10-09 14:50:17 in Rome (CEST, +02:00) = 12:50:17Z.
      expect(iso(log.timestampMs[0])).toBe('2012-10-09T12:50:17.000Z');
      expect(report.timeZone.given).toBe('Europe/Rome');
      expect(report.timeZone.assumed).toBeUndefined();
    });

    it('accounts every bad row with its reason and example; "NA" is a real case id', async () => {
      const { log, report } = await read('rejections.csv');
      expect(report.rowsRead).toBe(9);
      expect(report.rowsUsed).toBe(3);
      expect(report.rowsRejected).toBe(6);
      expect(report.rowsRead).toBe(report.rowsUsed + report.rowsRejected + report.duplicatesDropped);
      expect(Object.fromEntries(Object.entries(report.rejections).map(([reason, group]) => [reason, group?.count]))).toEqual({
        'missing-case': 1,
        'missing-activity': 1,
        'missing-timestamp': 1,
        'bad-timestamp': 1,
        'bad-start-timestamp': 1,
        'ragged-row': 1,
      });
      expect(report.rejections['bad-timestamp']?.examples[0]).toMatchObject({ file: 'rejections.csv', row: 5, column: 'time:timestamp', value: 'not a date' });
      expect(report.rejections['ragged-row']?.examples[0]).toMatchObject({ row: 7, value: 'c1,b,2024-01-01T06:00:00Z,r1' });
      // Case codes in order of first use: c1 (row 1), c2 (row 8), NA (row 9).
      expect(log.caseIds.values).toEqual(['c1', 'c2', 'NA']);
      expect(log.caseCount).toBe(3);
      // Only c2's row has a start: 06:30Z; other events carry NaN.
      const c2 = log.caseStart[log.caseIds.codeOf('c2')];
      expect(iso((log.startTimestampMs as Float64Array)[c2])).toBe('2024-01-01T06:30:00.000Z');
      expect(report.notes.some((n) => n.includes('empty in 2 used rows'))).toBe(true);
    });

    it('reads epoch milliseconds decided from the magnitude, and notes it', async () => {
      const { log, report } = await read('epoch-ms.csv');
      // 1_700_000_000_000 ms = 2023-11-14T22:13:20Z.
      expect(iso(log.timestampMs[0])).toBe('2023-11-14T22:13:20.000Z');
      expect(iso(log.timestampMs[2])).toBe('2023-11-14T22:15:20.500Z');
      expect(report.mapping).toMatchObject({ case: 'case', activity: 'event', timestamp: 'time', resource: 'user' });
      expect(report.notes.some((n) => n.includes('epoch milliseconds'))).toBe(true);
      expect(report.timeZone.assumed).toBeUndefined();
    });

    it('refuses day-first dates without --date-format, with the fix to pass', async () => {
      await expect(read('day-first.csv')).rejects.toMatchObject({ code: 'BAD_DATE_FORMAT', fix: expect.stringContaining('dd/MM/yyyy HH:mm') });
    });

    it('reads day-first dates with --date-format in the given zone', async () => {
      const { log } = await read('day-first.csv', { dateFormat: 'dd/MM/yyyy HH:mm', timeZone: 'Europe/Amsterdam' });
      // 05/02/2024 10:00 Amsterdam (CET, +01:00) = 09:00Z; 13/02/2024 11:30 = 10:30Z.
      expect(iso(log.timestampMs[0])).toBe('2024-02-05T09:00:00.000Z');
      expect(iso(log.timestampMs[1])).toBe('2024-02-13T10:30:00.000Z');
    });

    it('ignores the pm4py index column and renames a duplicate column', async () => {
      const { log, report } = await read('pm4py-index.csv');
      expect(log.attributes.has('Variant')).toBe(true);
      expect(log.attributes.has('Variant_2')).toBe(true);
      expect(attributeOf(log, 'Variant_2', 0)).toBe('w1');
      expect(log.attributes.size).toBe(2);
      expect(report.notes.some((n) => n.includes('leading unnamed column'))).toBe(true);
    });

    it('uses an explicit mapping and keepAttributes: false', async () => {
      const { log, report } = await read('quoted-multiline.csv', { mapping: { activity: 'comment', resource: 'activity' }, keepAttributes: false });
      expect(report.mapping.activity).toBe('comment');
      expect(report.mapping.resource).toBe('activity');
      // The A1 Approve row has an empty comment: rejected as missing-activity.
      expect(report.rejections['missing-activity']?.count).toBe(1);
      expect(log.attributes.size).toBe(0);
    });

    it('throws MISSING_COLUMN naming the available columns and the flag', async () => {
      const error = await read('quoted-multiline.csv', { mapping: { case: 'ticket' } }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'MISSING_COLUMN', fix: 'pass --case <column>' });
      expect(String((error as Error).message)).toContain('"case_id", "activity", "timestamp", "resource", "comment"');
    });
  });
}

describe('readCsv encodings (auto engine)', () => {
  it('falls back to Latin-1 (Windows-1252) for bytes that are not UTF-8, and says so', async () => {
    const { log, report } = await readCsv(`${FIXTURES}/latin1.csv`, {});
    expect(report.encoding).toBe('windows-1252');
    expect(log.activities.values).toEqual(['Café order', 'Pay €']);
    expect(log.resources.values).toEqual(['José', 'Renée']);
    expect(report.notes.some((n) => n.includes('not valid UTF-8'))).toBe(true);
  });
});
