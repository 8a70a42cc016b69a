import { VsmError } from '../errors.js';
import { EventLogBuilder } from '../model/event-log-builder.js';
import { HistoryEvidenceBuilder } from './history-evidence.js';
import { IngestReportBuilder } from './ingest-report.js';
import { type JsonDocument, type TextInput, documentWhere, visitJsonInput } from './json-input.js';
import { asArray, asRecord } from './json-values.js';
import { timestampReader } from './timestamp-reader.js';
import { wrongSourceError } from './json-shape.js';
import type { ReadOptions, ReadResult } from './read-options.js';
import { StatusChangeCollector } from './status-changes.js';
import { readFieldHistoryCsv } from './zendesk-field-history.js';
import { AIRBYTE_UNUSED_NOTE, type ZendeskContext, readAudit, readMetricEvent, readTicket, readTicketEvent, readTicketMetric } from './zendesk-records.js';
import { crossCheckNote } from './zendesk-requester-wait.js';
import { STATUS_CATEGORY, ZENDESK_HISTORY_FIX, isTicketList, looksLikeZendesk, ticketResults } from './zendesk-shape.js';

/**
 * Zendesk Support adapter (FORMATS.md §2). Reads, from one file or a folder:
 * - ticket audits: `GET /api/v2/tickets/{id}/audits` or `/api/v2/ticket_audits` pages `{audits:[…]}` (events of type
 *   Create/Change with `field_name` status / assignee_id / group_id);
 * - incremental ticket events `GET /api/v2/incremental/ticket_events` pages `{ticket_events:[{…, child_events:[…]}]}`
 *   (child layout accepted both as `field_name`/`value`/`previous_value` and as `status: "open", previous_value: "new"`);
 * - the Fivetran warehouse table `ticket_field_history` as CSV (`field_name,ticket_id,updated,…,user_id,value`: new values
 *   only, so each row's `from` is the ticket's previous row);
 * - Airbyte JSON Lines records (`{stream:"ticket_audits"|"tickets"|"ticket_metric_events", data}`), tickets `{tickets:[…]}`,
 *   and ticket metric events `{ticket_metric_events:[…]}` (kept only as a cross-check note, see `requesterWaitMs`).
 * Reopens (solved → open) stay as revisits: rework, never erased.
 * Recognising the export: zendesk-shape.ts; one record: zendesk-records.ts; the Fivetran CSV: zendesk-field-history.ts;
 * the requester-wait cross-check: zendesk-requester-wait.ts. This file reads the pages and puts the changes in order.
 */

/** The lists of a page handed to the adapter item by item, in the order it reads them. */
const ITEM_LISTS = ['audits', 'ticket_events', 'tickets'] as const;

/**
 * The reader of one item of a page's `audits`, `ticket_events` or `tickets`, the same whether the page was parsed whole
 * or streamed. A null or non-object audit / ticket event is one row read and rejected; the rest of the page still counts.
 */
function listItemReader(ctx: ZendeskContext, key: string, document: JsonDocument): (item: unknown, index: number) => void {
  return (item, index) => {
    const record = asRecord(item);
    if (record === undefined) {
      if (key === 'audits' || key === 'ticket_events') {
        ctx.report.readRejected('bad-record', { file: document.file, row: index + 1, column: key, value: item === null ? 'null' : typeof item, message: `${key}[${index}] is not an object` });
      }
      return;
    }
    if (key === 'audits') readAudit(ctx, record, document);
    else if (key === 'ticket_events') readTicketEvent(ctx, record, document);
    else readTicket(ctx, record);
  };
}

/** Whether a page's list is read item by item: audits and ticket events always, tickets when they look like tickets. */
function opensList(key: string, firstItems: readonly unknown[]): boolean {
  return key !== 'tickets' || isTicketList({ tickets: firstItems });
}

