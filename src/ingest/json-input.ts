import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { TZDate } from '@date-fns/tz';
import { VsmError, quoteGot } from '../errors.js';
import { type IngestLimits, ingestLimits, valueTooLongError } from './ingest-limits.js';
import type { IngestReportBuilder } from './ingest-report.js';
import { fileBytes, forEachJsonLine } from './json-bytes.js';
import { type JsonListSink, type ListItemHandler, type ListedJson, handOutLists } from './json-lists.js';
import { parseJsonLists } from './json-stream.js';
import { assertValidTimeZone, parseIsoTimestamp } from './timestamp.js';

/**
 * The JSON edge shared by the API adapters (Jira, Zendesk, GitHub): read a file, a `.gz`, or a folder of pages,
 * parse JSON or JSON Lines, and stop early with a clear VsmError when a "page" is really an API error body or a
 * truncated download. Also the narrowing helpers (`asRecord`, `asString`, …) the adapters use on `unknown` input.
 * Files are parsed as streams (json-stream.ts): memory follows the parsed records, never the file's text; with
 * `visitJsonInput` the records of a page's top-level lists reach the adapter one at a time, so it follows one record.
 */

/** One parsed JSON value with its address: a whole `.json` file, or one line of a `.jsonl` file. */
export interface JsonDocument {
  file: string;
  /** 1-based line for JSON Lines, 0 for a whole-file document. */
  line: number;
  value: unknown;
  /**
   * Top-level lists handed to the visitor item by item (visitJsonInput): key → how many items it had. In `value`
   * such a list holds only its first items (enough to tell the shape), never all of them.
   */
  lists?: ReadonlyMap<string, number>;
  /**
   * Lists of a streamed page kept whole because they came after a list the visitor reads later: read after it, where
   * a page parsed whole gives them first (the visitor may say so).
   */
  listsKeptOutOfOrder?: string[];
}

/** A text file read from the input that is not JSON (e.g. a warehouse CSV next to API pages). */
export interface TextInput {
  file: string;
  text: string;
}

export interface JsonInput {
  files: string[];
  documents: JsonDocument[];
  /** `.csv` files found (only when `acceptCsv`). */
  texts: TextInput[];
}

const JSON_EXTENSIONS = ['.json', '.jsonl', '.ndjson'];

function innerExtension(file: string): string {
  const name = file.toLowerCase().endsWith('.gz') ? file.slice(0, -3) : file;
  return extname(name).toLowerCase();
}

/** Lists the input files: the path itself, or the JSON (and CSV) files of a folder in name order (page order). */
async function listFiles(path: string, acceptCsv: boolean): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new VsmError({ code: 'FILE_NOT_FOUND', what: 'input not found', where: path, fix: 'check the path' });
  }
  if (info.isFile()) return [path];
  if (!info.isDirectory()) throw new VsmError({ code: 'NOT_A_FILE', what: 'input is neither a file nor a folder', where: path });
  const wanted = acceptCsv ? [...JSON_EXTENSIONS, '.csv'] : JSON_EXTENSIONS;
  const names = (await readdir(path)).filter((name) => !name.startsWith('.') && wanted.includes(innerExtension(name)));
  // Natural order so page-2 sorts before page-10; the adapters sort by time anyway, this only fixes file indexes.
  names.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (names.length === 0) {
    throw new VsmError({
      code: 'EMPTY_FILE',
      what: 'folder holds no export pages',
      where: path,
      got: 'no .json, .jsonl, .ndjson' + (acceptCsv ? ', .csv' : '') + ' files (optionally .gz)',
      fix: 'save the API responses as .json files in this folder, or pass the file itself',
    });
  }
  return names.map((name) => join(path, name));
}

