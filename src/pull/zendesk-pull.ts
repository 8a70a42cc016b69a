import { VsmError, quoteGot } from '../errors.js';
import type { PullManifest } from '../model/pull-manifest.js';
import { type PullSession, finishPull } from './pull-session.js';

/**
 * `vsm pull zendesk` (docs/pull.md), two incremental exports:
 * 1. events, time-based: `GET /api/v2/incremental/ticket_events.json?start_time=<unix s>` — every status, assignee and
 *    group change, in time order (`{ticket_events, next_page, end_time, end_of_stream}`), written as
 *    `ticket_events.<n>.json.gz`. The next page starts at the page's `end_time`; events at exactly that second may come
 *    again (documented overlap) and are dropped here by event id, so no event is written twice.
 * 2. tickets, cursor-based: `GET /api/v2/incremental/tickets/cursor.json?start_time=…`, then `?cursor=<after_cursor>`
 *    until `end_of_stream` — creation time, current status, priority, channel. Each ticket is written as
 *    `ticket-<id>.json.gz` in the shape of `GET /api/v2/tickets/{id}` (`{ticket:{…}}`), so a ticket exported again
 *    replaces its file.
 * `--since last` continues both from where the last run ended (the saved `end_time` and `after_cursor`), which is the
 * workflow Zendesk documents. Incremental exports allow 10 requests a minute: requests are spaced 6 s apart
 * (capped by VSM_PULL_MAX_WAIT_MS).
 */
export interface ZendeskPullOptions {
  apiUrl: string;
}

/** 10 requests per minute on the incremental export endpoints (Zendesk "Rate limits"). */
export const ZENDESK_INCREMENTAL_INTERVAL_MS = 6000;
const MAX_PAGES = 100_000;

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function unexpected(url: string, body: unknown, expected: string): VsmError {
  return new VsmError({ code: 'HTTP_ERROR', what: `the Zendesk API answered with an unexpected shape (expected ${expected})`, where: `GET ${url}`, got: quoteGot(JSON.stringify(body).slice(0, 120)), fix: 'check --subdomain / --api-url' });
}

export function newZendeskCursor(previous: Record<string, unknown>, since: string | null): Record<string, unknown> {
  // An incremental run continues where the last one ended; a first run starts at --since (or the beginning).
  if (typeof previous.startTime === 'number') return { ...previous, since, eventsDone: false, ticketsDone: false };
  const startTime = since === null ? 0 : Math.floor(Date.parse(since) / 1000);
  return { since, startTime, page: 1, boundaryIds: [], eventsDone: false, ticketStartTime: startTime, ticketsCursor: null, ticketsDone: false };
}

async function pullEvents(session: PullSession, apiUrl: string): Promise<void> {
  const { cursor, manifest } = session;
  for (let pages = 0; pages < MAX_PAGES && cursor.eventsDone !== true; pages++) {
    const startTime = Number(cursor.startTime ?? 0);
    const url = `${apiUrl}/api/v2/incremental/ticket_events.json?start_time=${startTime}`;
    const body = record((await session.http.getJson(url)).body);
    if (!Array.isArray(body.ticket_events)) throw unexpected(url, body, '{ticket_events:[…]}');
    const seen = new Set((cursor.boundaryIds as unknown[] | undefined) ?? []);
    const fresh = body.ticket_events.filter((event) => !seen.has(record(event).id));
    const endTime = typeof body.end_time === 'number' ? body.end_time : startTime;
    if (fresh.length > 0) {
      await session.writePage(`ticket_events.${String(cursor.page ?? 1).padStart(6, '0')}`, { ...body, ticket_events: fresh, count: fresh.length });
      cursor.page = Number(cursor.page ?? 1) + 1;
      manifest.counts.events += fresh.length;
    }
    // Ids of the events at the page's last second: the next page (starting at that second) may repeat them.
    const boundary = body.ticket_events.filter((event) => record(event).timestamp === endTime).map((event) => record(event).id);
    cursor.boundaryIds = endTime === startTime ? [...seen, ...boundary] : boundary;
    cursor.startTime = endTime;
    if (body.end_of_stream === true) cursor.eventsDone = true;
    else if (endTime === startTime && fresh.length === 0) {
      throw new VsmError({
        code: 'HTTP_ERROR',
        what: 'the Zendesk export does not advance (same end_time, no new events, not end_of_stream)',
        where: `GET ${url}`,
        got: `end_time ${endTime}`,
        fix: 'more than 1,000 events share one second; rerun later with --resume, or report it to Zendesk support',
      });
    }
    await session.checkpoint();
    session.progress();
  }
}

async function pullTickets(session: PullSession, apiUrl: string): Promise<void> {
  const { cursor } = session;
  for (let pages = 0; pages < MAX_PAGES && cursor.ticketsDone !== true; pages++) {
    const from = typeof cursor.ticketsCursor === 'string' ? `cursor=${encodeURIComponent(cursor.ticketsCursor)}` : `start_time=${Number(cursor.ticketStartTime ?? 0)}`;
    const url = `${apiUrl}/api/v2/incremental/tickets/cursor.json?${from}`;
    const body = record((await session.http.getJson(url)).body);
    if (!Array.isArray(body.tickets)) throw unexpected(url, body, '{tickets:[…], after_cursor}');
    for (const item of body.tickets) {
      const ticket = record(item);
      if (typeof ticket.id !== 'number') throw unexpected(url, item, 'tickets with a numeric id');
      await session.writePage(`ticket-${ticket.id}`, { ticket });
      session.casesWritten++;
    }
    // The last page's after_cursor is where the next incremental export starts (Zendesk "cursor-based incremental exports").
    if (typeof body.after_cursor === 'string') cursor.ticketsCursor = body.after_cursor;
    if (body.end_of_stream === true || typeof body.after_cursor !== 'string') cursor.ticketsDone = true;
    await session.checkpoint();
    session.progress();
  }
}

export async function pullZendesk(session: PullSession, options: ZendeskPullOptions): Promise<PullManifest> {
  await pullEvents(session, options.apiUrl);
  await pullTickets(session, options.apiUrl);
  const cases = (await session.store.pageNames()).filter((name) => /^ticket-\d+\.json\.gz$/.test(name)).length;
  return finishPull(session, { cases, events: session.manifest.counts.events });
}
