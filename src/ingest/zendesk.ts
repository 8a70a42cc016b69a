import { parse as parseCsv } from 'csv-parse/sync';
import { VsmError } from '../errors.js';
import { EventLogBuilder, type EventLog, lifecycleOf } from '../model/event-log.js';
import { HistoryEvidenceBuilder } from './history-evidence.js';
import { IngestReportBuilder } from './ingest-report.js';
import { type JsonDocument, type TextInput, asArray, asRecord, asString, documentWhere, jsonSourceShape, timestampReader, visitJsonInput, wrongSourceError } from './json-input.js';
import type { ReadOptions, ReadResult } from './read-options.js';
import { type ChangeField, StatusChangeCollector } from './status-changes.js';

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
 */
const FIVETRAN_HEADER = /^\uFEFF?"?field_name"?,"?ticket_id"?,"?updated"?/i;

export function looksLikeZendesk(sample: unknown): boolean {
  if (typeof sample === 'string') return FIVETRAN_HEADER.test(sample);
  return jsonSourceShape(sample) === 'zendesk' || isTicketList(sample);
}

/** A current-state ticket list: `/api/v2/tickets`, `/exports/tickets`, incremental tickets, or `/ticket_metrics`. */
export function isTicketList(sample: unknown): boolean {
  const record = asRecord(sample);
  if (!record) return false;
  const first = asRecord(asArray(record.tickets)?.[0]) ?? ticketResults(record)[0];
  if (first) return 'status' in first && 'created_at' in first;
  const metric = asRecord(asArray(record.ticket_metrics)?.[0]);
  return metric !== undefined && 'ticket_id' in metric && 'created_at' in metric;
}

/**
 * Tickets under `results`: the legacy `/api/v2/exports/tickets` export and `/api/v2/search?query=type:ticket`
 * (items with `result_type: "ticket"`); only items that look like tickets (status, created_at, via).
 */
function ticketResults(record: Record<string, unknown>): Record<string, unknown>[] {
  return (asArray(record.results) ?? [])
    .map((item) => asRecord(item))
    .filter((item): item is Record<string, unknown> => item !== undefined && 'status' in item && 'created_at' in item && 'via' in item && (item.result_type ?? 'ticket') === 'ticket');
}

/** The fix for a Zendesk export without status history. */
export const ZENDESK_HISTORY_FIX =
  'export ticket audits (GET /api/v2/ticket_audits, or /api/v2/tickets/{id}/audits) or incremental ticket events (GET /api/v2/incremental/ticket_events?start_time=…) and pass them with, or instead of, the ticket list';

/** Zendesk statuses that mean the ticket is closed now. */
const DONE_STATUSES = new Set(['solved', 'closed', 'deleted']);

/**
 * Zendesk's own status meanings as categories (DESIGN §3, FORMATS §2.4). `pending` waits on the requester and `hold` on a third
 * party: DESIGN §3 puts both in `waiting` (neither is the team's work, neither is an internal block). `deleted` ends the flow
 * like a done status; a recovery (deleted → open) then reads as a reopen.
 */
const STATUS_CATEGORY: Record<string, string> = {
  new: 'queue',
  open: 'active',
  pending: 'waiting',
  hold: 'waiting',
  solved: 'done',
  closed: 'done',
  deleted: 'done',
};

const FIELD_OF: Record<string, ChangeField> = { status: 'status', assignee_id: 'assignee', group_id: 'group' };

interface RawChange {
  caseId: string;
  atMs: number;
  field: ChangeField;
  from: string | null;
  to: string | null;
  actor?: string;
  fileIndex: number;
  /** Source order tie-breakers: the audit/event id, then the position in the file. */
  orderId: number;
  position: number;
}

interface RequesterWaitMetric {
  caseId: string;
  atMs: number;
  calendarMinutes: number;
}

interface ZendeskContext {
  readonly builder: EventLogBuilder;
  readonly report: IngestReportBuilder;
  readonly collector: StatusChangeCollector;
  readonly readTime: (text: string) => number;
  readonly changes: RawChange[];
  readonly metrics: RequesterWaitMetric[];
  readonly ignoredStreams: Map<string, number>;
  readonly evidence: HistoryEvidenceBuilder;
  position: number;
}

function rejectTime(ctx: ZendeskContext, document: JsonDocument, column: string, value: string, caseId: string): void {
  ctx.report.rowsRead++;
  ctx.report.reject('bad-timestamp', { file: document.file, row: document.line || ctx.position, column, value, message: `ticket ${caseId}: time not readable` });
}

