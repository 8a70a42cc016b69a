import { TZDate, tz, tzOffset } from '@date-fns/tz';
import { format as formatDate, parse as parseDate } from 'date-fns';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileDateFormat, compileDateFormatBytes } from '../../src/ingest/date-format-compiler.js';
import { makeDateFormatParser, makeWallClockConverter } from '../../src/ingest/timestamp.js';

const REFERENCE = new TZDate(2000, 0, 1, 'UTC');
const IN_UTC = tz('UTC');

/** What date-fns itself reads (wall clock read as UTC), NaN when invalid: the definition the fast path must equal. */
function dateFnsWallClockMs(text: string, pattern: string): number {
  return parseDate(text, pattern, REFERENCE, { in: IN_UTC }).getTime();
}

const PATTERNS = [
  'dd/MMM/yy h:mm a',
  'd/M/yyyy HH:mm',
  'd/M/yyyy H:mm:ss',
  'dd/MM/yyyy HH:mm:ss',
  'MM/dd/yyyy hh:mm:ss a',
  "yyyy-MM-dd'T'HH:mm:ss.SSS",
  'dd.MM.yyyy H:mm',
  'M/d/yy',
  'dd-MMM-yyyy HH:mm:ss.S',
  "d MMM yyyy 'at' HH:mm",
  'yyyy/MM/dd HH:mm:ss.SS',
];

describe('compileDateFormat', () => {
  it('reads hand-checked values', () => {
    const jira = compileDateFormat('dd/MMM/yy h:mm a');
    // 05/Mar/24 1:07 PM → 2024-03-05T13:07:00 (yy 24 → 2024 for reference year 2000: range 1950–2049).
    expect(jira?.('05/Mar/24 1:07 PM')).toBe(Date.UTC(2024, 2, 5, 13, 7));
    // 12 AM is midnight, 12 PM is noon.
    expect(jira?.('31/dec/99 12:00 AM')).toBe(Date.UTC(1999, 11, 31, 0, 0));
    expect(jira?.('01/JAN/49 12:30 pm')).toBe(Date.UTC(2049, 0, 1, 12, 30));
    const dayFirst = compileDateFormat('d/M/yyyy HH:mm');
    expect(dayFirst?.('7/3/2016 09:05')).toBe(Date.UTC(2016, 2, 7, 9, 5));
    // date-fns reads 1..n digits for an n-letter token: "dd" takes "7".
    expect(compileDateFormat('dd/MM/yyyy')?.('7/3/2016')).toBe(Date.UTC(2016, 2, 7));
    // S…: 1..n digits scaled by 10^(3−n): ".5" with SSS is 5 ms, with S it is 500 ms.
    expect(compileDateFormat('yyyy-MM-dd HH:mm:ss.SSS')?.('2020-01-02 03:04:05.5')).toBe(Date.UTC(2020, 0, 2, 3, 4, 5, 5));
    expect(compileDateFormat('yyyy-MM-dd HH:mm:ss.S')?.('2020-01-02 03:04:05.5')).toBe(Date.UTC(2020, 0, 2, 3, 4, 5, 500));
  });

  it('leaves non-canonical or invalid values to date-fns (undefined)', () => {
    const jira = compileDateFormat('dd/MMM/yy h:mm a');
    expect(jira?.('30/Feb/24 1:07 PM')).toBeUndefined(); // no 30 February
    expect(jira?.('05/Mar/24 1:07 a.m.')).toBeUndefined(); // date-fns reads "a.m."; the fast path does not
    expect(jira?.(' 05/Mar/24 1:07 PM')).toBeUndefined();
    expect(jira?.('05/Mar/24 13:07 PM')).toBeUndefined();
    expect(compileDateFormat('d/M/yyyy')?.('29/2/2023')).toBeUndefined();
  });

  it('declines patterns it cannot read exactly like date-fns', () => {
    expect(compileDateFormat('yyyyMMddHHmm')).toBeUndefined(); // adjacent numeric tokens
    expect(compileDateFormat('dd/MM/yyyy HH:mm X')).toBeUndefined(); // offset token
    expect(compileDateFormat('HH:mm')).toBeUndefined(); // no date
    expect(compileDateFormat('dd/MM/yyyy h:mm')).toBeUndefined(); // 12-hour clock without AM/PM
    expect(compileDateFormat('MMMM d, yyyy')).toBeUndefined(); // full month names
    expect(compileDateFormat("dd/MM/yyyy 'unclosed")).toBeUndefined();
  });

  it.each(PATTERNS)('equals date-fns on formatted instants and their mutations: %s', (pattern) => {
    const compiled = compileDateFormat(pattern);
    expect(compiled).toBeDefined();
    const instant = fc.date({ min: new Date(Date.UTC(1950, 0, 1)), max: new Date(Date.UTC(2049, 11, 31)), noInvalidDate: true });
    const mutation = fc.tuple(fc.nat(40), fc.constantFrom('', '0', '9', '1', ' ', '/', ':', 'x', 'P', 'M', '.', '13', '00'), fc.nat(3));
    fc.assert(
      fc.property(instant, mutation, fc.boolean(), (date, [at, insert, cut], mutate) => {
        let text = formatDate(new TZDate(date.getTime(), 'UTC'), pattern, { in: IN_UTC });
        if (mutate) text = text.slice(0, at) + insert + text.slice(at + cut);
        const fast = compiled?.(text);
        const reference = dateFnsWallClockMs(text, pattern);
        if (!mutate) expect(fast).toBe(reference);
        // Whenever the fast path answers, it answers what date-fns answers.
        if (fast !== undefined) expect(fast).toBe(reference);
      }),
      { seed: 20261202, numRuns: 1500 },
    );
  });
});

