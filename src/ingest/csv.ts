/**
 * Generic CSV event logs → EventLog + IngestReport (DESIGN §2). Streams the file (plain or gzip, by
 * magic bytes), detects encoding, BOM and delimiter, maps columns by name, and accounts for every row.
 * Reading goes through the byte fast engine when it can and through csv-parse otherwise; both share
 * the row logic (csv-row-sink) and give identical results.
 */
import { basename } from 'node:path';
import { VsmError, quoteGot } from '../errors.js';
import type { ReadOptions, ReadResult } from './read-options.js';
import { type CsvEngineInput, type CsvEngineResult, FastPathUnsupported } from './csv-engine.js';
import { runFastEngine } from './csv-fast.js';
import { runCsvParseEngine } from './csv-parse-engine.js';
import { checkRead, type CsvReadState, finishRead, startRead } from './csv-read-state.js';
import type { EventSpill } from '../model/event-log-builder.js';
import { sniffDelimiter } from './csv-sniff.js';
import { readThreaded } from './csv-threaded.js';
import { type EncodingChoice, type OpenedInput, chooseEncoding, openInput } from './decode.js';
import { Utf8StreamCheck } from './utf8-check.js';
import { assertValidTimeZone, makeDateFormatParser } from './timestamp.js';

export { DEFAULT_MAX_FIELD_CHARS } from './csv-read-state.js';

type Engine = (input: CsvEngineInput) => Promise<CsvEngineResult>;

/**
 * Reads one CSV event log.
 * @param path a .csv / .tsv file, optionally gzip-compressed (detected by content).
 * @param options mapping, time zone, date format, delimiter, encoding, engine; see ReadOptions.
 * @return the sorted EventLog and an IngestReport where rowsRead = rowsUsed + rowsRejected + duplicatesDropped.
 * @example const { log, report } = await readCsv('helpdesk.csv.gz', { timeZone: 'Europe/Rome' });
 */
export async function readCsv(path: string, options: ReadOptions = {}): Promise<ReadResult> {
  return readCsvWith(path, options, IN_MEMORY);
}

/** How a read ends: an EventLog (readCsv), or the events handed to a spill (readCsvSpilled). */
interface ReadEnd<T> {
  /** Worker threads may read (the in-memory read only). */
  readonly threads: boolean;
  /** The spill, made when the header is read (no event is pushed before it); absent: the builder keeps the events. */
  readonly spill?: () => EventSpill;
  finish(state: CsvReadState, result: CsvEngineResult, utf8: Utf8StreamCheck | undefined, options: ReadOptions): T;
  /** A read given up for a second one (Latin-1): let its spill go. */
  discard?(state: CsvReadState): void;
}

const IN_MEMORY: ReadEnd<ReadResult> = { threads: true, finish: finishRead };

async function readCsvWith<T>(path: string, options: ReadOptions, end: ReadEnd<T>): Promise<T> {
  checkOptions(options);
  const first = await readCsvOnce(path, options, undefined, end);
  const utf8 = first.utf8;
  if (utf8 !== undefined && utf8.invalidSequences > 0 && !utf8.multiByteSeen && options.encoding === undefined) {
    // Invalid UTF-8 past the sniffed head and no multi-byte character anywhere: the file is Latin-1 throughout.
    const latin1: EncodingChoice = {
      encoding: 'windows-1252',
      bomBytes: 0,
      note: `bytes are not valid UTF-8 (${utf8.invalidSequences} sequences, first at byte ${utf8.firstInvalidOffset}) and no UTF-8 character was seen: read as Latin-1 (Windows-1252); pass --encoding utf-8 to insist`,
    };
    if (first.state !== undefined) end.discard?.(first.state);
    return (await readCsvOnce(path, options, latin1, end)).result;
  }
  return first.result;
}

/** A CSV read into a spill: the read's state (its builder has handed every event over) and its unfinished report. */
export interface SpilledCsvRead {
  readonly state: CsvReadState;
}

/**
 * Reads one CSV event log into a spill (the partitioned engine's event store) instead of an EventLog: the same
 * engines, rows, rejections, notes and dictionaries as readCsv, on one thread; the caller ends the spill
 * (`state.builder.finishSpilled()` once its spill is open) and drops duplicates per case range (stored-read.ts).
 */
export async function readCsvSpilled(path: string, options: ReadOptions, spill: () => EventSpill, discard: (state: CsvReadState) => void): Promise<SpilledCsvRead> {
  return readCsvWith(path, options, {
    threads: false,
    spill,
    discard,
    finish: (state, result, utf8, readOptions) => {
      checkRead(state, result, utf8, readOptions);
      return { state };
    },
  });
}

interface CsvRead<T> {
  result: T;
  /** What the whole-stream UTF-8 check found (UTF-8 inputs only). */
  utf8?: Utf8StreamCheck;
  /** The read's state (absent for the threaded read). */
  state?: CsvReadState;
}

