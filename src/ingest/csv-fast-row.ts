/**
 * Pieces of the fast CSV engine: FastRow (one record as byte ranges over a Buffer, read through the
 * RowFields interface) and RecordEndFinder (a resumable, quote-aware search for the end of a record
 * that straddles chunks).
 */
import { ByteInterner } from './csv-byte-interner.js';
import { isoBytesOffsetKey, parseIsoBytes } from './csv-iso-bytes.js';
import type { RowFields } from './csv-row-sink.js';
import type { TimeColumn } from './csv-time-column.js';

export const QUOTE = 34;
export const LF = 10;
export const CR = 13;
export const INCOMPLETE = -1;
const EMPTY = Buffer.alloc(0);

export class FastRow implements RowFields {
  bytes: Buffer = EMPTY;
  starts: Int32Array = new Int32Array(64);
  ends: Int32Array = new Int32Array(64);
  escaped: Uint8Array = new Uint8Array(64);
  fieldCount = 0;
  anyEscaped = false;
  /** Leading fields whose bytes (delimiter included) equal the previous record's (csv-fast's scan compares the two). */
  sharedFields = 0;
  /** Index of the first quoted field (2^31 − 1 when none): unescaping may rewrite bytes in place from there on. */
  firstQuoted = 0;
  /**
   * Per column, the code of this record's cell, or -1 when not known. The scan sets -1 for every field it did not take
   * from the previous record (forgetUnshared), so a code kept here always belongs to bytes equal to this cell's: a shared
   * field's code is the previous row's, without interning it again.
   */
  knownCode: Int32Array = new Int32Array(64).fill(-1);
  interners: (ByteInterner | undefined)[] = [];
  /**
   * Makes column k's interner on its first non-empty cell: an interner holds ~27 KB of tables, so a header of
   * 20,000 mostly empty columns must not pay for them up front (issue 11 #3).
   */
  makeInterner: (column: number) => ByteInterner = () => {
    throw new Error('no interner for this column');
  };

  grow(): void {
    const size = this.starts.length * 2;
    const starts = new Int32Array(size);
    starts.set(this.starts);
    const ends = new Int32Array(size);
    ends.set(this.ends);
    const escaped = new Uint8Array(size);
    escaped.set(this.escaped);
    this.starts = starts;
    this.ends = ends;
    this.escaped = escaped;
    const knownCode = new Int32Array(size).fill(-1);
    knownCode.set(this.knownCode);
    this.knownCode = knownCode;
  }

  /**
   * The buffer the next records lie in (once per chunk): the interners make their views of it now, not on their first
   * cell from it (see csv-fast's processChunk).
   */
  useBuffer(bytes: Buffer): void {
    this.bytes = bytes;
    const interners = this.interners;
    for (let k = 0; k < interners.length; k++) interners[k]?.useBuffer(bytes);
  }

  isEmpty(column: number): boolean {
    return this.starts[column] === this.ends[column];
  }

  text(column: number): string {
    return this.bytes.toString('utf8', this.starts[column], this.ends[column]);
  }

  anyLongerThan(maxChars: number): boolean {
    // The whole record's byte span bounds every field in it.
    return this.fieldCount > 0 && this.ends[this.fieldCount - 1] - this.starts[0] > maxChars;
  }

  longerThan(column: number, maxChars: number): boolean {
    // UTF-8 never has fewer bytes than UTF-16 code units, so short byte runs need no decoding.
    return this.ends[column] - this.starts[column] > maxChars && this.text(column).length > maxChars;
  }

  code(column: number): number {
    const known = this.knownCode[column];
    if (known >= 0) return known;
    const interner = this.interners[column] ?? this.addInterner(column);
    const code = interner.intern(this.bytes, this.starts[column], this.ends[column]);
    this.knownCode[column] = code;
    return code;
  }

  private addInterner(column: number): ByteInterner {
    const interner = this.makeInterner(column);
    interner.useBuffer(this.bytes);
    this.interners[column] = interner;
    return interner;
  }

  /** Forgets the codes of the fields this record did not share with the previous one (called once it is scanned). */
  forgetUnshared(): void {
    const knownCode = this.knownCode;
    for (let k = this.sharedFields; k < this.fieldCount; k++) knownCode[k] = -1;
  }

  timestampMs(column: number, parser: TimeColumn, row: number): number {
    if (parser.mode === 'iso') {
      const timestampMs = parseIsoBytes(this.bytes, this.starts[column], this.ends[column]);
      if (!Number.isNaN(timestampMs)) return parser.acceptIso(timestampMs, isoBytesOffsetKey, row);
    } else if (parser.formatBytes !== undefined) {
      // --date-format: the compiled pattern on the bytes, no string; what it leaves (NaN) the text path decides.
      const wallClockMs = parser.formatBytes.parse(this.bytes, this.starts[column], this.ends[column]);
      if (!Number.isNaN(wallClockMs)) {
        const timestampMs = parser.acceptFormatWallClock(wallClockMs, row);
        if (!Number.isNaN(timestampMs)) return timestampMs;
      }
    }
    return parser.parseText(this.text(column), row);
  }

  /** Removes the second quote of each doubled pair in escaped fields, in place (the record is complete). */
  unescapeFields(): void {
    const bytes = this.bytes;
    for (let f = 0; f < this.fieldCount; f++) {
      if (this.escaped[f] === 0) continue;
      let write = this.starts[f];
      for (let read = this.starts[f]; read < this.ends[f]; read++) {
        bytes[write++] = bytes[read];
        if (bytes[read] === QUOTE) read++;
      }
      this.ends[f] = write;
    }
  }
}

/** Resumable record-end finder (quote aware) for records that straddle chunks. */
export class RecordEndFinder {
  private state: 'field-start' | 'unquoted' | 'quoted' | 'quote-in-quoted' = 'field-start';

  constructor(private readonly delimiter: number) {}

  get insideQuotes(): boolean {
    return this.state === 'quoted';
  }

  reset(): void {
    this.state = 'field-start';
  }

  /** Position just after the record's LF in bytes[from..], or INCOMPLETE. */
  find(bytes: Uint8Array, from: number): number {
    let state = this.state;
    const delimiter = this.delimiter;
    for (let k = from; k < bytes.length; k++) {
      const b = bytes[k];
      if (state === 'quoted') {
        if (b === QUOTE) state = 'quote-in-quoted';
      } else if (state === 'quote-in-quoted') {
        if (b === QUOTE) state = 'quoted';
        else if (b === delimiter) state = 'field-start';
        else if (b === LF) return k + 1;
        else state = 'unquoted';
      } else if (b === LF) {
        return k + 1;
      } else if (b === delimiter) {
        state = 'field-start';
      } else if (state === 'field-start') {
        state = b === QUOTE ? 'quoted' : 'unquoted';
      }
    }
    this.state = state;
    return INCOMPLETE;
  }
}

