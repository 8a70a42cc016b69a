/**
 * Per-column timestamp reading for CSV: decides the column's kind from its first value (ISO text,
 * epoch numbers by magnitude, or the given --date-format), converts offset-less values from the
 * given zone, records offsets seen, and stops with a fix hint instead of guessing day/month order.
 */
import { VsmError, quoteGot } from '../errors.js';
import type { IngestReportBuilder } from './ingest-report.js';
import { recordAddress } from '../contracts/ingest-report.js';
import { type CompiledDateFormatBytes, compileDateFormatBytes } from './date-format-compiler.js';
import {
  type EpochUnit,
  dateFormatHasOffset,
  epochUnitOf,
  inDateRange,
  isNumericText,
  makeDateFormatParser,
  makeWallClockConverter,
  parseEpochText,
  parseIsoTimestamp,
  suggestDateFormat,
} from './timestamp.js';

export type TimeColumnMode = 'undecided' | 'iso' | 'epoch' | 'format';

/** Offset keys for the byte fast path: NO_OFFSET (wall clock), OFFSET_Z, or sign·10000 + hh·100 + mm. */
export const NO_OFFSET = -1;
export const OFFSET_Z = -2;

/** The written form of an offset key, as `parseIsoTimestamp` spells it (`Z`, `+01:00`). */
export function offsetKeyText(key: number): string {
  if (key === OFFSET_Z) return 'Z';
  const sign = key >= 10000 ? '-' : '+';
  const hhmm = key % 10000;
  return `${sign}${String(Math.floor(hhmm / 100)).padStart(2, '0')}:${String(hhmm % 100).padStart(2, '0')}`;
}

/** A run of unparseable values this long with none parsed means the column needs a format, not rejections. */
const HOPELESS_RUN = 1000;

/** What one chunk's column learned (csv-threaded), for the whole file's column to absorb. */
export interface TimeColumnPart {
  mode: TimeColumnMode;
  epochUnit: EpochUnit;
  /** The note the column's first value made (epoch columns), undefined otherwise. */
  decisionNote: string | undefined;
  offsetlessCount: number;
  parsedCount: number;
  failedCount: number;
  failedBeforeFirstParse: number;
}

export class TimeColumn {
  mode: TimeColumnMode = 'undecided';
  offsetlessCount = 0;
  parsedCount = 0;
  private failedCount = 0;
  private failedBeforeFirstParse = 0;
  private decisionNote: string | undefined;
  private epochUnit: EpochUnit = 's';
  private lastOffsetText = '\u0000';
  private lastOffsetKey = -3;
  private readonly toUtc: ((wallClockMs: number) => number) | undefined;
  private readonly parseWithFormat: ((text: string) => { timestampMs: number; offset: string }) | undefined;
  /**
   * The --date-format compiled for the fast engine's bytes (a pattern without an offset token that the compiler
   * reads), undefined otherwise: FastRow parses a cell with it and hands the result to acceptFormatWallClock.
   */
  readonly formatBytes: CompiledDateFormatBytes | undefined;

  constructor(
    readonly columnName: string,
    private readonly file: string,
    private readonly report: IngestReportBuilder,
    timeZone: string | undefined,
    dateFormat: string | undefined,
  ) {
    this.toUtc = timeZone === undefined ? undefined : makeWallClockConverter(timeZone);
    this.parseWithFormat = dateFormat === undefined ? undefined : makeDateFormatParser(dateFormat);
    // After makeDateFormatParser, which stops a pattern date-fns rejects.
    this.formatBytes = dateFormat === undefined || dateFormatHasOffset(dateFormat) ? undefined : compileDateFormatBytes(dateFormat, 2000);
    if (dateFormat !== undefined) this.mode = 'format';
  }

  /** Epoch ms of a non-empty cell, NaN when unparseable. */
  parseText(text: string, row: number): number {
    if (this.mode === 'undecided') this.decide(text);
    let timestampMs: number;
    if (this.mode === 'iso') {
      const parsed = parseIsoTimestamp(text);
      timestampMs = parsed.timestampMs;
      if (!Number.isNaN(timestampMs)) timestampMs = this.withOffsetText(timestampMs, parsed.offset);
    } else if (this.mode === 'epoch') {
      timestampMs = parseEpochText(text, this.epochUnit);
    } else {
      const parsed = (this.parseWithFormat as (text: string) => { timestampMs: number; offset: string })(text);
      timestampMs = Number.isNaN(parsed.timestampMs) || parsed.offset !== '' ? parsed.timestampMs : this.wallClock(parsed.timestampMs);
    }
    return this.counted(timestampMs, text, row);
  }

  /** For the byte fast path (mode 'iso'): a value it parsed, with its offset key. */
  acceptIso(timestampMs: number, offsetKey: number, row: number): number {
    if (offsetKey === NO_OFFSET) return this.counted(this.wallClock(timestampMs), '', row);
    if (offsetKey !== this.lastOffsetKey) {
      this.lastOffsetKey = offsetKey;
      this.report.offsetSeen(offsetKeyText(offsetKey));
    }
    return this.counted(timestampMs, '', row);
  }