/** A `Create` of assignee/group is the ticket's initial owner, not a change: it becomes the case's starting value (a used row). */
function addInitialOwner(ctx: ZendeskContext, caseId: string, field: ChangeField, value: string | undefined): void {
  ctx.report.rowsRead++;
  if (value === undefined || value === '') {
    ctx.report.ignore(`initial ${field} empty (ticket created without one)`);
    return;
  }
  ctx.report.rowsUsed++;
  ctx.collector.addCase(field === 'assignee' ? { caseId, currentAssignee: value } : { caseId, currentGroup: value });
}

/**
 * Settles an audit event / child event before it becomes a change: a non-object is rejected, an event of another type or
 * field is ignored with its reason. Returns the field when the event is a status/owner change.
 */
function changeFieldOf(ctx: ZendeskContext, eventValue: unknown, type: string | undefined, fieldName: string | undefined, document: JsonDocument): ChangeField | undefined {
  if (!asRecord(eventValue)) {
    ctx.position++;
    const got = eventValue === null ? 'null' : typeof eventValue;
    ctx.report.readRejected('bad-record', { file: document.file, row: document.line || ctx.position, value: got, message: `an audit event is ${got}, not an object` });
    return undefined;
  }
  if (type !== 'Create' && type !== 'Change') {
    ctx.report.readIgnored(`not a status/owner change: event ${type ?? '(no type)'}`);
    return undefined;
  }
  const field = FIELD_OF[fieldName ?? ''];
  if (field === undefined) {
    ctx.report.readIgnored(`not a status/owner change: field ${fieldName ?? '(none)'}`);
    ctx.evidence.ignoreField(fieldName ?? '(no field)');
  }
  return field;
}

function readAudit(ctx: ZendeskContext, audit: Record<string, unknown>, document: JsonDocument): void {
  const caseId = asString(audit.ticket_id) ?? '';
  const createdText = asString(audit.created_at) ?? '';
  const atMs = ctx.readTime(createdText);
  ctx.evidence.seeInstant(atMs);
  const fileIndex = ctx.builder.addFile(document.file);
  const channel = asString(asRecord(audit.via)?.channel);
  for (const eventValue of asArray(audit.events) ?? []) {
    const event = asRecord(eventValue) ?? {};
    const type = asString(event.type);
    const field = changeFieldOf(ctx, eventValue, type, asString(event.field_name), document);
    if (field === undefined) continue;
    ctx.position++;
    if (caseId === '') {
      ctx.report.rowsRead++;
      ctx.report.reject('missing-case', { file: document.file, row: ctx.position, column: 'ticket_id', message: 'audit without ticket_id' });
      continue;
    }
    if (Number.isNaN(atMs)) {
      rejectTime(ctx, document, 'created_at', createdText, caseId);
      continue;
    }
    // The audit that creates the ticket names its channel (web, email, api…): a case attribute worth mapping.
    if (type === 'Create' && field === 'status' && channel !== undefined) ctx.collector.addCase({ caseId, attributes: { channel } });
    if (type === 'Create' && field !== 'status') {
      addInitialOwner(ctx, caseId, field, asString(event.value));
      continue;
    }
    ctx.changes.push({
      caseId,
      atMs,
      field,
      from: type === 'Change' ? (asString(event.previous_value) ?? null) : null,
      to: asString(event.value) ?? null,
      actor: asString(audit.author_id),
      fileIndex,
      orderId: Number(asString(audit.id) ?? 0),
      position: ctx.position,
    });
  }
}

function readTicketEvent(ctx: ZendeskContext, item: Record<string, unknown>, document: JsonDocument): void {
  const caseId = asString(item.ticket_id) ?? '';
  const createdText = asString(item.created_at);
  const epochSeconds = typeof item.timestamp === 'number' ? item.timestamp : NaN;
  const atMs = createdText !== undefined ? ctx.readTime(createdText) : epochSeconds * 1000;
  ctx.evidence.seeInstant(atMs);
  const fileIndex = ctx.builder.addFile(document.file);
  for (const childValue of asArray(item.child_events) ?? []) {
    const child = asRecord(childValue) ?? {};
    const type = asString(child.event_type) ?? asString(child.type);
    const fieldName = asString(child.field_name) ?? Object.keys(FIELD_OF).find((name) => name in child);
    const field = changeFieldOf(ctx, childValue, type, fieldName, document);
    if (field === undefined || fieldName === undefined) continue;
    ctx.position++;
    if (Number.isNaN(atMs) || caseId === '') {
      rejectTime(ctx, document, createdText !== undefined ? 'created_at' : 'timestamp', createdText ?? String(item.timestamp), caseId);
      continue;
    }
    const to = 'field_name' in child ? child.value : child[fieldName];
    if (type === 'Create' && field !== 'status') {
      addInitialOwner(ctx, caseId, field, asString(to));
      continue;
    }
    ctx.changes.push({
      caseId,
      atMs,
      field,
      from: type === 'Change' ? (asString(child.previous_value) ?? null) : null,
      to: asString(to) ?? null,
      actor: asString(item.updater_id),
      fileIndex,
      orderId: Number(asString(item.id) ?? 0),
      position: ctx.position,
    });
  }
}