describe('compileDateFormatBytes', () => {
  /** The value's UTF-8 bytes inside a larger buffer (bytes before and after), with its start and end. */
  function embedded(text: string, before = '9', after = '9'): [Buffer, number, number] {
    const head = Buffer.from(before, 'utf8');
    const value = Buffer.from(text, 'utf8');
    return [Buffer.concat([head, value, Buffer.from(after, 'utf8')]), head.length, head.length + value.length];
  }

  it('reads hand-checked values, only within [start, end)', () => {
    const jira = compileDateFormatBytes('dd/MMM/yy h:mm a');
    expect(jira?.parse(...embedded('05/Mar/24 1:07 PM'))).toBe(Date.UTC(2024, 2, 5, 13, 7));
    expect(jira?.parse(...embedded('31/dec/99 12:00 AM', '', ''))).toBe(Date.UTC(1999, 11, 31, 0, 0));
    expect(jira?.parse(...embedded('01/JAN/49 12:30 pm', 'x', '.'))).toBe(Date.UTC(2049, 0, 1, 12, 30));
    // The digits after the end are not the year's: "201" is year 201 (a byte loop without the end check reads 2016).
    const year201 = new Date(Date.UTC(2000, 2, 7));
    year201.setUTCFullYear(201);
    expect(compileDateFormatBytes('d/M/yyyy')?.parse(...embedded('7/3/201', '', '69'))).toBe(year201.getTime());
    // A literal, month name or AM/PM cut by the end is no match (the bytes after it would have matched).
    expect(jira?.parse(...embedded('05/Mar/24 1:07 P', '', 'M'))).toBeNaN();
    expect(compileDateFormatBytes('yyyy MMM d')?.parse(...embedded('2024 Ma', '', 'r 5'))).toBeNaN();
    expect(compileDateFormatBytes("d/M/yyyy 'h'")?.parse(...embedded('7/3/2016 ', '', 'h'))).toBeNaN();
    // What the text parser leaves to date-fns is NaN here.
    expect(jira?.parse(...embedded('05/Mar/24 1:07 a.m.'))).toBeNaN();
    expect(jira?.parse(...embedded('30/Feb/24 1:07 PM'))).toBeNaN();
    expect(jira?.parse(...embedded(' 05/Mar/24 1:07 PM'))).toBeNaN();
    expect(jira?.parse(...embedded('05/Mär/24 1:07 PM'))).toBeNaN();
    // Separators: each must be there, itself, and inside [start, end).
    expect(jira?.parse(...embedded('05-Mar/24 1:07 PM'))).toBeNaN();
    expect(jira?.parse(...embedded('05/Mar/24 1:07PM'))).toBeNaN();
    const trailing = compileDateFormatBytes('d/M/yyyy.');
    expect(trailing?.parse(...embedded('7/3/2016.'))).toBe(Date.UTC(2016, 2, 7));
    expect(trailing?.parse(...embedded('7/3/2016', '', '.'))).toBeNaN();
  });

  it('one month after another: the kept month is the value\'s own (year and month), 29 February only in leap years', () => {
    const jira = compileDateFormatBytes('dd/MMM/yy h:mm a');
    const text = compileDateFormat('dd/MMM/yy h:mm a');
    const values = ['29/Feb/24 1:00 PM', '29/Feb/23 1:00 PM', '28/Feb/23 1:00 PM', '29/Feb/24 1:00 PM', '29/Feb/00 1:00 PM', '31/Mar/24 1:00 AM', '31/Mar/25 1:00 AM', '01/Jan/70 12:00 AM', '31/Dec/69 11:59 PM'];
    const expected = [Date.UTC(2024, 1, 29, 13), NaN, Date.UTC(2023, 1, 28, 13), Date.UTC(2024, 1, 29, 13), Date.UTC(2000, 1, 29, 13), Date.UTC(2024, 2, 31, 1), Date.UTC(2025, 2, 31, 1), 0, Date.UTC(1969, 11, 31, 23, 59)];
    values.forEach((value, k) => {
      expect(jira?.parse(...embedded(value))).toBe(expected[k]);
      expect(text?.(value) ?? NaN).toBe(expected[k]);
    });
  });

  it('declines what the text compiler declines, offset tokens and non-ASCII literals', () => {
    for (const pattern of ['yyyyMMddHHmm', 'dd/MM/yyyy HH:mm X', 'HH:mm', 'dd/MM/yyyy h:mm', 'MMMM d, yyyy', "dd/MM/yyyy 'unclosed"]) {
      expect(compileDateFormatBytes(pattern)).toBeUndefined();
    }
    expect(compileDateFormat("dd/MM/yyyy 'à' HH:mm")).toBeDefined();
    expect(compileDateFormatBytes("dd/MM/yyyy 'à' HH:mm")).toBeUndefined();
    expect(compileDateFormatBytes("d MMM yyyy 'at' HH:mm")).toBeDefined();
  });

  // Besides PATTERNS: a literal first, a one-character literal last, one after AM/PM and after a month name (a
  // one-character literal after a token is checked by the token's step).
  const BYTE_PATTERNS = [...PATTERNS, "'['dd/MMM/yy h:mm a']'", 'h:mm a, d MMM yyyy', 'd/M/yyyy.', 'MMM-dd-yyyy HH:mm'];
  it.each(BYTE_PATTERNS)('answers what the text parser answers (NaN for undefined), on values and their mutations: %s', (pattern) => {
    const text = compileDateFormat(pattern);
    const bytes = compileDateFormatBytes(pattern);
    expect(bytes).toBeDefined();
    const instant = fc.date({ min: new Date(Date.UTC(1950, 0, 1)), max: new Date(Date.UTC(2049, 11, 31)), noInvalidDate: true });
    // Inserts with non-ASCII characters too: the Kelvin sign lower-cases to "k", İ to two characters, ſ upper-cases to S.
    const insert = fc.constantFrom('', '0', '9', '1', ' ', '/', ':', 'x', 'P', 'M', 'm', 'A', '.', '13', '00', 'é', 'É', '\u212a', 'İ', 'ſ', '\u00a0', 'ｍ', 'Ｐ', '€', '\u0000');
    const mutation = fc.tuple(fc.nat(40), insert, fc.nat(3), fc.boolean());
    const surround = fc.constantFrom('', '9', '0', 'M', '.', ' ', 'é');
    fc.assert(
      fc.property(instant, mutation, surround, surround, (date, [at, inserted, cut, upper], before, after) => {
        let value = formatDate(new TZDate(date.getTime(), 'UTC'), pattern, { in: IN_UTC });
        value = value.slice(0, at) + inserted + value.slice(at + cut);
        if (upper) value = value.toUpperCase();
        expect(bytes?.parse(...embedded(value, before, after))).toBe(text?.(value) ?? NaN);
      }),
      { seed: 20261205, numRuns: 3000 },
    );
  });
});

