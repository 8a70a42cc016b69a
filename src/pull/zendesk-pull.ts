import { VsmError, quoteGot } from '../errors.js';
import type { PullManifest } from '../model/pull-manifest.js';
import { type PullSession, finishPull } from './pull-session.js';

/**
 * `vsm pull zendesk` (docs/pull.md): the time-based incremental export `GET /api/v2/incremental/ticket_events.json
 * ?start_time=<unix s>` — every status, assignee and group change of every ticket, in time order, up to 1,000 events a
 * page (`{ticket_events, next_page, end_time, end_of_stream}`). Each page is written as `ticket_events.<n>.json.gz`.
 * The next page starts at the page's `end_time`; the documented overlap (events at exactly that second may come again)
 * is removed here by event id, so no event is written twice. `--since last` simply continues from the saved
 * `end_time`, which is the workflow Zendesk documents for incremental exports.
 * Incremental exports allow 10 requests a minute: requests are spaced 6 s apart (capped by VSM_PULL_MAX_WAIT_MS).
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

export function newZendeskCursor(previous: Record<string, unknown>, since: string | null): Record<string, unknown> {
  // An incremental run continues where the last one ended; a first run starts at --since (or the beginning).
  if (typeof previous.startTime === 'number') return { ...previous, since };
  return { since, startTime: since === null ? 0 : Math.floor(Date.parse(since) / 1000), page: 1, boundaryIds: [] };
}

export async function pullZendesk(session: PullSession, options: ZendeskPullOptions): Promise<PullManifest> {
  const { cursor, manifest } = session;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const startTime = Number(cursor.startTime ?? 0);
    const url = `${options.apiUrl}/api/v2/incremental/ticket_events.json?start_time=${startTime}`;
    const body = record((await session.http.getJson(url)).body);
    if (!Array.isArray(body.ticket_events)) {
      throw new VsmError({ code: 'HTTP_ERROR', what: 'the Zendesk API answered with an unexpected shape (expected {ticket_events:[…]})', where: `GET ${url}`, got: quoteGot(JSON.stringify(body).slice(0, 120)), fix: 'check --subdomain / --api-url' });
    }
    const seen = new Set((cursor.boundaryIds as unknown[] | undefined) ?? []);
    const fresh = body.ticket_events.filter((event) => !seen.has(record(event).id));
    const endTime = typeof body.end_time === 'number' ? body.end_time : startTime;
    if (fresh.length > 0) {
      await session.writePage(`ticket_events.${String(cursor.page ?? 1).padStart(6, '0')}`, { ...body, ticket_events: fresh, count: fresh.length });
      cursor.page = Number(cursor.page ?? 1) + 1;
      manifest.counts.events += fresh.length;
      session.casesWritten += fresh.length;
    }
    // Ids of the events at the page's last second: the next page (starting at that second) may repeat them.
    const boundary = body.ticket_events.filter((event) => record(event).timestamp === endTime).map((event) => record(event).id);
    cursor.boundaryIds = endTime === startTime ? [...seen, ...boundary] : boundary;
    cursor.startTime = endTime;
    await session.checkpoint();
    session.progress();
    if (body.end_of_stream === true) break;
    if (endTime === startTime && fresh.length === 0) {
      throw new VsmError({
        code: 'HTTP_ERROR',
        what: 'the Zendesk export does not advance (same end_time, no new events, not end_of_stream)',
        where: `GET ${url}`,
        got: `end_time ${endTime}`,
        fix: 'more than 1,000 events share one second; rerun later with --resume, or report it to Zendesk support',
      });
    }
  }
  return finishPull(session, { cases: null, events: manifest.counts.events });
}
