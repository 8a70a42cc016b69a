/**
 * The fast CSV engine: scans UTF-8 bytes for delimiter, quote and newline directly on Buffers, interns
 * cells from bytes (csv-byte-interner) and parses ISO timestamps from bytes (csv-iso-bytes). It follows
 * RFC 4180 (quoted fields, doubled quotes, embedded newlines) with csv-parse's choices: blank lines are
 * skipped, a quote inside an unquoted field is literal, the record delimiter is the header's (LF or
 * CRLF). Anything else (junk after a closing quote, mixed line ends) throws FastPathUnsupported and
 * readCsv reruns the file through csv-parse, so both engines always agree.
 */
import type { Dictionary } from '../model/dictionary.js';
import { ByteInterner } from './csv-byte-interner.js';
import { type CsvEngineInput, type CsvEngineResult, FastPathUnsupported, unterminatedQuoteError } from './csv-engine.js';
import { isoBytesOffsetKey, parseIsoBytes } from './csv-iso-bytes.js';
import type { CsvRowSink, RowFields } from './csv-row-sink.js';
import type { TimeColumn } from './csv-time-column.js';

const QUOTE = 34;
const LF = 10;
const CR = 13;
const INCOMPLETE = -1;
const EMPTY = Buffer.alloc(0);

class FastRow implements RowFields {
  bytes: Buffer = EMPTY;
  starts: Int32Array = new Int32Array(64);
  ends: Int32Array = new Int32Array(64);
  escaped: Uint8Array = new Uint8Array(64);
  fieldCount = 0;
  anyEscaped = false;
  interners: (ByteInterner | undefined)[] = [];

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
  }

  isEmpty(column: number): boolean {
    return this.starts[column] === this.ends[column];
  }

  text(column: number): string {
    return this.bytes.toString('utf8', this.starts[column], this.ends[column]);
  }

  longerThan(column: number, maxChars: number): boolean {
    // UTF-8 never has fewer bytes than UTF-16 code units, so short byte runs need no decoding.
    return this.ends[column] - this.starts[column] > maxChars && this.text(column).length > maxChars;
  }

  code(column: number): number {
    return (this.interners[column] as ByteInterner).intern(this.bytes, this.starts[column], this.ends[column]);
  }

  timestampMs(column: number, parser: TimeColumn, row: number): number {
    if (parser.mode === 'iso') {
      const timestampMs = parseIsoBytes(this.bytes, this.starts[column], this.ends[column]);
      if (!Number.isNaN(timestampMs)) return parser.acceptIso(timestampMs, isoBytesOffsetKey, row);
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
class RecordEndFinder {
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

export async function runFastEngine(input: CsvEngineInput): Promise<CsvEngineResult> {
  const delimiter = input.delimiter.charCodeAt(0);
  const row = new FastRow();
  let sink: CsvRowSink | undefined;
  let dataRows = 0;
  let crlf = false;
  // 1 for the bytes that end an unquoted field (delimiter, LF, CR): one table load per ordinary byte.
  const stopBytes = new Uint8Array(256);
  stopBytes[delimiter] = 1;
  stopBytes[LF] = 1;
  stopBytes[CR] = 1;

  /** Scans one record at `pos`; returns the position after it, or INCOMPLETE. fieldCount 0 = blank line. */
  function scan(bytes: Buffer, pos: number, eof: boolean): number {
    const limit = bytes.length;
    row.fieldCount = 0;
    row.anyEscaped = false;
    if (pos >= limit) return eof ? limit : INCOMPLETE;
    const first = bytes[pos];
    if (first === LF) {
      if (crlf) throw new FastPathUnsupported('bare LF in a CRLF file');
      return pos + 1;
    }
    if (first === CR && crlf) {
      if (pos + 1 >= limit) return eof ? limit : INCOMPLETE;
      if (bytes[pos + 1] === LF) return pos + 2;
    }
    let f = 0;
    let p = pos;
    for (;;) {
      if (f >= row.starts.length) row.grow();
      if (p >= limit) {
        if (!eof) return INCOMPLETE;
        row.starts[f] = p;
        row.ends[f] = p;
        row.escaped[f] = 0;
        row.fieldCount = f + 1;
        return p;
      }
      if (bytes[p] === QUOTE) {
        const contentStart = p + 1;
        let q = contentStart;
        let escaped = 0;
        for (;;) {
          q = bytes.indexOf(QUOTE, q);
          if (q < 0) {
            if (!eof) return INCOMPLETE;
            throw unterminatedQuoteError(input.file, sink === undefined ? 0 : dataRows + 1);
          }
          if (q + 1 >= limit) {
            if (!eof) return INCOMPLETE;
            break;
          }
          if (bytes[q + 1] !== QUOTE) break;
          escaped = 1;
          row.anyEscaped = true;
          q += 2;
        }
        row.starts[f] = contentStart;
        row.ends[f] = q;
        row.escaped[f] = escaped;
        f++;
        p = q + 1;
        if (p >= limit) {
          row.fieldCount = f;
          return p;
        }
        const b = bytes[p];
        if (b === delimiter) {
          p++;
          continue;
        }
        if (b === LF && !crlf) {
          row.fieldCount = f;
          return p + 1;
        }
        if (b === CR && crlf) {
          if (p + 1 >= limit) {
            if (!eof) return INCOMPLETE;
            throw new FastPathUnsupported('CR at end of file');
          }
          if (bytes[p + 1] === LF) {
            row.fieldCount = f;
            return p + 2;
          }
        }
        throw new FastPathUnsupported('characters after a closing quote');
      }
      const fieldStart = p;
      while (p < limit && stopBytes[bytes[p]] === 0) p++;
      for (;;) {
        if (p >= limit) {
          if (!eof) return INCOMPLETE;
          row.starts[f] = fieldStart;
          row.ends[f] = p;
          row.escaped[f] = 0;
          row.fieldCount = f + 1;
          return p;
        }
        const b = bytes[p];
        if (b === delimiter) {
          row.starts[f] = fieldStart;
          row.ends[f] = p;
          row.escaped[f] = 0;
          f++;
          p++;
          break;
        }
        if (b === LF) {
          if (crlf) throw new FastPathUnsupported('bare LF in a CRLF file');
          row.starts[f] = fieldStart;
          row.ends[f] = p;
          row.escaped[f] = 0;
          row.fieldCount = f + 1;
          return p + 1;
        }
        if (b === CR) {
          if (!crlf) throw new FastPathUnsupported('CR in an LF file');
          if (p + 1 >= limit) {
            if (!eof) return INCOMPLETE;
            throw new FastPathUnsupported('CR at end of file');
          }
          if (bytes[p + 1] !== LF) throw new FastPathUnsupported('bare CR');
          row.starts[f] = fieldStart;
          row.ends[f] = p;
          row.escaped[f] = 0;
          row.fieldCount = f + 1;
          return p + 2;
        }
        p++;
      }
    }
  }

  function handleRecord(bytes: Buffer): void {
    if (row.fieldCount === 0) return;
    row.bytes = bytes;
    if (row.anyEscaped) row.unescapeFields();
    if (sink === undefined) {
      const header: string[] = [];
      for (let k = 0; k < row.fieldCount; k++) header.push(row.text(k));
      sink = input.onHeader(header);
      row.interners = sink.columnDictionaries.map((dictionary: Dictionary | undefined) => (dictionary ? new ByteInterner(dictionary) : undefined));
      return;
    }
    dataRows++;
    sink.accept(row, dataRows);
  }

  /** Processes whole records of bytes from `pos`; returns where the first incomplete record starts. */
  function processRecords(bytes: Buffer, pos: number, eof: boolean): number {
    while (pos < bytes.length) {
      const next = scan(bytes, pos, eof);
      if (next === INCOMPLETE) return pos;
      handleRecord(bytes);
      pos = next;
    }
    return pos;
  }

  const finder = new RecordEndFinder(delimiter);
  let pending: Buffer[] | undefined;
  let pendingBytes = 0;
  let discarding = false;
  let firstChunk = true;

  for await (const chunk of input.chunks) {
    let bytes = chunk;
    if (firstChunk) {
      firstChunk = false;
      bytes = bytes.subarray(input.bomBytes);
      crlf = headerEndsWithCrlf(bytes, delimiter);
    }
    let pos = 0;
    if (pending !== undefined) {
      const end = finder.find(bytes, 0);
      if (end === INCOMPLETE) {
        if (!discarding) {
          pending.push(bytes);
          pendingBytes += bytes.length;
          if (pendingBytes > input.maxRecordChars) {
            discarding = true;
            pending = [];
          }
        }
        continue;
      }
      if (discarding) {
        dataRows++;
        rejectOversized(input, sink, dataRows);
        discarding = false;
      } else {
        pending.push(bytes.subarray(0, end));
        const record = Buffer.concat(pending);
        const after = processRecords(record, 0, false);
        if (after !== record.length) throw new FastPathUnsupported('record boundary disagreement');
      }
      pending = undefined;
      pendingBytes = 0;
      pos = end;
    }
    pos = processRecords(bytes, pos, false);
    if (pos < bytes.length) {
      const rest = Buffer.from(bytes.subarray(pos));
      finder.reset();
      finder.find(rest, 0);
      pending = [rest];
      pendingBytes = rest.length;
    }
  }
  if (discarding) {
    if (finder.insideQuotes) throw unterminatedQuoteError(input.file, dataRows + 1);
    dataRows++;
    rejectOversized(input, sink, dataRows);
  } else if (pending !== undefined) {
    const record = Buffer.concat(pending);
    processRecords(record, 0, true);
  }
  return { headerSeen: sink !== undefined, dataRows };
}

function rejectOversized(input: CsvEngineInput, sink: CsvRowSink | undefined, row: number): void {
  if (sink === undefined) throw new FastPathUnsupported('oversized header');
  sink.rejectOversizedRecord(row, input.maxRecordChars);
}

/** Whether the header line (first LF outside quotes) ends in CRLF; csv-parse fixes the record delimiter there. */
function headerEndsWithCrlf(bytes: Uint8Array, delimiter: number): boolean {
  const end = new RecordEndFinder(delimiter).find(bytes, 0);
  return end >= 2 && bytes[end - 2] === CR;
}
