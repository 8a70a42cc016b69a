import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PullManifestSchema } from '../../src/model/pull-manifest.js';
import { FakeApi } from '../pull/fake-api.js';
import { GITHUB_TOKEN, JIRA_EMAIL, ZENDESK_TOKEN, allFileTexts, analyzeComparable, basicAuth, leakedSecrets, runCliAsync } from '../pull/pull-helpers.js';
import { ROOT } from './run-cli.js';

const TMP = mkdtempSync(join(tmpdir(), 'vsm-pull-zg-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
let api: FakeApi | undefined;
afterEach(async () => api?.close());

const manifestOf = (dir: string) => PullManifestSchema.parse(JSON.parse(readFileSync(join(dir, 'pull.json'), 'utf8')));
const pageOf = (dir: string, name: string) => JSON.parse(gunzipSync(readFileSync(join(dir, 'pages', name))).toString()) as Record<string, unknown>;

/** The hand-made equivalent: all ticket events in one page, and each ticket as `GET /api/v2/tickets/{id}` returns it. */
function handMadeZendesk(version: 'v1' | 'v2'): string {
  const dir = join(TMP, `hand-zendesk-${version}`, 'support');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'events.json'), readFileSync(join(ROOT, `fixtures/pull/zendesk/${version}.json`)));
  const tickets = (JSON.parse(readFileSync(join(ROOT, `fixtures/pull/zendesk/tickets-${version}.json`), 'utf8')) as { tickets: { id: number }[] }).tickets;
  for (const ticket of tickets) writeFileSync(join(dir, `ticket-${ticket.id}.json`), JSON.stringify({ ticket }));
  return dir;
}

describe('vsm pull zendesk', () => {
  it('follows the time-based export to end_of_stream, drops the boundary repeats, and updates with --since last', async () => {
    api = await new FakeApi({ authorization: basicAuth(`${JIRA_EMAIL}/token`, ZENDESK_TOKEN) }).start();
    api.faults.push({ match: /start_time=1714982400/, kind: 429, retryAfter: 'Wed, 21 Oct 2015 07:28:00 GMT' }, { match: /ticket_events/, kind: 'reset' });
    const out = join(TMP, 'zd', 'support');
    const first = await runCliAsync(['pull', 'zendesk', '--api-url', api.url, '--since', '2024-05-06T08:00:00Z', '--out', out]);
    expect(first.status, first.stderr).toBe(0);
    // Pages of 3 from 08:00: [0,10,30a] end 30 · [30a,30b,90] → 30a dropped · [90,95,200] → 90 dropped · [200,240] → 200 dropped, end_of_stream.
    const pages = readdirSync(join(out, 'pages')).sort();
    const eventPages = pages.filter((name) => name.startsWith('ticket_events.'));
    expect(eventPages).toEqual(['ticket_events.000001.json.gz', 'ticket_events.000002.json.gz', 'ticket_events.000003.json.gz', 'ticket_events.000004.json.gz']);
    expect(eventPages.map((name) => (pageOf(out, name).ticket_events as unknown[]).length)).toEqual([3, 2, 2, 1]);
    // Tickets by cursor, pages of 2: start_time, then one after_cursor.
    expect(pages.filter((name) => name.startsWith('ticket-'))).toEqual(['ticket-600.json.gz', 'ticket-601.json.gz', 'ticket-602.json.gz']);
    expect(api.requests.filter((r) => r.includes('tickets/cursor.json')).map((r) => new URL(r, api?.url).searchParams.has('cursor'))).toEqual([false, true]);
    expect(manifestOf(out).counts).toMatchObject({ cases: 3, events: 8 });
    const hand = analyzeComparable(handMadeZendesk('v1'), join(TMP, 'zd-hand'), ['--as-of', manifestOf(out).asOf ?? '']);
    expect(analyzeComparable(out, join(TMP, 'zd-report'))).toEqual(hand);

    api.version = 'v2';
    const before = api.requests.length;
    const second = await runCliAsync(['pull', 'zendesk', '--api-url', api.url, '--out', out, '--since', 'last']);
    expect(second.status, second.stderr).toBe(0);
    // The update continues at the saved end_time (240 min after 08:00 = 1714982400 + 14400), not from the start.
    expect(api.requests.slice(before)[0]).toContain('start_time=1714996800');
    // Tickets continue from the saved after_cursor: only 600, 602 (changed) and 603 (new) come back; 4 ticket files, none twice.
    const ticketRequests = api.requests.slice(before).filter((r) => r.includes('tickets/cursor.json'));
    expect(ticketRequests.every((r) => r.includes('cursor='))).toBe(true);
    expect(manifestOf(out).counts).toMatchObject({ cases: 4, events: 11 });
    const handV2 = analyzeComparable(handMadeZendesk('v2'), join(TMP, 'zd-hand-v2'), ['--as-of', manifestOf(out).asOf ?? '']);
    expect(analyzeComparable(out, join(TMP, 'zd-report-v2'))).toEqual(handV2);
    expect(leakedSecrets([first.stdout, first.stderr, second.stdout, second.stderr, ...allFileTexts(out).map((f) => f.text)])).toEqual([]);
  });
});

