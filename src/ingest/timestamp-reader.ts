/**
 * The timestamp reader the API adapters share: ISO-like text to epoch ms, offsets honoured, offset-less times read in
 * the given --timezone (else UTC, said once in the report).
 */
import { TZDate } from '@date-fns/tz';
import type { IngestReportBuilder } from './ingest-report.js';
import { assertValidTimeZone, parseIsoTimestamp } from './timestamp.js';

/**
 * Returns a reader of ISO-like timestamps to epoch ms (NaN when unreadable). Offsets are honoured; offset-less values are
 * wall-clock times in `timeZone` (validated here), else UTC, and the report says which (DESIGN §4: never guess silently).
 */
export function timestampReader(report: IngestReportBuilder, timeZone: string | undefined): (text: string) => number {
  if (timeZone !== undefined) {
    assertValidTimeZone(timeZone);
    report.timeZoneGiven = timeZone;
  }
  let warned = false;
  return (text: string): number => {
    const parsed = parseIsoTimestamp(text);
    if (Number.isNaN(parsed.timestampMs)) return NaN;
    if (parsed.offset !== '') {
      report.offsetSeen(parsed.offset);
      return parsed.timestampMs;
    }
    if (timeZone === undefined) {
      if (!warned) {
        warned = true;
        report.timeZoneAssumed = 'UTC';
        report.note('some timestamps carry no UTC offset; they were read as UTC — pass --timezone <IANA zone> if they are local times');
      }
      return parsed.timestampMs;
    }
    // Re-read the wall-clock fields (parsed as if UTC) in the given zone.
    const wall = new Date(parsed.timestampMs);
    return new TZDate(
      wall.getUTCFullYear(),
      wall.getUTCMonth(),
      wall.getUTCDate(),
      wall.getUTCHours(),
      wall.getUTCMinutes(),
      wall.getUTCSeconds(),
      wall.getUTCMilliseconds(),
      timeZone,
    ).getTime();
  };
}
