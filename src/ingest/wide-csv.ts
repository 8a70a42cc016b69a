/**
 * Wide stage-date CSV → status-change EventLog (docs/sources-extra.md "Wide stage-date CSV"). Each item row
 * becomes one case; each non-blank stage cell becomes an `enter` event of that stage at that date, so the
 * status reconstruction measures a stage from its date to the next dated stage. Row accounting: every
 * non-blank stage cell is one row of change, so rowsRead = used + rejected + duplicates counts cells.
 */
import { Readable, pipeline } from 'node:stream';
import { basename } from 'node:path';
import { type CsvError, parse } from 'csv-parse';
import { VsmError, isVsmError, quoteGot } from '../errors.js';
import { MISSING_CODE } from '../model/dictionary.js';
import { EventLogBuilder } from '../model/event-log-builder.js';
import { LifecycleCode } from '../model/lifecycle.js';
import { defaultStatusClass } from '../model/status-class.js';
import { TimeColumn } from './csv-time-column.js';
import { sniffDelimiter } from './csv-sniff.js';
import { chooseEncoding, openInput } from './decode.js';
import { IngestReportBuilder } from './ingest-report.js';
import type { ReadOptions, ReadResult } from './read-options.js';
import { assertValidTimeZone, makeDateFormatParser } from './timestamp.js';
import { WIDE_SAMPLE_ROWS, type WidePlan, planWideColumns } from './wide-csv-columns.js';
import { recordAddress } from '../contracts/ingest-report.js';

/** Longest record accepted (characters); a longer one stops the read with a CSV_PARSE error. */
const MAX_RECORD_CHARS = 16 * 1024 * 1024;
const ISO_DATE_ONLY = /^\d{4}[-/]\d{2}[-/]\d{2}$/;

export const WIDE_SHAPE_NOTE =
  'wide stage-date CSV: one date per stage and item, so backward moves and repeat visits are invisible here (rework is not measured); a stage lasts until the next dated stage, and a blank cell means the item skipped that stage';

class WideRowReader {
  private readonly stageNames: string[];
  private readonly times: TimeColumn[];
  private readonly usedPerStage: number[];
  private readonly stageCodes: number[];
  private firstRowDates = new Float64Array(1024).fill(NaN);
  private readonly repeatCells = new Set<string>();
  private itemsWithoutDates = 0;
  private outOfOrderItems = 0;
  private repeatedIds = 0;
  private dateOnlyCells = 0;
  private exampleOutOfOrder = '';

  constructor(
    private readonly plan: WidePlan,
    private readonly builder: EventLogBuilder,
    private readonly report: IngestReportBuilder,
    private readonly fileIndex: number,
    private readonly file: string,
    private readonly options: ReadOptions,
  ) {
    this.stageNames = plan.stageColumns.map((column) => plan.names[column]);
    this.times = this.stageNames.map((name) => new TimeColumn(name, file, report, options.timeZone, options.dateFormat));
    this.usedPerStage = this.stageNames.map(() => 0);
    this.stageCodes = this.stageNames.map(() => MISSING_CODE); // interned on first use: an unreached stage is no activity
  }

  accept(record: string[], row: number): void {
    const { plan, report, builder } = this;
    const id = (record[plan.idColumn] ?? '').trim();
    // A repeated id (a second row for an item already read) is merged into that case; only then can a cell be an
    // exact repeat, so only then are cells looked up (first-row dates per case and stage, then a Set for the rest).
    const knownCaseCode = id === '' ? MISSING_CODE : builder.caseIds.codeOf(id);
    const repeated = knownCaseCode !== MISSING_CODE;
    let caseCode = knownCaseCode;
    let cells = 0;
    let usedCells = 0;
    let latestMs = -Infinity;
    let outOfOrder = false;
    const stageCount = this.stageNames.length;
    for (let stage = 0; stage < stageCount; stage++) {
      const text = (record[plan.stageColumns[stage]] ?? '').trim();
      if (text === '') continue;
      cells++;
      report.rowsRead++;
      if (id === '') {
        report.reject('missing-case', { file: this.file, row, column: plan.names[plan.idColumn], value: '', message: `row ${row} has no id: its "${this.stageNames[stage]}" date is not used` });
        continue;
      }
      const timestampMs = this.times[stage].parseText(text, row);
      if (Number.isNaN(timestampMs)) {
        report.reject('bad-timestamp', { file: this.file, row, column: this.stageNames[stage], value: text, message: `item ${id}: "${this.stageNames[stage]}" is not a date` });
        continue;
      }
      if (caseCode === MISSING_CODE) caseCode = builder.caseIds.intern(id);
      if (repeated) {
        const key = `${caseCode}\u0000${stage}\u0000${timestampMs}`;
        if (this.firstRowDates[caseCode * stageCount + stage] === timestampMs || this.repeatCells.has(key)) {
          report.duplicatesDropped++;
          continue;
        }
        this.repeatCells.add(key);
      } else {
        this.recordFirstRowDate(caseCode * stageCount + stage, timestampMs);
      }
      if (timestampMs < latestMs) outOfOrder = true;
      latestMs = Math.max(latestMs, timestampMs);
      if (ISO_DATE_ONLY.test(text)) this.dateOnlyCells++;
      if (this.stageCodes[stage] === MISSING_CODE) this.stageCodes[stage] = builder.activities.intern(this.stageNames[stage]);
      builder.pushCoded(caseCode, this.stageCodes[stage], timestampMs, LifecycleCode.enter, MISSING_CODE, MISSING_CODE, this.fileIndex, row);
      report.rowsUsed++;
      usedCells++;
      report.seeTimestamp(timestampMs);
      this.usedPerStage[stage]++;
    }
    if (cells === 0) this.itemsWithoutDates++;
    if (outOfOrder) {
      this.outOfOrderItems++;
      if (this.exampleOutOfOrder === '') this.exampleOutOfOrder = id;
    }
    if (repeated) this.repeatedIds++;
    // An item without a usable date is not a case: giving it attributes would create an empty one.
    if (usedCells === 0 || this.options.keepAttributes === false) return;
    for (const column of plan.attributeColumns) {
      const value = (record[column] ?? '').trim();
      if (value !== '') builder.setCaseAttribute(id, plan.names[column], value);
    }
  }

