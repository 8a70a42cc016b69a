import fc from 'fast-check';
import { format } from 'date-fns';
import { tz } from '@date-fns/tz';
import { describe, expect, it } from 'vitest';
import { makeTimestampParser, makeWallClockConverter, parseIsoTimestamp } from '../../src/ingest/timestamp.js';
import { parseIsoBytes } from '../../src/ingest/csv-iso-bytes.js';

const instant = fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) });
const offsetMinutes = fc.integer({ min: -14 * 60, max: 14 * 60 });
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Writes `ms` as ISO with the given offset, date separator, time separator and fraction digits. */
function writeIso(ms: number, offset: number, dateSeparator: string, timeSeparator: string, fractionDigits: number, colon: boolean): string {
  const wall = new Date(ms + offset * 60_000);
  const date = [pad(wall.getUTCFullYear(), 4), pad(wall.getUTCMonth() + 1), pad(wall.getUTCDate())].join(dateSeparator);
  const time = `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}`;
  const fraction = fractionDigits === 0 ? '' : `.${pad(wall.getUTCMilliseconds(), 3)}${'0'.repeat(fractionDigits - 3)}`;
  const sign = offset < 0 ? '-' : '+';
  const zone = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}${colon ? ':' : ''}${pad(Math.abs(offset) % 60)}`;
  return `${date}${timeSeparator}${time}${fraction}${zone}`;
}

describe('timestamp parsing round-trips (property)', () => {
  it('any instant written as ISO with any offset parses back exactly, by text and by bytes', () => {
    fc.assert(
      fc.property(instant, offsetMinutes, fc.constantFrom('-', '/'), fc.constantFrom('T', ' '), fc.constantFrom(3, 6, 9), fc.boolean(), (ms, offset, ds, ts, digits, colon) => {
        const text = writeIso(ms, offset, ds, ts, digits, colon);
        expect(parseIsoTimestamp(text).timestampMs).toBe(ms);
        const bytes = Buffer.from(text);
        expect(parseIsoBytes(bytes, 0, bytes.length)).toBe(ms);
      }),
      { numRuns: 2000 },
    );
  });

  it('any instant formatted with a date-fns pattern parses back with the same pattern', () => {
    const whole = instant.map((ms) => Math.floor(ms / 1000) * 1000);
    fc.assert(
      fc.property(whole, fc.constantFrom('dd/MM/yyyy HH:mm:ss', 'MM-dd-yyyy HH:mm:ss', 'yyyyMMdd HHmmss', 'd.M.yyyy H:mm:ss'), (ms, pattern) => {
        const text = format(ms, pattern, { in: tz('UTC') });
        expect(makeTimestampParser({ dateFormat: pattern })(text).timestampMs).toBe(ms);
      }),
      { numRuns: 500 },
    );
  });

  it('wall-clock conversion inverts the zone: the result shows the same wall time (gap times excepted)', () => {
    const zones = ['Europe/Amsterdam', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'UTC'];
    const converters = new Map(zones.map((zone) => [zone, makeWallClockConverter(zone)]));
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) }), fc.constantFrom(...zones), (ms, zone) => {
        // The wall time the zone shows at `ms`, as if UTC.
        const wallText = format(ms, "yyyy-MM-dd'T'HH:mm:ss.SSS", { in: tz(zone) });
        const wallMs = parseIsoTimestamp(wallText).timestampMs;
        const utcMs = (converters.get(zone) as (wall: number) => number)(wallMs);
        expect(format(utcMs, "yyyy-MM-dd'T'HH:mm:ss.SSS", { in: tz(zone) })).toBe(wallText);
        // Ambiguous (autumn) wall times map to the earlier instant, so never later than the source.
        expect(utcMs).toBeLessThanOrEqual(ms);
      }),
      { numRuns: 2000 },
    );
  });
});
