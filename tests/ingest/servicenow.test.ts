import { describe, expect, it } from 'vitest';
import { looksLikeServiceNow, readServiceNow, serviceNowStateName } from '../../src/ingest/servicenow.js';
import { caseEvents, enterResources, enters, rejection, utc, visitDurationsMs } from './status-source-helpers.js';
import { SHARED_DIR, hasShared } from '../shared-dir.js';

const H = 3_600_000;
const M = 60_000;

describe('serviceNowStateName', () => {
  it('names codes, hold reasons and keeps unknown codes visible', () => {
    expect(serviceNowStateName('3', '1')).toBe('On Hold - Awaiting Caller');
    expect(serviceNowStateName('3', '5')).toBe('On Hold - Awaiting Change');
    expect(serviceNowStateName('3')).toBe('On Hold');
    expect(serviceNowStateName('2', '1')).toBe('In Progress');
    expect(serviceNowStateName('8')).toBe('Canceled');
    expect(serviceNowStateName('9')).toBe('State 9');
    expect(serviceNowStateName('On Hold', 'Awaiting Vendor')).toBe('On Hold - Awaiting Vendor');
  });
});

describe('readServiceNow: sys_audit traps (fixtures/servicenow/audit-traps.json)', () => {
  const file = 'fixtures/servicenow/audit-traps.json';

  it('rebuilds inc-a from shuffled rows: insert, hold with a vendor reason, reopened twice', async () => {
    const { log, report } = await readServiceNow(file, {});
    // 20 rows: 19 distinct + a8 repeated (overlapping page); a14 (priority) is not a status change.
    expect([report.rowsRead, report.rowsUsed, report.rowsRejected, report.rowsIgnored, report.duplicatesDropped]).toEqual([20, 18, 0, 1, 1]);
    expect(report.ignored).toEqual({ 'not a status/owner change: field priority': 1 });
    expect(caseEvents(log, 'inc-a')).toEqual([
      // Seed at the insert row (state ''→1), then the group set at the same second.
      { activity: 'New', lifecycle: 'enter', timestampMs: utc('2024-03-04T08:00:00Z') },
      { activity: 'New', lifecycle: 'owner', timestampMs: utc('2024-03-04T08:00:00Z') },
      { activity: 'New', lifecycle: 'owner', timestampMs: utc('2024-03-04T09:00:00Z') },
      { activity: 'In Progress', lifecycle: 'enter', timestampMs: utc('2024-03-04T09:00:00Z') },
      // state 2→3 and hold_reason ''→4 at the same instant merge into one change.
      { activity: 'On Hold - Awaiting Vendor', lifecycle: 'enter', timestampMs: utc('2024-03-04T10:00:00Z') },
      { activity: 'In Progress', lifecycle: 'enter', timestampMs: utc('2024-03-04T12:30:00Z') },
      { activity: 'Resolved', lifecycle: 'enter', timestampMs: utc('2024-03-04T13:00:00Z') },
      { activity: 'In Progress', lifecycle: 'enter', timestampMs: utc('2024-03-05T09:00:00Z') },
      { activity: 'Resolved', lifecycle: 'enter', timestampMs: utc('2024-03-05T10:15:30Z') },
      { activity: 'In Progress', lifecycle: 'enter', timestampMs: utc('2024-03-06T08:00:00Z') },
      { activity: 'Resolved', lifecycle: 'enter', timestampMs: utc('2024-03-06T08:45:00Z') },
      { activity: 'Closed', lifecycle: 'enter', timestampMs: utc('2024-03-09T08:45:00Z') },
    ]);
    // Hand-computed from the fixture times: 1 h, 1 h, 2.5 h, 0.5 h, 20 h, 1 h 15 m 30 s, 21 h 44 m 30 s, 45 m, 3 d.
    expect(visitDurationsMs(log, 'inc-a')).toEqual([
      ['New', 1 * H],
      ['In Progress', 1 * H],
      ['On Hold - Awaiting Vendor', 2.5 * H],
      ['In Progress', 0.5 * H],
      ['Resolved', 20 * H],
      ['In Progress', H + 15 * M + 30_000],
      ['Resolved', 21 * H + 44 * M + 30_000],
      ['In Progress', 45 * M],
      ['Resolved', 72 * H],
    ]);
    // The assigned_to display value (sysparm_display_value=all) names the owner.
    expect(enterResources(log, 'inc-a')[1]).toBe('Beth Anglin');
    expect(log.sourceStatusCategory.get('On Hold - Awaiting Vendor')).toBe('blocked');
    expect(log.sourceStatusCategory.get('New')).toBe('queue');
    expect(log.sourceStatusCategory.get('Resolved')).toBe('done');
  });

  it('does not seed a first state whose old value is missing (inc-b: assigned before its first state row)', async () => {
    const { log, report } = await readServiceNow(file, {});
    expect(enters(log, 'inc-b')).toEqual([
      ['In Progress', utc('2024-03-04T10:00:00Z')],
      ['On Hold - Awaiting Caller', utc('2024-03-04T11:00:00Z')],
    ]);
    expect(log.sourceStatusCategory.get('On Hold - Awaiting Caller')).toBe('waiting');
    expect(report.notes.some((n) => n.includes('no "from" value') && n.includes('inc-b'))).toBe(true);
  });

  it('reads offset-less times as UTC with a note, or in --timezone', async () => {
    const plain = await readServiceNow(file, {});
    expect(plain.report.timeZone.assumed).toBe('UTC');
    expect(plain.report.notes.some((n) => n.startsWith('no --timezone given'))).toBe(true);
    const berlin = await readServiceNow(file, { timeZone: 'Europe/Berlin' });
    expect(berlin.report.timeZone.given).toBe('Europe/Berlin');
    expect(berlin.report.timeZone.assumed).toBeUndefined();
    // 2024-03-04 08:00 CET (UTC+1) = 07:00Z; durations are unchanged (no DST switch inside the fixture).
    expect(enters(berlin.log, 'inc-a')[0]).toEqual(['New', utc('2024-03-04T07:00:00Z')]);
    expect(visitDurationsMs(berlin.log, 'inc-a')).toEqual(visitDurationsMs(plain.log, 'inc-a'));
  });

  it('dedupes overlapping pages of a folder by sys_id', async () => {
    const { log, report } = await readServiceNow('fixtures/servicenow/audit-pages', {});
    // 7 + 7 rows, a7 on both pages.
    expect([report.rowsRead, report.rowsUsed, report.duplicatesDropped]).toEqual([14, 13, 1]);
    expect(enters(log, 'inc-a').map(([s]) => s)).toEqual(['New', 'In Progress', 'On Hold - Awaiting Vendor', 'In Progress', 'Resolved', 'In Progress', 'Resolved', 'In Progress', 'Resolved', 'Closed']);
  });

  it('says an API error body is not data', async () => {
    const error = await rejection(readServiceNow('fixtures/servicenow/api-error.json', {}));
    expect(error.code).toBe('API_ERROR_BODY');
    expect(error.message).toContain('User Not Authenticated');
  });
});

