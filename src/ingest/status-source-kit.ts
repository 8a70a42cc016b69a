import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { tz } from '@date-fns/tz';
import { parse as parseCsv } from 'csv-parse/sync';
import { isValid } from 'date-fns/isValid';
import { parse as parseWithFormat } from 'date-fns/parse';
import { VsmError, quoteGot } from '../errors.js';
import { type IngestLimits, ingestLimits, valueTooLongError } from './ingest-limits.js';
import type { IngestReportBuilder } from './ingest-report.js';
import type { ReadOptions, SourceKind } from './read-options.js';
import { assertValidTimeZone, inDateRange, makeDateFormatParser, makeWallClockConverter, parseIsoTimestamp } from './timestamp.js';

/**
 * Small shared pieces of the ServiceNow, Salesforce, Greenhouse and Lever adapters: reading the input
 * (file, .gz, or a folder of pages), CSV records with skipped rows reported, and timestamps with an explicit
 * zone. Kept deliberately tiny: the lead may fold it into csv.ts / json-input.ts later.
 */
export interface InputText {
  file: string;
  text: string;
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/** Gunzips (by magic bytes) and decodes one whole file, at most `maxChars` bytes of content (issue 11 #10). */
function decode(bytes: Buffer, file: string, maxChars: number): string {
  const tooLarge = (lengthBytes: number) =>
    valueTooLongError('file is too large to be read whole', file, lengthBytes, maxChars, 'split the export into pages (a folder of files)');
  let raw = bytes;
  if (bytes.length > 1 && bytes[0] === GZIP_MAGIC_0 && bytes[1] === GZIP_MAGIC_1) {
    try {
      raw = gunzipSync(bytes, { maxOutputLength: maxChars });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(maxChars + 1);
      throw new VsmError({ code: 'BAD_ENCODING', what: 'gzip data is corrupt or truncated', where: file, got: quoteGot((error as Error).message), fix: 'download the export again (gunzip -t tests it)' });
    }
  }
  if (raw.length > maxChars) throw tooLarge(raw.length);
  if (raw.length > 1 && raw[0] === 0xff && raw[1] === 0xfe) return raw.subarray(2).toString('utf16le');
  const text = raw.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Reads `path`: one file (gzip detected by its magic bytes, UTF-8/UTF-16LE BOM stripped) or every file of a folder
 * whose name ends with one of `extensions` (also `.gz`), in name order — paged API exports land as a folder of pages.
 */
export async function readInputTexts(path: string, extensions: readonly string[], limits?: Partial<IngestLimits>): Promise<InputText[]> {
  const maxChars = ingestLimits(limits).maxWholeTextChars;
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new VsmError({ code: 'FILE_NOT_FOUND', what: 'input not found', where: path, fix: 'check the path' });
  let files = [path];
  if (info.isDirectory()) {
    const names = (await readdir(path)).filter((name) => extensions.some((ext) => name.endsWith(ext) || name.endsWith(`${ext}.gz`)));
    files = names.sort().map((name) => join(path, name));
    if (files.length === 0) {
      throw new VsmError({ code: 'EMPTY_FILE', what: 'folder holds no input files', where: path, fix: `put the ${extensions.join(' / ')} pages in it` });
    }
  }
  const texts: InputText[] = [];
  for (const file of files) {
    const { size } = await stat(file);
    if (size > maxChars) throw valueTooLongError('file is too large to be read whole', file, size, maxChars, 'split the export into pages (a folder of files)');
    const text = decode(await readFile(file), file, maxChars);
    if (text.trim() === '') throw new VsmError({ code: 'EMPTY_FILE', what: 'input file is empty', where: file });
    texts.push({ file, text });
  }
  return texts;
}

/** Parses JSON text or throws JSON_PARSE naming the file. */
export function parseJsonText(input: InputText): unknown {
  try {
    return JSON.parse(input.text) as unknown;
  } catch (error) {
    throw new VsmError({ code: 'JSON_PARSE', what: 'not valid JSON', where: input.file, got: quoteGot(input.text.slice(0, 60)), fix: String((error as Error).message) });
  }
}

/** A CSV data record and the file line it ends on (header = line 1). */
export interface CsvRecord {
  line: number;
  values: string[];
}

/** Picks `;`, tab or `,` by counting them in the header line (localized exports often use `;`). */
export function sniffDelimiter(headerLine: string): string {
  const counts = [';', '\t', ','].map((d) => [d, headerLine.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0][1] > 0 ? counts[0][0] : ',';
}

/**
 * Parses CSV text into a header and records. Ragged or broken records are skipped *and reported*
 * (each counts as a row read and rejected), never dropped silently.
 */
export function readCsvRecords(input: InputText, report: IngestReportBuilder, delimiter?: string): { header: string[]; records: CsvRecord[] } {
  const firstLine = input.text.slice(0, input.text.search(/\r?\n|$/));
  const chosen = delimiter ?? sniffDelimiter(firstLine);
  report.delimiter = chosen;
  const parsed = parseCsv(input.text, {
    delimiter: chosen,
    info: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      if (!error) return;
      report.rowsRead++;
      const reason = error.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' ? 'ragged-row' : 'csv-syntax';
      report.reject(reason, { file: input.file, row: Number(error.lines), message: error.message });
    },
  }) as unknown as { record: string[]; info: { lines: number } }[];
  const [headerRecord, ...rest] = parsed;
  const header = (headerRecord?.record ?? []).map((name) => name.trim());
  return { header, records: rest.map((r) => ({ line: r.info.lines, values: r.record })) };
}

/** Finds a column by any of its accepted names, case-insensitively; -1 when absent. */
export function columnIndex(header: readonly string[], names: readonly string[]): number {
  const lower = header.map((name) => name.toLowerCase());
  for (const name of names) {
    const at = lower.indexOf(name.toLowerCase());
    if (at >= 0) return at;
  }
  return -1;
}

/** Throws BAD_TIME_ZONE unless `timeZone` is an IANA zone Intl knows (one check for every reader). */
export const checkTimeZone = assertValidTimeZone;

/**
 * Wall-clock epoch ms (the civil time read as if UTC) → the instant in `timeZone`: a spring-forward gap moves the
 * time forward by the gap, an autumn repeat takes the earlier instant (the rule of `makeWallClockConverter`, which
 * readers use directly to get its per-hour cache).
 */
export function wallClockToUtcMs(wallMs: number, timeZone: string): number {
  return makeWallClockConverter(timeZone)(wallMs);
}

export type TimeReader = (text: string) => number;

/**
 * Builds the timestamp reader of one read: `options.dateFormat` (date-fns tokens) when given, else ISO 8601.
 * Offset-less values are wall-clock times in `options.timeZone`; without one they are read as UTC and the report
 * says so once (`utcNote` adds what that means for the source). Returns NaN when unreadable.
 */
export function createTimeReader(options: ReadOptions, report: IngestReportBuilder, utcNote = ''): TimeReader {
  const zone = options.timeZone;
  if (zone !== undefined) {
    checkTimeZone(zone);
    report.timeZoneGiven = zone;
  }
  const assumeUtc = () => {
    if (report.timeZoneAssumed !== undefined) return;
    report.timeZoneAssumed = 'UTC';
    report.note(`no --timezone given: offset-less times read as UTC${utcNote}`);
  };
  const format = options.dateFormat;
  // One converter per read: it caches offsets per local hour, so Intl is asked once per distinct hour, not per value.
  const toUtc = zone === undefined ? undefined : makeWallClockConverter(zone);
  if (format !== undefined) {
    const hasOffsetToken = /[XxOz]/.test(format.replace(/'[^']*'/g, ''));
    if (hasOffsetToken) {
      const reference = new Date(0);
      const context = tz(zone ?? 'UTC');
      return (text) => {
        const parsed = parseWithFormat(text.trim(), format, reference, { in: context });
        return isValid(parsed) ? parsed.getTime() : NaN;
      };
    }
    // Wall-clock fields (compiled fast path, date-fns for the rest; two-digit years 1950–2049), then the zone.
    const parseWallClock = makeDateFormatParser(format);
    return (text) => {
      if (zone === undefined) assumeUtc();
      const wallMs = parseWallClock(text).timestampMs;
      if (Number.isNaN(wallMs)) return NaN;
      return toUtc === undefined ? wallMs : toUtc(wallMs);
    };
  }
  return (text) => {
    const { timestampMs, offset } = parseIsoTimestamp(text);
    if (Number.isNaN(timestampMs)) return NaN;
    if (offset !== '') {
      report.offsetSeen(offset);
      return timestampMs;
    }
    if (toUtc === undefined) {
      assumeUtc();
      return timestampMs;
    }
    return toUtc(timestampMs);
  };
}

/** Day-first vs month-first for `1/3/2016`-style dates, decided from all values (never per value). */
export type SlashDateOrder = 'day-first' | 'month-first' | 'ambiguous' | 'conflict';

const SLASH_DATE = /^\s*(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:[ T](\d{1,2}):(\d{2})(:\d{2})?)?\s*$/;

export function detectSlashDateOrder(values: Iterable<string>): SlashDateOrder {
  let dayFirstProof = false;
  let monthFirstProof = false;
  for (const value of values) {
    const match = SLASH_DATE.exec(value);
    if (!match) continue;
    if (Number(match[1]) > 12) dayFirstProof = true;
    if (Number(match[3]) > 12) monthFirstProof = true;
  }
  if (dayFirstProof && monthFirstProof) return 'conflict';
  return dayFirstProof ? 'day-first' : monthFirstProof ? 'month-first' : 'ambiguous';
}

/** The date-fns format for one `d/M/yyyy H:mm[:ss]` value in the given order, or undefined if it is not that shape. */
export function slashDateFormatOf(value: string, order: 'day-first' | 'month-first'): string | undefined {
  const match = SLASH_DATE.exec(value);
  if (!match) return undefined;
  const sep = match[2];
  const date = order === 'day-first' ? `d${sep}M${sep}yyyy` : `M${sep}d${sep}yyyy`;
  if (match[5] === undefined) return date;
  return `${date}${value.includes('T') ? "'T'" : ' '}H:mm${match[7] === undefined ? '' : ':ss'}`;
}

/**
 * Within one case's changes, already in their intended order, makes the source sequence numbers increase
 * wherever several changes share a timestamp: downstream sorts use (time, sequence), so ties keep this order.
 * The sequence numbers of a tie are reused (sorted), so each still names a row of the tie.
 */
export function orderTies<T extends { atMs: number; sourceSeq: number }>(ordered: T[]): T[] {
  let start = 0;
  while (start < ordered.length) {
    let end = start + 1;
    while (end < ordered.length && ordered[end].atMs === ordered[start].atMs) end++;
    if (end - start > 1) {
      const seqs = ordered.slice(start, end).map((c) => c.sourceSeq).sort((a, b) => a - b);
      for (let k = start; k < end; k++) ordered[k].sourceSeq = seqs[k - start];
    }
    start = end;
  }
  return ordered;
}

/**
 * The record array of a JSON export: the document itself when it is an array, else the first array under one of
 * `keys` (API envelopes: `data`, `result`, `rows`, …). Undefined when there is none.
 */
export function jsonRecordsOf(value: unknown, keys: readonly string[]): Record<string, unknown>[] | undefined {
  const isRecord = (item: unknown): item is Record<string, unknown> => item !== null && typeof item === 'object' && !Array.isArray(item);
  if (Array.isArray(value)) return value.filter(isRecord);
  if (!isRecord(value)) return undefined;
  for (const key of keys) {
    const inner = value[key];
    if (Array.isArray(inner)) return inner.filter(isRecord);
  }
  return undefined;
}

/**
 * Counts the items of the record array (as `jsonRecordsOf` finds it) that are not objects — `null`, numbers, arrays —
 * as rows read and rejected (`bad-record`), so skipping them is never silent. Returns how many there were.
 */
export function rejectNonRecords(report: IngestReportBuilder, value: unknown, keys: readonly string[], file: string): number {
  const envelope = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  const items = Array.isArray(value) ? value : (keys.map((key) => envelope?.[key]).find(Array.isArray) as unknown[] | undefined);
  let bad = 0;
  for (const [index, item] of (items ?? []).entries()) {
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) continue;
    bad++;
    const got = item === null ? 'null' : Array.isArray(item) ? 'an array' : typeof item;
    report.readRejected('bad-record', { file, row: index + 1, value: got, message: `record ${index + 1} is ${got}, not an object` });
  }
  return bad;
}

/** Epoch numbers (seconds below 1e11, else milliseconds — FORMATS.md §8.2) or text through `readTime`. */
export function instantOf(value: unknown, readTime: TimeReader): number {
  // Outside the Date range (9e15, 1e308) is unreadable like any bad value: the row is rejected (issue 11 #2).
  if (typeof value === 'number') return Number.isFinite(value) ? inDateRange(Math.abs(value) < 1e11 ? value * 1000 : value) : NaN;
  if (typeof value === 'string' && value.trim() !== '') return /^\d+$/.test(value.trim()) ? instantOf(Number(value), readTime) : readTime(value);
  return NaN;
}

/** Throws API_ERROR_BODY for `{error…}`/`{message…}` bodies, else WRONG_SOURCE naming what was found. */
export function notRecordsError(value: unknown, input: InputText, expected: SourceKind, fix: string): VsmError {
  const body = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  const apiError = body?.error ?? body?.errors ?? (body && Object.keys(body).length <= 3 ? body.message : undefined);
  if (apiError !== undefined) {
    return new VsmError({ code: 'API_ERROR_BODY', what: `the file is a ${expected} API error, not data`, where: input.file, got: quoteGot(JSON.stringify(apiError)), fix: 'repeat the export (check the token, its permissions and the URL)' });
  }
  const got = body ? `keys ${Object.keys(body).join(', ')}` : typeof value;
  return new VsmError({ code: 'WRONG_SOURCE', what: `not a ${expected} export`, where: input.file, got: quoteGot(got), fix });
}
