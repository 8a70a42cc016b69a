import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { looksLikeJira, readJira } from '../../src/ingest/jira.js';
import type { EventLog } from '../../src/model/event-log.js';
import { enterDurationsMs, errorOf, eventRows } from './status-source-helpers.js';

const FIXTURES = 'fixtures/jira';
const HOUR_MS = 3_600_000;

/** (activity, lifecycle, ISO time) per event of one case, in log order; owner events show the resource. */
const eventsOf = (log: EventLog, caseId: string): [string, string, string][] => eventRows(log, caseId, (l, i) => l.resources.valueOf(l.resourceCode[i]) ?? '');


describe('Jira adapter: traps', () => {
  it('paged changelogs out of name order, overlapping each other and the truncated embedded changelog', async () => {
    const { log, report } = await readJira(`${FIXTURES}/paged-changelog`, {});
    expect(eventsOf(log, 'TR-1')).toEqual([
      ['To Do', 'enter', '2024-01-01T09:00:00.000Z'],
      ['In Progress', 'enter', '2024-01-01T10:00:00.000Z'],
      ['Ann', 'owner', '2024-01-01T10:00:00.000Z'],
      ['To Do', 'enter', '2024-01-02T10:00:00.000Z'],
      ['In Progress', 'enter', '2024-01-03T12:30:00.000Z'],
      ['In Progress', 'block', '2024-01-03T12:30:00.000Z'],
      ['In Progress', 'unblock', '2024-01-04T08:00:00.000Z'],
      ['Bo', 'owner', '2024-01-04T08:00:00.000Z'],
      ['Done', 'enter', '2024-01-05T17:15:30.250Z'],
    ]);
    // To Do 1 h; In Progress 24 h; back in To Do 26.5 h; In Progress 2 d 4 h 45 m 30.25 s = 172,800,000 + 17,130,250 ms.
    expect(enterDurationsMs(log, 'TR-1')).toEqual([HOUR_MS, 24 * HOUR_MS, 26.5 * HOUR_MS, 189_930_250]);
    // 13 status items read (embedded 3, page a 5, page b 5), 8 distinct: 5 repeats dropped; + 2 resolution items ignored.
    expect(report.rowsRead).toBe(15);
    expect(report.rowsIgnored).toBe(2);
    expect(report.rowsUsed).toBe(8);
    expect(report.duplicatesDropped).toBe(5);
    expect(report.notes.some((n) => n.includes('fewer change histories'))).toBe(false);
    expect(report.notes.some((n) => n.includes('not used: resolution'))).toBe(true);
    const summary = log.caseAttributes.get('summary');
    expect(summary?.dictionary.valueOf(summary.codes[0])).toBe('<b>escape me</b>');
  });

  it('a first change without "from": no invented visit before it, and a note', async () => {
    const { log, report } = await readJira(`${FIXTURES}/missing-from.json`, {});
    expect(eventsOf(log, 'MF-1')).toEqual([
      ['In Progress', 'enter', '2024-02-01T08:00:00.000Z'],
      ['Done', 'enter', '2024-02-02T08:00:00.000Z'],
    ]);
    expect(enterDurationsMs(log, 'MF-1')).toEqual([24 * HOUR_MS]);
    expect(report.notes.some((n) => n.includes('no "from" value'))).toBe(true);
  });

  it('a status no longer in the workflow is kept, classed by name, and named in a note', async () => {
    const { log, report } = await readJira(`${FIXTURES}/deleted-status.json`, {});
    expect(eventsOf(log, 'DS-1').map((e) => e[0])).toEqual(['Open', 'Legacy QA', 'Done']);
    expect(enterDurationsMs(log, 'DS-1')).toEqual([48 * HOUR_MS, 48 * HOUR_MS]);
    expect(log.sourceStatusCategory.has('Legacy QA')).toBe(false);
    expect(report.notes.find((n) => n.includes('classed by name'))).toContain('Legacy QA');
    expect(report.notes.some((n) => n.includes('another workflow'))).toBe(true);
  });

  it('offset-less times: in --timezone when given (DST-correct), else UTC with a note', async () => {
    const berlin = await readJira(`${FIXTURES}/no-offset.json`, { timeZone: 'Europe/Berlin' });
    // 2024-03-30 09:00 CET = 08:00Z; 2024-03-31 09:00 CEST = 07:00Z (clocks went forward that night): 23 h.
    expect(eventsOf(berlin.log, 'NO-1')).toEqual([
      ['To Do', 'enter', '2024-03-30T08:00:00.000Z'],
      ['Done', 'enter', '2024-03-31T07:00:00.000Z'],
    ]);
    expect(enterDurationsMs(berlin.log, 'NO-1')).toEqual([23 * HOUR_MS]);
    expect(berlin.report.timeZone.given).toBe('Europe/Berlin');
    const utc = await readJira(`${FIXTURES}/no-offset.json`, {});
    expect(enterDurationsMs(utc.log, 'NO-1')).toEqual([24 * HOUR_MS]);
    expect(utc.report.timeZone.assumed).toBe('UTC');
    expect(utc.report.notes.some((n) => n.includes('read as UTC'))).toBe(true);
  });

  it('a truncated embedded changelog (total > histories) is named in a note with the fix', async () => {
    const { report } = await readJira(`${FIXTURES}/truncated-changelog.json`, {});
    const note = report.notes.find((n) => n.includes('fewer change histories'));
    expect(note).toContain('1 issue carry');
    expect(note).toContain('TC-1 2 of 150');
    expect(note).toContain('/changelog');
  });
});

