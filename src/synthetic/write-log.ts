import { createWriteStream, rmSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { VsmError } from '../errors.js';
import type { SyntheticEvent, SyntheticShape } from './generate.js';

/**
 * Stream writers for synthetic logs: lines are batched into ~1 MB chunks and pulled through the file stream
 * with back-pressure, so a 5-million-event log never exists as one string. A path ending in `.gz` is gzipped.
 */
export interface WriteResult {
  path: string;
  events: number;
  cases: number;
  /** Size on disk (compressed size for .gz). */
  bytes: number;
}

export interface WriteOptions {
  /** Columns to write; inferred from the first event when absent (enter → status, start → start-complete). */
  shape?: SyntheticShape;
}

const CHUNK_CHARS = 1 << 20;

export const CSV_COLUMNS: Record<SyntheticShape, readonly string[]> = {
  'activity-start-complete': ['case:concept:name', 'concept:name', 'org:resource', 'org:group', 'lifecycle:transition', 'time:timestamp'],
  // Complete-only exports usually carry no lifecycle column at all (pm4py running example, Disco exports).
  'activity-complete-only': ['case:concept:name', 'concept:name', 'org:resource', 'org:group', 'time:timestamp'],
  'status-changes': ['case', 'status', 'from_status', 'assignee', 'team', 'timestamp'],
};

const MS_PER_DAY = 86_400_000;
let cachedDayNumber = NaN;
let cachedDayPrefix = '';

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/**
 * ISO 8601 with milliseconds and an explicit +00:00 offset, the way pm4py and most exporters write UTC.
 * The date part is cached per day (events of one case cluster in time): Date#toISOString for every one of
 * 5 million events was the writer's largest cost.
 */
export function isoTimestamp(timestampMs: number): string {
  timestampMs = Math.round(timestampMs);
  const dayNumber = Math.floor(timestampMs / MS_PER_DAY);
  if (dayNumber !== cachedDayNumber) {
    cachedDayNumber = dayNumber;
    cachedDayPrefix = new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 11);
  }
  let rest = timestampMs - dayNumber * MS_PER_DAY;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  const millisText = millis < 10 ? `00${millis}` : millis < 100 ? `0${millis}` : String(millis);
  return `${cachedDayPrefix}${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${millisText}+00:00`;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function xmlAttribute(value: string): string {
  if (!/[&<>"']/.test(value)) return value;
  return value.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;'));
}

function inferShape(first: SyntheticEvent | undefined): SyntheticShape {
  if (first === undefined || first.lifecycle === 'start') return 'activity-start-complete';
  return first.lifecycle === 'enter' ? 'status-changes' : 'activity-complete-only';
}

/** Pulls the first event to infer the shape, then hands back an iterator that replays it. */
function peek(events: Iterable<SyntheticEvent>): { first: SyntheticEvent | undefined; all: Iterable<SyntheticEvent> } {
  const iterator = events[Symbol.iterator]();
  const head = iterator.next();
  const first = head.done ? undefined : head.value;
  function* all(): Generator<SyntheticEvent> {
    if (head.done) return;
    yield head.value;
    for (let next = iterator.next(); !next.done; next = iterator.next()) yield next.value;
  }
  return { first, all: all() };
}

interface Counter {
  events: number;
  cases: number;
}

/** Joins lines into big chunks: one stream write per megabyte instead of one per event. */
function* chunked(lines: Iterable<string>): Generator<string> {
  let chunk = '';
  for (const line of lines) {
    chunk += line;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

/**
 * Writes the lines to `path` (gzipped for `.gz`). A failure (events the writer refuses, a full disk) leaves no file:
 * the partial one is removed once its stream has closed — a stream destroyed while still opening creates the file
 * after pipeline() has already rejected, so the removal waits for the close.
 */
async function writeLines(lines: Iterable<string>, path: string): Promise<number> {
  const source = Readable.from(chunked(lines), { objectMode: false });
  const file = createWriteStream(path);
  try {
    if (path.endsWith('.gz')) await pipeline(source, createGzip({ level: 6 }), file);
    else await pipeline(source, file);
  } catch (error) {
    if (!file.closed) await new Promise<void>((resolve) => file.once('close', () => resolve()));
    rmSync(path, { force: true });
    throw error;
  }
  return statSync(path).size;
}

function* csvLines(events: Iterable<SyntheticEvent>, shape: SyntheticShape, counter: Counter): Generator<string> {
  yield `${CSV_COLUMNS[shape].join(',')}\n`;
  let lastCase: string | undefined;
  for (const e of events) {
    counter.events++;
    if (e.caseId !== lastCase) {
      counter.cases++;
      lastCase = e.caseId;
    }
    const at = isoTimestamp(e.timestampMs);
    const caseActivity = `${csvField(e.caseId)},${csvField(e.activity)}`;
    if (shape === 'status-changes') {
      yield `${caseActivity},${csvField(e.fromStatus)},${csvField(e.resource)},${csvField(e.group)},${at}\n`;
    } else if (shape === 'activity-start-complete') {
      yield `${caseActivity},${csvField(e.resource)},${csvField(e.group)},${e.lifecycle},${at}\n`;
    } else {
      yield `${caseActivity},${csvField(e.resource)},${csvField(e.group)},${at}\n`;
    }
  }
}

/** Writes events as CSV with pm4py's column names (status logs: case,status,from_status,assignee,team,timestamp). */
export async function writeCsv(events: Iterable<SyntheticEvent>, path: string, options: WriteOptions = {}): Promise<WriteResult> {
  const { first, all } = peek(events);
  const counter: Counter = { events: 0, cases: 0 };
  const bytes = await writeLines(csvLines(all, options.shape ?? inferShape(first), counter), path);
  return { path, events: counter.events, cases: counter.cases, bytes };
}

const XES_HEADER = `<?xml version="1.0" encoding="UTF-8" ?>
<log xes.version="1849-2016" xes.features="nested-attributes" xmlns="http://www.xes-standard.org/">
  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
  <extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>
  <extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>
  <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>
  <global scope="trace">
    <string key="concept:name" value="__INVALID__"/>
  </global>
  <global scope="event">
    <string key="concept:name" value="__INVALID__"/>
    <date key="time:timestamp" value="1970-01-01T00:00:00.000+00:00"/>
  </global>
  <classifier name="Activity" keys="concept:name"/>
  <string key="concept:name" value="synthetic help-desk tickets"/>
`;

function* xesLines(events: Iterable<SyntheticEvent>, shape: SyntheticShape, counter: Counter): Generator<string> {
  yield XES_HEADER;
  const seenCases = new Set<string>();
  let lastCase: string | undefined;
  for (const e of events) {
    counter.events++;
    if (e.caseId !== lastCase) {
      // XES nests events in traces, so a case that comes back later would become a second trace.
      if (seenCases.has(e.caseId)) {
        throw new VsmError({ code: 'BAD_OPTION', what: 'events are not grouped by case', where: 'writeXes', got: e.caseId, fix: 'pass events case by case, as generateTicketLog yields them' });
      }
      seenCases.add(e.caseId);
      counter.cases++;
      if (lastCase !== undefined) yield '  </trace>\n';
      yield `  <trace>\n    <string key="concept:name" value="${xmlAttribute(e.caseId)}"/>\n`;
      lastCase = e.caseId;
    }
    // Status logs carry no lifecycle in XES; the previous status travels as a plain attribute.
    const lifecycle = shape === 'status-changes'
      ? `      <string key="from_status" value="${xmlAttribute(e.fromStatus)}"/>\n`
      : `      <string key="lifecycle:transition" value="${e.lifecycle}"/>\n`;
    const resource = e.resource === '' ? '' : `      <string key="org:resource" value="${xmlAttribute(e.resource)}"/>\n`;
    yield `    <event>\n      <string key="concept:name" value="${xmlAttribute(e.activity)}"/>\n${lifecycle}${resource}` +
      `      <string key="org:group" value="${xmlAttribute(e.group)}"/>\n` +
      `      <date key="time:timestamp" value="${isoTimestamp(e.timestampMs)}"/>\n    </event>\n`;
  }
  if (lastCase !== undefined) yield '  </trace>\n';
  yield '</log>\n';
}

/** Writes events as an IEEE 1849-2016 XES document (concept, lifecycle, org and time extensions). */
export async function writeXes(events: Iterable<SyntheticEvent>, path: string, options: WriteOptions = {}): Promise<WriteResult> {
  const { first, all } = peek(events);
  const counter: Counter = { events: 0, cases: 0 };
  const bytes = await writeLines(xesLines(all, options.shape ?? inferShape(first), counter), path);
  return { path, events: counter.events, cases: counter.cases, bytes };
}
