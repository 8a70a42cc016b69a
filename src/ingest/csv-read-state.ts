/**
 * What one CSV read builds around its engine, shared by the one-thread read (csv.ts) and the split read
 * (csv-threaded.ts) so both start and end a read the same way: the builder and report, the sink made from the
 * header (column cap, column plan), and the closing checks, notes, build and duplicate drop.
 */
import { basename } from 'node:path';
import { VsmError } from '../errors.js';
import { type EventSpill, EventLogBuilder } from '../model/event-log-builder.js';
import { IngestReportBuilder } from './ingest-report.js';
import type { ReadOptions, ReadResult } from './read-options.js';
import { planColumns } from './csv-columns.js';
import type { CsvEngineResult } from './csv-engine.js';
import { CsvRowSink, type SinkOptions } from './csv-row-sink.js';
import type { EncodingChoice, OpenedInput } from './decode.js';
import { dropExactDuplicates } from './duplicate-events.js';
import { ingestLimits } from './ingest-limits.js';
import type { Utf8StreamCheck } from './utf8-check.js';

export const DEFAULT_MAX_FIELD_CHARS = 1_000_000;
/** Records longer than this are skipped without being held in memory (both engines). */
const MIN_MAX_RECORD_CHARS = 64 * 1024 * 1024;

export interface CsvReadState {
  file: string;
  path: string;
  builder: EventLogBuilder;
  report: IngestReportBuilder;
  fileIndex: number;
  sinkOptions: SinkOptions;
  maxRecordChars: number;
  /** The sink onHeader made, once the header was read. */
  sink: CsvRowSink | undefined;
  /** Checks the header and makes the sink for its rows (the engines' onHeader). */
  onHeader: (header: string[]) => CsvRowSink;
}

function formatDetectedBy(path: string, options: ReadOptions): string {
  if (options.source === 'csv') return 'flag';
  return /\.(csv|tsv|txt)(\.gz)?$/i.test(path) ? 'extension' : 'sniffed';
}

/** Sink options as readCsv derives them from ReadOptions (a worker thread gets the same). */
export function sinkOptionsOf(options: ReadOptions, delimiter: string): SinkOptions {
  return { timeZone: options.timeZone, dateFormat: options.dateFormat, maxFieldChars: options.maxFieldChars ?? DEFAULT_MAX_FIELD_CHARS, delimiter, statusChanges: options.shape === 'status' };
}

/**
 * Starts a read. With `spill`, the builder hands its events to the spill made when the header is read (the
 * partitioned engine's event store): nothing before the header pushes an event.
 */
export function startRead(opened: OpenedInput, encoding: EncodingChoice, delimiter: string, path: string, options: ReadOptions, spill?: () => EventSpill): CsvReadState {
  const file = basename(path);
  const builder = new EventLogBuilder(options.shape ?? 'activity');
  const report = new IngestReportBuilder('csv', formatDetectedBy(path, options));
  const fileIndex = builder.addFile(path);
  report.files.push(path);
  report.encoding = encoding.encoding;
  report.delimiter = delimiter;
  if (encoding.note !== undefined) report.note(encoding.note);
  if (opened.gzip && !/\.gz$/i.test(path)) report.note('input is gzip-compressed (detected by its content, not its name)');
  if (spill === undefined) builder.reserve(estimateRows(opened));
  const sinkOptions = sinkOptionsOf(options, delimiter);
  const limits = ingestLimits(options.limits);
  const state: CsvReadState = {
    file,
    path,
    builder,
    report,
    fileIndex,
    sinkOptions,
    maxRecordChars: Math.max(MIN_MAX_RECORD_CHARS, sinkOptions.maxFieldChars * 8),
    sink: undefined,
    onHeader: (header) => {
      if (header.length > limits.maxCsvColumns) {
        throw new VsmError({
          code: 'INPUT_TOO_LARGE',
          what: 'CSV header has too many columns',
          where: `${file} header`,
          got: `${header.length} columns (the limit is ${limits.maxCsvColumns})`,
          fix: 'export only the columns the log needs (case, activity, timestamp, resource, …), or check --delimiter',
        });
      }
      const plan = planColumns(header, options.mapping, options.keepAttributes !== false, file);
      if (spill !== undefined) builder.spillTo(spill());
      state.sink = new CsvRowSink(plan, builder, report, fileIndex, path, sinkOptions);
      return state.sink;
    },
  };
  return state;
}

