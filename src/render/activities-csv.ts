/**
 * activities.csv: one row per completed activity instance, for BI tools (docs/wait-causes.md "activities.csv").
 * ISO instants in UTC; durations in ms; `start_estimated` true where the start is an estimate; empty cells where a
 * value is unknown (no start and no estimate). RFC 4180 quoting, CRLF line ends, formula-injection guard.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { BATCH_TYPE_NAMES } from '../metrics/batches.js';
import type { ActivityTable } from '../vsm/wait-analysis.js';
import { IsoInstants } from '../model/iso-instant.js';
import { csvCell } from './escape.js';

export const ACTIVITY_CSV_COLUMNS = [
  'case',
  'activity',
  'resource',
  'enabled_at',
  'start_at',
  'start_estimated',
  'end_at',
  'wait_ms',
  'batching_ms',
  'prioritization_ms',
  'contention_ms',
  'unavailability_ms',
  'extraneous_ms',
  'batch_id',
  'batch_type',
] as const;

/** Bytes gathered before they are handed on (writeActivitiesCsv's writes: the file never has to fit in memory). */
const CHUNK_BYTES = 1 << 20;
/** The most an instant or a number cell can take (a number's String is at most 25 characters). */
const CELL_BYTES = 32;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;
const MINUS = 0x2d;
const ZERO = 0x30;

/**
 * activities.csv's bytes in pieces of about CHUNK_BYTES, handed to `put` as they fill (each piece is put's to keep: a
 * fresh buffer follows). The writes do not check for room: the caller asks for a row's worst case first (`room`).
 */
class CsvBytes {
  private buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private at = 0;

  constructor(private readonly put: (bytes: Buffer) => void) {}

  /** Room for `bytes` more: the full part is handed on first. */
  room(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    this.flush();
    if (bytes > this.buffer.length) this.buffer = Buffer.allocUnsafe(bytes);
  }

  flush(): void {
    if (this.at === 0) return;
    this.put(this.buffer.subarray(0, this.at));
    this.buffer = Buffer.allocUnsafe(this.buffer.length);
    this.at = 0;
  }

  bytes(cell: Uint8Array): void {
    const buffer = this.buffer;
    const length = cell.length;
    // A byte loop for the short cells (names, booleans): TypedArray#set costs more than it copies below that.
    if (length > 32) buffer.set(cell, this.at);
    else for (let i = 0, at = this.at; i < length; i++, at++) buffer[at] = cell[i];
    this.at += length;
  }

  byte(value: number): void {
    this.buffer[this.at++] = value;
  }

  /** csvCell(value) of a number: its String (ASCII), nothing when it is not finite; whole numbers digit by digit. */
  number(value: number): void {
    if (!Number.isFinite(value)) return;
    const buffer = this.buffer;
    if (!Number.isSafeInteger(value)) {
      this.at += buffer.write(String(value), this.at, 'latin1');
      return;
    }
    // −0 is written "0", as String(−0).
    let rest = value < 0 ? -value : value;
    if (value < 0) buffer[this.at++] = MINUS;
    let digits = 1;
    for (let scale = 10; scale <= rest; scale *= 10) digits++;
    let i = this.at + digits - 1;
    // Above 2³¹ in doubles, then in integers.
    for (; rest >= 2_147_483_648; i--) {
      const next = Math.floor(rest / 10);
      buffer[i] = ZERO + (rest - next * 10);
      rest = next;
    }
    for (let small = rest | 0; i >= this.at; i--) {
      const next = (small / 10) | 0;
      buffer[i] = ZERO + small - next * 10;
      small = next;
    }
    this.at += digits;
  }

  /** csvCell of toISOString's text of an instant (nothing when it is not finite). */
  instant(ms: number, instants: IsoInstants): void {
    if (!Number.isFinite(ms)) return;
    const end = instants.writeAscii(ms, this.buffer, this.at);
    // An extended year (±YYYYYY): csvCell guards the leading sign.
    if (end < 0) this.at += this.buffer.write(csvCell(instants.format(ms)), this.at, 'latin1');
    else this.at = end;
  }
}

/** csvCell's UTF-8 bytes of a dictionary's value by code (none for an absent one), made the first time each code is asked for. */
function namedCells(dictionary: ActivityTable['log']['activities']): (code: number) => Uint8Array {
  const cells: Array<Uint8Array | undefined> = [];
  return (code) => (cells[code] ??= Buffer.from(csvCell(dictionary.valueOf(code) ?? null), 'utf8'));
}

