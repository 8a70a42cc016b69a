/**
 * The fast CSV engine: scans UTF-8 bytes for delimiter, quote and newline directly on Buffers, interns
 * cells from bytes (csv-byte-interner) and parses ISO timestamps from bytes (csv-iso-bytes). It follows
 * RFC 4180 (quoted fields, doubled quotes, embedded newlines) with csv-parse's choices: blank lines are
 * skipped, a quote inside an unquoted field is literal, a record ends at LF or CRLF (mixed in one file
 * too: spreadsheets append LF rows to CRLF files). Anything else (junk after a closing quote, a bare CR)
 * throws FastPathUnsupported and readCsv reruns the file through csv-parse, so both engines always agree.
 */
import type { Dictionary } from '../model/dictionary.js';
import { ByteInterner } from './csv-byte-interner.js';
import { type CsvEngineInput, type CsvEngineResult, FastPathUnsupported, unterminatedQuoteError } from './csv-engine.js';
import { CR, FastRow, INCOMPLETE, LF, QUOTE, RecordEndFinder } from './csv-fast-row.js';
import { useIsoBytesBuffer } from './csv-iso-bytes.js';
import type { CsvRowSink } from './csv-row-sink.js';

/**
 * After a record that straddles chunks (copied into a buffer of its own): the scan reads whole words past its last
 * field's line feed, as it does inside a chunk, instead of taking the byte loop at the buffer's end once per chunk.
 */
const WORD_PADDING = Buffer.alloc(4);

