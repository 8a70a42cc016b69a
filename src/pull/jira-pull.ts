import { VsmError, quoteGot } from '../errors.js';
import type { PullManifest } from '../model/pull-manifest.js';
import { type PullSession, finishPull } from './pull-session.js';

/**
 * `vsm pull jira` (docs/pull.md). Pages the search with `expand=changelog`: Jira Cloud's token-paged
 * `GET /rest/api/3/search/jql` (`nextPageToken`, `isLast`), or Data Center's `GET /rest/api/2/search` (`startAt`,
 * `total`). Each issue is written as its own page file `<KEY>.json.gz`, as returned, so an incremental pull that
 * fetches the issue again replaces it instead of adding a duplicate. An issue whose embedded changelog is capped
 * (`changelog.total` > histories returned; Cloud embeds at most 100) gets its full history from
 * `GET /rest/api/{2|3}/issue/{key}/changelog` pages `<KEY>.changelog.<n>.json.gz`, and its issue file is then
 * written without the capped copy (every history is in the pages; nothing is read twice).
 * The `/status` list (categories of every status) and `/field` list (field names) are saved beside the pages.
 */
export interface JiraPullOptions {
  site: string;
  jql: string;
  deployment: 'cloud' | 'server';
  /** Issues per search page (Jira may return fewer). */
  pageSize?: number;
}

/** Fields the Jira reader uses; asking for these only keeps pages small. */
const ISSUE_FIELDS = 'summary,status,created,updated,issuetype,priority,project,assignee,resolutiondate';
const CHANGELOG_PAGE_SIZE = 100;
/** Incremental JQL compares in the Jira user's profile time zone (unknown here): a day's margin covers every zone. */
const SINCE_MARGIN_MS = 24 * 3600 * 1000;
/** Stops a paging loop whose server never says "last" (a bug there must not loop forever). */
const MAX_PAGES_PER_LIST = 100_000;

export function jiraQuery(options: { jql?: string; project?: string }): string {
  if (options.jql !== undefined && options.jql.trim() !== '') return options.jql.trim();
  if (options.project !== undefined && /^[A-Z][A-Z0-9_]*$/.test(options.project)) return `project = "${options.project}"`;
  throw new VsmError({
    code: 'BAD_OPTION',
    what: 'no Jira query',
    where: 'flags --jql / --project',
    got: options.project === undefined ? 'neither given' : quoteGot(options.project),
    fix: 'pass --jql "project = SP AND created >= 2024-01-01" or --project SP (a project key in capitals)',
  });
}

