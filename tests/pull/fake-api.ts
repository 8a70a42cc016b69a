import { readFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * A loopback stand-in for the Jira, Zendesk and GitHub REST APIs, serving the recorded datasets of fixtures/pull/
 * with each API's own paging (Jira `nextPageToken` / `startAt` and the 100-history cap, Zendesk time-based
 * `end_time`, GitHub `Link` headers), its auth check, and injectable faults (429 + Retry-After, 503, 401, a
 * connection reset mid-body). Listens on 127.0.0.1 only, on an ephemeral port.
 */
const FIXTURES = fileURLToPath(new URL('../../fixtures/pull/', import.meta.url));
const load = (path: string): unknown => JSON.parse(readFileSync(`${FIXTURES}${path}`, 'utf8')) as unknown;

type Json = Record<string, unknown>;

export interface Fault {
  /** Matched against the path and query of the request. */
  match: RegExp;
  kind: 429 | 503 | 401 | 'reset';
  retryAfter?: string;
  used?: boolean;
}

export interface FakeApiOptions {
  /** The exact Authorization header the API accepts. */
  authorization: string;
  jiraPageSize?: number;
}

export class FakeApi {
  readonly requests: string[] = [];
  readonly faults: Fault[] = [];
  /** Which recorded state the API serves: v2 is "later", after SP-2 moved on and SP-6 was created. */
  version: 'v1' | 'v2' = 'v1';
  /** Delay before each answer (the kill test needs a pull slow enough to interrupt). */
  delayMs = 0;
  url = '';
  private server: Server | undefined;