export async function runFastEngine(input: CsvEngineInput): Promise<CsvEngineResult> {
  const delimiter = input.delimiter.charCodeAt(0);
  const row = new FastRow();
  let sink: CsvRowSink | undefined;
  let dataRows = 0;
  // 1 for the bytes that end an unquoted field (delimiter, LF, CR): one table load per ordinary byte.
  const stopBytes = new Uint8Array(256);
  stopBytes[delimiter] = 1;
  stopBytes[LF] = 1;
  stopBytes[CR] = 1;
  // Bytes above every stop byte (letters, digits, most punctuation) skip the table load.
  const maxStop = Math.max(delimiter, LF, CR);
  // The delimiter in each byte of a word: an unquoted field is skipped 4 bytes per load while no byte of the word is a
  // stop byte (the zero-byte and below-0x0e tests below are exact: no word holding one passes).
  const delimiterWord = Math.imul(delimiter, 0x01010101);
  let view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  // The last record with fields in the buffer being processed: where it starts, how many of its leading fields the next
  // record may share, and the bytes those span (up to and including the last one's delimiter).
  let previousBytes: Buffer | undefined;
  let previousStart = 0;
  let previousCandidates = 0;
  let previousCompareBytes = 0;

  /**
   * Scans one record at `pos` that ends by `limit` (≤ bytes.length; the words past it may be read); returns the position
   * after it, or INCOMPLETE. fieldCount 0 = blank line. `view` must be bytes' DataView (processChunk makes it).
   */
  function scan(bytes: Buffer, pos: number, limit: number, eof: boolean): number {
    const delimiterByte = delimiter;
    const delimiterBytes = delimiterWord;
    row.fieldCount = 0;
    row.anyEscaped = false;
    row.firstQuoted = 0x7fffffff;
    if (pos >= limit) return eof ? limit : INCOMPLETE;
    const first = bytes[pos];
    if (first === LF) return pos + 1;
    if (first === CR) {
      if (pos + 1 >= limit) return eof ? limit : INCOMPLETE;
      if (bytes[pos + 1] === LF) return pos + 2;
    }
    let f = 0;
    let p = pos;
    let starts = row.starts;
    let ends = row.ends;
    let escapedFlags = row.escaped;
    let firstQuoted = 0x7fffffff;
    row.sharedFields = 0;
    const words = view;
    // Words are read up to the buffer's end, not only up to `limit`: an unquoted field stops at the line feed that ends
    // the region at the latest, so the word loop never passes it, and a chunk's last field needs no byte loop (code
    // that would run once a chunk: V8 threw scan's compiled code away the first time it got there, h27-read).
    const wordLimit = bytes.length;
    if (bytes === previousBytes && previousCompareBytes > 0) {
      // The leading fields whose bytes (delimiter included) equal the previous record's: compared 4 bytes per load, they
      // take the previous record's field bounds moved by the distance between the records, and are not scanned again.
      const from = previousStart;
      const length = Math.min(previousCompareBytes, limit - pos);
      let equalBytes = 0;
      for (;;) {
        if (equalBytes + 4 > length) {
          // The last 0–3 bytes: one word under a mask while the word lies inside the buffer, else byte by byte.
          const rest = length - equalBytes;
          if (rest > 0 && pos + equalBytes + 4 <= wordLimit) {
            const tail = (words.getInt32(from + equalBytes, true) ^ words.getInt32(pos + equalBytes, true)) & ((1 << (8 * rest)) - 1);
            equalBytes += tail === 0 ? rest : (31 - Math.clz32(tail & -tail)) >> 3;
          } else {
            while (equalBytes < length && bytes[from + equalBytes] === bytes[pos + equalBytes]) equalBytes++;
          }
          break;
        }
        const difference = words.getInt32(from + equalBytes, true) ^ words.getInt32(pos + equalBytes, true);
        if (difference !== 0) {
          equalBytes += (31 - Math.clz32(difference & -difference)) >> 3;
          break;
        }
        equalBytes += 4;
      }
      const lastEqual = from + equalBytes;
      const candidates = previousCandidates;
      let shared = 0;
      while (shared < candidates && ends[shared] < lastEqual) shared++;
      if (shared > 0) {
        const delta = pos - from;
        for (let k = 0; k < shared; k++) {
          starts[k] += delta;
          ends[k] += delta;
        }
        f = shared;
        p = ends[shared - 1] + 1;
        row.sharedFields = shared;
      }
    }
    for (;;) {
      if (f >= starts.length) {
        row.grow();
        starts = row.starts;
        ends = row.ends;
        escapedFlags = row.escaped;
      }
      if (p >= limit) {
        if (!eof) return INCOMPLETE;
        starts[f] = p;
        ends[f] = p;
        escapedFlags[f] = 0;
        row.fieldCount = f + 1;
        return p;
      }
      if (bytes[p] === QUOTE) {
        if (firstQuoted > f) {
          firstQuoted = f;
          row.firstQuoted = f;
        }
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
        starts[f] = contentStart;
        ends[f] = q;
        escapedFlags[f] = escaped;
        f++;
        p = q + 1;
        if (p >= limit) {
          row.fieldCount = f;
          return p;
        }
        const b = bytes[p];
        if (b === delimiterByte) {
          p++;
          continue;
        }
        if (b === LF) {
          row.fieldCount = f;
          return p + 1;
        }
        if (b === CR) {
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
      while (p + 4 <= wordLimit) {
        const word = words.getInt32(p, true);
        const d = word ^ delimiterBytes;
        // A zero byte in d (the delimiter), or a byte below 0x0e in the word (LF and CR among them). Both tests flag
        // their first such byte exactly (no borrow reaches it; false flags only sit above it), so the lowest flag is the
        // first byte that is the delimiter or below 0x0e: the byte loop starts there (a rarer control byte below 0x0e
        // is not a stop byte, and the byte loop goes on past it).
        const hits = (((d - 0x01010101) & ~d) | ((word - 0x0e0e0e0e) & ~word)) & 0x80808080;
        if (hits !== 0) {
          p += (31 - Math.clz32(hits & -hits)) >> 3;
          break;
        }
        p += 4;
      }
      if (p < limit) {
        // The usual ends of a field (the delimiter, a line feed), decided without the byte loop.
        const b = bytes[p];
        if (b === delimiterByte) {
          starts[f] = fieldStart;
          ends[f] = p;
          escapedFlags[f] = 0;
          f++;
          p++;
          continue;
        }
        if (b === LF) {
          starts[f] = fieldStart;
          ends[f] = p;
          escapedFlags[f] = 0;
          row.fieldCount = f + 1;
          return p + 1;
        }
      }
      while (p < limit) {
        const b = bytes[p];
        if (b <= maxStop && stopBytes[b] === 1) break;
        p++;
      }
      for (;;) {
        if (p >= limit) {
          if (!eof) return INCOMPLETE;
          starts[f] = fieldStart;
          ends[f] = p;
          escapedFlags[f] = 0;
          row.fieldCount = f + 1;
          return p;
        }
        const b = bytes[p];
        if (b === delimiterByte) {
          starts[f] = fieldStart;
          ends[f] = p;
          escapedFlags[f] = 0;
          f++;
          p++;
          break;
        }
        if (b === LF) {
          starts[f] = fieldStart;
          ends[f] = p;
          escapedFlags[f] = 0;
          row.fieldCount = f + 1;
          return p + 1;
        }
        if (b === CR) {
          if (p + 1 >= limit) {
            if (!eof) return INCOMPLETE;
            throw new FastPathUnsupported('CR at end of file');
          }
          if (bytes[p + 1] !== LF) throw new FastPathUnsupported('bare CR');
          starts[f] = fieldStart;
          ends[f] = p;
          escapedFlags[f] = 0;
          row.fieldCount = f + 1;
          return p + 2;
        }
        p++;
      }
    }
  }

  function attach(rowSink: CsvRowSink): void {
    sink = rowSink;
    const dictionaries = rowSink.columnDictionaries;
    row.interners = new Array<ByteInterner | undefined>(dictionaries.length).fill(undefined);
    const columnsPerDictionary = new Map<Dictionary, number>();
    for (const dictionary of dictionaries) if (dictionary) columnsPerDictionary.set(dictionary, (columnsPerDictionary.get(dictionary) ?? 0) + 1);
    row.makeInterner = (column) => {
      const dictionary = dictionaries[column] as Dictionary;
      return new ByteInterner(dictionary, columnsPerDictionary.get(dictionary) === 1);
    };
  }
  if (input.sink !== undefined) attach(input.sink);

  function handleRecord(bytes: Buffer): void {
    if (row.fieldCount === 0) return;
    row.bytes = bytes;
    if (row.anyEscaped) row.unescapeFields();
    if (sink === undefined) {
      const header: string[] = [];
      for (let k = 0; k < row.fieldCount; k++) header.push(row.text(k));
      attach(input.onHeader(header));
      return;
    }
    dataRows++;
    sink.accept(row, dataRows);
  }

  /**
   * Processes the whole records of bytes[pos, end) (the bytes after `end`, if any, are padding that words may read);
   * returns where the first incomplete record starts.
   *
   * Called once per chunk, and cold (no loop): what runs once per buffer is done here, not in the hot functions. V8
   * compiles those during the first chunk, when code that runs only as the buffer changes had run once without type
   * feedback, and it threw their compiled code away at the second chunk (scan, intern, parseIsoBytes, processRecords:
   * h27-read).
   */
  function processChunk(bytes: Buffer, pos: number, eof: boolean, end = bytes.length): number {
    view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    row.useBuffer(bytes);
    useIsoBytesBuffer(bytes);
    // Records are scanned up to the last line feed, so the scan reaches the end of a chunk's bytes only at the end of the
    // file. No record completes past that line feed (one cut inside quotes may be scanned past it: it ends INCOMPLETE).
    const region = eof ? end : end > 0 ? bytes.lastIndexOf(LF, end - 1) + 1 : 0;
    return processRecords(bytes, pos, region, eof);
  }

  /** Processes whole records of bytes[pos, region); returns where the first incomplete record starts. */
  function processRecords(bytes: Buffer, pos: number, region: number, eof: boolean): number {
    previousBytes = undefined;
    while (pos < region) {
      const next = scan(bytes, pos, region, eof);
      if (next === INCOMPLETE) return pos;
      row.forgetUnshared();
      handleRecord(bytes);
      if (row.fieldCount > 0) {
        // The next record compares its leading fields with this one's: all but the last field (which ends at a line
        // end), and none from the first quoted one on (unescaping rewrote its bytes in place).
        const candidates = Math.min(row.fieldCount - 1, row.firstQuoted);
        previousBytes = bytes;
        previousStart = pos;
        previousCandidates = candidates;
        previousCompareBytes = candidates > 0 ? row.ends[candidates - 1] + 1 - pos : 0;
      }
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
    }
    let pos = 0;
    if (pending !== undefined) {
      const end = finder.find(bytes, 0);
      if (end === INCOMPLETE) {
        if (!discarding) {
          // A copy: the reader may reuse the chunk's buffer for the chunk after next (decode.ts, filePieces).
          pending.push(Buffer.from(bytes));
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
        pending.push(bytes.subarray(0, end), WORD_PADDING);
        const record = Buffer.concat(pending);
        const recordEnd = record.length - WORD_PADDING.length;
        const after = processChunk(record, 0, false, recordEnd);
        if (after !== recordEnd) throw new FastPathUnsupported('record boundary disagreement');
      }
      pending = undefined;
      pendingBytes = 0;
      pos = end;
    }
    pos = processChunk(bytes, pos, false);
    if (pos < bytes.length) {
      const rest = Buffer.from(bytes.subarray(pos));
      finder.reset();
      finder.find(rest, 0);
      pending = [rest];
      pendingBytes = rest.length;
    }
  }
  if (input.final === false) {
    // A chunk of a split file (csv-threaded): its last record may run on past the split; the caller checks.
    if (discarding) throw new FastPathUnsupported('a record longer than maxRecordChars crosses a chunk split');
    return { headerSeen: sink !== undefined, dataRows, tailBytes: pending === undefined ? 0 : pendingBytes };
  }
  if (discarding) {
    if (finder.insideQuotes) throw unterminatedQuoteError(input.file, dataRows + 1);
    dataRows++;
    rejectOversized(input, sink, dataRows);
  } else if (pending !== undefined) {
    const record = Buffer.concat(pending);
    processChunk(record, 0, true);
  }
  return { headerSeen: sink !== undefined, dataRows };
}

function rejectOversized(input: CsvEngineInput, sink: CsvRowSink | undefined, row: number): void {
  if (sink === undefined) throw new FastPathUnsupported('oversized header');
  sink.rejectOversizedRecord(row, input.maxRecordChars);
}
