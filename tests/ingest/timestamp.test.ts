import { describe, expect, it } from 'vitest';
import {
  epochUnitOf,
  makeDateFormatParser,
  makeTimestampParser,
  makeWallClockConverter,
  parseIsoTimestamp,
  suggestDateFormat,
} from '../../src/ingest/timestamp.js';
import { parseIsoBytes, isoBytesOffsetKey } from '../../src/ingest/csv-iso-bytes.js';
import { offsetKeyText } from '../../src/ingest/csv-time-column.js';

const iso = (ms: number): string => new Date(ms).toISOString();

describe('parseIsoTimestamp (fast path, unchanged)', () => {
  it('reads offsets, fractions and slash dates', () => {
    expect(parseIsoTimestamp('2014-05-20T01:00:00+03:00')).toEqual({ timestampMs: Date.UTC(2014, 4, 19, 22), offset: '+03:00' });
    expect(parseIsoTimestamp('2012/10/09 14:50:17.000')).toEqual({ timestampMs: Date.UTC(2012, 9, 9, 14, 50, 17), offset: '' });
    expect(parseIsoTimestamp('2011-10-11 13:45:40.276000+02:00').timestampMs).toBe(Date.UTC(2011, 9, 11, 11, 45, 40, 276));
    expect(parseIsoTimestamp('2015-11-21T07:14:01.643-0500').offset).toBe('-05:00');
    expect(parseIsoTimestamp('2024-02-30T00:00:00Z').timestampMs).toBeNaN();
  });
});

describe('parseIsoBytes agrees with parseIsoTimestamp', () => {
  const samples = [
    '2014-05-20T01:00:00+03:00', '2012/10/09 14:50:17.000', '2011-10-11 13:45:40.276000+02:00', '2015-11-21T07:14:01.643-0500',
    '2024-01-01T00:00Z', '2024-01-01', '2024-01-01T24:00:00Z', '2024-01-01T24:00:01Z', '2024-02-29T12:00:00-00:30', '2023-02-29T12:00:00Z',
    '2024-01-01T10:00:00+05', '2024-01-01T10:00:00.5z', '2024-01-01 10:00:00 UTC', '2024-01-01T10:00:00+0', '2024-01-01T10', 'garbage!!',
  ];
  for (const text of samples) {
    it(text, () => {
      const expected = parseIsoTimestamp(text);
      const bytes = Buffer.from(`,${text},`);
      const timestampMs = parseIsoBytes(bytes, 1, bytes.length - 1);
      if (Number.isNaN(timestampMs)) {
        // The byte path may decline (NaN); the text path then decides. It must never disagree on a value.
        return;
      }
      expect(timestampMs).toBe(expected.timestampMs);
      expect(isoBytesOffsetKey === -1 ? '' : offsetKeyText(isoBytesOffsetKey)).toBe(expected.offset);
    });
  }
});

describe('parseIsoBytes: fractions of any length, months in any order', () => {
  it('agrees with parseIsoTimestamp value by value', () => {
    const texts: string[] = [];
    for (const date of ['2024-02-29', '2024-03-01', '2023-02-28', '2024-02-01', '1999-12-31', '2000-01-01', '2024-02-28', '1900-03-01', '2100-02-28'])
      for (const fraction of ['', '.5', '.05', '.005', '.123', '.1234', '.0005', '.9999', '.12', '.999999999'])
        for (const zone of ['Z', '+01:00', '']) texts.push(`${date}T23:59:59${fraction}${zone}`);
    for (const text of texts) {
      const bytes = Buffer.from(text);
      const timestampMs = parseIsoBytes(bytes, 0, bytes.length);
      expect(Number.isNaN(timestampMs), text).toBe(false);
      expect(timestampMs, text).toBe(parseIsoTimestamp(text).timestampMs);
    }
  });
});

