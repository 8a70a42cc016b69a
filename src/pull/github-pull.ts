import { VsmError, quoteGot } from '../errors.js';
import type { PullManifest } from '../model/pull-manifest.js';
import { type PullSession, finishPull } from './pull-session.js';

/**
 * `vsm pull github` (docs/pull.md): `GET /repos/{owner}/{repo}/issues?state=all&sort=created&direction=asc`
 * (plus `since` for `--since`), paged by the `Link: <…>; rel="next"` header; then, per issue,
 * `GET /repos/{owner}/{repo}/issues/{n}/events` (labels, assignments, close/reopen), paged the same way.
 * Files: `issue-<n>.json.gz` (the issue as returned, in a one-element list so it reads like an issue-list page) and
 * `issue-<n>.events.<k>.json.gz`. An issue fetched again by `--since last` replaces its files: no duplicates.
 * Pull requests are issues to this API; they are skipped unless `--pull-requests`.
 */
export interface GithubPullOptions {
  apiUrl: string;
  repo: string;
  pullRequests: boolean;
}

const MAX_PAGES = 100_000;
/** GitHub's `since` is exact; a minute's margin covers clock skew between this machine and GitHub. */
const SINCE_MARGIN_MS = 60_000;

export function parseRepo(repo: string | undefined): string {
  if (repo !== undefined && /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repo)) return repo;
  throw new VsmError({ code: 'BAD_OPTION', what: 'no repository', where: 'flag --repo', got: repo === undefined ? 'none' : quoteGot(repo), fix: 'pass --repo owner/name' });
}

/** The `rel="next"` URL of a Link header (RFC 8288), or undefined. */
export function nextLink(header: string | null): string | undefined {
  if (header === null) return undefined;
  for (const part of header.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (match && match[2].split(/\s+/).includes('next')) return match[1];
  }
  return undefined;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function notAList(url: string, value: unknown): VsmError {
  return new VsmError({ code: 'HTTP_ERROR', what: 'the GitHub API answered with an unexpected shape (expected a list)', where: `GET ${url}`, got: quoteGot(JSON.stringify(value).slice(0, 120)), fix: 'check --repo and --api-url (GitHub Enterprise: https://HOST/api/v3)' });
}

async function pullEvents(session: PullSession, base: string, number: number): Promise<void> {
  let url: string | undefined = `${base}/issues/${number}/events?per_page=100`;
  for (let page = 1; url !== undefined && page <= MAX_PAGES; page++) {
    const response = await session.http.getJson(url);
    if (!Array.isArray(response.body)) throw notAList(url, response.body);
    // An empty list is not written: it would read as a page of no known export shape.
    if (response.body.length > 0) await session.writePage(`issue-${number}.events.${String(page).padStart(6, '0')}`, response.body);
    url = nextLink(response.headers.get('link'));
  }
}

export function newGithubCursor(_previous: Record<string, unknown>, since: string | null): Record<string, unknown> {
  return { since, nextUrl: null };
}

export async function pullGithub(session: PullSession, options: GithubPullOptions): Promise<PullManifest> {
  const base = `${options.apiUrl}/repos/${options.repo}`;
  const { cursor } = session;
  const params = new URLSearchParams({ state: 'all', sort: 'created', direction: 'asc', per_page: '100' });
  if (typeof cursor.since === 'string') params.set('since', new Date(Date.parse(cursor.since) - SINCE_MARGIN_MS).toISOString());
  let url: string | undefined = typeof cursor.nextUrl === 'string' ? cursor.nextUrl : `${base}/issues?${params.toString()}`;
  for (let pages = 0; url !== undefined && pages < MAX_PAGES; pages++) {
    const response = await session.http.getJson(url);
    if (!Array.isArray(response.body)) throw notAList(url, response.body);
    for (const item of response.body) {
      const issue = record(item);
      if (typeof issue.number !== 'number') throw notAList(url, item);
      if (issue.pull_request !== undefined && !options.pullRequests) continue;
      await pullEvents(session, base, issue.number);
      await session.writePage(`issue-${issue.number}`, [issue]);
      session.casesWritten++;
    }
    url = nextLink(response.headers.get('link'));
    cursor.nextUrl = url ?? null;
    await session.checkpoint();
    session.progress();
  }
  const cases = (await session.store.pageNames()).filter((name) => /^issue-\d+\.json\.gz$/.test(name)).length;
  return finishPull(session, { cases, events: 0 });
}