  /** First-row date of (case, stage), in a Float64Array grown by doubling (NaN: no date). */
  private recordFirstRowDate(index: number, timestampMs: number): void {
    if (index >= this.firstRowDates.length) {
      const grown = new Float64Array(Math.max(index + 1, this.firstRowDates.length * 2)).fill(NaN);
      grown.set(this.firstRowDates);
      this.firstRowDates = grown;
    }
    this.firstRowDates[index] = timestampMs;
  }

  /**
   * Column order is the workflow: the last stage is the outcome (as ActionableAgile reads it), and an earlier stage
   * named like done ("Dev Done") is a hand-over queue, not the end. Other stages keep their name defaults.
   */
  private setStageCategories(): void {
    const last = this.stageNames[this.stageNames.length - 1];
    const handOvers = this.stageNames.slice(0, -1).filter((name) => defaultStatusClass(name).statusClass === 'done');
    for (const name of handOvers) this.builder.setStatusCategory(name, 'queue');
    this.builder.setStatusCategory(last, 'done');
    const handOverText = handOvers.length > 0 ? `; ${handOvers.map((name) => `"${name}"`).join(', ')} (named like done, but followed by later stages) read as hand-over queue${handOvers.length > 1 ? 's' : ''}` : '';
    this.report.note(`stage classes from column order: the last stage "${last}" is the outcome (done)${handOverText}; override per status in the config`);
  }

  finish(): void {
    const { report, plan } = this;
    report.mapping.case = plan.names[plan.idColumn];
    report.mapping.activity = `stage columns, in column order: ${this.stageNames.join(' → ')}`;
    report.mapping.timestamp = 'the date in each stage column (the item entered that stage)';
    report.note(WIDE_SHAPE_NOTE);
    this.setStageCategories();
    const offsetless = this.times.reduce((sum, time) => sum + time.offsetlessCount, 0);
    if (this.options.timeZone !== undefined) {
      report.timeZoneGiven = this.options.timeZone;
      if (offsetless > 0) report.note(`${offsetless} offset-less stage dates read as wall-clock time in ${this.options.timeZone}`);
    } else if (offsetless > 0) {
      report.timeZoneAssumed = 'UTC';
      report.note(`no time zone given: ${offsetless} offset-less stage dates read as UTC; pass --timezone <IANA>`);
    }
    if (this.dateOnlyCells > 0) {
      report.note(`${this.dateOnlyCells} stage dates carry no time of day (read as midnight): stage times are whole days, and a stage entered and left on the same day counts 0 s`);
    }
    const bookkeeping = plan.bookkeepingDateColumns.map((column) => `"${plan.names[column]}"`);
    if (bookkeeping.length > 0) report.note(`columns ${bookkeeping.join(', ')} hold dates but are read as item attributes, not stages (bookkeeping dates)`);
    const unreached = this.stageNames.filter((_, stage) => this.usedPerStage[stage] === 0);
    if (unreached.length > 0) report.note(`no item has a date in stage${unreached.length > 1 ? 's' : ''} ${unreached.map((name) => `"${name}"`).join(', ')}`);
    if (this.outOfOrderItems > 0) {
      report.note(`${this.outOfOrderItems} items have a stage dated before an earlier column's stage (e.g. ${this.exampleOutOfOrder}): they are read in date order, so their path differs from the column order`);
    }
    if (this.itemsWithoutDates > 0) report.note(`${this.itemsWithoutDates} items have no stage date at all: they are not cases`);
    if (this.repeatedIds > 0) report.note(`${this.repeatedIds} rows repeat the id of an item already read: their stage dates were merged into that item (exact repeats dropped as duplicates)`);
  }
}

