import { tzOffset } from '@date-fns/tz';
import { VsmError } from '../errors.js';
import type { IngestReportBuilder } from './ingest-report.js';
import { parseIsoTimestamp } from './timestamp.js';

const MS_PER_MINUTE = 60_000;

/** Throws BAD_TIME_ZONE unless `timeZone` is an IANA zone this runtime knows. */
export function assertTimeZone(timeZone: string): void {
  if (!Number.isFinite(tzOffset(timeZone, new Date(0)))) {
    throw new VsmError({ code: 'BAD_TIME_ZONE', what: 'unknown time zone', where: '--timezone', got: timeZone, fix: 'pass an IANA zone such as "Europe/Amsterdam" or "UTC"' });
  }
}

/**
 * Converts a wall-clock time (its fields read as if UTC) in `timeZone` to true UTC epoch ms.
 * Two passes settle the offset on either side of a DST change; a wall time inside the spring-forward
 * gap lands one hour later, one inside the autumn overlap takes the earlier (summer-time) instant.
 */
export function zonedWallClockToUtcMs(wallClockMs: number, timeZone: string): number {
  const firstOffsetMinutes = tzOffset(timeZone, new Date(wallClockMs));
  const guessMs = wallClockMs - firstOffsetMinutes * MS_PER_MINUTE;
  const secondOffsetMinutes = tzOffset(timeZone, new Date(guessMs));
  return secondOffsetMinutes === firstOffsetMinutes ? guessMs : wallClockMs - secondOffsetMinutes * MS_PER_MINUTE;
}

/**
 * A timestamp reader for XML/JSON logs whose dates are ISO 8601 (XES `<date>`, OCEL `time`).
 * Offsets in the text are honoured (true UTC epoch ms, unlike pm4py, which drops them: see
 * /work/shared/data/expected/README.md trap 1) and recorded in the report; offset-less values are
 * wall-clock times in `timeZone`, else UTC, and `offsetlessCount` says how many there were.
 */
export class IsoTimestampReader {
  offsetlessCount = 0;
  private lastOffset = '';

  constructor(
    private readonly report: IngestReportBuilder,
    private readonly timeZone: string | undefined,
  ) {
    if (timeZone !== undefined) {
      assertTimeZone(timeZone);
      report.timeZoneGiven = timeZone;
    }
  }

  /** Epoch ms, NaN when the text is not an ISO date. */
  read(text: string): number {
    const parsed = parseIsoTimestamp(text);
    if (Number.isNaN(parsed.timestampMs)) return NaN;
    if (parsed.offset !== '') {
      // Most logs carry one or two offsets: skip the Set insert when it repeats.
      if (parsed.offset !== this.lastOffset) {
        this.lastOffset = parsed.offset;
        this.report.offsetSeen(parsed.offset);
      }
      return parsed.timestampMs;
    }
    this.offsetlessCount++;
    return this.timeZone === undefined ? parsed.timestampMs : zonedWallClockToUtcMs(parsed.timestampMs, this.timeZone);
  }

  /** Adds the note about offset-less times (call once at the end). */
  finish(): void {
    if (this.offsetlessCount === 0) return;
    const count = String(this.offsetlessCount).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    if (this.timeZone === undefined) {
      this.report.timeZoneAssumed = 'UTC';
      this.report.note(`${count} timestamps had no UTC offset; read as UTC (pass --timezone to give their zone)`);
    } else {
      this.report.note(`${count} timestamps had no UTC offset; read as wall-clock time in ${this.timeZone}`);
    }
  }
}
