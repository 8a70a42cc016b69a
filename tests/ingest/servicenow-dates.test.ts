import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IngestReportBuilder } from '../../src/ingest/ingest-report.js';
import { createTimeReader, detectSlashDateOrder, slashDateFormatOf, wallClockToUtcMs } from '../../src/ingest/status-source-kit.js';

// Property tests of the day-first parsing used for snapshot logs such as the UCI incident log (`29/2/2016 01:16`).
const civil = fc.record({
  year: fc.integer({ min: 1990, max: 2035 }),
  month: fc.integer({ min: 1, max: 12 }),
  day: fc.integer({ min: 13, max: 28 }),
  hour: fc.integer({ min: 0, max: 23 }),
  minute: fc.integer({ min: 0, max: 59 }),
});

describe('day-first slash dates', () => {
  it('a day above 12 proves day-first and the value reads back to the same civil time (UTC)', () => {
    fc.assert(
      fc.property(civil, ({ year, month, day, hour, minute }) => {
        const text = `${day}/${month}/${year} ${hour}:${String(minute).padStart(2, '0')}`;
        expect(detectSlashDateOrder([text])).toBe('day-first');
        const format = slashDateFormatOf(text, 'day-first');
        expect(format).toBe('d/M/yyyy H:mm');
        const read = createTimeReader({ dateFormat: format }, new IngestReportBuilder('servicenow', 'flag'));
        expect(read(text)).toBe(Date.UTC(year, month - 1, day, hour, minute));
      }),
    );
  });

  it('swapping day and month proves month-first; both orders in one file are a conflict', () => {
    fc.assert(
      fc.property(civil, ({ year, month, day }) => {
        expect(detectSlashDateOrder([`${month}/${day}/${year}`])).toBe('month-first');
        expect(detectSlashDateOrder([`${day}/${month}/${year}`, `${month}/${day}/${year}`])).toBe('conflict');
      }),
    );
  });

  it('wall-clock → zone conversion is the inverse of formatting in that zone (outside DST gaps)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2035, 0, 1) }), (instantMs) => {
        const roundedMs = Math.floor(instantMs / 60_000) * 60_000;
        const parts = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin', hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' }).formatToParts(new Date(roundedMs));
        const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
        const wallMs = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'));
        const back = wallClockToUtcMs(wallMs, 'Europe/Berlin');
        // An autumn repeated hour resolves to the earlier instant, so the second pass reads one hour early.
        expect([0, -3_600_000]).toContain(back - roundedMs);
      }),
    );
  });
});
