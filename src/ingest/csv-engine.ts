/** The contract both CSV engines (csv-parse and the byte fast path) fulfil, and their shared errors. */
import { VsmError } from '../errors.js';
import type { CsvRowSink } from './csv-row-sink.js';
import type { TextEncoding } from './decode.js';
import { recordAddress } from '../contracts/ingest-report.js';

export interface CsvEngineInput {
  /** File name for messages. */
  file: string;
  /** Decompressed bytes from offset 0, BOM included. */
  chunks: AsyncIterable<Buffer>;
  bomBytes: number;
  encoding: TextEncoding;
  delimiter: string;
  /** A record longer than this (characters / bytes) is rejected as field-too-long without being kept. */
  maxRecordChars: number;
  /**
   * A reason to reject a decoded row whatever its mapping (NUL bytes, undecodable bytes), or undefined. The
   * csv-parse engine asks it for every data row; the fast engine never sees such rows (it hands them over).
   */
  rowProblem?: (cells: readonly string[]) => 'nul-byte' | 'bad-encoding' | undefined;
  /** Called once with the header cells; returns the sink for the data rows. */
  onHeader: (header: string[]) => CsvRowSink;
  /** Fast engine, one chunk of a split file (csv-threaded): the header is known and this sink takes every record. */
  sink?: CsvRowSink;
  /**
   * Fast engine: false when the chunks stop at a split inside the file rather than at its end. An incomplete last
   * record is then left unread and its length returned as `tailBytes` (the split was inside a quoted field).
   */
  final?: boolean;
}

export interface CsvEngineResult {
  headerSeen: boolean;
  /** Data rows handed to the sink (or rejected by the engine). */
  dataRows: number;
  /** With `final: false`: bytes of an incomplete record at the end, not read (0 when the chunk ends on a record end). */
  tailBytes?: number;
}

/** The fast engine met something it does not reproduce exactly; readCsv reruns with csv-parse. */
export class FastPathUnsupported extends Error {
  constructor(readonly reason: string) {
    super(`fast CSV path unsupported: ${reason}`);
    this.name = 'FastPathUnsupported';
  }
}

export function unterminatedQuoteError(file: string, dataRow: number): VsmError {
  return new VsmError({
    code: 'CSV_PARSE',
    what: 'quote opened and never closed',
    where: dataRow === 0 ? `${file} header` : `${recordAddress(file, dataRow)} (where the quote opened)`,
    got: 'end of file inside a quoted field',
    fix: 'close the quote in that row (a literal quote inside a quoted field is written "") or pass --delimiter if the sniffed one is wrong',
  });
}