describe('makeDateFormatParser with the compiled fast path', () => {
  it('reads the same values as date-fns alone, including the ones only date-fns reads', () => {
    const parse = makeDateFormatParser('dd/MMM/yy h:mm a');
    for (const text of ['05/Mar/24 1:07 PM', ' 05/Mar/24 1:07 PM ', '05/Mar/24 1:07 a.m.', '30/Feb/24 1:07 PM', 'garbage']) {
      const expected = dateFnsWallClockMs(text.trim(), 'dd/MMM/yy h:mm a');
      expect(parse(text).timestampMs).toStrictEqual(expected);
    }
  });
});

/**
 * The reference for wall clock → instant, by brute force over every offset the zone uses near the value
 * (Temporal's "compatible" rule): of the instants whose local time is the value, the earliest; in a gap, the
 * value read with the offset in force before the gap (which lands after the gap).
 */
function compatibleInstantMs(wallMs: number, zone: string): number {
  const offsetMsAt = (utcMs: number) => tzOffset(zone, new Date(utcMs)) * 60_000;
  const candidates = new Set<number>();
  for (let probe = -26; probe <= 26; probe += 0.25) candidates.add(offsetMsAt(wallMs + probe * 3_600_000));
  const valid = [...candidates].map((offsetMs) => wallMs - offsetMs).filter((utcMs) => wallMs - offsetMsAt(utcMs) === utcMs);
  if (valid.length > 0) return Math.min(...valid);
  return wallMs - offsetMsAt(wallMs - 26 * 3_600_000);
}

