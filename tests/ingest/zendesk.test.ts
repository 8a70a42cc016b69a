import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readZendesk } from '../../src/ingest/zendesk.js';
import { requesterWaitMs } from '../../src/ingest/zendesk-requester-wait.js';
import { looksLikeZendesk } from '../../src/ingest/zendesk-shape.js';
import type { EventLog } from '../../src/model/event-log.js';
import { SHARED_DIR, hasShared } from '../shared-dir.js';
import { enterDurationsMs, errorOf, eventRows } from './status-source-helpers.js';

const FIXTURES = 'fixtures/zendesk';
const SAMPLES = `${SHARED_DIR}/formats/samples/zendesk`;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** (status or owner/group, lifecycle, ISO time) per event of one case, in log order. */
const eventsOf = (log: EventLog, caseId: string): [string, string, string][] =>
  eventRows(log, caseId, (l, i) => `${l.resources.valueOf(l.resourceCode[i]) ?? '-'}/${l.groups.valueOf(l.groupCode[i]) ?? '-'}`);


describe('Zendesk adapter', () => {
  it('a ticket reopened twice keeps every visit (rework), with exact durations and owners', async () => {
    const { log, report } = await readZendesk(`${FIXTURES}/reopened-twice.json`, {});
    const events = eventsOf(log, '501');
    expect(events.filter((e) => e[1] === 'enter').map((e) => e[0])).toEqual(['new', 'open', 'solved', 'open', 'pending', 'open', 'solved', 'open', 'hold', 'solved']);
    // new 1.5 h; open 2.5 h; solved 20 h; open 2 h 15 m 30 s; pending 24 h; open 44 m 30 s; solved 22 h; open 45 m; hold 24 h.
    expect(enterDurationsMs(log, '501')).toEqual([
      1.5 * HOUR_MS, 2.5 * HOUR_MS, 20 * HOUR_MS, 8_130_000, 24 * HOUR_MS, 2_670_000, 22 * HOUR_MS, 45 * MINUTE_MS, 24 * HOUR_MS,
    ]);
    // Create events of assignee/group are the starting owner (on the first visit), not owner changes.
    expect(log.groups.valueOf(log.groupCode[log.caseStart[0]])).toBe('77');
    expect(events.filter((e) => e[1] === 'owner')).toEqual([
      ['9001/77', 'owner', '2024-05-06T09:30:00.000Z'],
      ['9001/78', 'owner', '2024-05-08T11:00:00.000Z'],
    ]);
    // Create at the creation instant: nothing is unmeasured, so no "missing from" note.
    expect(report.notes.some((n) => n.includes('no "from"'))).toBe(false);
    expect(log.sourceStatusCategory.get('pending')).toBe('waiting');
    expect(log.sourceStatusCategory.get('hold')).toBe('waiting');
    expect(log.sourceStatusCategory.get('new')).toBe('queue');
    expect(log.sourceStatusCategory.get('open')).toBe('active');
    expect(log.sourceStatusCategory.get('solved')).toBe('done');
    const channel = log.caseAttributes.get('channel');
    expect(channel?.dictionary.valueOf(channel.codes[0])).toBe('email');
    // Requester wait = new + open + hold = 1.5 h + (2.5 h + 2 h 15 m 30 s + 44 m 30 s + 45 m) + 24 h = 31 h 45 m.
    expect(requesterWaitMs(log, '501')).toBe(31.75 * HOUR_MS);
  });

  it('out-of-order, overlapping audit pages: sorted by time, the repeated audit counted as a duplicate', async () => {
    const { log, report } = await readZendesk(`${FIXTURES}/overlapping-pages`, {});
    expect(enterDurationsMs(log, '501')).toEqual([1.5 * HOUR_MS, 2.5 * HOUR_MS, 20 * HOUR_MS, 8_130_000]);
    // Changes read: page-1 audits 3, 4, 5 (1 each); page-2 audits 1 (status Create), 2 (status, assignee), 3 → 7; audit 3 twice.
    // Plus 3 more audit events: a Create of assignee (the initial owner: used), a Create of an empty one and a Comment (ignored).
    expect(report.rowsRead).toBe(10);
    expect(report.duplicatesDropped).toBe(1);
    expect(report.rowsUsed).toBe(7);
    expect(report.rowsIgnored).toBe(2);
  });

  it('incremental ticket events: both child-event layouts, epoch-second and ISO times, sorted', async () => {
    const { log } = await readZendesk(`${FIXTURES}/incremental-ticket-events.json`, {});
    expect(eventsOf(log, '600')).toEqual([
      ['new', 'enter', '2024-05-06T08:00:00.000Z'],
      ['open', 'enter', '2024-05-06T08:30:00.000Z'],
      ['4242/-', 'owner', '2024-05-06T08:30:00.000Z'],
      ['solved', 'enter', '2024-05-06T11:00:00.000Z'],
    ]);
  });

  it('Fivetran ticket_field_history CSV: from = previous row, repeated sync row dropped, bad time rejected, UTC noted', async () => {
    const { log, report } = await readZendesk(`${FIXTURES}/field-history.csv`, {});
    expect(eventsOf(log, '42')).toEqual([
      ['new', 'enter', '2024-05-06T08:00:00.000Z'],
      ['open', 'enter', '2024-05-06T10:00:00.000Z'],
      ['9001/-', 'owner', '2024-05-06T10:00:00.000Z'],
      ['solved', 'enter', '2024-05-06T12:30:00.000Z'],
    ]);
    // 7 rows: 4 used + 1 bad time + 1 repeated sync row + 1 priority row (ignored).
    expect(report.rowsRead).toBe(7);
    expect(report.rowsIgnored).toBe(1);
    expect(report.rowsUsed).toBe(4);
    expect(report.duplicatesDropped).toBe(1);
    expect(report.rowsRejected).toBe(1);
    expect(report.rejections['bad-timestamp']?.examples[0]).toMatchObject({ row: 8, column: 'updated', value: 'not a time' });
    expect(report.timeZone.assumed).toBe('UTC');
  });

  it('bad input: Jira file as Zendesk → WRONG_SOURCE; Zendesk error body → API_ERROR_BODY', async () => {
    const wrong = await errorOf(readZendesk('fixtures/jira/missing-from.json', { source: 'zendesk' }));
    expect(wrong.code).toBe('WRONG_SOURCE');
    expect(wrong.message).toContain('looks like a Jira export');
    expect(wrong.message).toContain('pass --source jira');
    const body = await errorOf(readZendesk(`${FIXTURES}/api-error-body.json`, {}));
    expect(body.code).toBe('API_ERROR_BODY');
    expect(body.message).toContain('RecordNotFound');
    expect(looksLikeZendesk('field_name,ticket_id,updated,_fivetran_synced,user_id,value\n')).toBe(true);
    expect(looksLikeZendesk({ issues: [], total: 0 })).toBe(false);
  });
});