async function readCsvOnce<T>(path: string, options: ReadOptions, forcedEncoding: EncodingChoice | undefined, end: ReadEnd<T>): Promise<CsvRead<T>> {
  const engineChoice = forcedEncoding === undefined ? (options.csvEngine ?? 'auto') : 'csv-parse';
  const opened = await openInput(path, options.onProgress, options.limits, options.inputDigest, true);
  let encoding: EncodingChoice;
  try {
    encoding = forcedEncoding ?? chooseEncoding(path, opened.head, options.encoding);
  } catch (error) {
    await opened.chunks.return(undefined);
    throw error;
  }
  const headText = new TextDecoder(encoding.encoding).decode(opened.head.subarray(encoding.bomBytes));
  const delimiter = options.delimiter ?? sniffDelimiter(headText);
  const fastEligible = encoding.encoding === 'utf-8' && delimiter.length === 1 && delimiter.charCodeAt(0) < 128 && !'"\r\n'.includes(delimiter);

  if (engineChoice === 'csv-parse' || (!fastEligible && engineChoice === 'auto')) {
    return readWith(runCsvParseEngine, opened, encoding, delimiter, path, options, end);
  }
  if (!fastEligible) {
    await opened.chunks.return(undefined);
    throw new VsmError({ code: 'BAD_OPTION', what: 'the fast CSV engine reads UTF-8 with a one-byte delimiter only', where: 'csvEngine', got: `${encoding.encoding}, delimiter ${quoteGot(delimiter)}`, fix: "use csvEngine 'auto'" });
  }
  // Large plain files, when workers are asked for (off by default): chunks read on worker threads, merged to what one thread reads (csv-threaded.ts).
  const threaded = end.threads ? await readThreaded(opened, encoding, delimiter, path, options) : undefined;
  if (threaded !== undefined) return { result: threaded as T };
  try {
    return await readWith(runFastEngine, opened, encoding, delimiter, path, options, end);
  } catch (error) {
    if (!(error instanceof FastPathUnsupported)) throw error;
    await opened.chunks.return(undefined);
    if (engineChoice === 'fast') {
      throw new VsmError({ code: 'BAD_OPTION', what: 'the fast CSV engine cannot read this file exactly', where: basename(path), got: error.reason, fix: "use csvEngine 'auto'" });
    }
    const reopened = await openInput(path, options.onProgress, options.limits, options.inputDigest, true);
    return readWith(runCsvParseEngine, reopened, encoding, delimiter, path, options, end);
  }
}

function checkOptions(options: ReadOptions): void {
  if (options.timeZone !== undefined) assertValidTimeZone(options.timeZone);
  if (options.dateFormat !== undefined) makeDateFormatParser(options.dateFormat);
  if (options.delimiter !== undefined && (options.delimiter.length !== 1 || '"\r\n'.includes(options.delimiter))) {
    throw new VsmError({ code: 'BAD_OPTION', what: 'delimiter must be one character other than a quote or newline', where: '--delimiter', got: quoteGot(options.delimiter), fix: 'pass --delimiter "," or ";" or "\\t" or "|"' });
  }
  if (options.maxFieldChars !== undefined && !(options.maxFieldChars > 0)) {
    throw new VsmError({ code: 'BAD_OPTION', what: 'maxFieldChars must be positive', where: '--max-field-chars', got: String(options.maxFieldChars), fix: 'pass a positive number of characters' });
  }
}

async function readWith<T>(engine: Engine, opened: OpenedInput, encoding: EncodingChoice, delimiter: string, path: string, options: ReadOptions, end: ReadEnd<T>): Promise<CsvRead<T>> {
  const state = startRead(opened, encoding, delimiter, path, options, end.spill);
  const utf8 = encoding.encoding === 'utf-8' ? new Utf8StreamCheck() : undefined;
  const result = await engine({
    file: state.file,
    chunks: utf8 === undefined ? opened.chunks : utf8.wrap(opened.chunks, engine === runFastEngine),
    rowProblem: (cells) => cellProblem(cells, utf8),
    bomBytes: encoding.bomBytes,
    encoding: encoding.encoding,
    delimiter,
    maxRecordChars: state.maxRecordChars,
    onHeader: state.onHeader,
  });
  return { result: end.finish(state, result, utf8, options), utf8, state };
}

/** Rows no engine may keep as text: NUL bytes anywhere; undecodable bytes (U+FFFD) once the UTF-8 check found any. */
function cellProblem(cells: readonly string[], utf8: Utf8StreamCheck | undefined): 'nul-byte' | 'bad-encoding' | undefined {
  const replacementMatters = utf8 !== undefined && utf8.invalidSequences > 0;
  for (const cell of cells) {
    if (cell.includes('\0')) return 'nul-byte';
    if (replacementMatters && cell.includes('\uFFFD')) return 'bad-encoding';
  }
  return undefined;
}
