import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { readLog } from '../../src/ingest/read-log.js';
import type { ReadOptions } from '../../src/ingest/read-options.js';
import { MS_PER_DAY, MS_PER_HOUR } from '../../src/model/units.js';
import { analyzeLog } from '../../src/vsm/analyze.js';
import { ReportSchema } from '../../src/contracts/report-schema.js';
import { SHARED_DIR } from '../shared-dir.js';

const D = MS_PER_DAY;
const H = MS_PER_HOUR;

async function analyze(path: string, options: ReadOptions = {}) {
  const read = await readLog(path, options);
  const { report } = analyzeLog(read.log, read.report, { logName: 'fixture' });
  ReportSchema.parse(report);
  return { report, ingest: read.report, sufficiency: report.dataQuality.sufficiency ?? {} };
}

const STEP_METRICS = ['cycleTime', 'stepTimes', 'flowEfficiency', 'handoffs', 'rework', 'variants'];

describe('no status history: Jira search without expand=changelog', () => {
  it('is sniffed without --source, measures lead time from created → resolutiondate and marks every step metric unsupported', async () => {
    const { report, ingest, sufficiency } = await analyze('fixtures/jira/search-no-changelog.json');
    expect(ingest.format).toBe('jira');
    expect(ingest.formatDetectedBy).toContain('"issues" without changelog');
    // UT-1 4 d, UT-2 1.5 d (closed); UT-3 open: created 03-04 09:00 → asOf 03-10 09:00 (its `updated`) = 6 d, censored;
    // UT-4 is Done without a resolutiondate: no lead time, never 0 s. Kaplan–Meier: S(1.5 d) = 2/3, S(4 d) = 1/3 → median 4 d.
    expect(report.log.asOf).toBe('2024-03-10T09:00:00.000Z');
    expect(report.leadTimeMs.n).toBe(3);
    expect(report.leadTimeMs.censored).toBe(1);
    expect(report.leadTimeMs.min).toBe(1.5 * D);
    expect(report.leadTimeMs.median).toBe(4 * D);
    expect(sufficiency.leadTime).toEqual({
      verdict: 'partial',
      reason: 'no status history: lead time from the case fields created → resolved; 1 closed case without a resolution time: no lead time (excluded, never 0 s)',
      fix: expect.stringContaining('expand=changelog') as string,
      counts: { casesMeasured: 3, casesClosed: 2, casesOpen: 1, closedWithoutResolutionTime: 1, casesWithoutCreatedTime: 0 },
    });
    for (const metric of STEP_METRICS) {
      expect(sufficiency[metric].verdict, metric).toBe('unsupported');
      expect(sufficiency[metric].reason).toBe('the export holds no status history (current state only: 4 cases), so no step can be timed');
    }
    // Unsupported is shown as unknown, never as 0.
    expect(report.steps).toEqual([]);
    expect(report.flowEfficiency.activeKnown).toBe(false);
    expect(report.flowEfficiency.pooled).toBeNull();
    expect(report.cycleTimeMs.median).toBeNull();
    expect(report.findings.biggestDelay).toBeNull();
    expect(report.boundaries.trigger).toBe('case created (creation field; no status history)');
  });
});

