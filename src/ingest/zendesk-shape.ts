/**
 * Recognising a Zendesk export (FORMATS.md §2) and Zendesk's vocabulary: which JSON pages and CSV tables are Zendesk,
 * which ticket lists are current-state only, what its statuses mean (categories, done) and which audit fields are
 * status/owner changes.
 */
import type { ChangeField } from './status-changes.js';
import { asArray, asRecord } from './json-values.js';
import { jsonSourceShape } from './json-shape.js';

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
export function ticketResults(record: Record<string, unknown>): Record<string, unknown>[] {
  return (asArray(record.results) ?? [])
    .map((item) => asRecord(item))
    .filter((item): item is Record<string, unknown> => item !== undefined && 'status' in item && 'created_at' in item && 'via' in item && (item.result_type ?? 'ticket') === 'ticket');
}

/** The fix for a Zendesk export without status history. */
export const ZENDESK_HISTORY_FIX =
  'export ticket audits (GET /api/v2/ticket_audits, or /api/v2/tickets/{id}/audits) or incremental ticket events (GET /api/v2/incremental/ticket_events?start_time=…) and pass them with, or instead of, the ticket list';

/** Zendesk statuses that mean the ticket is closed now. */
export const DONE_STATUSES = new Set(['solved', 'closed', 'deleted']);

/**
 * Zendesk's own status meanings as categories (DESIGN §3, FORMATS §2.4). `pending` waits on the requester and `hold` on a third
 * party: DESIGN §3 puts both in `waiting` (neither is the team's work, neither is an internal block). `deleted` ends the flow
 * like a done status; a recovery (deleted → open) then reads as a reopen.
 */
export const STATUS_CATEGORY: Record<string, string> = {
  new: 'queue',
  open: 'active',
  pending: 'waiting',
  hold: 'waiting',
  solved: 'done',
  closed: 'done',
  deleted: 'done',
};

export const FIELD_OF: Record<string, ChangeField> = { status: 'status', assignee_id: 'assignee', group_id: 'group' };
