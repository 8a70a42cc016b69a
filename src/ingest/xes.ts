import { basename } from 'node:path';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { VsmError, quoteGot } from '../errors.js';
import { MISSING_CODE } from '../model/dictionary.js';
import { type EventSpill, EventLogBuilder, type SpilledLog } from '../model/event-log-builder.js';
import { IngestReportBuilder } from './ingest-report.js';
import type { IngestReport } from '../contracts/ingest-report.js';
import type { ReadOptions, ReadResult } from './read-options.js';
import { XesEventFields, XesEventSink, xesKeys } from './xes-sink.js';
import { openTextSource } from './xes-source.js';
import { IsoTimestampReader } from './xes-time.js';
import { FastXesTokenizer, FastXmlBailout, type FastTag } from './xes-fast-xml.js';

/**
 * How an XES file is tokenized: 'fast' (xes-fast-xml.ts, the common subset of XML, else the file is read again with
 * saxes) or 'saxes' alone. VSM_XES_TOKENIZER=saxes forces saxes (tests compare the two).
 */
type XesTokenizer = 'fast' | 'saxes';

function tokenizerFromEnv(): XesTokenizer {
  return process.env.VSM_XES_TOKENIZER === 'saxes' ? 'saxes' : 'fast';
}

/** XES attribute elements that carry a `value` (IEEE 1849 §5); list/container only hold children. */
const VALUE_ELEMENTS = new Set(['string', 'date', 'int', 'float', 'boolean', 'id']);
/** Children of `<log>` that mark an OCEL 2.0 XML file, which also has a `<log>` root. */
const OCEL_ELEMENTS = new Set(['object-types', 'event-types', 'objects', 'events']);

function formatDetectedBy(path: string, options: ReadOptions): string {
  if (options.source === 'xes') return 'flag';
  return /\.xes(\.gz)?$/i.test(path) ? 'extension' : 'sniffed: XML with a <log> root';
}