describe('truncated exports', () => {
  it('Jira search page 1 of 3: every metric partial, as-of from `updated`', async () => {
    const { report, ingest, sufficiency } = await analyze('fixtures/jira/search-page-1-of-3.json');
    // startAt 0, maxResults 2, total 6: page 1 of ceil(6 / 2) = 3; 6 − 2 issues read = 4 missing.
    const reason = 'jira issues: page 1 of about 3, about 4 issues missing (startAt/maxResults/total)';
    for (const metric of ['leadTime', ...STEP_METRICS.filter((m) => m !== 'handoffs'), 'flow']) expect(sufficiency[metric].verdict, metric).toBe('partial');
    expect(sufficiency.stepTimes.reason).toBe(reason);
    // No change in this page names an assignee: handoffs cannot be seen at all (unsupported outranks partial).
    expect(sufficiency.handoffs.verdict).toBe('unsupported');
    expect(sufficiency.handoffs.reason).toContain(reason);
    expect(sufficiency.handoffs.reason).toContain('no event in this log names an owner');
    // Visits: PG-1 To Do, In Progress, Done (kept to see reopens) + PG-2 To Do, In Progress = 5.
    expect(sufficiency.stepTimes.counts).toEqual({ visits: 5, pagesRead: 1, itemsRead: 2, totalItems: 6, itemsMissingAbout: 4, pagesAbout: 3 });
    expect(ingest.history?.ignoredFields).toEqual({ priority: 1 });
    // PG-2's last status change is 04-05 08:00 but its `updated` is 04-06 08:00: asOf is the later one.
    expect(report.log.asOf).toBe('2024-04-06T08:00:00.000Z');
    // PG-1 04-01 08:00 → Done 04-04 08:00 = 3 d; PG-2 created 04-03 08:00, open → 3 d censored.
    expect(report.leadTimeMs.min).toBe(3 * D);
    expect(report.leadTimeMs.max).toBe(3 * D);
    expect(report.findings.biggestDelay?.statement).toContain('Partial data: ' + reason);
  });

  it('Zendesk ticket list, page 1 of 64 (offset next_page/count), no audits', async () => {
    const { report, sufficiency } = await analyze('fixtures/zendesk/tickets-page-1-of-64.json');
    // count 192, per_page 3 (from next_page) → about 64 pages; 192 − 3 read = 189 missing.
    expect(sufficiency.leadTime.reason).toBe(
      'no status history: lead time from the case fields created → resolved; zendesk tickets: page 1 of about 64, about 189 tickets missing (next_page/count); ' +
        '1 closed case without a resolution time: no lead time (excluded, never 0 s)',
    );
    expect(sufficiency.leadTime.counts.itemsMissingAbout).toBe(189);
    expect(sufficiency.stepTimes.verdict).toBe('unsupported');
    // Ticket 1: 05-01 10:00 → metric_set.solved_at 05-03 10:00 = 2 d; ticket 2 open → asOf 05-06 10:00 (updated_at) = 4 d censored;
    // ticket 3 closed, no solved_at: excluded. KM median = 2 d.
    expect(report.log.asOf).toBe('2024-05-06T10:00:00.000Z');
    expect(report.leadTimeMs.n).toBe(2);
    expect(report.leadTimeMs.median).toBe(2 * D);
    expect(report.leadTimeMs.max).toBe(4 * D);
  });

  it('Zendesk cursor page with meta.has_more: partial; an open ticket whose audits run 10 months is aged from the last audit', async () => {
    const { report, ingest, sufficiency } = await analyze('fixtures/zendesk/audits-cursor-has-more.json');
    expect(sufficiency.leadTime.reason).toBe('zendesk audits: 1 saved page(s) and meta.has_more says more follow: how many items are missing is unknown');
    expect(sufficiency.leadTime.fix).toBe('fetch every page (follow the next-page link or cursor until the last page) into one folder and pass the folder');
    expect(ingest.history?.ignoredFields).toEqual({ priority: 2 });
    // The last status change is 2024-01-08 12:00; the last audit (a comment + priority change) 2024-10-30 09:30.
    expect(report.log.asOf).toBe('2024-10-30T09:30:00.000Z');
    // Ticket 7: created 2024-01-05 09:00, open since 09:30 → aged 299 d 30 min (2024 is a leap year), not "1 s".
    expect(report.flow.aging).toEqual([{ caseId: '7', step: 'open', ageMs: 299 * D + 0.5 * H, inStepMs: 299 * D }]);
    // Ticket 8: new 01-06 09:00 → solved 01-08 12:00 = 51 h.
    expect(report.leadTimeMs.min).toBe(51 * H);
  });
});