describe('makeWallClockConverter', () => {
  const amsterdam = makeWallClockConverter('Europe/Amsterdam');
  it('uses +01:00 in winter and +02:00 in summer', () => {
    expect(iso(amsterdam(Date.UTC(2024, 0, 15, 12)))).toBe('2024-01-15T11:00:00.000Z');
    expect(iso(amsterdam(Date.UTC(2024, 6, 15, 12)))).toBe('2024-07-15T10:00:00.000Z');
  });
  it('moves a wall time in the spring-forward gap forward (02:30 on 2024-03-31 does not exist → 03:30 CEST)', () => {
    // 02:30 read with the pre-change offset +01:00 = 01:30Z, which is 03:30 CEST.
    expect(iso(amsterdam(Date.UTC(2024, 2, 31, 2, 30)))).toBe('2024-03-31T01:30:00.000Z');
  });
  it('takes the earlier instant for an ambiguous autumn wall time (02:30 on 2024-10-27 → CEST)', () => {
    expect(iso(amsterdam(Date.UTC(2024, 9, 27, 2, 30)))).toBe('2024-10-27T00:30:00.000Z');
  });
  it('throws BAD_TIME_ZONE for an unknown zone', () => {
    expect(() => makeWallClockConverter('Europe/Atlantis')).toThrow(expect.objectContaining({ code: 'BAD_TIME_ZONE' }));
  });
});

describe('makeTimestampParser', () => {
  it('reads ISO with offset as is and offset-less as wall clock in the zone', () => {
    const parse = makeTimestampParser({ timeZone: 'America/New_York' });
    expect(parse('2024-07-01T09:00:00Z')).toEqual({ timestampMs: Date.UTC(2024, 6, 1, 9), offset: 'Z' });
    // 09:00 EDT (-04:00) = 13:00Z.
    expect(parse('2024-07-01 09:00:00')).toEqual({ timestampMs: Date.UTC(2024, 6, 1, 13), offset: '' });
  });
  it('reads epoch numbers by magnitude', () => {
    const parse = makeTimestampParser();
    expect(parse('1700000000').timestampMs).toBe(1_700_000_000_000);
    expect(parse('1700000000123').timestampMs).toBe(1_700_000_000_123);
    expect(parse('1700000000123456').timestampMs).toBe(1_700_000_000_123.456);
    expect(epochUnitOf(1e9)).toBe('s');
    expect(epochUnitOf(1e12)).toBe('ms');
    expect(epochUnitOf(1e15)).toBe('us');
    expect(epochUnitOf(1e18)).toBe('ns');
  });
  it('reads a date-fns format, with and without an offset token', () => {
    expect(makeTimestampParser({ dateFormat: 'dd/MM/yyyy HH:mm' })('13/02/2024 10:05')).toEqual({ timestampMs: Date.UTC(2024, 1, 13, 10, 5), offset: '' });
    expect(makeTimestampParser({ dateFormat: 'dd.MM.yyyy HH:mm', timeZone: 'Europe/Berlin' })('13.02.2024 10:05').timestampMs).toBe(Date.UTC(2024, 1, 13, 9, 5));
    const withOffset = makeDateFormatParser("yyyy-MM-dd'T'HH:mmXXX")('2024-02-13T10:05+05:00');
    expect(withOffset).toEqual({ timestampMs: Date.UTC(2024, 1, 13, 5, 5), offset: 'pattern' });
    expect(makeTimestampParser({ dateFormat: 'dd/MM/yyyy' })('31/02/2024').timestampMs).toBeNaN();
  });
  it('rejects a date format date-fns cannot use', () => {
    expect(() => makeTimestampParser({ dateFormat: 'yyyy-MM-dd jj' })).toThrow(expect.objectContaining({ code: 'BAD_DATE_FORMAT' }));
  });
});

describe('suggestDateFormat', () => {
  it('says day-first, month-first or ambiguous', () => {
    expect(suggestDateFormat('13/02/2024 10:00')).toBe('pass --date-format "dd/MM/yyyy HH:mm" (the value is day-first)');
    expect(suggestDateFormat('02/13/2024')).toBe('pass --date-format "MM/dd/yyyy" (the value is month-first)');
    expect(suggestDateFormat('05.02.24 10:00:00')).toBe('day and month order is ambiguous: pass --date-format "dd.MM.yy HH:mm:ss" or "MM.dd.yy HH:mm:ss"');
    expect(suggestDateFormat('2024-02-05')).toBeUndefined();
  });
});
