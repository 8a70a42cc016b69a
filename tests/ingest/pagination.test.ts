import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pageMarkerOf, summarizePages, summarizePagination } from '../../src/ingest/pagination.js';
import { describePagination } from '../../src/vsm/sufficiency.js';
import { SHARED_DIR } from '../shared-dir.js';

const items = (n: number) => Array.from({ length: n }, (_, k) => ({ id: k + 1 }));

describe('pageMarkerOf: what a saved page says about the rest', () => {
  it('Jira search (Server/DC offset): startAt/maxResults/total', () => {
    // startAt 50, maxResults 50 → page 2; 50 + 50 < 180 → more follow.
    expect(pageMarkerOf({ startAt: 50, maxResults: 50, total: 180, issues: items(50) }, 'jira')).toEqual({
      scheme: 'jira offset', itemsKey: 'issues', marker: 'startAt/maxResults/total', items: 50, more: true, page: 2, pageSize: 50, total: 180,
    });
    expect(pageMarkerOf({ startAt: 150, maxResults: 50, total: 180, issues: items(30) }, 'jira')?.more).toBe(false);
  });

  it('Jira Cloud /search/jql: isLast and nextPageToken (no total)', () => {
    const marker = pageMarkerOf({ issues: items(3), nextPageToken: 'CAEaAggD', isLast: false }, 'jira');
    expect(marker).toMatchObject({ marker: 'nextPageToken/isLast', more: true, total: undefined });
    expect(pageMarkerOf({ issues: items(3), isLast: true }, 'jira')?.more).toBe(false);
  });

  it('Zendesk offset: next_page / previous_page / count', () => {
    const page3 = { tickets: items(100), next_page: 'https://x.zendesk.com/api/v2/tickets.json?page=4', previous_page: 'https://x.zendesk.com/api/v2/tickets.json?page=2', count: 6400 };
    // next_page=4 → this is page 3; per_page absent → Zendesk's default 100.
    expect(pageMarkerOf(page3, 'zendesk')).toMatchObject({ scheme: 'zendesk offset', page: 3, pageSize: 100, total: 6400, more: true });
    const last = { audits: items(2), next_page: null, previous_page: null, count: 2 };
    expect(pageMarkerOf(last, 'zendesk')).toMatchObject({ page: 1, more: false, total: 2 });
  });

  it('Zendesk cursor (meta.has_more, links.next) and incremental exports (end_of_stream, after_cursor)', () => {
    const cursor = { audits: items(100), meta: { has_more: true, after_cursor: 'a', before_cursor: 'b' }, links: { next: 'https://x.zendesk.com/api/v2/ticket_audits.json?page%5Bafter%5D=a&page%5Bsize%5D=100', prev: null } };
    expect(pageMarkerOf(cursor, 'zendesk')).toMatchObject({ scheme: 'zendesk cursor', marker: 'meta.has_more', more: true, pageSize: 100 });
    const incremental = { tickets: items(1000), after_cursor: 'MTU3NjYxMzUzOS4wfHw0Njd8', before_cursor: null, end_of_stream: false, after_url: 'https://x.zendesk.com/api/v2/incremental/tickets/cursor.json?cursor=MTU3' };
    expect(pageMarkerOf(incremental, 'zendesk')).toMatchObject({ scheme: 'zendesk incremental', more: true });
    expect(pageMarkerOf({ ...incremental, end_of_stream: true }, 'zendesk')?.more).toBe(false);
  });

  it('Salesforce query results: done / nextRecordsUrl / totalSize', () => {
    const page = { totalSize: 5200, done: false, nextRecordsUrl: '/services/data/v59.0/query/01gD0000002HU6KIAW-2000', records: items(2000) };
    expect(pageMarkerOf(page, 'salesforce')).toMatchObject({ scheme: 'salesforce', more: true, total: 5200, items: 2000 });
  });

  it('GitHub and ServiceNow keep paging in headers: a page of exactly a page size is flagged as inferred', () => {
    expect(pageMarkerOf(items(30), 'github')).toMatchObject({ scheme: 'github', inferred: true, more: true, pageSize: 30 });
    expect(pageMarkerOf(items(29), 'github')).toBeUndefined();
    expect(pageMarkerOf({ result: items(10_000) }, 'servicenow')).toMatchObject({ scheme: 'servicenow', inferred: true });
    expect(pageMarkerOf({ result: items(9_999) }, 'servicenow')).toBeUndefined();
  });
});

describe('summaries and their sentences', () => {
  it('a Zendesk ticket page 1 of 64: "page 1 of about 64, about 6,300 tickets missing"', () => {
    const summary = summarizePages([pageMarkerOf({ tickets: items(100), next_page: 'https://x.zendesk.com/api/v2/tickets.json?page=2', previous_page: null, count: 6400 }, 'zendesk')!]);
    // ceil(6400 / 100) = 64 pages; 6400 − 100 = 6300 missing.
    expect(summary).toMatchObject({ incomplete: true, pagesAbout: 64, itemsMissingAbout: 6300, lastPage: 1 });
    expect(describePagination(summary!, 'zendesk')).toBe('zendesk tickets: page 1 of about 64, about 6,300 tickets missing (next_page/count)');
  });

  it('all pages saved: complete; pages of different lists are summed apart', () => {
    const markers = [
      pageMarkerOf({ tickets: items(2), next_page: 'https://x.zendesk.com/api/v2/tickets.json?page=2&per_page=2', previous_page: null, count: 3 }, 'zendesk')!,
      pageMarkerOf({ tickets: items(1), next_page: null, previous_page: 'https://x.zendesk.com/api/v2/tickets.json?page=1&per_page=2', count: 3 }, 'zendesk')!,
      pageMarkerOf({ audits: items(5), meta: { has_more: true }, links: {} }, 'zendesk')!,
    ];
    const [tickets, audits] = summarizePagination(markers);
    expect(tickets).toMatchObject({ itemsKey: 'tickets', pagesRead: 2, itemsRead: 3, incomplete: false, itemsMissingAbout: 0 });
    expect(audits).toMatchObject({ itemsKey: 'audits', incomplete: true, itemsMissingAbout: undefined });
  });
});

const GITHUB_PAGE = `${SHARED_DIR}/formats/samples/github/pygithub_repo_issues_events_page.json`;
describe.skipIf(!existsSync(GITHUB_PAGE))('real sample: PyGithub repo issue-events page', () => {
  it('holds exactly 30 events (GitHub default per_page): reported as probably one page of more', () => {
    const marker = pageMarkerOf(JSON.parse(readFileSync(GITHUB_PAGE, 'utf8')), 'github');
    expect(describePagination(summarizePages([marker!])!, 'github')).toBe(
      'github events: 1 saved page(s) of exactly 30 items, a full page (the file keeps no Link header): more pages probably exist; how many items are missing is unknown',
    );
  });
});