/** Epoch ms of an optional time field, NaN when absent or unreadable; every readable one counts for the as-of instant. */
function timeField(ctx: ZendeskContext, value: unknown): number {
  const text = asString(value);
  const atMs = text === undefined ? NaN : ctx.readTime(text);
  ctx.evidence.seeInstant(atMs);
  return atMs;
}

/** Every `…_at` time of a ticket or ticket-metrics row counts for the as-of instant (comments, requester updates, …). */
function seeEveryTime(ctx: ZendeskContext, record: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(record)) if (key.endsWith('_at') && typeof value === 'string') ctx.evidence.seeInstant(ctx.readTime(value));
}

function readTicket(ctx: ZendeskContext, ticket: Record<string, unknown>): void {
  const caseId = asString(ticket.id);
  if (caseId === undefined) return;
  seeEveryTime(ctx, ticket);
  const createdAtMs = timeField(ctx, ticket.created_at);
  timeField(ctx, ticket.updated_at);
  // `solved_at` sits on the ticket in some exports and in `metric_set` with `include=metric_sets`.
  const metricSet = asRecord(ticket.metric_set);
  const solvedAtMs = timeField(ctx, ticket.solved_at ?? metricSet?.solved_at);
  const status = asString(ticket.status);
  ctx.collector.addCase({
    caseId,
    createdAtMs: Number.isNaN(createdAtMs) ? undefined : createdAtMs,
    resolvedAtMs: Number.isNaN(solvedAtMs) ? undefined : solvedAtMs,
    doneNow: status === undefined ? undefined : DONE_STATUSES.has(status),
    currentStatus: status,
    currentAssignee: asString(ticket.assignee_id),
    currentGroup: asString(ticket.group_id),
    attributes: { priority: asString(ticket.priority), type: asString(ticket.type), channel: asString(asRecord(ticket.via)?.channel) },
  });
}

/** `/api/v2/ticket_metrics` rows: the ticket's creation and solve times (current state, no history). */
function readTicketMetric(ctx: ZendeskContext, metric: Record<string, unknown>): void {
  const caseId = asString(metric.ticket_id);
  if (caseId === undefined) return;
  seeEveryTime(ctx, metric);
  const createdAtMs = timeField(ctx, metric.created_at);
  const solvedAtMs = timeField(ctx, metric.solved_at);
  timeField(ctx, metric.updated_at);
  ctx.collector.addCase({
    caseId,
    createdAtMs: Number.isNaN(createdAtMs) ? undefined : createdAtMs,
    resolvedAtMs: Number.isNaN(solvedAtMs) ? undefined : solvedAtMs,
  });
}

function readMetricEvent(ctx: ZendeskContext, metric: Record<string, unknown>): void {
  const minutes = asRecord(metric.status)?.calendar;
  if (metric.metric !== 'requester_wait_time' || metric.type !== 'update_status' || typeof minutes !== 'number') return;
  ctx.metrics.push({ caseId: asString(metric.ticket_id) ?? '', atMs: ctx.readTime(asString(metric.time) ?? ''), calendarMinutes: minutes });
}

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
    const data = asRecord(record.data) ?? {};
    if (record.stream === 'ticket_audits') readAudit(ctx, data, document);
    else if (record.stream === 'tickets') readTicket(ctx, data);
    else if (record.stream === 'ticket_metric_events') readMetricEvent(ctx, data);
    else if (record.stream === 'ticket_metrics') readTicketMetric(ctx, data);
    else ctx.ignoredStreams.set(record.stream, (ctx.ignoredStreams.get(record.stream) ?? 0) + 1);
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