/** A document after the items of its lists were handed out (`document.lists`: those lists hold only their first items). */
function readDocument(ctx: ZendeskContext, document: JsonDocument): void {
  const value = document.value;
  const record = asRecord(value);
  ctx.evidence.seePage(value, document.lists);
  for (const key of document.listsKeptOutOfOrder ?? []) {
    ctx.report.note(`${documentWhere(document)} lists ${key} after a list read before it; the page is too large to hold whole, so its ${key} were read last (a ticket's starting owner or attributes may then come from the other list)`);
  }
  if (record && typeof record.stream === 'string') {
    ctx.sawAirbyte = true;
    const data = asRecord(record.data) ?? {};
    if (record.stream === 'ticket_audits') readAudit(ctx, data, document);
    else if (record.stream === 'tickets') readTicket(ctx, data);
    else if (record.stream === 'ticket_metric_events') {
      ctx.metricEventRecords++;
      readMetricEvent(ctx, data);
    }
    else if (record.stream === 'ticket_metrics') readTicketMetric(ctx, data);
    else ignoreStream(ctx, record.stream);
    return;
  }
  /** A list not handed out item by item, read here the same way. */
  const readList = (key: (typeof ITEM_LISTS)[number]): void => {
    if (document.lists?.has(key) === true) return;
    const read = listItemReader(ctx, key, document);
    (asArray(record?.[key]) ?? []).forEach((item, index) => read(item, index));
  };
  const list = (key: string): Record<string, unknown>[] => (asArray(record?.[key]) ?? []).map((item) => asRecord(item)).filter((item): item is Record<string, unknown> => item !== undefined);
  readList('audits');
  if (asRecord(record?.audit)) readAudit(ctx, asRecord(record?.audit) as Record<string, unknown>, document);
  if (record && 'ticket_id' in record && Array.isArray(record.events)) readAudit(ctx, record, document);
  if (!record) for (const item of asArray(value) ?? []) if (asRecord(item)) readAudit(ctx, asRecord(item) as Record<string, unknown>, document);
  readList('ticket_events');
  readList('tickets');
  const results = record ? ticketResults(record) : [];
  for (const ticket of [...results, ...(asRecord(record?.ticket) ? [asRecord(record?.ticket) as Record<string, unknown>] : [])]) readTicket(ctx, ticket);
  for (const metric of list('ticket_metric_events')) readMetricEvent(ctx, metric);
  for (const metric of list('ticket_metrics')) readTicketMetric(ctx, metric);
}
/** An Airbyte line of a stream this reader does not use (automations, macros, …): counted per stream. */
function ignoreStream(ctx: ZendeskContext, stream: string): void {
  ctx.sawAirbyte = true;
  ctx.ignoredStreams.set(stream, (ctx.ignoredStreams.get(stream) ?? 0) + 1);
}

/** "ticket_metric_events 3, automations 1". */
function streamCounts(counts: Iterable<readonly [string, number]>): string {
  return [...counts].map(([stream, n]) => `${stream} ${n.toLocaleString('en-US')}`).join(', ');
}

/** The stream of an Airbyte record line (`{stream, data, emitted_at}`), else undefined. */
function airbyteStream(value: unknown): string | undefined {
  const record = asRecord(value);
  return record && typeof record.stream === 'string' && asRecord(record.data) !== undefined && 'emitted_at' in record ? record.stream : undefined;
}