/** 1234567 → "1,234,567" (toLocaleString would load ICU data on the first call: ~20 ms). */
function countText(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Reads an XES event log (`.xes`, or gzipped whatever its name) by streaming it through saxes:
 * `<trace>` = case (its `concept:name`), `<event>` = one row. Every `<event>` is accounted for in
 * the IngestReport: used, or rejected with a reason and its ordinal and XML line.
 *
 * @param path the XES file
 * @param options mapping (XES keys), timeZone for offset-less dates, keepAttributes, onProgress
 * @return the sorted EventLog and its IngestReport
 * @example
 *   const { log, report } = await readXes('bpic2012.xes.gz', {});
 *   // log.caseCount === 13_087, report.rowsRead === 262_200
 */
export async function readXes(path: string, options: ReadOptions = {}): Promise<ReadResult> {
  let builder = new EventLogBuilder('activity');
  let finish: ((hasStartTimestamps: boolean) => IngestReport) | undefined;
  if (tokenizerFromEnv() === 'fast') {
    try {
      finish = await readXesInto(path, options, builder, 'fast');
    } catch (error) {
      if (!(error instanceof FastXmlBailout)) throw error;
      // The file leaves the fast tokenizer's subset: read again from the start with saxes, into a fresh builder.
      builder = new EventLogBuilder('activity');
    }
  }
  finish ??= await readXesInto(path, options, builder, 'saxes');
  const log = builder.build();
  return { log, report: finish(log.startTimestampMs !== undefined) };
}

/**
 * An XES log read into a spill (the partitioned engine's event store, stored-read.ts) instead of an EventLog: the same
 * events, dictionaries and report (XES drops repeats as it reads: nothing is left to drop per range).
 */
export async function readXesSpilled(path: string, options: ReadOptions, spill: EventSpill): Promise<{ log: SpilledLog; report: IngestReport }> {
  const builder = new EventLogBuilder('activity');
  builder.spillTo(spill);
  // saxes alone: the events handed to the spill could not be taken back for a second read.
  const finish = await readXesInto(path, options, builder, 'saxes');
  const hasStart = builder.hasStartTimestamps;
  return { log: builder.finishSpilled(), report: finish(hasStart) };
}

/**
 * Reads the XES file into `builder`; returns what ends the report once the log is built (its start column known).
 * With the fast tokenizer it throws FastXmlBailout when the file leaves its subset, or where saxes would give the
 * error's position: the caller then reads the file again with saxes.
 */
async function readXesInto(path: string, options: ReadOptions, builder: EventLogBuilder, tokenizer: XesTokenizer): Promise<(hasStartTimestamps: boolean) => IngestReport> {
  const report = new IngestReportBuilder('xes', formatDetectedBy(path, options));
  // Before the file is opened: a bad --timezone fails fast and leaves no stream behind.
  const times = new IsoTimestampReader(report, options.timeZone);
  const source = await openTextSource(path, { onProgress: options.onProgress, limits: options.limits, xmlTokenCap: true });
  report.files.push(path);
  const fileIndex = builder.addFile(path);
  const keys = xesKeys(options);
  const keepAttributes = options.keepAttributes !== false;
  const sink = new XesEventSink(builder, report, times, keys, path, fileIndex, keepAttributes);
  const parser = new SaxesParser({ xmlns: false, position: true });
  const fast = tokenizer === 'fast' ? new FastXesTokenizer((tag) => openTag(tag), (name) => closeTag(name)) : undefined;
  /** The line of the tag being read (saxes's, or the fast tokenizer's: the same). */
  const lineNow = () => fast?.line ?? parser.line;

  const fields = new XesEventFields();
  const pending: XesEventFields[] = [];
  const traceAttributeKeys: string[] = [];
  const traceAttributeValues: string[] = [];
  let rootSeen = false;
  let inTrace = false;
  let inEvent = false;
  /** Depth inside a subtree we skip (`<global>`, `<extension>`, attribute children, unknown elements). */
  let skipDepth = 0;
  let skippingAttribute = false;
  let eventOrdinal = 0;
  let traceCaseId: string | undefined;
  let traceUsedCount = 0;
  let traceEventCount = 0;
  let emptyTraceCount = 0;
  let duplicateTraceCount = 0;
  let nestedValueCount = 0;
  let stringTimestampCount = 0;

  const readAttribute = (tag: SaxesTagPlain | FastTag): void => {
    const key = tag.attributes.key;
    if (key === undefined) return;
    const value = tag.attributes.value ?? '';
    if (inEvent) {
      if (key === keys.activity) fields.activity = value;
      else if (key === keys.timestamp) {
        fields.timestampText = value;
        if (tag.name === 'string') stringTimestampCount++;
      } else if (key === keys.lifecycle) fields.lifecycle = value;
      else if (key === keys.resource) fields.resource = value;
      else if (key === keys.group) fields.group = value;
      else if (key === keys.startTimestamp) fields.startText = value;
      else {
        // org:role stays an attribute too: it is only the group where the event has no org:group.
        if (key === keys.groupFallback) fields.role = value;
        if (keepAttributes && value !== '') fields.addAttribute(key, value);
      }
    } else if (inTrace) {
      if (key === keys.case) {
        if (traceCaseId === undefined && value !== '') {
          traceCaseId = value;
          if (builder.caseIds.codeOf(value) !== MISSING_CODE) duplicateTraceCount++;
          for (const early of pending) if (sink.accept(early, traceCaseId)) traceUsedCount++;
          pending.length = 0;
        }
      } else if (keepAttributes && value !== '') {
        traceAttributeKeys.push(key);
        traceAttributeValues.push(value);
      }
    }
  };

  const openTag = (tag: SaxesTagPlain | FastTag): void => {
    if (skipDepth > 0) {
      skipDepth++;
      if (skippingAttribute && skipDepth === 2) nestedValueCount++;
      return;
    }
    const name = tag.name;
    if (!rootSeen) {
      rootSeen = true;
      if (name !== 'log') {
        throw new VsmError({ code: 'UNKNOWN_FORMAT', what: 'not an XES log', where: path, got: `root element <${name}>`, fix: 'an XES file has a <log> root; pass --source to read another format' });
      }
      return;
    }
    if ((name === 'event' && inEvent) || (name === 'trace' && (inTrace || inEvent))) {
      // saxes says where, to the column.
      if (fast) throw new FastXmlBailout(`<${name}> nested`);
      // Invalid XES (IEEE 1849: events hold attributes only): reading on would keep 1 of n events without a word.
      throw new VsmError({
        code: 'XML_PARSE',
        what: `invalid XES: <${name}> nested inside <${inEvent ? 'event' : 'trace'}>`,
        where: `${path}:${parser.line}:${parser.column + 1}`,
        got: `<${name}> opened before the ${inEvent ? `<event> of line ${fields.line}` : '<trace>'} was closed`,
        fix: 'close each <event> before the next one (a broken export or hand edit); export the log again',
      });
    }
    if (name === 'event') {
      eventOrdinal++;
      traceEventCount++;
      fields.reset(eventOrdinal, lineNow());
      inEvent = true;
    } else if (name === 'trace') {
      inTrace = true;
      traceCaseId = undefined;
      traceUsedCount = traceEventCount = 0;
      traceAttributeKeys.length = traceAttributeValues.length = 0;
    } else if (VALUE_ELEMENTS.has(name)) {
      readAttribute(tag);
      skipDepth = 1;
      skippingAttribute = true;
    } else {
      if (!inTrace && OCEL_ELEMENTS.has(name)) {
        throw new VsmError({ code: 'UNKNOWN_FORMAT', what: 'not an XES log', where: path, got: `<log> holding <${name}> (OCEL 2.0 XML)`, fix: 'read it with --source ocel --object-type <type>' });
      }
      // <global>, <extension>, <classifier>, list/container values and unknown elements hold no events.
      skipDepth = 1;
      skippingAttribute = name === 'list' || name === 'container';
    }
  };

  const closeEvent = (): void => {
    inEvent = false;
    if (!inTrace) sink.accept(fields, undefined);
    else if (traceCaseId !== undefined) {
      if (sink.accept(fields, traceCaseId)) traceUsedCount++;
    } else pending.push(fields.copy());
  };

  const closeTrace = (): void => {
    inTrace = false;
    for (const early of pending) sink.accept(early, undefined);
    pending.length = 0;
    if (traceEventCount === 0) emptyTraceCount++;
    if (traceUsedCount > 0 && traceCaseId !== undefined) {
      for (let k = 0; k < traceAttributeKeys.length; k++) builder.setCaseAttribute(traceCaseId, traceAttributeKeys[k], traceAttributeValues[k]);
    }
  };

  const closeTag = (name: string): void => {
    if (skipDepth > 0) {
      skipDepth--;
      return;
    }
    if (name === 'event' && inEvent) closeEvent();
    else if (name === 'trace' && inTrace) closeTrace();
  };
  parser.on('opentag', openTag);
  parser.on('closetag', (tag) => closeTag(tag.name));
  parser.on('error', (error) => {
    throw new VsmError({
      code: 'XML_PARSE',
      what: 'malformed XML',
      where: `${path}:${parser.line}:${parser.column + 1}`,
      got: error.message.replace(/^\d+:\d+: /, ''),
      fix: 'the file is not well-formed XML there (often a truncated download or a hand edit); repair it or export the log again',
    });
  });

  let first = true;
  for await (const chunk of source.chunks) {
    if (first && chunk.trim() !== '') {
      first = false;
      const start = chunk.replace(/^\uFEFF?\s*/, '');
      if (!start.startsWith('<')) {
        throw new VsmError({ code: 'UNKNOWN_FORMAT', what: 'not an XES log (not XML)', where: path, got: quoteGot(start.slice(0, 40)), fix: 'pass --source csv (or the right source) for non-XML files' });
      }
    }
    if (fast) fast.write(chunk);
    else parser.write(chunk);
  }
  if (!rootSeen) {
    throw new VsmError({ code: 'EMPTY_FILE', what: 'XES file has no elements', where: path, fix: 'export the log again; the file holds no <log>' });
  }
  if (fast) fast.close();
  else parser.close();
  if (eventOrdinal === 0) {
    throw new VsmError({ code: 'NO_EVENTS', what: 'XES log has no <event>', where: path, fix: 'check the export; it holds no events' });
  }

  times.finish();
  report.mapping.case = `trace ${keys.case}`;
  report.mapping.activity = keys.activity;
  report.mapping.timestamp = keys.timestamp;
  if (report.lifecycleValues.size > 0) report.mapping.lifecycle = keys.lifecycle;
  if (builder.resources.size > 0) report.mapping.resource = keys.resource;
  if (sink.groupFromKeyCount > 0) report.mapping.group = keys.group;
  if (sink.groupFromFallbackCount > 0 && keys.groupFallback !== undefined) {
    report.mapping.group = sink.groupFromKeyCount > 0 ? `${keys.group}, else ${keys.groupFallback}` : keys.groupFallback;
    report.note(
      sink.groupFromKeyCount > 0
        ? `group read from ${keys.group}; ${countText(sink.groupFromFallbackCount)} events without it took ${keys.groupFallback}`
        : `group read from ${keys.groupFallback} (the log has no ${keys.group})`,
    );
  }
  return (hasStartTimestamps) => {
    if (hasStartTimestamps) report.mapping.startTimestamp = keys.startTimestamp;
    return finishXesReport(report, path, keys.timestamp, keys.case, { stringTimestampCount, nestedValueCount, emptyTraceCount, duplicateTraceCount });
  };
}

function finishXesReport(report: IngestReportBuilder, path: string, timestampKey: string, caseKey: string, counts: { stringTimestampCount: number; nestedValueCount: number; emptyTraceCount: number; duplicateTraceCount: number }): IngestReport {
  const { stringTimestampCount, nestedValueCount, emptyTraceCount, duplicateTraceCount } = counts;
  const keys = { timestamp: timestampKey, case: caseKey };
  if (stringTimestampCount > 0) report.note(`${countText(stringTimestampCount)} ${keys.timestamp} values were <string>, not <date>; read as dates`);
  if (nestedValueCount > 0) report.note(`${countText(nestedValueCount)} nested attribute values (list/container children) skipped; top-level values kept`);
  if (emptyTraceCount > 0) report.note(`${countText(emptyTraceCount)} <trace> elements had no events`);
  if (duplicateTraceCount > 0) report.note(`${countText(duplicateTraceCount)} traces repeat an earlier trace's ${keys.case}; their events were merged into one case`);
  if (report.rowsUsed === 0) report.note(`no event of ${basename(path)} could be used; see the rejections`);
  return report.finish();
}
