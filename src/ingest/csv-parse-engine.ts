/**
 * The general CSV engine on csv-parse: any encoding (decoded with TextDecoder as the bytes stream in),
 * any delimiter. Rows are handled inside csv-parse's synchronous `on_record` / `on_skip` callbacks so
 * skipped records are accounted in file order (STYLE.md: always pass on_skip).
 */
import { type CsvError, type Info, parse } from 'csv-parse';
import { isVsmError } from '../errors.js';
import { type CsvEngineInput, type CsvEngineResult, unterminatedQuoteError } from './csv-engine.js';
import type { CsvRowSink, RowFields } from './csv-row-sink.js';
import type { TimeColumn } from './csv-time-column.js';
import type { Dictionary } from '../model/dictionary.js';
import { drainOrClose } from './stream-wait.js';

class StringRow implements RowFields {
  cells: string[] = [];
  dictionaries: (Dictionary | undefined)[] = [];

  get fieldCount(): number {
    return this.cells.length;
  }

  isEmpty(column: number): boolean {
    return this.cells[column] === '';
  }

  text(column: number): string {
    return this.cells[column];
  }

  anyLongerThan(): boolean {
    return true;
  }

  longerThan(column: number, maxChars: number): boolean {
    return this.cells[column].length > maxChars;
  }

  code(column: number): number {
    return (this.dictionaries[column] as Dictionary).intern(this.cells[column]);
  }

  timestampMs(column: number, parser: TimeColumn, row: number): number {
    return parser.parseText(this.cells[column], row);
  }
}

export async function runCsvParseEngine(input: CsvEngineInput): Promise<CsvEngineResult> {
  const row = new StringRow();
  let sink: CsvRowSink | undefined;
  let dataRows = 0;
  let fatal: unknown;

  const makeParser = (recordDelimiters: string[] | undefined) => parse({
    delimiter: input.delimiter,
    record_delimiter: recordDelimiters,
    relax_quotes: true,
    relax_column_count: false,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: input.maxRecordChars,
    on_record: (record: string[], _info: Info) => {
      try {
        if (sink === undefined) {
          sink = input.onHeader(record);
          row.dictionaries = sink.columnDictionaries;
        } else {
          dataRows++;
          const problem = input.rowProblem?.(record);
          if (problem !== undefined) sink.rejectUnreadable(dataRows, problem, record);
          else {
            row.cells = record;
            sink.accept(row, dataRows);
          }
        }
      } catch (error) {
        fatal ??= error;
        throw error;
      }
      return null;
    },
    on_skip: (error: CsvError | undefined) => {
      if (error === undefined) return;
      if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
        // Fatal, not a skipped row: everything after the quote would be one field.
        fatal ??= unterminatedQuoteError(input.file, sink === undefined ? 0 : dataRows + 1);
        throw fatal;
      }
      if (sink === undefined) return;
      dataRows++;
      const record = (error as CsvError & { record?: unknown }).record;
      if (error.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' && Array.isArray(record)) {
        row.cells = record.map(String);
        sink.accept(row, dataRows);
      } else if (error.code === 'CSV_MAX_RECORD_SIZE') {
        sink.rejectOversizedRecord(dataRows, input.maxRecordChars);
      } else {
        sink.rejectSyntax(dataRows, error.code, error.message);
      }
    },
  });
  const decoder = new TextDecoder(input.encoding, { fatal: false });
  const chunks = input.chunks[Symbol.asyncIterator]();
  const firstChunk = await chunks.next();
  const firstText = firstChunk.done ? '' : decoder.decode(firstChunk.value, { stream: true });
  // LF and CRLF in any mix: csv-parse otherwise fixes the record delimiter from the first line, so an LF row
  // in a CRLF file glues onto the next one and a CRLF row in an LF file keeps a trailing CR. A file whose
  // first line ends in a bare CR (classic Mac) keeps csv-parse's own detection.
  const parser = makeParser(endsWithBareCr(firstText) ? undefined : ['\r\n', '\n']);
  parser.resume();
  const finished = new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', reject);
  });
  // Keep the promise handled even if writing fails first.
  finished.catch(() => undefined);

  async function* texts(): AsyncGenerator<string> {
    try {
      yield firstText;
      if (firstChunk.done) return;
      for (;;) {
        const next = await chunks.next();
        if (next.done) return;
        yield decoder.decode(next.value, { stream: true });
      }
    } finally {
      // Stopping early (a fatal row error) closes the file and gunzip streams too.
      await chunks.return?.(undefined);
    }
  }
  try {
    for await (const text of texts()) {
      const accepted = text === '' || parser.write(text);
      if (fatal !== undefined) throw fatal;
      if (!accepted) {
        // A record callback that throws destroys the parser: never wait for a drain that will not come.
        await drainOrClose(parser);
        if (fatal !== undefined) throw fatal;
      }
    }
    const tail = decoder.decode();
    if (tail !== '') parser.write(tail);
    if (fatal !== undefined) throw fatal;
    parser.end();
    await finished;
  } catch (error) {
    if (fatal !== undefined && isVsmError(fatal)) throw fatal;
    const code = (error as { code?: unknown }).code;
    if (code === 'CSV_QUOTE_NOT_CLOSED') throw unterminatedQuoteError(input.file, sink === undefined ? 0 : dataRows + 1);
    throw fatal ?? error;
  }
  return { headerSeen: sink !== undefined, dataRows };
}

/** True when the first line break of `text` is a CR not followed by LF. */
function endsWithBareCr(text: string): boolean {
  const cr = text.indexOf('\r');
  const lf = text.indexOf('\n');
  if (cr < 0) return false;
  return (lf < 0 || cr < lf) && text[cr + 1] !== '\n' && cr + 1 < text.length;
}