/** `"yyyy/MM/dd HH:mm"`, the JQL date form, in UTC. */
function jqlDate(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/**
 * The JQL of one run: the user's query, narrowed to issues updated since `since` (less a day's margin), ordered by
 * creation so offset paging is stable while issues change (an ORDER BY the user gave is kept).
 */
export function runJql(jql: string, since: string | null): string {
  const orderMatch = /\s+ORDER\s+BY\s+.+$/is.exec(jql);
  const filter = orderMatch ? jql.slice(0, orderMatch.index) : jql;
  const order = orderMatch ? orderMatch[0].trim() : 'ORDER BY created ASC';
  const narrowed = since === null ? `(${filter})` : `(${filter}) AND updated >= "${jqlDate(Date.parse(since) - SINCE_MARGIN_MS)}"`;
  return `${narrowed} ${order}`;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function unexpected(url: string, value: unknown, expected: string): VsmError {
  return new VsmError({
    code: 'HTTP_ERROR',
    what: `the Jira API answered with an unexpected shape (expected ${expected})`,
    where: `GET ${url}`,
    got: quoteGot(JSON.stringify(value).slice(0, 120)),
    fix: 'check --site (the Jira base URL) and --deployment cloud|server',
  });
}

const ISSUE_KEY = /^[A-Z][A-Z0-9_]*-\d+$/;

/** Fetches every changelog page of a capped issue and writes them; returns the number of histories. */
async function pullChangelog(session: PullSession, base: string, key: string): Promise<number> {
  let startAt = 0;
  let histories = 0;
  for (let page = 1; page <= MAX_PAGES_PER_LIST; page++) {
    const url = `${base}/issue/${encodeURIComponent(key)}/changelog?startAt=${startAt}&maxResults=${CHANGELOG_PAGE_SIZE}`;
    const body = record((await session.http.getJson(url)).body);
    if (!Array.isArray(body.values)) throw unexpected(url, body, '{values:[…]}');
    await session.writePage(`${key}.changelog.${String(page).padStart(6, '0')}`, body);
    histories += body.values.length;
    startAt += body.values.length;
    const total = typeof body.total === 'number' ? body.total : undefined;
    if (body.isLast === true || body.values.length === 0 || (total !== undefined && startAt >= total)) return histories;
  }
  return histories;
}

/** Writes one issue of a search page (and its full changelog when the embedded one is capped). */
async function writeIssue(session: PullSession, base: string, issue: Record<string, unknown>): Promise<void> {
  const key = typeof issue.key === 'string' ? issue.key : '';
  if (!ISSUE_KEY.test(key)) throw unexpected(`${base}/search`, issue, 'issues with a key like "SP-10"');
  const changelog = record(issue.changelog);
  const embedded = Array.isArray(changelog.histories) ? changelog.histories.length : 0;
  const total = typeof changelog.total === 'number' ? changelog.total : embedded;
  if (total > embedded) {
    await pullChangelog(session, base, key);
    session.manifest.counts.historiesFetchedInFull++;
    const { changelog: _capped, ...withoutCappedCopy } = issue;
    await session.writePage(key, withoutCappedCopy);
  } else {
    await session.writePage(key, issue);
  }
  session.casesWritten++;
}

export function newJiraCursor(_previous: Record<string, unknown>, since: string | null): Record<string, unknown> {
  return { since, page: 1, startAt: 0, nextPageToken: null };
}

export async function pullJira(session: PullSession, options: JiraPullOptions): Promise<PullManifest> {
  const version = options.deployment === 'cloud' ? 3 : 2;
  const base = `${options.site}/rest/api/${version}`;
  const pageSize = options.pageSize ?? 100;
  const { cursor, manifest } = session;
  if (manifest.metaFiles.status === undefined || session.run.kind !== 'resume') {
    await session.store.writeMeta('status.json', (await session.http.getJson(`${base}/status`)).body);
    await session.store.writeMeta('field.json', (await session.http.getJson(`${base}/field`)).body);
    manifest.metaFiles = { status: 'status.json', field: 'field.json' };
  }
  const jql = runJql(options.jql, typeof cursor.since === 'string' ? cursor.since : null);
  for (let pages = 0; pages < MAX_PAGES_PER_LIST; pages++) {
    const params = new URLSearchParams({ jql, maxResults: String(pageSize), fields: ISSUE_FIELDS, expand: 'changelog' });
    let url: string;
    if (options.deployment === 'cloud') {
      if (typeof cursor.nextPageToken === 'string') params.set('nextPageToken', cursor.nextPageToken);
      url = `${base}/search/jql?${params.toString()}`;
    } else {
      params.set('startAt', String(cursor.startAt ?? 0));
      url = `${base}/search?${params.toString()}`;
    }
    const body = record((await session.http.getJson(url)).body);
    if (!Array.isArray(body.issues)) throw unexpected(url, body, '{issues:[…]}');
    for (const issue of body.issues) await writeIssue(session, base, record(issue));
    const total = typeof body.total === 'number' ? body.total : undefined;
    // The checkpoint comes after every issue of the page is written: a resume fetches this page again at most.
    cursor.page = Number(cursor.page ?? 1) + 1;
    let last: boolean;
    if (options.deployment === 'cloud') {
      cursor.nextPageToken = typeof body.nextPageToken === 'string' ? body.nextPageToken : null;
      last = body.isLast === true || cursor.nextPageToken === null;
    } else {
      cursor.startAt = Number(cursor.startAt ?? 0) + body.issues.length;
      last = body.issues.length === 0 || (total !== undefined && Number(cursor.startAt) >= total);
    }
    await session.checkpoint();
    session.progress(total);
    if (last) break;
  }
  const cases = (await session.store.pageNames()).filter((name) => /^[A-Z][A-Z0-9_]*-\d+\.json\.gz$/.test(name)).length;
  return finishPull(session, { cases, events: 0 });
}
