/**
 * The Zendesk records, one at a time (FORMATS.md §2): the reading context, and how an audit, an incremental ticket
 * event, a ticket, a ticket-metrics row and a ticket metric event each become changes, case fields or cross-check
 * metrics in it. The same whether the record came from a page parsed whole, a streamed page or an Airbyte line.
 */
import type { EventLogBuilder } from '../model/event-log-builder.js';
import type { HistoryEvidenceBuilder } from './history-evidence.js';
import type { IngestReportBuilder } from './ingest-report.js';
import type { JsonDocument } from './json-input.js';
import { asArray, asRecord, asString } from './json-values.js';
import type { ChangeField, StatusChangeCollector } from './status-changes.js';
import { DONE_STATUSES, FIELD_OF } from './zendesk-shape.js';

export interface RawChange {
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

export interface RequesterWaitMetric {
  caseId: string;
  atMs: number;
  calendarMinutes: number;
}

// How the note on Airbyte streams the reader does not use begins: in ingest-report.ts, which every read loads.
export { AIRBYTE_UNUSED_NOTE } from './ingest-report.js';

export interface ZendeskContext {
  readonly builder: EventLogBuilder;
  readonly report: IngestReportBuilder;
  readonly collector: StatusChangeCollector;
  readonly readTime: (text: string) => number;
  readonly changes: RawChange[];
  readonly metrics: RequesterWaitMetric[];
  readonly ignoredStreams: Map<string, number>;
  /** Any Airbyte record line was read (the fix for a missing history then names the Airbyte stream). */
  sawAirbyte: boolean;
  /** Airbyte `ticket_metric_events` lines read (metrics only: no status). */
  metricEventRecords: number;
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

export function readAudit(ctx: ZendeskContext, audit: Record<string, unknown>, document: JsonDocument): void {
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

export function readTicketEvent(ctx: ZendeskContext, item: Record<string, unknown>, document: JsonDocument): void {
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

export function readTicket(ctx: ZendeskContext, ticket: Record<string, unknown>): void {
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
export function readTicketMetric(ctx: ZendeskContext, metric: Record<string, unknown>): void {
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

export function readMetricEvent(ctx: ZendeskContext, metric: Record<string, unknown>): void {
  const minutes = asRecord(metric.status)?.calendar;
  if (metric.metric !== 'requester_wait_time' || metric.type !== 'update_status' || typeof minutes !== 'number') return;
  ctx.metrics.push({ caseId: asString(metric.ticket_id) ?? '', atMs: ctx.readTime(asString(metric.time) ?? ''), calendarMinutes: minutes });
}
