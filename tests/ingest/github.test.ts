import { describe, expect, it } from 'vitest';
import { isVsmError } from '../../src/errors.js';
import { isStatusLikeLabel, looksLikeGithub, readGithub } from '../../src/ingest/github.js';
import type { EventLog } from '../../src/model/event-log.js';
import { SHARED_DIR, hasShared } from '../shared-dir.js';
import { enterDurationsMs, eventRows } from './status-source-helpers.js';

const FIXTURES = 'fixtures/github';
const SAMPLES = `${SHARED_DIR}/formats/samples/github`;
const HOUR_MS = 3_600_000;

const eventsOf = (log: EventLog, caseId: string): [string, string, string][] => eventRows(log, caseId, (l, i) => l.resources.valueOf(l.resourceCode[i]) ?? '-');


describe('GitHub adapter', () => {
  it('newest-first overlapping pages: status labels, close/reopen twice, assignees, exact durations', async () => {
    const { log, report } = await readGithub(`${FIXTURES}/label-flow`, {});
    expect(eventsOf(log, 'acme/app#7')).toEqual([
      ['Open', 'enter', '2024-04-01T08:00:00.000Z'],
      ['status: in progress', 'enter', '2024-04-01T09:00:00.000Z'],
      ['ann', 'owner', '2024-04-01T09:00:00.000Z'],
      ['blocked', 'enter', '2024-04-02T12:00:00.000Z'],
      ['status: in progress', 'enter', '2024-04-03T12:00:00.000Z'],
      ['Closed', 'enter', '2024-04-04T12:00:00.000Z'],
      ['status: in progress', 'enter', '2024-04-05T12:00:00.000Z'],
      ['-', 'owner', '2024-04-05T13:30:00.000Z'],
      ['bob', 'owner', '2024-04-05T13:30:00.000Z'],
      ['Closed', 'enter', '2024-04-06T13:30:00.000Z'],
      ['status: in progress', 'enter', '2024-04-07T08:00:00.000Z'],
      ['Closed', 'enter', '2024-04-07T10:00:00.000Z'],
    ]);
    // Open 1 h; in progress 27 h; blocked 24 h; in progress 24 h; closed 24 h; in progress 25.5 h; closed 18.5 h; in progress 2 h.
    expect(enterDurationsMs(log, 'acme/app#7')).toEqual([1, 27, 24, 24, 24, 25.5, 18.5, 2].map((h) => h * HOUR_MS));
    // 13 events on the pages = 11 used + event 106 twice (1 duplicate) + "bug", not a status label (1 ignored).
    expect(report.rowsRead).toBe(13);
    expect(report.rowsUsed).toBe(11);
    expect(report.duplicatesDropped).toBe(1);
    expect(report.ignored).toEqual({ 'not a status/owner change: labeled with a label that is not a status': 1 });
    expect(report.notes.some((n) => n.includes('labeled (not a status label) 1'))).toBe(true);
    expect(log.sourceStatusCategory.get('Open')).toBe('queue');
    expect(log.sourceStatusCategory.get('Closed')).toBe('done');
    const summary = log.caseAttributes.get('summary');
    expect(summary?.dictionary.valueOf(summary.codes[0])).toBe('Export <script>alert(1)</script> fails');
  });

  it('a custom status-label rule', async () => {
    const { log } = await readGithub(`${FIXTURES}/label-flow`, { isStatusLabel: (label) => label === 'bug' });
    expect(eventsOf(log, 'acme/app#7').filter((e) => e[1] === 'enter').map((e) => e[0])).toEqual(['Open', 'bug', 'Closed', 'bug', 'Closed', 'bug', 'Closed']);
  });

  it('default status labels follow the status-class name patterns', () => {
    expect(['in progress', 'status: review', 'blocked', 'needs-info', 'triage'].every(isStatusLikeLabel)).toBe(true);
    expect(['bug', 'enhancement', 'v1', 'Question', 'good first issue'].some(isStatusLikeLabel)).toBe(false);
  });

  it('bad input: Jira as GitHub → WRONG_SOURCE; GitHub error body → API_ERROR_BODY', async () => {
    const codes: string[] = [];
    for (const path of ['fixtures/jira/missing-from.json', `${FIXTURES}/api-error-body.json`]) {
      try {
        await readGithub(path, { source: 'github' });
      } catch (error) {
        if (isVsmError(error)) codes.push(`${error.code}: ${error.message}`);
      }
    }
    expect(codes[0]).toMatch(/^WRONG_SOURCE: .*looks like a Jira export.*pass --source jira/);
    expect(codes[1]).toMatch(/^API_ERROR_BODY: .*Bad credentials/);
    expect(looksLikeGithub({ audits: [] })).toBe(false);
  });
});

describe.skipIf(!hasShared(`${SAMPLES}/pygithub_repo_issues_events_page.json`))('GitHub adapter: real PyGithub samples (FORMATS §10.7)', () => {
  it('repo-wide page is newest-first: re-sorted; issue 28 Open → Closed with its assignee', async () => {
    const { log } = await readGithub(`${SAMPLES}/pygithub_repo_issues_events_page.json`, {});
    expect(eventsOf(log, 'PyGithub/PyGithub#28')).toEqual([
      ['Open', 'enter', '2012-05-19T10:38:23.000Z'],
      ['jacquev6', 'owner', '2012-05-19T10:42:25.000Z'],
      ['Closed', 'enter', '2012-05-26T14:59:34.000Z'],
    ]);
    // Issues 6, 15, 23, 24, 25, 26, 27, 28, 29, 30 appear on the page.
    expect(log.caseCount).toBe(10);
  });

  it('per-issue timeline: the case comes from issue_url; created = first event', async () => {
    const { log } = await readGithub(`${SAMPLES}/pygithub_issue_28_timeline.json`, {});
    expect(log.caseIds.values).toEqual(['PyGithub/PyGithub#28']);
    expect(eventsOf(log, 'PyGithub/PyGithub#28').filter((e) => e[1] === 'enter')).toEqual([
      ['Open', 'enter', '2012-05-19T10:38:23.000Z'],
      ['Closed', 'enter', '2012-05-26T14:59:34.000Z'],
    ]);
  });
});