describe('vsm pull github', () => {
  it('pages issues and events by Link headers, skips pull requests, and analyses like the hand-made export', async () => {
    api = await new FakeApi({ authorization: `Bearer ${GITHUB_TOKEN}` }).start();
    api.faults.push({ match: /issues\/1\/events/, kind: 503 });
    const out = join(TMP, 'gh', 'app');
    const result = await runCliAsync(['pull', 'github', '--repo', 'acme/app', '--api-url', api.url, '--out', out]);
    expect(result.status, result.stderr).toBe(0);
    expect(readdirSync(join(out, 'pages')).sort()).toEqual([
      'issue-1.events.000001.json.gz',
      'issue-1.events.000002.json.gz',
      'issue-1.json.gz',
      'issue-2.events.000001.json.gz',
      'issue-2.events.000002.json.gz',
      'issue-2.json.gz',
      'issue-4.json.gz',
    ]);
    // The issue list was followed through its Link header (pages of 2: issues 1-2, then 3-4).
    expect(api.requests.filter((r) => r.startsWith('/repos/acme/app/issues?'))).toHaveLength(2);
    expect(manifestOf(out).counts.cases).toBe(3);

    // Hand-made: the issue list without the pull request, and one events file per issue, as FORMATS.md §6.1 describes.
    const handDir = join(TMP, 'gh-hand', 'app');
    mkdirSync(handDir, { recursive: true });
    const issues = (JSON.parse(readFileSync(join(ROOT, 'fixtures/pull/github/issues.json'), 'utf8')) as { number: number; pull_request?: unknown }[]).filter((i) => !i.pull_request);
    writeFileSync(join(handDir, 'issues.json'), JSON.stringify(issues));
    const events = JSON.parse(readFileSync(join(ROOT, 'fixtures/pull/github/events.json'), 'utf8')) as Record<string, unknown[]>;
    for (const number of ['1', '2']) writeFileSync(join(handDir, `issue-${number}-events.json`), JSON.stringify(events[number]));
    const hand = analyzeComparable(handDir, join(TMP, 'gh-hand-report'), ['--as-of', manifestOf(out).asOf ?? '']);
    expect(analyzeComparable(out, join(TMP, 'gh-report'))).toEqual(hand);
    expect(leakedSecrets([result.stdout, result.stderr, ...allFileTexts(out).map((f) => f.text)])).toEqual([]);
  });

  it('a missing token is a usage error naming GITHUB_TOKEN', async () => {
    const result = await runCliAsync(['pull', 'github', '--repo', 'acme/app', '--api-url', 'http://127.0.0.1:9', '--out', join(TMP, 'none')], { GITHUB_TOKEN: undefined });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('no GitHub credentials');
    expect(result.stderr).toContain('GITHUB_TOKEN');
  });
});