describe.skipIf(!hasShared(`${SAMPLES}/zenpy_ticket_audits_page.json`))('Zendesk adapter: real samples (FORMATS §10.4, §10.5)', () => {
  it('zenpy audits page: ticket 1 open → deleted → open, ids read as strings', async () => {
    const { log, report } = await readZendesk(`${SAMPLES}/zenpy_ticket_audits_page.json`, {});
    expect(eventsOf(log, '1')).toEqual([
      ['open', 'enter', '2023-09-09T23:52:05.000Z'],
      ['deleted', 'enter', '2023-09-19T00:19:17.000Z'],
      ['open', 'enter', '2023-09-19T00:25:38.000Z'],
    ]);
    const first = log.caseStart[log.caseIds.codeOf('1')];
    expect([log.resources.valueOf(log.resourceCode[first]), log.groups.valueOf(log.groupCode[first])]).toEqual(['6130907993114', '6130852536346']);
    // 863 audit events: 88 status events (FORMATS §2.2 sample counts) + the one assignee and one group Create (starting
    // owners) used; 88 comments and 685 events of other fields ignored.
    expect([report.rowsRead, report.rowsUsed, report.rowsIgnored]).toEqual([863, 90, 773]);
    expect(log.caseCount).toBe(86);
  });

  it('Fivetran seed: 20 tickets, one "solved" row each', async () => {
    const { log, report } = await readZendesk(`${SAMPLES}/fivetran_ticket_field_history_data.csv`, {});
    expect(log.caseCount).toBe(20);
    expect(report.rowsUsed).toBe(20);
    expect(eventsOf(log, '6964')).toEqual([['solved', 'enter', '2020-06-01T21:11:59.000Z']]);
  });

  it('requester wait from our visits equals the metric event: 1,261,650 calendar minutes for ticket 1', async () => {
    // Ticket 1 of the Airbyte test account: created 2020-12-11T18:34:09Z (SOURCES.md), solved when its metrics were fulfilled
    // 2023-05-06T22:04:16Z; the audits fixture rebuilds that history, the metric events come from the real excerpt.
    const folder = mkdtempSync(join(tmpdir(), 'vsm-zendesk-'));
    try {
      copyFileSync(`${FIXTURES}/requester-wait-ticket-1.json`, join(folder, 'audits.json'));
      copyFileSync(`${SAMPLES}/airbyte_expected_records_excerpt.jsonl`, join(folder, 'airbyte.jsonl'));
      const { log, report } = await readZendesk(folder, {});
      // 2020-12-11T18:34:09Z → 2023-05-06T22:04:16Z = 1,261,650 min 7 s; Zendesk counts whole minutes.
      expect(Math.floor(requesterWaitMs(log, '1') / MINUTE_MS)).toBe(1_261_650);
      const note = report.notes.find((n) => n.includes('requester_wait_time'));
      expect(note).toContain('for 1 of them our visits give the same whole minutes');
      expect(note).toContain('Zendesk 1261650 min, ours 1261650 min');
    } finally {
      rmSync(folder, { recursive: true });
    }
  });
});