describe('left-censored cases and cases without status: Fivetran ticket_field_history mid-flow', () => {
  it('excludes a ticket first seen solved, counts the assignee-only ticket apart and the other fields as ignored', async () => {
    const { report, ingest, sufficiency } = await analyze('fixtures/zendesk/field-history-mid-flow.csv');
    expect(sufficiency.leadTime).toEqual({
      verdict: 'partial',
      reason:
        '1 left-censored case excluded (1 first seen already done, 0 with history starting after creation); ' +
        '1 case without status events (only owner changes): neither open nor closed, not measured',
      fix: expect.stringContaining('ticket_field_history') as string,
      // 102 closed (24 h), 104 open; 101 left-censored; 103 only assignee rows.
      counts: { casesMeasured: 2, casesClosed: 1, casesOpen: 1, leftCensoredCases: 1, leftCensoredFirstDone: 1, casesWithoutStatus: 1 },
    });
    expect(ingest.history?.ignoredFields).toEqual({ priority: 3, requester_id: 1 });
    expect(report.dataQuality.notes).toContain('ignored: not a status/owner change — priority 3, requester_id 1');
    expect(report.dataQuality.notes).toContain(
      '1 cases are left-censored (1 first seen already done, 0 with history starting after creation): excluded from lead time and step times (e.g. 101)',
    );
    // Never a lead time of 0: 102 new 02-10 09:00 → solved 02-11 09:00 = 24 h; 104 censored at the last priority row 02-14 09:00 = 48 h.
    expect(report.leadTimeMs.min).toBe(24 * H);
    expect(report.leadTimeMs.median).toBe(24 * H);
    expect(report.log.asOf).toBe('2020-02-14T09:00:00.000Z');
  });
});

const FIVETRAN = `${SHARED_DIR}/formats/samples/zendesk/fivetran_ticket_field_history_data.csv`;

describe.skipIf(!existsSync(FIVETRAN))('real sample: Fivetran ticket_field_history (most first rows already solved)', () => {
  it('left-censors exactly the tickets whose first status row is solved or closed; no lead time is 0 s', async () => {
    const rows = parse(readFileSync(FIVETRAN, 'utf8'), { columns: true }) as Record<string, string>[];
    const first = new Map<string, { at: string; value: string }>();
    for (const row of rows) {
      if (row.field_name !== 'status') continue;
      const seen = first.get(row.ticket_id);
      if (!seen || row.updated < seen.at) first.set(row.ticket_id, { at: row.updated, value: row.value });
    }
    const firstDone = [...first.values()].filter((f) => f.value === 'solved' || f.value === 'closed').length;
    const { report, sufficiency } = await analyze(FIVETRAN);
    expect(sufficiency.leadTime.counts.leftCensoredFirstDone).toBe(firstDone);
    expect(firstDone).toBeGreaterThan(0);
    if (report.leadTimeMs.n > 0) expect(report.leadTimeMs.min).toBeGreaterThan(0);
  });
});

describe('no status history: ServiceNow incident rows', () => {
  it('lead time from opened_at → resolved_at (else closed_at); the open incident censored at the latest sys_updated_on', async () => {
    const { report, sufficiency } = await analyze('fixtures/servicenow/incidents-current-state.json');
    // INC0010001 36 h (resolved_at, not closed_at), INC0010003 24 h (closed_at), INC0010002 open 06-04 08:00 → 06-10 08:00 = 6 d censored.
    // Kaplan–Meier: S(24 h) = 2/3, S(36 h) = 1/3 → median 36 h.
    expect(report.leadTimeMs.median).toBe(36 * H);
    expect(report.leadTimeMs.max).toBe(6 * D);
    expect(sufficiency.leadTime).toMatchObject({ verdict: 'ok', reason: 'no status history: lead time from the case fields created → resolved' });
    expect(sufficiency.stepTimes.verdict).toBe('unsupported');
    expect(sufficiency.stepTimes.fix).toContain('sys_audit');
  });
});