describe('makeWallClockConverter equals the brute-force "compatible" rule', () => {
  // Whole-hour DST zones both sides of UTC, a half-hour DST zone, a zone that dropped DST, and zones east of +12 h.
  const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'America/Sao_Paulo', 'Asia/Kolkata', 'Pacific/Auckland', 'Pacific/Tongatapu'];
  it.each(zones)('%s', (zone) => {
    const toUtc = makeWallClockConverter(zone);
    // Minutes across 1975–2035 in the early-morning hours where transitions happen.
    const wallClock = fc.tuple(fc.integer({ min: 1975, max: 2035 }), fc.integer({ min: 0, max: 11 }), fc.integer({ min: 1, max: 28 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 59 }));
    fc.assert(
      fc.property(wallClock, ([year, month, day, hour, minute]) => {
        const wallMs = Date.UTC(year, month, day, hour, minute);
        expect(toUtc(wallMs)).toBe(compatibleInstantMs(wallMs, zone));
      }),
      { seed: 7, numRuns: 2000 },
    );
  });

  it('Berlin and New York: the spring gap moves forward, the autumn repeat takes the earlier instant', () => {
    const berlin = makeWallClockConverter('Europe/Berlin');
    // 2024-03-31 02:30 does not exist in Berlin (clocks 02:00 → 03:00): read as 03:30 CEST = 01:30Z.
    expect(berlin(Date.UTC(2024, 2, 31, 2, 30))).toBe(Date.UTC(2024, 2, 31, 1, 30));
    // 2024-10-27 02:30 happens twice, 00:30Z (CEST) and 01:30Z (CET): the earlier.
    expect(berlin(Date.UTC(2024, 9, 27, 2, 30))).toBe(Date.UTC(2024, 9, 27, 0, 30));
    // 2025-11-02 01:30 in New York happens twice, 05:30Z (EDT) and 06:30Z (EST): the earlier.
    expect(makeWallClockConverter('America/New_York')(Date.UTC(2025, 10, 2, 1, 30))).toBe(Date.UTC(2025, 10, 2, 5, 30));
  });

  it('Auckland (+12/+13): the gap is bracketed (±12 h probes missed it)', () => {
    // 1984-10-28 02:00 NZST → 03:00 NZDT: 02:30 is in the gap, read with +12 → 14:30Z on the 27th (03:30 NZDT).
    expect(makeWallClockConverter('Pacific/Auckland')(Date.UTC(1984, 9, 28, 2, 30))).toBe(Date.UTC(1984, 9, 27, 14, 30));
  });

  it('Lord Howe: a half-hour shift inside a cached hour is resolved per value', () => {
    const toUtc = makeWallClockConverter('Australia/Lord_Howe');
    // 2024-10-06 02:00 → 02:30 (+10:30 → +11:00): 02:45 exists only as +11:00 = 15:45Z on the 5th.
    expect(toUtc(Date.UTC(2024, 9, 6, 2, 45))).toBe(Date.UTC(2024, 9, 5, 15, 45));
    // 01:45 the same morning is still +10:30 = 15:15Z.
    expect(toUtc(Date.UTC(2024, 9, 6, 1, 45))).toBe(Date.UTC(2024, 9, 5, 15, 15));
  });
});