describe('readServiceNow: snapshot rows (fixtures/servicenow/snapshot-traps.csv)', () => {
  const file = 'fixtures/servicenow/snapshot-traps.csv';

  it('orders shuffled rows, drops the duplicate, merges unchanged rows and keeps both reopens', async () => {
    const { log, report } = await readServiceNow(file, {});
    // 15 rows: INC1 11 + m3 twice, INC2 3 of which n2 has 31/2/2016 (no such day).
    expect([report.rowsRead, report.rowsUsed, report.rowsRejected, report.duplicatesDropped]).toEqual([15, 13, 1, 1]);
    expect(report.rejections['bad-timestamp']?.examples[0].value).toBe('31/2/2016 10:00');
    expect(report.notes).toContain('2 snapshot rows without a state change merged into the visit before them');
    expect(enters(log, 'INC1')).toEqual([
      ['New', utc('2016-03-13T08:50:00Z')], // seeded at opened_at
      ['Active', utc('2016-03-13T10:00:00Z')],
      ['Resolved', utc('2016-03-13T12:00:00Z')],
      ['Active', utc('2016-03-14T08:00:00Z')],
      ['Resolved', utc('2016-03-14T09:30:00Z')],
      ['Active', utc('2016-03-15T10:00:00Z')],
      // same minute as the row before: sys_mod_count 8 after 7 although the file lists 8 first
      ['Awaiting User Info', utc('2016-03-15T10:00:00Z')],
      ['Resolved', utc('2016-03-15T16:00:00Z')],
      ['Closed', utc('2016-03-20T16:00:00Z')],
    ]);
    // 08:50→10:00 = 70 min; 2 h; 20 h; 1.5 h; 24.5 h; 0; 6 h; 5 d.
    expect(visitDurationsMs(log, 'INC1').map(([, ms]) => ms)).toEqual([70 * M, 2 * H, 20 * H, 1.5 * H, 24.5 * H, 0, 6 * H, 120 * H]);
    // Handoffs come from assigned_to / assignment_group differences between rows (m1, m8 twice).
    expect(caseEvents(log, 'INC1').filter((e) => e.lifecycle === 'owner').map((e) => e.timestampMs)).toEqual([
      utc('2016-03-13T09:10:00Z'),
      utc('2016-03-15T10:00:00Z'),
      utc('2016-03-15T10:00:00Z'),
    ]);
    expect(log.sourceStatusCategory.get('Awaiting User Info')).toBe('waiting');
  });

  it('reads wall-clock times in --timezone across the spring-forward switch', async () => {
    // INC2: opened 01:00, New row 01:30, Active 03:30 on 27/3/2016, the night Europe/Berlin skips 02:00–03:00.
    const utcRead = await readServiceNow(file, {});
    expect(visitDurationsMs(utcRead.log, 'INC2')).toEqual([['New', 2.5 * H]]);
    const berlin = await readServiceNow(file, { timeZone: 'Europe/Berlin' });
    // 01:00 CET = 00:00Z; 03:30 CEST = 01:30Z → 1.5 h.
    expect(enters(berlin.log, 'INC2')).toEqual([
      ['New', utc('2016-03-27T00:00:00Z')],
      ['Active', utc('2016-03-27T01:30:00Z')],
    ]);
  });

  it('asks for --date-format when no value proves the day/month order, and honours it', async () => {
    const file2 = 'fixtures/servicenow/snapshot-ambiguous-dates.csv';
    const error = await rejection(readServiceNow(file2, {}));
    expect(error.code).toBe('BAD_DATE_FORMAT');
    expect(error.fix).toContain('d/M/yyyy H:mm');
    const { log } = await readServiceNow(file2, { dateFormat: 'M/d/yyyy H:mm' });
    expect(enters(log, 'INC3')).toEqual([
      ['New', utc('2016-01-03T08:00:00Z')],
      ['Active', utc('2016-02-03T09:00:00Z')],
    ]);
  });

  it('names the right source when given a Salesforce export', async () => {
    const error = await rejection(readServiceNow('fixtures/salesforce/case-history-traps.csv', { source: 'servicenow' }));
    expect(error.code).toBe('WRONG_SOURCE');
    expect(error.fix).toBe('this looks like a salesforce export: pass --source salesforce');
  });
});

