import { describe, expect, it } from 'vitest';
import { readLog } from '../../src/ingest/read-log.js';
import { sniffSource } from '../../src/ingest/sniff.js';

describe('current-state exports (no history) are recognised without --source', () => {
  it.each([
    ['fixtures/jira/search-no-changelog.json', 'jira', 'sniffed: JSON with "issues" without changelog (Jira search, current state only)'],
    ['fixtures/zendesk/tickets-page-1-of-64.json', 'zendesk', 'sniffed: JSON with a ticket list without audits (Zendesk, current state only)'],
    ['fixtures/servicenow/incidents-current-state.json', 'servicenow', 'sniffed: JSON with incident rows without sys_audit (ServiceNow Table API, current state only)'],
  ])('%s → %s', (path, source, detectedBy) => {
    expect(sniffSource(path)).toEqual({ source, detectedBy });
  });
});

describe('case evidence from current-state exports', () => {
  it('Jira: fields.created / resolutiondate / status category, no status history', async () => {
    const { log, report } = await readLog('fixtures/jira/search-no-changelog.json');
    const evidence = log.caseEvidence;
    expect(evidence?.statusHistory).toBe(false);
    expect(report.history?.statusHistory).toBe(false);
    const ut1 = log.caseIds.codeOf('UT-1');
    const ut4 = log.caseIds.codeOf('UT-4');
    expect(evidence?.createdAtMs[ut1]).toBe(Date.parse('2024-03-01T09:00:00Z'));
    expect(evidence?.resolvedAtMs[ut1]).toBe(Date.parse('2024-03-05T09:00:00Z'));
    // UT-4 is Done with no resolutiondate: closed now, resolution time unknown.
    expect(evidence?.resolvedAtMs[ut4]).toBeNaN();
    expect(evidence?.doneNow[ut4]).toBe(1);
    expect(report.history?.lastSeenAt).toBe('2024-03-10T09:00:00.000Z');
    expect(report.notes).toContain(
      '4 issues carry no changelog (the search was run without expand=changelog): lead time comes from fields.created → fields.resolutiondate; no step can be timed',
    );
  });

  it('ServiceNow incident rows: opened_at → resolved_at, else closed_at', async () => {
    const { log, report } = await readLog('fixtures/servicenow/incidents-current-state.json');
    const evidence = log.caseEvidence;
    expect(evidence?.statusHistory).toBe(false);
    expect(evidence?.resolvedAtMs[log.caseIds.codeOf('INC0010001')]).toBe(Date.parse('2024-06-04T20:00:00Z'));
    // INC0010003 was canceled (state 8) with closed_at only.
    expect(evidence?.resolvedAtMs[log.caseIds.codeOf('INC0010003')]).toBe(Date.parse('2024-06-06T08:00:00Z'));
    expect(evidence?.doneNow[log.caseIds.codeOf('INC0010002')]).toBe(0);
    expect(report.history?.lastSeenAt).toBe('2024-06-10T08:00:00.000Z');
  });

  it('Zendesk: a ticket list is a current-state export even with --source zendesk', async () => {
    const { log, report } = await readLog('fixtures/zendesk/tickets-page-1-of-64.json', { source: 'zendesk' });
    expect(log.caseEvidence?.statusHistory).toBe(false);
    expect(report.history?.pagination).toEqual([
      { scheme: 'zendesk offset', itemsKey: 'tickets', marker: 'next_page/count', pagesRead: 1, itemsRead: 3, lastPage: 1, pagesAbout: 64, totalItems: 192, itemsMissingAbout: 189, incomplete: true, inferred: false },
    ]);
  });
});