async function* decodedText(chunks: AsyncIterable<Buffer>, encoding: string, bomBytes: number): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding);
  let skip = bomBytes;
  for await (const chunk of chunks) {
    const bytes = skip > 0 ? chunk.subarray(Math.min(skip, chunk.length)) : chunk;
    skip = Math.max(0, skip - chunk.length);
    const text = decoder.decode(bytes, { stream: true });
    if (text !== '') yield text;
  }
  const tail = decoder.decode();
  if (tail !== '') yield tail;
}

/**
 * Reads a wide stage-date CSV (plain or gzip, any encoding the CSV reader knows).
 * @param options `mapping.case` picks the id column; `timeZone`, `dateFormat`, `delimiter`, `encoding` as for CSV.
 * @return a status-shaped EventLog of `enter` events and an IngestReport counting stage cells.
 */
export async function readWideCsv(path: string, options: ReadOptions = {}): Promise<ReadResult> {
  if (options.timeZone !== undefined) assertValidTimeZone(options.timeZone);
  if (options.dateFormat !== undefined) makeDateFormatParser(options.dateFormat);
  const file = basename(path);
  const opened = await openInput(path, options.onProgress, undefined, options.inputDigest);
  let encoding;
  try {
    encoding = chooseEncoding(path, opened.head, options.encoding);
  } catch (error) {
    await opened.chunks.return(undefined);
    throw error;
  }
  const headText = new TextDecoder(encoding.encoding).decode(opened.head.subarray(encoding.bomBytes));
  const delimiter = options.delimiter ?? sniffDelimiter(headText);
  const report = new IngestReportBuilder('wide-csv', options.wide ? 'flag --wide' : 'sniffed');
  report.files.push(path);
  report.encoding = encoding.encoding;
  report.delimiter = delimiter;
  if (encoding.note !== undefined) report.note(encoding.note);
  const builder = new EventLogBuilder('status');
  const fileIndex = builder.addFile(path);

  const parser = parse({ delimiter, relax_quotes: true, relax_column_count: true, skip_empty_lines: true, max_record_size: MAX_RECORD_CHARS });
  pipeline(Readable.from(decodedText(opened.chunks, encoding.encoding, encoding.bomBytes)), parser, () => undefined);
  let header: string[] | undefined;
  const sample: string[][] = [];
  let reader: WideRowReader | undefined;
  let dataRows = 0;
  const start = (): WideRowReader => {
    const verdict = planWideColumns(header as string[], sample, { caseColumn: options.mapping?.case, dateFormat: options.dateFormat, forced: true, file });
    const plan = (verdict as { plan: WidePlan }).plan;
    if (plan.stageColumns.length === 0) {
      throw new VsmError({
        code: 'MISSING_COLUMN',
        what: 'no stage column holds dates',
        where: `${file} (first ${sample.length} rows)`,
        got: `columns ${plan.names.map((name) => `"${name}"`).join(', ')}`,
        fix: 'a wide stage-date CSV has one column per stage holding the date the item entered it; pass --date-format if the dates are not ISO, or drop --wide',
      });
    }
    const created = new WideRowReader(plan, builder, report, fileIndex, file, options);
    sample.forEach((record, k) => created.accept(record, k + 1));
    return created;
  };
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (header === undefined) {
        header = record;
        continue;
      }
      dataRows++;
      if (reader) reader.accept(record, dataRows);
      else {
        sample.push(record);
        if (sample.length === WIDE_SAMPLE_ROWS) reader = start();
      }
    }
  } catch (error) {
    if (isVsmError(error)) throw error;
    const csvError = error as CsvError;
    throw new VsmError({ code: 'CSV_PARSE', what: 'CSV cannot be parsed', where: recordAddress(file, dataRows + 1), got: quoteGot(csvError.message ?? String(error)), fix: 'repair the row or pass --delimiter if the sniffed one is wrong' });
  }
  if (header === undefined) throw new VsmError({ code: 'EMPTY_FILE', what: 'file has no header and no rows', where: file, fix: 'export the stage dates again with a header row' });
  if (dataRows === 0) throw new VsmError({ code: 'HEADER_ONLY', what: 'file has a header but no item rows', where: file, got: `columns ${header.map((name) => `"${name}"`).join(', ')}`, fix: 'export the stage dates again including the items' });
  reader ??= start();
  reader.finish();
  return { log: builder.build(), report: report.finish() };
}