  /**
   * For the byte fast path (mode 'format'): the wall-clock ms `formatBytes` read from a cell. Counts and returns its
   * instant as parseText would for the cell's text; NaN, with nothing counted, when that instant is out of range, so
   * the caller hands the text to parseText, which counts the failure and words its messages.
   */
  acceptFormatWallClock(wallClockMs: number, row: number): number {
    // makeDateFormatParser's guard on the wall clock, then the zone, then counted's guard on the instant.
    const inRangeMs = inDateRange(wallClockMs);
    if (Number.isNaN(inRangeMs)) return NaN;
    const utcMs = this.toUtc === undefined ? inRangeMs : this.toUtc(inRangeMs);
    if (Number.isNaN(inDateRange(utcMs))) return NaN;
    this.offsetlessCount++;
    return this.counted(utcMs, '', row);
  }

  private withOffsetText(timestampMs: number, offset: string): number {
    if (offset === '') return this.wallClock(timestampMs);
    if (offset !== this.lastOffsetText) {
      this.lastOffsetText = offset;
      this.report.offsetSeen(offset);
    }
    return timestampMs;
  }

  private wallClock(wallClockMs: number): number {
    this.offsetlessCount++;
    return this.toUtc === undefined ? wallClockMs : this.toUtc(wallClockMs);
  }

  private counted(parsedMs: number, text: string, row: number): number {
    // One guard for every path (ISO, epoch, date format, byte fast path): outside the Date range is unparseable.
    const timestampMs = inDateRange(parsedMs);
    if (!Number.isNaN(timestampMs)) {
      this.parsedCount++;
      return timestampMs;
    }
    this.failedCount++;
    if (this.parsedCount === 0) this.failedBeforeFirstParse++;
    if (this.mode === 'iso') {
      const hint = suggestDateFormat(text);
      if (hint !== undefined) {
        throw new VsmError({ code: 'BAD_DATE_FORMAT', what: 'timestamp is not ISO and its day/month order is not given', where: `${recordAddress(this.file, row)} column "${this.columnName}"`, got: quoteGot(text), fix: hint });
      }
    }
    if (this.parsedCount === 0 && this.failedCount >= HOPELESS_RUN) {
      throw new VsmError({
        code: 'BAD_TIMESTAMP',
        what: `no timestamp parseable in the first ${HOPELESS_RUN} values`,
        where: `${recordAddress(this.file, row)} column "${this.columnName}"`,
        got: quoteGot(text),
        fix: this.mode === 'format' ? 'check --date-format against the values' : 'pass --date-format with date-fns tokens, e.g. "MMM d, yyyy h:mm a"',
      });
    }
    return NaN;
  }

  private decide(text: string): void {
    if (isNumericText(text)) {
      this.mode = 'epoch';
      this.epochUnit = epochUnitOf(Number(text));
      const unitName = { s: 'seconds', ms: 'milliseconds', us: 'microseconds', ns: 'nanoseconds' }[this.epochUnit];
      this.decisionNote = `column "${this.columnName}" holds numbers: read as epoch ${unitName} (from the magnitude of the first value ${text.trim()})`;
      this.report.note(this.decisionNote);
    } else {
      this.mode = 'iso';
    }
  }

  /** What this column learned from one chunk's rows. */
  part(): TimeColumnPart {
    const { mode, epochUnit, decisionNote, offsetlessCount, parsedCount, failedCount, failedBeforeFirstParse } = this;
    return { mode, epochUnit, decisionNote, offsetlessCount, parsedCount, failedCount, failedBeforeFirstParse };
  }

  /**
   * Adds the next chunk's part, as if its rows had followed in this column. False when they would not have read the
   * same: the chunk decided another kind (its first value was epoch, the file's was ISO), or the file would have stopped
   * with BAD_TIMESTAMP (HOPELESS_RUN failures before the first parsed value, counted across chunks).
   */
  absorb(part: TimeColumnPart): boolean {
    if (part.mode === 'iso' || part.mode === 'epoch') {
      if (this.mode === 'undecided') {
        this.mode = part.mode;
        this.epochUnit = part.epochUnit;
        if (part.decisionNote !== undefined) {
          this.decisionNote = part.decisionNote;
          this.report.note(part.decisionNote);
        }
      } else if (this.mode !== part.mode || (part.mode === 'epoch' && this.epochUnit !== part.epochUnit)) {
        return false;
      }
    }
    if (this.parsedCount === 0) {
      if (this.failedCount + part.failedBeforeFirstParse >= HOPELESS_RUN) return false;
      this.failedBeforeFirstParse += part.failedBeforeFirstParse;
    }
    this.failedCount += part.failedCount;
    this.parsedCount += part.parsedCount;
    this.offsetlessCount += part.offsetlessCount;
    return true;
  }
}