/** Fivetran `ticket_field_history`: one row per new value; the `from` of a row is the previous row's value for that ticket and field. */
function readFieldHistoryCsv(ctx: ZendeskContext, file: string, text: string): void {
  const rows = parseCsv(text, { columns: true, skip_empty_lines: true, bom: true, relax_column_count: true }) as Record<string, string>[];
  const fileIndex = ctx.builder.addFile(file);
  const byKey = new Map<string, { row: Record<string, string>; line: number; atMs: number }[]>();
  for (const [k, row] of rows.entries()) {
    const field = FIELD_OF[row.field_name ?? ''];
    const line = k + 2;
    const atMs = ctx.readTime(row.updated ?? '');
    ctx.evidence.seeInstant(atMs);
    if (field === undefined) {
      ctx.report.readIgnored(`not a status/owner change: field ${row.field_name || '(none)'}`);
      ctx.evidence.ignoreField(row.field_name || '(no field)');
      continue;
    }
    if (!row.ticket_id) {
      ctx.report.rowsRead++;
      ctx.report.reject('missing-case', { file, row: line, column: 'ticket_id', message: 'row without ticket_id' });
      continue;
    }
    if (Number.isNaN(atMs)) {
      ctx.report.rowsRead++;
      ctx.report.reject('bad-timestamp', { file, row: line, column: 'updated', value: row.updated, message: `ticket ${row.ticket_id}: time not readable` });
      continue;
    }
    const key = `${row.ticket_id}\u0000${field}`;
    let list = byKey.get(key);
    if (!list) byKey.set(key, (list = []));
    list.push({ row, line, atMs });
  }
  for (const list of byKey.values()) {
    list.sort((a, b) => a.atMs - b.atMs || a.line - b.line);
    let from: string | null = null;
    let previous: { atMs: number; value: string | null; from: string | null } | undefined;
    for (const entry of list) {
      const value = entry.row.value === '' ? null : entry.row.value;
      // An exact repeat of the previous row (overlapping sync) gets the same `from`, so the collector drops it as a duplicate.
      const repeat = previous !== undefined && previous.atMs === entry.atMs && previous.value === value;
      const rowFrom = repeat && previous ? previous.from : from;
      ctx.changes.push({
        caseId: entry.row.ticket_id,
        atMs: entry.atMs,
        field: FIELD_OF[entry.row.field_name],
        from: rowFrom,
        to: value,
        actor: entry.row.user_id || undefined,
        fileIndex,
        orderId: 0,
        position: entry.line,
      });
      if (!repeat) {
        previous = { atMs: entry.atMs, value, from: rowFrom };
        from = value;
      }
    }
  }
  ctx.report.mapping.timestamp = 'updated';
}

/**
 * Requester wait of one ticket from its visits, in ms: time in `new`, `open` and `hold` (Zendesk pauses `requester_wait_time`
 * only while `pending`; dbt_zendesk: requester_wait = new + open + hold), over every visit, reopens included. The last, still
 * open visit counts up to `asOfMs` when given, else not at all. Compare with Zendesk's calendar minutes by flooring to minutes.
 */
export function requesterWaitMs(log: EventLog, caseId: string, asOfMs?: number): number {
  const code = log.caseIds.codeOf(caseId);
  if (code < 0) return NaN;
  let waitMs = 0;
  let openStatus: string | undefined;
  let enteredAtMs = NaN;
  for (let i = log.caseStart[code]; i < log.caseStart[code + 1]; i++) {
    if (lifecycleOf(log, i) !== 'enter') continue;
    if (openStatus !== undefined && ['new', 'open', 'hold'].includes(openStatus)) waitMs += log.timestampMs[i] - enteredAtMs;
    openStatus = log.activities.values[log.activityCode[i]];
    enteredAtMs = log.timestampMs[i];
  }
  if (asOfMs !== undefined && openStatus !== undefined && ['new', 'open', 'hold'].includes(openStatus)) waitMs += asOfMs - enteredAtMs;
  return waitMs;
}

function crossCheckNote(ctx: ZendeskContext, log: EventLog): void {
  if (ctx.metrics.length === 0) return;
  const latest = new Map<string, RequesterWaitMetric>();
  for (const metric of ctx.metrics) if ((latest.get(metric.caseId)?.atMs ?? -Infinity) <= metric.atMs) latest.set(metric.caseId, metric);
  const checks = [...latest.values()].filter((metric) => log.caseIds.codeOf(metric.caseId) >= 0);
  const agree = checks.filter((metric) => Math.floor(requesterWaitMs(log, metric.caseId) / 60_000) === metric.calendarMinutes);
  const example = checks[0];
  ctx.report.note(
    `Zendesk ticket metric events give requester_wait_time for ${latest.size} ticket${latest.size === 1 ? '' : 's'}; ${checks.length} have status history here, ` +
      `and for ${agree.length} of them our visits give the same whole minutes` +
      (example ? ` (ticket ${example.caseId}: Zendesk ${example.calendarMinutes} min, ours ${Math.floor(requesterWaitMs(log, example.caseId) / 60_000)} min)` : ''),
  );
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
  ctx.evidence.applyTo(report);
  if (ctx.ignoredStreams.size > 0) report.note(`Airbyte streams not used: ${[...ctx.ignoredStreams].map(([s, n]) => `${s} ${n}`).join(', ')}`);
  report.files.push(...files);
  for (const file of files) builder.addFile(file);
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
