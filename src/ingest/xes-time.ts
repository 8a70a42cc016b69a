import type { IngestReportBuilder } from './ingest-report.js';
import { inDateRange, makeTimestampParser, parseIsoTimestamp, type ParsedTimestamp } from './timestamp.js';

/**
 * A timestamp reader for XML/JSON logs whose dates are ISO 8601 (XES `<date>`, OCEL `time`).
 * Offsets in the text are honoured (true UTC epoch ms, unlike pm4py, which drops them: see
 * /work/shared/data/expected/README.md trap 1) and recorded in the report; offset-less values are
 * wall-clock times in `timeZone`, else UTC, and `offsetlessCount` says how many there were.
 */
export class IsoTimestampReader {
  offsetlessCount = 0;
  private lastOffset = '';
  private readonly parse: (text: string) => ParsedTimestamp;

  constructor(
    private readonly report: IngestReportBuilder,
    private readonly timeZone: string | undefined,
  ) {
    // Throws BAD_TIME_ZONE for an unknown zone; converts offset-less values from it (DST-correct).
    this.parse = makeTimestampParser({ timeZone });
    if (timeZone !== undefined) report.timeZoneGiven = timeZone;
  }

  /** Epoch ms, NaN when the text is not an ISO date. */
  read(text: string): number {
    // XES dates nearly always carry an offset: take the ISO fast path directly and leave zone
    // conversion and epoch numbers to the general parser.
    let parsed = parseIsoTimestamp(text);
    if (parsed.offset === '') parsed = this.parse(text);
    if (Number.isNaN(inDateRange(parsed.timestampMs))) return NaN;
    if (parsed.offset !== '') {
      // Most logs carry one or two offsets: skip the Set insert when it repeats.
      if (parsed.offset !== this.lastOffset) {
        this.lastOffset = parsed.offset;
        this.report.offsetSeen(parsed.offset);
      }
      return parsed.timestampMs;
    }
    this.offsetlessCount++;
    return parsed.timestampMs;
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