describe('looksLikeServiceNow', () => {
  it('recognises sys_audit JSON, sys_audit CSV and snapshot CSV headers only', () => {
    expect(looksLikeServiceNow('{"result":[{"documentkey":"x","fieldname":"state"')).toBe(true);
    expect(looksLikeServiceNow('sys_id,documentkey,fieldname,oldvalue,newvalue,sys_created_on\n')).toBe(true);
    expect(looksLikeServiceNow('number,incident_state,active,sys_updated_at\r\n')).toBe(true);
    expect(looksLikeServiceNow('"ID","CASEID","FIELD","OLDVALUE","NEWVALUE","CREATEDDATE"\n')).toBe(false);
    expect(looksLikeServiceNow('{"data":[{"stageChanges":[]}]}')).toBe(false);
  });
});

const UCI = `${SHARED_DIR}/formats/samples/servicenow/uci_incident_event_log_excerpt.csv`;
const AUDIT_SAMPLE = `${SHARED_DIR}/formats/samples/servicenow/sys_audit_table_api_SYNTHETIC.json`;

describe.skipIf(!hasShared(UCI))('golden check FORMATS §10.6: UCI incident log excerpt', () => {
  it('reads 198 rows / 32 incidents, day-first, with INC0000101 open at the end', async () => {
    const { log, report } = await readServiceNow(UCI, {});
    expect([report.rowsRead, report.rowsUsed, report.rowsRejected, report.duplicatesDropped]).toEqual([198, 198, 0, 0]);
    expect(log.caseCount).toBe(32);
    // Counted with a separate Python pass over the sample: 77 state changes + 32 seeds = 109 enters,
    // 40 assigned_to/assignment_group differences, 89 rows with the state unchanged (198 − 32 first rows − 77).
    expect(log.eventCount).toBe(149);
    expect(report.notes).toContain('89 snapshot rows without a state change merged into the visit before them');
    expect(report.notes.some((n) => n.startsWith('dates read day-first'))).toBe(true);
    expect(report.timeRange).toEqual({ from: '2016-02-29T01:16:00.000Z', to: '2016-04-17T15:07:00.000Z' });
    expect(enters(log, 'INC0000101')).toEqual([
      ['New', utc('2016-02-29T09:05:00Z')],
      ['Active', utc('2016-02-29T10:28:00Z')],
    ]);
    expect(report.notes.find((n) => n.includes('open'))).toMatch(/^1 incidents .* e\.g\. INC0000101$/);
    // INC0000047: mods 5 (Active) and 6 (Awaiting User Info) share 1/3/2016 09:14.
    expect(enters(log, 'INC0000047').map(([s]) => s)).toEqual(['New', 'Active', 'Awaiting User Info', 'Resolved', 'Closed']);
  });

  it('29/2/2016 parses only day-first', async () => {
    // Forced month-first, every row whose first date part is above 12 (124 of 198, counted in Python) is rejected.
    const monthFirst = await readServiceNow(UCI, { dateFormat: 'M/d/yyyy H:mm' });
    expect(monthFirst.report.rejections['bad-timestamp']?.count).toBe(124);
    expect(monthFirst.report.rejections['bad-timestamp']?.examples[0].value).toBe('29/2/2016 01:23');
    const dayFirst = await readServiceNow(UCI, { dateFormat: 'd/M/yyyy H:mm' });
    expect(dayFirst.report.rowsUsed).toBe(198);
  });
});

describe.skipIf(!hasShared(AUDIT_SAMPLE))('synthetic sys_audit sample', () => {
  it('gives one incident with an Awaiting Caller hold', async () => {
    const { log, report } = await readServiceNow(AUDIT_SAMPLE, {});
    expect([report.rowsRead, report.rowsUsed]).toEqual([11, 11]);
    expect(visitDurationsMs(log, '46d44a23a9fe19810012d100cca80666')).toEqual([
      ['New', H + 12 * M + 31_000], // 08:00:00 → 09:12:31
      ['In Progress', 2 * H + 27 * M + 31_000], // 09:12:31 → 11:40:02
      ['On Hold - Awaiting Caller', 19 * H + 23 * M + 53_000], // 11:40:02 → next day 07:03:55
      ['In Progress', 6 * H + 18 * M + 52_000], // 07:03:55 → 13:22:47
      ['Resolved', 3 * 24 * H + 13_000], // 03-05 13:22:47 → 03-08 13:23:00
    ]);
  });
});