/** After the engine: empty-file checks, the sink's and the UTF-8 check's notes, build, duplicate drop. */
export function finishRead(state: CsvReadState, result: CsvEngineResult, utf8: Utf8StreamCheck | undefined, options: ReadOptions): ReadResult {
  checkRead(state, result, utf8, options);
  const { report, builder } = state;
  const built = builder.build();
  const { log, dropped, firstExample } = options.duplicateRows === 'keep' ? { log: built, dropped: 0, firstExample: undefined } : dropExactDuplicates(built);
  noteDuplicates(report, dropped, firstExample);
  return { log, report: report.finish() };
}

/** Counts and notes the exact duplicate rows dropped (the first example in event order). */
export function noteDuplicates(report: IngestReportBuilder, dropped: number, firstExample: { row: number; repeatsRow: number } | undefined): void {
  if (dropped > 0) {
    report.rowsUsed -= dropped;
    report.duplicatesDropped += dropped;
    const example = firstExample === undefined ? '' : ` (first: data row ${firstExample.row} repeats row ${firstExample.repeatsRow})`;
    report.note(`${dropped} exact duplicate rows dropped: same case, activity, time and every kept column as an earlier row${example}`);
  }
}

/** After the engine, before the events are built: empty-file checks, the sink's and the UTF-8 check's notes. */
export function checkRead(state: CsvReadState, result: CsvEngineResult, utf8: Utf8StreamCheck | undefined, options: ReadOptions): void {
  const { sink, report, file } = state;
  if (!result.headerSeen || sink === undefined) {
    throw new VsmError({ code: 'EMPTY_FILE', what: 'file has no header and no rows', where: file, got: 'only blank lines or a byte-order mark', fix: 'export the log again with a header row' });
  }
  if (result.dataRows === 0) {
    throw new VsmError({ code: 'HEADER_ONLY', what: 'file has a header but no data rows', where: file, got: `columns ${sink.plan.names.filter((n) => n !== '').map((n) => `"${n}"`).join(', ')}`, fix: 'export the log again including its rows (check the export filter)' });
  }
  sink.finish();
  if (utf8 !== undefined && utf8.invalidSequences > 0 && (utf8.multiByteSeen || options.encoding !== undefined)) {
    report.note(
      `${utf8.invalidSequences} byte sequences are not valid UTF-8 (first at byte ${utf8.firstInvalidOffset}) in a file that also holds UTF-8 characters: rows holding them were rejected as bad-encoding rather than decoded to "\uFFFD" (which would merge distinct names); fix the export's encoding`,
    );
  }
  const nulRows = report.rejectedFor('nul-byte');
  if (nulRows > 0) report.note(`${nulRows} rows hold NUL bytes (binary junk in a text export): rejected as nul-byte`);
}

/** Rows expected from the head's average row length, so the columns are sized once (plus 2 % slack). */
export function estimateRows(opened: Pick<OpenedInput, 'head' | 'contentBytesHint'>): number {
  let lines = 0;
  for (let k = 0; k < opened.head.length; k++) if (opened.head[k] === 10) lines++;
  if (lines < 10 || opened.contentBytesHint <= opened.head.length) return 0;
  const bytesPerRow = opened.head.length / lines;
  return Math.min(Math.ceil((opened.contentBytesHint / bytesPerRow) * 1.02) + 1024, 100_000_000);
}