/** A whole text file (a warehouse CSV beside JSON pages), gunzipped, capped at limits.maxWholeTextChars. */
async function readText(file: string, limits: IngestLimits): Promise<string> {
  const parts: Buffer[] = [];
  let lengthBytes = 0;
  for await (const chunk of fileBytes(file, limits)) {
    lengthBytes += chunk.length;
    if (lengthBytes > limits.maxWholeTextChars) {
      throw valueTooLongError('file is too large to be read whole', file, lengthBytes, limits.maxWholeTextChars, 'split the table into several files');
    }
    parts.push(chunk);
  }
  const text = Buffer.concat(parts).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function lineAndColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < position && k < text.length; k++) {
    if (text.charCodeAt(k) === 10) {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, column: position - lineStart + 1 };
}

/** Parses JSON text; a syntax error becomes JSON_PARSE naming the file, line and column, and says when the text ends early. */
export function parseJsonText(text: string, file: string, lineOffset = 0): unknown {
  const first = text.trimStart().charAt(0);
  if (first !== '' && !'{["-0123456789tfn'.includes(first)) {
    // XML, CSV or binary is not a JSON document cut short: say what it starts with, not "JSON ends early".
    throw new VsmError({
      code: 'WRONG_SOURCE',
      what: first === '<' ? 'file is XML, not a JSON export' : 'file is not JSON',
      where: lineOffset > 0 ? `${file}:${lineOffset}` : file,
      got: quoteGot(text.trimStart().slice(0, 60)),
      fix: first === '<' ? 'pass --source xes (or ocel) for an event log, or leave --source out' : 'pass the JSON export, or leave --source out to detect the kind',
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const match = /position (\d+)/.exec(message);
    const trimmedLength = text.trimEnd().length;
    const position = match ? Number(match[1]) : trimmedLength;
    const truncated = position >= trimmedLength || /end of (JSON )?input/i.test(message);
    const { line, column } = lineAndColumn(text, position);
    throw new VsmError({
      code: 'JSON_PARSE',
      what: truncated ? 'JSON ends early (truncated download or page?)' : 'JSON syntax error',
      where: lineOffset > 0 ? `${file}:${lineOffset}` : `${file}:${line}:${column}`,
      got: quoteGot(text.slice(Math.max(0, position - 40), position + 20)),
      fix: truncated ? 'download this page again; a page cut off mid-transfer cannot be read' : `fix or re-export the file (${message})`,
    });
  }
}

/**
 * Recognises the error bodies APIs send instead of data (saved as an export by mistake):
 * Jira `{"errorMessages":[…],"errors":{…}}`, Zendesk `{"error":"RecordNotFound","description":…}` or `{"error":{"title","message"}}`,
 * GitHub `{"message":"Not Found","documentation_url":…}`. Returns the error text, or undefined.
 */
export function apiErrorText(value: unknown): string | undefined {
  const record = asRecord(value);
  if (!record) return undefined;
  const keys = Object.keys(record);
  if (Array.isArray(record.errorMessages) && keys.every((k) => ['errorMessages', 'errors', 'warningMessages', 'status'].includes(k))) {
    const errors = asRecord(record.errors) ?? {};
    return [...record.errorMessages.map(String), ...Object.entries(errors).map(([k, v]) => `${k}: ${String(v)}`)].join('; ') || 'empty errorMessages';
  }
  if ('error' in record && keys.length <= 4 && keys.every((k) => ['error', 'description', 'details', 'message'].includes(k))) {
    const inner = asRecord(record.error);
    const title = inner ? [asString(inner.title), asString(inner.message)].filter(Boolean).join(': ') : String(record.error);
    return [title, asString(record.description)].filter(Boolean).join(': ');
  }
  if (typeof record.message === 'string' && typeof record.documentation_url === 'string' && keys.length <= 4) {
    return record.message;
  }
  return undefined;
}

function checkApiError(value: unknown, where: string): void {
  const errorText = apiErrorText(value);
  if (errorText !== undefined) {
    throw new VsmError({
      code: 'API_ERROR_BODY',
      what: 'this file is an API error response, not an export',
      where,
      got: quoteGot(errorText),
      fix: 'fix the request (credentials, permissions, query) and save the successful response',
    });
  }
}

export interface ReadJsonInputOptions {
  /** Also collect `.csv` files (Zendesk warehouse tables). */
  acceptCsv?: boolean;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Caps on gzip inflation and single values (docs/limits.md); tests lower them. */
  limits?: Partial<IngestLimits>;
}

/**
 * What an adapter does with its input as it is read: each document in file-name order (and each line of a
 * `.jsonl`), each `.csv` text, and, through `lists`, the items of the top-level lists it names one at a time.
 */
export interface JsonInputVisitor {
  /**
   * The top-level lists to take item by item (in the order the adapter reads them), and per list and document,
   * given its first items, the handler for its items or undefined to keep the list in the document.
   */
  lists?: {
    keys: readonly string[];
    open(key: string, firstItems: readonly unknown[], where: { file: string; line: number }): ListItemHandler | undefined;
  };
  /** After the items of its lists (if any were handed out). */
  document(document: JsonDocument): void;
  text?(input: TextInput): void;
}

/**
 * Reads every JSON document (whole files, or lines of `.jsonl`) under `path` in file-name order, handing each to
 * the visitor as it is read. A file up to limits.wholeJsonParseBytes is parsed whole; a larger one as a stream,
 * and the items of its top-level lists never sit in memory together. Both give the visitor the same calls.
 */
export async function visitJsonInput(path: string, options: ReadJsonInputOptions, visitor: JsonInputVisitor): Promise<string[]> {
  const files = await listFiles(path, options.acceptCsv === true);
  const sizes = await Promise.all(files.map(async (file) => (await stat(file)).size));
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  let bytesRead = 0;
  const limits = ingestLimits(options.limits);
  const sinkFor = (file: string, line: number): JsonListSink | undefined => {
    const lists = visitor.lists;
    return lists === undefined ? undefined : { keys: lists.keys, open: (key, firstItems) => lists.open(key, firstItems, { file, line }) };
  };
  for (const [index, file] of files.entries()) {
    const extension = innerExtension(file);
    if (extension === '.csv' && options.acceptCsv === true) {
      const text = await readText(file, limits);
      visitor.text?.({ file, text });
    } else if (extension === '.jsonl' || extension === '.ndjson') {
      let lines = 0;
      await forEachJsonLine(fileBytes(file, limits), file, limits, (line, lineNumber) => {
        lines++;
        const value = parseJsonText(line, file, lineNumber);
        checkApiError(value, `${file}:${lineNumber}`);
        visitor.document(listedDocument(file, lineNumber, handOutLists(value, sinkFor(file, lineNumber))));
      });
      if (lines === 0) throw new VsmError({ code: 'EMPTY_FILE', what: 'export file is empty', where: file, fix: 'download the page again' });
    } else {
      const listed = await parseJsonLists(fileBytes(file, limits), file, limits, (text) => parseJsonText(text, file), sinkFor(file, 0), (value) => checkApiError(value, file), () => fileBytes(file, limits));
      visitor.document(listedDocument(file, 0, listed));
    }
    bytesRead += sizes[index];
    options.onProgress?.(bytesRead, totalBytes);
  }
  return files;
}

function listedDocument(file: string, line: number, listed: ListedJson): JsonDocument {
  return { file, line, value: listed.value, ...(listed.lists ? { lists: listed.lists } : {}), ...(listed.keptOutOfOrder ? { listsKeptOutOfOrder: listed.keptOutOfOrder } : {}) };
}

/** Reads every JSON document (whole files, or lines of `.jsonl`) under `path`, in file-name order, whole. */
export async function readJsonInput(path: string, options: ReadJsonInputOptions = {}): Promise<JsonInput> {
  const documents: JsonDocument[] = [];
  const texts: TextInput[] = [];
  const files = await visitJsonInput(path, options, { document: (document) => documents.push(document), text: (text) => texts.push(text) });
  return { files, documents, texts };
}

/** `file` or `file:line` for messages. */
export function documentWhere(document: JsonDocument): string {
  return document.line > 0 ? `${document.file}:${document.line}` : document.file;
}

export function fileStem(file: string): string {
  return basename(file).replace(/(\.gz)?$/i, '').replace(/\.[^.]+$/, '');
}

// ── narrowing helpers ──────────────────────────────────────────────────────────────────────────────

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function asArray(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/** Strings as they are; numbers as their decimal text (ids); anything else undefined. */
export function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A short description of a JSON value's top level for "got" parts of messages: `{issues, total, …}` or `array of 30 {event, actor, …}`. */
export function describeJson(value: unknown): string {
  const keysOf = (record: Record<string, unknown>) => {
    const keys = Object.keys(record);
    return `{${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', …' : ''}}`;
  };
  if (Array.isArray(value)) {
    const first = asRecord(value[0]);
    return `array of ${value.length}${first ? ` ${keysOf(first)}` : ''}`;
  }
  const record = asRecord(value);
  return record ? keysOf(record) : typeof value;
}

// ── timestamps ─────────────────────────────────────────────────────────────────────────────────────

/**
 * Returns a reader of ISO-like timestamps to epoch ms (NaN when unreadable). Offsets are honoured; offset-less values are
 * wall-clock times in `timeZone` (validated here), else UTC, and the report says which (DESIGN §4: never guess silently).
 */
export function timestampReader(report: IngestReportBuilder, timeZone: string | undefined): (text: string) => number {
  if (timeZone !== undefined) {
    assertValidTimeZone(timeZone);
    report.timeZoneGiven = timeZone;
  }
  let warned = false;
  return (text: string): number => {
    const parsed = parseIsoTimestamp(text);
    if (Number.isNaN(parsed.timestampMs)) return NaN;
    if (parsed.offset !== '') {
      report.offsetSeen(parsed.offset);
      return parsed.timestampMs;
    }
    if (timeZone === undefined) {
      if (!warned) {
        warned = true;
        report.timeZoneAssumed = 'UTC';
        report.note('some timestamps carry no UTC offset; they were read as UTC — pass --timezone <IANA zone> if they are local times');
      }
      return parsed.timestampMs;
    }
    // Re-read the wall-clock fields (parsed as if UTC) in the given zone.
    const wall = new Date(parsed.timestampMs);
    return new TZDate(
      wall.getUTCFullYear(),
      wall.getUTCMonth(),
      wall.getUTCDate(),
      wall.getUTCHours(),
      wall.getUTCMinutes(),
      wall.getUTCSeconds(),
      wall.getUTCMilliseconds(),
      timeZone,
    ).getTime();
  };
}

// ── shapes: which API a JSON value came from ──────────────────────────────────────────────────────

/** Source kinds recognised from JSON shape; also used to say what a wrongly routed file looks like. */
export type JsonSourceShape = 'jira' | 'zendesk' | 'github' | 'servicenow' | 'salesforce' | 'ocel';

const SHAPE_LABELS: Record<JsonSourceShape, string> = {
  jira: 'a Jira export',
  zendesk: 'a Zendesk export',
  github: 'a GitHub issue-events export',
  servicenow: 'a ServiceNow Table API export',
  salesforce: 'a Salesforce export',
  ocel: 'an OCEL 2.0 log',
};

/** How many leading array items the shape check looks past when they are null or not objects (`issues[0] = null`). */
const SHAPE_LOOKAHEAD_ITEMS = 20;

function firstRecord(value: unknown): Record<string, unknown> | undefined {
  const items = Array.isArray(value) ? (value as readonly unknown[]) : undefined;
  if (!items) return undefined;
  for (let k = 0; k < Math.min(items.length, SHAPE_LOOKAHEAD_ITEMS); k++) {
    const record = asRecord(items[k]);
    if (record) return record;
  }
  return undefined;
}

function isJiraIssue(record: Record<string, unknown> | undefined): boolean {
  // `fields: null` is a damaged issue, still an issue: the reader skips and counts it.
  return record !== undefined && typeof record.key === 'string' && (asRecord(record.fields) !== undefined || record.fields === null || asRecord(record.changelog) !== undefined);
}

/**
 * Whether the first items of a page's `issues` list make the page a Jira search response: they are Jira issues, or
 * none is an object (an empty or damaged page, still Jira). The same verdict jsonSourceShape gives such a page.
 */
export function isJiraIssueList(firstItems: readonly unknown[]): boolean {
  const first = firstRecord(firstItems);
  return first === undefined || isJiraIssue(first);
}

/** One entry of Jira's `GET /rest/api/2/status` list: a status name with its category. */
export function isJiraStatus(record: Record<string, unknown> | undefined): boolean {
  return record !== undefined && typeof record.name === 'string' && asRecord(record.statusCategory) !== undefined && !('fields' in record);
}

function isJiraHistory(record: Record<string, unknown> | undefined): boolean {
  return record !== undefined && Array.isArray(record.items) && typeof record.created === 'string';
}

function isZendeskAudit(record: Record<string, unknown> | undefined): boolean {
  return record !== undefined && 'ticket_id' in record && Array.isArray(record.events);
}

function isGithubEvent(record: Record<string, unknown> | undefined): boolean {
  return record !== undefined && typeof record.event === 'string' && typeof record.created_at === 'string';
}

/** Recognises the source of one JSON document by its shape, or undefined. */
export function jsonSourceShape(value: unknown): JsonSourceShape | undefined {
  const record = asRecord(value);
  const first = firstRecord(value);
  if (record) {
    if (isJiraIssue(record) || isJiraIssue(firstRecord(record.issues)) || Array.isArray(record.issueChangeLogs)) return 'jira';
    // An empty search page (or one whose issues are all null): still Jira; the reader says it is empty or counts the bad items.
    if (Array.isArray(record.issues) && firstRecord(record.issues) === undefined) return 'jira';
    if (Array.isArray(record.values) && (isJiraHistory(firstRecord(record.values)) || ('isLast' in record && 'startAt' in record))) return 'jira';
    if (Array.isArray(record.audits) || isZendeskAudit(asRecord(record.audit)) || isZendeskAudit(record)) return 'zendesk';
    if (Array.isArray(record.ticket_events) || Array.isArray(record.ticket_metric_events)) return 'zendesk';
    if (typeof record.stream === 'string' && record.stream.startsWith('ticket') && asRecord(record.data)) return 'zendesk';
    if (asRecord(record.ticket) && 'status' in (asRecord(record.ticket) ?? {})) return 'zendesk';
    if (isGithubEvent(record) && asRecord(record.actor) !== undefined) return 'github';
    if (Array.isArray(record.result) && asRecord(firstRecord(record.result))?.sys_id !== undefined) return 'servicenow';
    if (Array.isArray(record.records) && asRecord(firstRecord(record.records)?.attributes) !== undefined) return 'salesforce';
    if (Array.isArray(record.objects) && Array.isArray(record.events)) return 'ocel';
    return undefined;
  }
  if (first) {
    if (isJiraIssue(first)) return 'jira';
    if (isJiraHistory(first)) return 'jira';
    if (isJiraStatus(first)) return 'jira';
    if (isZendeskAudit(first)) return 'zendesk';
    if (isGithubEvent(first)) return 'github';
    if (typeof first.number === 'number' && typeof first.state === 'string' && typeof first.created_at === 'string') return 'github';
  }
  return undefined;
}

/** "looks like a Zendesk export" or "is not a recognised export", for WRONG_SOURCE messages. */
export function describeShape(value: unknown): string {
  const shape = jsonSourceShape(value);
  return shape ? `looks like ${SHAPE_LABELS[shape]}` : 'is not a recognised API export';
}

/** The WRONG_SOURCE error for a document that is not of the expected source. */
export function wrongSourceError(document: JsonDocument, expected: JsonSourceShape, expectedLabel: string): VsmError {
  const shape = jsonSourceShape(document.value);
  return new VsmError({
    code: 'WRONG_SOURCE',
    what: `file ${describeShape(document.value)}, not ${expectedLabel}`,
    where: documentWhere(document),
    got: describeJson(document.value),
    fix: shape && shape !== expected ? `pass --source ${shape}` : `export ${expectedLabel} (see README "Sources"), or pass the right --source`,
  });
}