/** Reads a Zendesk export (file or folder) into a status-shaped EventLog. */
export async function readZendesk(path: string, options: ReadOptions): Promise<ReadResult> {
  const report = new IngestReportBuilder('zendesk', options.source === 'zendesk' ? 'flag' : 'sniffed');
  const builder = new EventLogBuilder('status');
  const ctx: ZendeskContext = {
    builder,
    report,
    collector: new StatusChangeCollector(builder, report),
    readTime: timestampReader(report, options.timeZone),
    changes: [],
    metrics: [],
    ignoredStreams: new Map(),
    sawAirbyte: false,
    metricEventRecords: 0,
    evidence: new HistoryEvidenceBuilder('zendesk', ZENDESK_HISTORY_FIX),
    position: 0,
  };
  Object.assign(report.mapping, { case: 'ticket_id', activity: 'status', timestamp: 'created_at', resource: 'assignee_id', group: 'group_id' });
  let recognised = 0;
  let documents = 0;
  const texts: TextInput[] = [];
  let firstWrong: VsmError | undefined;
  // The items of `audits`, `ticket_events` and `tickets` come one at a time (a large page is never held whole).
  const files = await visitJsonInput(path, { acceptCsv: true, onProgress: options.onProgress, limits: options.limits }, {
    lists: { keys: ITEM_LISTS, open: (key, firstItems, where) => (opensList(key, firstItems) ? listItemReader(ctx, key, { ...where, value: undefined }) : undefined) },
    document: (document) => {
      documents++;
      if (!looksLikeZendesk(document.value)) {
        // An Airbyte line of a stream this reader does not use (automations, macros, …) is accounted for as such.
        const stream = airbyteStream(document.value);
        if (stream !== undefined) {
          ignoreStream(ctx, stream);
          return;
        }
        if (documents === 1) firstWrong = wrongSourceError(document, 'zendesk', 'a Zendesk export');
        report.note(`skipped ${documentWhere(document)}: not a Zendesk export`);
        return;
      }
      recognised++;
      readDocument(ctx, document);
    },
    text: (text) => texts.push(text),
  });
  // A single document that is not Zendesk is the wrong source, not a skipped page.
  if (documents === 1 && texts.length === 0 && firstWrong) throw firstWrong;
  for (const { file, text } of texts) {
    if (!looksLikeZendesk(text)) {
      throw new VsmError({ code: 'WRONG_SOURCE', what: 'CSV is not a Zendesk ticket_field_history table', where: file, got: text.split('\n')[0].slice(0, 80), fix: 'pass --source csv for a generic CSV' });
    }
    recognised++;
    readFieldHistoryCsv(ctx, file, text);
  }
  if (recognised === 0 && firstWrong) throw firstWrong;
  // Same instant: audit/event id order, then file position (Zendesk ids grow with time).
  ctx.changes.sort((a, b) => a.atMs - b.atMs || a.orderId - b.orderId || a.position - b.position);
  const statuses = new Set<string>();
  for (const [seq, change] of ctx.changes.entries()) {
    if (change.field === 'status') for (const status of [change.from, change.to]) if (status) statuses.add(status);
    ctx.collector.addChange({ ...change, sourceSeq: seq + 1 });
  }
  for (const status of statuses) if (STATUS_CATEGORY[status] !== undefined) builder.setStatusCategory(status, STATUS_CATEGORY[status]);
  if (ctx.changes.length === 0) {
    // Tickets (or ticket metrics) without audits or events: a current-state export.
    ctx.evidence.statusHistory = false;
    builder.setStatusHistory(false);
    report.note('no ticket audits or ticket events in this export (a ticket list only): lead time comes from created_at → solved_at; no step can be timed');
  }
  ctx.collector.emit();
  const ignored = [...ctx.evidence.ignoredFields];
  if (ignored.length > 0) {
    const list = ignored.sort((a, b) => b[1] - a[1]).map(([name, n]) => `${name} ${n}`);
    report.note(`ignored: not a status/owner change — ${list.slice(0, 8).join(', ')}${list.length > 8 ? ', …' : ''}`);
  }
  if (ctx.sawAirbyte && !ctx.evidence.statusHistory) ctx.evidence.historyFix = `sync the ticket_audits stream in Airbyte too (or ${ZENDESK_HISTORY_FIX})`;
  ctx.evidence.applyTo(report);
  if (ctx.ignoredStreams.size > 0) report.note(`${AIRBYTE_UNUSED_NOTE}${streamCounts(ctx.ignoredStreams)}`);
  report.files.push(...files);
  for (const file of files) builder.addFile(file);
  if (builder.eventCount === 0 && report.rowsRead === 0 && ctx.collector.caseCount === 0 && ctx.sawAirbyte) {
    // Records were read, none of a stream with tickets or their history: not empty, but nothing to map.
    throw new VsmError({
      code: 'NO_EVENTS',
      what: 'no ticket or ticket history in the Airbyte Zendesk records',
      where: path,
      // The streams read, those used first.
      got: `${documents.toLocaleString('en-US')} record${documents === 1 ? '' : 's'}: ${streamCounts([...(ctx.metricEventRecords > 0 ? [['ticket_metric_events', ctx.metricEventRecords] as const] : []), ...ctx.ignoredStreams])}`,
      fix: 'sync the ticket_audits stream (status history) and the tickets stream in Airbyte and pass those records',
    });
  }
  if (builder.eventCount === 0 && report.rowsRead === 0 && ctx.collector.caseCount === 0) {
    throw new VsmError({
      code: 'EMPTY_FILE',
      what: 'the Zendesk export is empty',
      where: path,
      got: `0 audit events, ticket events or tickets in ${documents + texts.length} file part${documents + texts.length === 1 ? '' : 's'}`,
      fix: 'check the time range or ticket filter of the export and export again',
    });
  }
  // A current-state export may carry only case fields (ticket metrics: created_at / solved_at): lead time needs no events.
  if (builder.eventCount === 0 && !(ctx.evidence.statusHistory === false && builder.caseIds.size > 0)) {
    throw new VsmError({ code: 'NO_EVENTS', what: 'no status, assignee or group changes found', where: path, fix: 'export ticket audits or incremental ticket events' });
  }
  const log = builder.build();
  crossCheckNote(ctx, log);
  return { log, report: report.finish() };
}