  constructor(private readonly options: FakeApiOptions) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? '/';
    this.requests.push(target);
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const fault = this.faults.find((f) => !f.used && f.match.test(target));
    if (fault) {
      fault.used = true;
      if (fault.kind === 'reset') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '5000' });
        res.write('{"issues":[{"key":"SP-1","fie');
        setTimeout(() => res.socket?.destroy(), 5);
        return;
      }
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
      res.writeHead(fault.kind, headers);
      res.end(JSON.stringify({ errorMessages: [`injected ${fault.kind}`] }));
      return;
    }
    if (req.headers.authorization !== this.options.authorization) {
      res.writeHead(401, { 'content-type': 'application/json' });
      // Real APIs sometimes echo what they got; the client must scrub it.
      res.end(JSON.stringify({ errorMessages: [`Client must be authenticated (got ${req.headers.authorization ?? 'nothing'})`] }));
      return;
    }
    const url = new URL(target, this.url);
    const body = this.route(url);
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Not Found', documentation_url: 'https://docs.github.com/rest' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', ...(body.link ? { link: body.link } : {}) });
    res.end(JSON.stringify(body.json));
  }

  private route(url: URL): { json: unknown; link?: string } | undefined {
    const path = url.pathname;
    const q = url.searchParams;
    let match: RegExpExecArray | null;
    if ((match = /^\/rest\/api\/[23]\/(status|field)$/.exec(path))) return { json: load(`jira/${match[1]}.json`) };
    if (/^\/rest\/api\/3\/search\/jql$/.test(path)) return { json: this.jiraSearch(q, 'token') };
    if (/^\/rest\/api\/2\/search$/.test(path)) return { json: this.jiraSearch(q, 'offset') };
    if ((match = /^\/rest\/api\/[23]\/issue\/([A-Z]+-\d+)\/changelog$/.exec(path))) return this.jiraChangelog(match[1], q);
    if (path === '/api/v2/incremental/ticket_events.json') return { json: this.zendeskEvents(Number(q.get('start_time'))) };
    if (path === '/api/v2/incremental/tickets/cursor.json') return { json: this.zendeskTickets(q) };
    if (path === '/repos/acme/app/issues') return this.githubPage(load('github/issues.json') as unknown[], url, 2);
    if ((match = /^\/repos\/acme\/app\/issues\/(\d+)\/events$/.exec(path))) {
      const events = (load('github/events.json') as Record<string, unknown[]>)[match[1]];
      return events === undefined ? undefined : this.githubPage(events, url, 3);
    }
    return undefined;
  }

  private jiraIssues(): Json[] {
    return (load(`jira/${this.version}.json`) as { issues: Json[] }).issues;
  }

  /** Issues whose JSON differs between v1 and v2: what `updated >= …` matches after the first pull. */
  private changedSinceV1(): Json[] {
    const before = new Map((load('jira/v1.json') as { issues: Json[] }).issues.map((issue) => [issue.key, JSON.stringify(issue)]));
    return this.jiraIssues().filter((issue) => before.get(issue.key) !== JSON.stringify(issue));
  }

  private jiraSearch(q: URLSearchParams, paging: 'token' | 'offset'): Json {
    const jql = q.get('jql') ?? '';
    if (!/ORDER BY/.test(jql) || q.get('expand') !== 'changelog') return { errorMessages: ['test server: expected ORDER BY and expand=changelog'] };
    const all = /updated >= "/.test(jql) ? (this.version === 'v1' ? [] : this.changedSinceV1()) : this.jiraIssues();
    const size = Math.min(Number(q.get('maxResults') ?? 50), this.options.jiraPageSize ?? 2);
    const start = paging === 'token' ? Number(Buffer.from(q.get('nextPageToken') ?? 'MA==', 'base64').toString()) : Number(q.get('startAt') ?? 0);
    // Cloud embeds at most the 100 newest histories (newest first) and says how many there are.
    const issues = all.slice(start, start + size).map((issue) => {
      const changelog = issue.changelog as { histories: unknown[]; total: number };
      return { ...issue, changelog: { startAt: 0, maxResults: 100, total: changelog.total, histories: changelog.histories.slice(0, 100) } };
    });
    const end = start + issues.length;
    if (paging === 'offset') return { expand: 'schema,names', startAt: start, maxResults: size, total: all.length, issues };
    return end < all.length ? { issues, nextPageToken: Buffer.from(String(end)).toString('base64'), isLast: false } : { issues, isLast: true };
  }

  private jiraChangelog(key: string, q: URLSearchParams): { json: Json } | undefined {
    const issue = this.jiraIssues().find((item) => item.key === key);
    if (!issue) return undefined;
    // The changelog endpoint pages oldest first.
    const histories = [...(issue.changelog as { histories: unknown[] }).histories].reverse();
    const startAt = Number(q.get('startAt') ?? 0);
    const size = Math.min(Number(q.get('maxResults') ?? 100), 100);
    const values = histories.slice(startAt, startAt + size);
    return { json: { self: `${this.url}/rest/api/3/issue/${key}/changelog?startAt=${startAt}`, maxResults: size, startAt, total: histories.length, isLast: startAt + values.length >= histories.length, values } };
  }

  private zendeskEvents(startTime: number): Json {
    const events = (load(`zendesk/${this.version}.json`) as { ticket_events: { timestamp: number }[] }).ticket_events;
    const from = events.filter((event) => event.timestamp >= startTime).sort((a, b) => a.timestamp - b.timestamp);
    const page = from.slice(0, 3);
    const endTime = page.at(-1)?.timestamp ?? startTime;
    return { ticket_events: page, next_page: `${this.url}/api/v2/incremental/ticket_events.json?start_time=${endTime}`, count: page.length, end_time: endTime, end_of_stream: from.length <= 3 };
  }

  /**
   * Cursor-based ticket export, pages of 2. The cursor (opaque to the client) holds the version it was issued at: a
   * cursor from the end of v1 presented to v2 continues with the tickets changed since, as Zendesk's would.
   */
  private zendeskTickets(q: URLSearchParams): Json {
    type Ticket = { id: number; updated_at: string };
    const tickets = (version: string) => (load(`zendesk/tickets-${version}.json`) as { tickets: Ticket[] }).tickets;
    let state = { kind: 'all', v: this.version, start: Number(q.get('start_time') ?? 0), offset: 0 };
    const cursor = q.get('cursor');
    if (cursor !== null) state = JSON.parse(Buffer.from(cursor, 'base64').toString()) as typeof state;
    if (state.v !== this.version) state = { kind: 'changed', v: this.version, start: state.start, offset: 0 };
    const before = new Map(tickets('v1').map((t) => [t.id, JSON.stringify(t)]));
    const all = tickets(this.version).filter((t) => Date.parse(t.updated_at) / 1000 >= state.start);
    const list = state.kind === 'all' ? all : all.filter((t) => before.get(t.id) !== JSON.stringify(t));
    const page = list.slice(state.offset, state.offset + 2);
    const next = { ...state, offset: state.offset + page.length };
    const afterCursor = Buffer.from(JSON.stringify(next)).toString('base64');
    return { tickets: page, after_url: `${this.url}/api/v2/incremental/tickets/cursor.json?cursor=${afterCursor}`, after_cursor: afterCursor, before_url: null, before_cursor: null, end_of_stream: next.offset >= list.length };
  }

  private githubPage(items: unknown[], url: URL, size: number): { json: unknown; link?: string } {
    const page = Number(url.searchParams.get('page') ?? 1);
    const slice = items.slice((page - 1) * size, page * size);
    if (page * size >= items.length) return { json: slice };
    const next = new URL(url.toString());
    next.searchParams.set('page', String(page + 1));
    return { json: slice, link: `<${next.toString()}>; rel="next", <${url.origin}${url.pathname}?page=99>; rel="last"` };
  }
}