const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NO_CAUSES = Buffer.from(',,,,,,');

/**
 * The header then one line per instance, CRLF after each; rows in case order, then completion order. Each line is
 * csvCell's cells joined by commas (tests/render/activities-csv-write.test.ts checks it cell by cell), written as
 * bytes without a string per cell: the name cells are escaped and encoded once per code (the case cell once per run
 * of its instances), instants and numbers are written digit by digit. At 5 M events (2.5 M rows, 340 MB) this took
 * the file from ≈ 5.5 CPU s to ≈ 0.8 (docs/benchmarks.md, stop 31).
 */
function writeActivityCsvBytes(table: ActivityTable, out: CsvBytes): void {
  const { log, instances, enabledMs, startMs, estimated, causes, batches } = table;
  const header = Buffer.from(`${ACTIVITY_CSV_COLUMNS.map(csvCell).join(',')}\r\n`, 'utf8');
  out.room(header.length);
  out.bytes(header);
  const instants = new IsoInstants();
  const activityCells = namedCells(log.activities);
  const resourceCells = namedCells(log.resources);
  const batchTypeCells = BATCH_TYPE_NAMES.map((name) => Buffer.from(csvCell(name), 'utf8'));
  const ROW_FIXED_BYTES = 10 * CELL_BYTES + Math.max(...batchTypeCells.map((cell) => cell.length)) + FALSE.length + ACTIVITY_CSV_COLUMNS.length + 2;
  const { batching, prioritization, contention, unavailability, extraneous } = causes.causeMs;
  const causeColumns = [causes.waitMs, batching, prioritization, contention, unavailability, extraneous];
  let lastCase = Number.NaN;
  let caseCell: Uint8Array = new Uint8Array(0);
  for (let k = 0; k < instances.count; k++) {
    const caseCode = instances.caseCode[k];
    if (caseCode !== lastCase) {
      lastCase = caseCode;
      caseCell = Buffer.from(csvCell(log.caseIds.valueOf(caseCode) ?? null), 'utf8');
    }
    const activityCell = activityCells(instances.activity[k]);
    const resourceCode = instances.resource[k];
    const resourceCell = resourceCode >= 0 ? resourceCells(resourceCode) : undefined;
    // The row's worst case: its names, three instants and seven numbers of CELL_BYTES, a batch type, a boolean, commas, CRLF.
    out.room(caseCell.length + activityCell.length + (resourceCell?.length ?? 0) + ROW_FIXED_BYTES);
    out.bytes(caseCell);
    out.byte(COMMA);
    out.bytes(activityCell);
    out.byte(COMMA);
    if (resourceCell !== undefined) out.bytes(resourceCell);
    out.byte(COMMA);
    out.instant(enabledMs[k], instants);
    out.byte(COMMA);
    out.instant(startMs[k], instants);
    out.byte(COMMA);
    const known = !Number.isNaN(startMs[k]);
    if (known) out.bytes(estimated[k] === 1 ? TRUE : FALSE);
    out.byte(COMMA);
    out.instant(instances.endMs[k], instants);
    out.byte(COMMA);
    if (known) {
      for (const column of causeColumns) {
        out.number(column[k]);
        out.byte(COMMA);
      }
    } else {
      out.bytes(NO_CAUSES);
    }
    const batch = batches.batchId[k];
    if (batch >= 0) {
      out.number(batch);
      out.byte(COMMA);
      out.bytes(batchTypeCells[batches.typeOfBatch[batch]]);
    } else {
      out.byte(COMMA);
    }
    out.byte(CR);
    out.byte(LF);
  }
  out.flush();
}

/** Renders the table as one string (tests, renderReportFiles); writeActivitiesCsv writes the same bytes. */
export function renderActivitiesCsv(table: ActivityTable): string {
  const pieces: Buffer[] = [];
  writeActivityCsvBytes(table, new CsvBytes((bytes) => pieces.push(bytes)));
  return Buffer.concat(pieces).toString('utf8');
}

/** Writes renderActivitiesCsv's bytes to `path` in pieces of about 1 MB (issue 14: peak memory of `vsm analyze`). */
export function writeActivitiesCsv(path: string, table: ActivityTable): void {
  const fd = openSync(path, 'w');
  try {
    writeActivityCsvBytes(table, new CsvBytes((bytes) => {
      for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written);
    }));
  } finally {
    closeSync(fd);
  }
}