describe('Jira adapter: bad input', () => {
  it('a Zendesk export given as Jira → WRONG_SOURCE saying what it looks like', async () => {
    const error = await errorOf(readJira('fixtures/zendesk/reopened-twice.json', { source: 'jira' }));
    expect(error.code).toBe('WRONG_SOURCE');
    expect(error.message).toContain('looks like a Zendesk export');
    expect(error.message).toContain('pass --source zendesk');
  });

  it('a truncated page → JSON_PARSE naming file, line and column', async () => {
    const error = await errorOf(readJira(`${FIXTURES}/truncated-page.json`, {}));
    expect(error.code).toBe('JSON_PARSE');
    expect(error.message).toMatch(/JSON ends early .* · fixtures\/jira\/truncated-page\.json:\d+:\d+ · got /);
  });

  it('an API error body saved as the export → API_ERROR_BODY with the server message', async () => {
    const error = await errorOf(readJira(`${FIXTURES}/api-error-body.json`, {}));
    expect(error.code).toBe('API_ERROR_BODY');
    expect(error.message).toContain("The value 'NOPE' does not exist");
  });

  it('an empty folder → EMPTY_FILE; a bad --timezone → BAD_TIME_ZONE', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'vsm-jira-'));
    try {
      expect((await errorOf(readJira(folder, {}))).code).toBe('EMPTY_FILE');
    } finally {
      rmSync(folder, { recursive: true });
    }
    expect((await errorOf(readJira(`${FIXTURES}/no-offset.json`, { timeZone: 'Mars/Olympus' }))).code).toBe('BAD_TIME_ZONE');
  });

  it('looksLikeJira recognises issues, searches, changelog pages and bulk changelogs only', () => {
    expect(looksLikeJira({ key: 'A-1', fields: {} })).toBe(true);
    expect(looksLikeJira({ issues: [], total: 0 })).toBe(true);
    expect(looksLikeJira({ values: [{ created: '2024-01-01T00:00:00.000+0000', items: [] }], isLast: true, startAt: 0 })).toBe(true);
    expect(looksLikeJira({ issueChangeLogs: [] })).toBe(true);
    expect(looksLikeJira({ audits: [] })).toBe(false);
    expect(looksLikeJira([{ event: 'closed', created_at: '2012-05-26T14:59:34Z', actor: {} }])).toBe(false);
  });
});