describe('left-censored: a Jira changelog page for an issue with no creation time (export cut at a date)', () => {
  it('is excluded from lead time (never the 1 d between its first change and Done) and named', async () => {
    const { report, sufficiency } = await analyze('fixtures/jira/changelog-cut-at-date');
    // PG-8: created 02-01 08:00 → Done 02-03 08:00 = 2 d. PG-9's first change has a `from` (In Progress) but no
    // creation time: its history starts after creation, so it has no lead time.
    expect(report.leadTimeMs.n).toBe(1);
    expect(report.leadTimeMs.median).toBe(2 * D);
    expect(sufficiency.leadTime.counts).toMatchObject({ leftCensoredCases: 1, leftCensoredFirstDone: 0 });
    expect(report.dataQuality.notes).toContain(
      '1 cases are left-censored (0 first seen already done, 1 with history starting after creation): excluded from lead time and step times (e.g. PG-9)',
    );
  });
});

describe('no status history: Zendesk ticket export under `results`, all pages saved', () => {
  it('reads solved_at from the ticket; the lead time is ok (from case fields), nothing is missing', async () => {
    const { report, sufficiency } = await analyze('fixtures/zendesk/exports-tickets-results.json');
    // Ticket 11: 07-01 09:00 → solved 17:00 = 8 h; ticket 12 pending, censored at its updated_at 07-03 09:00 = 24 h.
    // Kaplan–Meier: S(8 h) = 1/2 → median 8 h.
    expect(report.leadTimeMs.median).toBe(8 * H);
    expect(report.leadTimeMs.censored).toBe(1);
    expect(sufficiency.leadTime).toEqual({
      verdict: 'ok',
      reason: 'no status history: lead time from the case fields created → resolved',
      fix: null,
      counts: { casesMeasured: 2, casesClosed: 1, casesOpen: 1 },
    });
    expect(sufficiency.flow.reason).toBe('weekly arrivals, throughput and WIP come from the case fields; per-step flow is unknown (no status history)');
  });
});

const SAMPLES = `${SHARED_DIR}/formats/samples`;
describe.skipIf(!existsSync(`${SAMPLES}/jira/jira-to-analytics_search_excerpt.json`))('real samples checked by hand', () => {
  it('jira-to-analytics search excerpt: total 25, 3 issues kept → "3 of 25 read, about 22 missing"', async () => {
    const { sufficiency } = await analyze(`${SAMPLES}/jira/jira-to-analytics_search_excerpt.json`);
    expect(sufficiency.leadTime.reason).toBe('jira issues: 3 of 25 read, about 22 missing (startAt/maxResults/total)');
  });

  it('UCI ServiceNow incident log excerpt: INC0000093, first seen Resolved (sys_mod_count 0), is left-censored, not a 0 s lead time', async () => {
    const { report, sufficiency } = await analyze(`${SAMPLES}/servicenow/uci_incident_event_log_excerpt.csv`);
    expect(sufficiency.leadTime.counts).toMatchObject({ leftCensoredCases: 1, leftCensoredFirstDone: 1 });
    expect(report.dataQuality.notes.some((note) => note.includes('(e.g. INC0000093)'))).toBe(true);
    // 32 incidents, 1 excluded: 31 lead times, the shortest 17 min (before this check the minimum was 0 s).
    expect(report.leadTimeMs.n).toBe(31);
    expect(report.leadTimeMs.min).toBe(17 * 60_000);
  });

  it('Airbyte excerpt: the ticket_metrics record is a current-state case, open (no solved_at), aged to its latest comment', async () => {
    const { report, sufficiency } = await analyze(`${SAMPLES}/zendesk/airbyte_expected_records_excerpt.jsonl`);
    // ticket 160: created_at 2024-04-12T13:39:06Z; latest_comment_added_at / requester_updated_at 2024-09-20T13:53:23Z.
    expect(report.log.asOf).toBe('2024-09-20T13:53:23.000Z');
    expect(report.leadTimeMs.censored).toBe(1);
    expect(report.leadTimeMs.max).toBe(Date.parse('2024-09-20T13:53:23Z') - Date.parse('2024-04-12T13:39:06Z'));
    expect(sufficiency.stepTimes.verdict).toBe('unsupported');
  });
});
