/**
 * Which columns of a wide stage-date CSV (one row per item, one column per stage holding the date the
 * item entered it: ActionableAgile / jira-to-analytics `ID,Link,Name,<stages…>,Type,…`, "Time in Status"
 * entry-date reports) are the id and the stages, decided on the first SAMPLE_ROWS data rows.
 *
 * Detection rule (without `--wide`), all on the sampled rows (at least 2):
 * 1. the id column (the `--case` column, else the first column named ID / Key / Issue key / Item / Ticket / Case,
 *    else the first column) is filled, unique per row, and not a date;
 * 2. a column is a date column when it has a value in some sampled row and every value it has is an ISO-like
 *    date or date-time (or matches `--date-format`); with `--wide`, half of its values suffice (the rest are
 *    rejected as bad timestamps and counted);
 * 3. at least 2 date columns are named like stages, i.e. not like an event log's time columns (timestamp, start,
 *    end, time, date, …) and not like bookkeeping dates (created, updated, resolved, due, last viewed), which are
 *    read as attributes.
 * Stage columns are the stage-named date columns plus any column with no value in the sample that lies between
 * two of them (a stage no sampled item reached), in column order.
 */
import { parse } from 'csv-parse/sync';
import { VsmError, quoteGot } from '../errors.js';
import { sniffDelimiter } from './csv-sniff.js';
import { makeDateFormatParser, parseIsoTimestamp } from './timestamp.js';

export const WIDE_SAMPLE_ROWS = 50;

const ID_NAMES = new Set(['id', 'key', 'issuekey', 'issue', 'issueid', 'item', 'itemid', 'workitem', 'workitemid', 'ticket', 'ticketid', 'case', 'caseid']);
const EVENT_TIME_NAMES = new Set(['time:timestamp', 'timestamp', 'completetimestamp', 'starttimestamp', 'endtimestamp', 'start', 'end', 'starttime', 'endtime', 'time', 'date', 'datetime', 'eventtime', 'completetime', 'startdate', 'enddate']);
const BOOKKEEPING_NAMES = new Set(['created', 'createddate', 'createdat', 'updated', 'updatedat', 'lastupdated', 'modified', 'lastmodified', 'resolved', 'resolutiondate', 'resolvedat', 'due', 'duedate', 'lastviewed']);

function normalised(name: string): string {
  return name.trim().toLowerCase().replace(/[\s_-]+/g, '');
}

export interface WidePlan {
  /** Header names made unique (`Type`, `Type` → `Type`, `Type_2`). */
  names: string[];
  idColumn: number;
  /** Stage columns in column order. */
  stageColumns: number[];
  /** Columns kept as case attributes (everything but the id and the stages). */
  attributeColumns: number[];
  /** Date columns read as attributes because of their name (created, resolved, …). */
  bookkeepingDateColumns: number[];
}

export type WideVerdict = { wide: true; plan: WidePlan } | { wide: false; reason: string };

function uniqueNames(header: string[]): string[] {
  const seen = new Map<string, number>();
  return header.map((raw, k) => {
    const name = raw.trim() === '' ? `column_${k + 1}` : raw.trim();
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name}_${count}`;
  });
}

function dateTester(dateFormat: string | undefined): (text: string) => boolean {
  const withFormat = dateFormat === undefined ? undefined : makeDateFormatParser(dateFormat);
  return (text) => !Number.isNaN(parseIsoTimestamp(text).timestampMs) || (withFormat !== undefined && !Number.isNaN(withFormat(text).timestampMs));
}

/** Decides the wide plan for a header and sampled rows; `forced` (--wide) skips the "is it wide?" tests. */
export function planWideColumns(header: string[], sample: string[][], options: { caseColumn?: string; dateFormat?: string; forced: boolean; file: string }): WideVerdict {
  const names = uniqueNames(header);
  const isDate = dateTester(options.dateFormat);
  let idColumn = 0;
  if (options.caseColumn !== undefined) {
    idColumn = names.findIndex((name) => name === options.caseColumn || normalised(name) === normalised(options.caseColumn as string));
    if (idColumn < 0) throw new VsmError({ code: 'MISSING_COLUMN', what: 'id column not in the header', where: `${options.file} header`, got: quoteGot(options.caseColumn), fix: `pass --case with one of: ${names.slice(0, 12).join(', ')}` });
  } else {
    const named = names.findIndex((name) => ID_NAMES.has(normalised(name)));
    if (named >= 0) idColumn = named;
  }
  const cell = (row: string[], column: number) => (row[column] ?? '').trim();
  const dateColumns: number[] = [];
  const blankColumns = new Set<number>();
  for (let column = 0; column < names.length; column++) {
    if (column === idColumn) continue;
    const values = sample.map((row) => cell(row, column)).filter((value) => value !== '');
    if (values.length === 0) blankColumns.add(column);
    // --wide tolerates a few bad cells (they are rejected and counted); detection wants every value a date.
    else if (options.forced ? values.filter(isDate).length * 2 >= values.length : values.every(isDate)) dateColumns.push(column);
  }
  const bookkeepingDateColumns = dateColumns.filter((column) => BOOKKEEPING_NAMES.has(normalised(names[column])));
  const stageNamed = dateColumns.filter((column) => !bookkeepingDateColumns.includes(column));
  const first = stageNamed[0] ?? -1;
  const last = stageNamed[stageNamed.length - 1] ?? -1;
  const stageColumns = names.map((_, column) => column).filter((column) => stageNamed.includes(column) || (blankColumns.has(column) && column > first && column < last && !BOOKKEEPING_NAMES.has(normalised(names[column]))));
  const attributeColumns = names.map((_, column) => column).filter((column) => column !== idColumn && !stageColumns.includes(column));
  const plan: WidePlan = { names, idColumn, stageColumns, attributeColumns, bookkeepingDateColumns };
  if (options.forced) return { wide: true, plan };

  if (sample.length < 2) return { wide: false, reason: 'fewer than 2 data rows to judge from' };
  const ids = sample.map((row) => cell(row, idColumn));
  if (ids.some((id) => id === '')) return { wide: false, reason: `id column "${names[idColumn]}" has blank values` };
  if (new Set(ids).size !== ids.length) return { wide: false, reason: `id column "${names[idColumn]}" repeats values (one row per event, not per item)` };
  if (ids.every(isDate)) return { wide: false, reason: `id column "${names[idColumn]}" holds dates` };
  const stageLike = stageNamed.filter((column) => !EVENT_TIME_NAMES.has(normalised(names[column])));
  if (stageLike.length < 2) return { wide: false, reason: `${stageLike.length} stage-named date columns (2 needed)` };
  return { wide: true, plan };
}

/** Looks at the head of a delimited text file: is it a wide stage-date CSV? Returns the stage names when it is. */
export function sniffWideCsvHead(head: string): { idName: string; stageNames: string[] } | undefined {
  const lastNewline = head.lastIndexOf('\n');
  const complete = lastNewline >= 0 ? head.slice(0, lastNewline + 1) : head;
  let records: string[][];
  try {
    records = parse(complete, { delimiter: sniffDelimiter(complete), relax_quotes: true, relax_column_count: true, skip_empty_lines: true, to: WIDE_SAMPLE_ROWS + 1 }) as string[][];
  } catch {
    return undefined;
  }
  const [header, ...sample] = records;
  if (header === undefined || header.length < 3) return undefined;
  const verdict = planWideColumns(header, sample, { forced: false, file: '' });
  if (!verdict.wide) return undefined;
  return { idName: verdict.plan.names[verdict.plan.idColumn], stageNames: verdict.plan.stageColumns.map((column) => verdict.plan.names[column]) };
}
