import { describe, expect, it } from 'vitest';
import { looksLikeSalesforce, readSalesforce } from '../../src/ingest/salesforce.js';
import { caseEvents, enterResources, enters, rejection, utc, visitDurationsMs } from './status-source-helpers.js';
import { SHARED_DIR, hasShared } from '../shared-dir.js';

const H = 3_600_000;
const C1 = '500000000000001AAA';
const C2 = '500000000000002AAA';

describe('readSalesforce: CaseHistory traps (fixtures/salesforce/case-history-traps.csv)', () => {
  const file = 'fixtures/salesforce/case-history-traps.csv';

  it('accounts for every row: duplicate Id, owner id row, other field, deleted row', async () => {
    const { report } = await readSalesforce(file, {});
    // 15 rows: h05 twice (same Id) and h02 (owner id row beside its name row h03) are duplicates;
    // h11 (Priority) and h12 (IsDeleted=true) are sound but unused: ignored, not rejected; 11 rows used.
    expect([report.rowsRead, report.rowsUsed, report.rowsRejected, report.rowsIgnored, report.duplicatesDropped]).toEqual([15, 11, 0, 2, 2]);
    expect(report.ignored).toEqual({ 'deleted history row (ISDELETED = true)': 1, 'not a status/owner change: field Priority': 1 });
    expect(report.notes).toContain('1 owner changes came as a name row plus an id row; the id rows were dropped as duplicates');
  });

  it('rebuilds C1 from shuffled rows: seeded at created, reopened twice, same-second tie chained', async () => {
    const { log } = await readSalesforce(file, {});
    expect(caseEvents(log, C1)).toEqual([
      { activity: 'New', lifecycle: 'enter', timestampMs: utc('2024-03-04T08:00:00Z') },
      { activity: 'New', lifecycle: 'owner', timestampMs: utc('2024-03-04T08:00:00Z') },
      { activity: 'Working', lifecycle: 'enter', timestampMs: utc('2024-03-04T09:00:00Z') },
      { activity: 'Closed', lifecycle: 'enter', timestampMs: utc('2024-03-04T12:00:00Z') },
      { activity: 'Working', lifecycle: 'enter', timestampMs: utc('2024-03-05T08:00:00Z') },
      { activity: 'Closed', lifecycle: 'enter', timestampMs: utc('2024-03-05T10:30:00Z') },
      // h09 (Working→Escalated) precedes h08 (Closed→Working) in the file, both at 09:00:00: chained Closed→Working→Escalated.
      { activity: 'Working', lifecycle: 'enter', timestampMs: utc('2024-03-06T09:00:00Z') },
      { activity: 'Escalated', lifecycle: 'enter', timestampMs: utc('2024-03-06T09:00:00Z') },
      { activity: 'Closed', lifecycle: 'enter', timestampMs: utc('2024-03-06T17:00:00Z') },
    ]);
    // 1 h, 3 h, 20 h, 2.5 h, 22.5 h (10:30 → next day 09:00), 0, 8 h.
    expect(visitDurationsMs(log, C1).map(([, ms]) => ms)).toEqual([H, 3 * H, 20 * H, 2.5 * H, 22.5 * H, 0, 8 * H]);
    // The owner is the name row's value, not the id row's.
    expect(enterResources(log, C1)[1]).toBe('Pat Agent');
    expect(log.sourceStatusCategory.get('New')).toBe('queue');
    expect(log.sourceStatusCategory.get('Escalated')).toBe('active');
    expect(log.sourceStatusCategory.get('Closed')).toBe('done');
    expect(log.sourceStatusCategory.has('Waiting on Customer')).toBe(false);
  });

  it('does not seed the first status of a truncated history (C2 has no created row)', async () => {
    const { log, report } = await readSalesforce(file, {});
    expect(enters(log, C2)).toEqual([
      ['Waiting on Customer', utc('2024-03-04T10:00:00Z')],
      ['Working', utc('2024-03-04T15:00:00Z')],
    ]);
    expect(visitDurationsMs(log, C2)).toEqual([['Waiting on Customer', 5 * H]]);
    expect(report.notes.some((n) => n.startsWith('1 records have no "created" row'))).toBe(true);
    expect(report.timeZone.offsetsSeen).toEqual(['+00:00', 'Z']);
  });
});

describe('readSalesforce: offset-less CreatedDate (fixtures/salesforce/case-history-offsetless.csv)', () => {
  const file = 'fixtures/salesforce/case-history-offsetless.csv';
  const CASE = '500000000000009AAA';

  it('reads wall-clock times as UTC without --timezone and says so', async () => {
    const { log, report } = await readSalesforce(file, {});
    expect(report.timeZone.assumed).toBe('UTC');
    expect(report.notes.some((n) => n.startsWith('no --timezone given: offset-less times read as UTC'))).toBe(true);
    // 01:30 → 03:30 → 04:00 read as UTC: 2 h New, 30 min Working.
    expect(visitDurationsMs(log, CASE)).toEqual([['New', 2 * H], ['Working', 0.5 * H]]);
  });

  it('reads them in --timezone across the US spring-forward night', async () => {
    const { log } = await readSalesforce(file, { timeZone: 'America/New_York' });
    // 2024-03-10 01:30 EST = 06:30Z; 03:30 EDT = 07:30Z (02:00–03:00 does not exist); 04:00 EDT = 08:00Z.
    expect(enters(log, CASE)).toEqual([
      ['New', utc('2024-03-10T06:30:00Z')],
      ['Working', utc('2024-03-10T07:30:00Z')],
      ['Closed', utc('2024-03-10T08:00:00Z')],
    ]);
  });

  it('rejects an unknown zone', async () => {
    const error = await rejection(readSalesforce(file, { timeZone: 'Mars/Olympus' }));
    expect(error.code).toBe('BAD_TIME_ZONE');
  });
});

describe('readSalesforce: other shapes', () => {
  it('stops on a German report export and names the English API columns', async () => {
    const error = await rejection(readSalesforce('fixtures/salesforce/german-report-export.csv', {}));
    expect(error.code).toBe('MISSING_COLUMN');
    expect(error.fix).toContain('CaseId, Field, OldValue, NewValue, CreatedDate');
    expect(error.fix).toContain('Fall-ID→CaseId');
    expect(error.fix).toContain('Erstellt am→CreatedDate');
  });

  it('classes opportunity stages active except Closed Won / Lost and asks users to reclassify', async () => {
    const { log, report } = await readSalesforce('fixtures/salesforce/opportunity-field-history.csv', {});
    const OPP = '006000000000001AAA';
    // 2024-01-05 → 01-08 → 01-20, all 10:00Z: 3 d Prospecting, 12 d Qualification.
    expect(visitDurationsMs(log, OPP)).toEqual([['Prospecting', 72 * H], ['Qualification', 288 * H]]);
    expect(log.sourceStatusCategory.get('Prospecting')).toBe('active');
    expect(log.sourceStatusCategory.get('Closed Won')).toBe('done');
    expect(report.notes.some((n) => n.startsWith('Opportunity stages are classed active'))).toBe(true);
  });

  it('names the right source when given a ServiceNow snapshot log or a Lever JSON', async () => {
    const fromServiceNow = await rejection(readSalesforce('fixtures/servicenow/snapshot-traps.csv', { source: 'salesforce' }));
    expect(fromServiceNow.code).toBe('WRONG_SOURCE');
    expect(fromServiceNow.fix).toBe('this looks like a servicenow export: pass --source servicenow');
    const fromLever = await rejection(readSalesforce('fixtures/hr/lever-traps.json', { source: 'salesforce' }));
    expect(fromLever.fix).toBe('this looks like a lever export: pass --source lever');
  });
});

describe('looksLikeSalesforce', () => {
  it('accepts Data Loader upper-case headers and rejects other CSVs', () => {
    expect(looksLikeSalesforce('"ID","ISDELETED","CASEID","CREATEDBYID","CREATEDDATE","FIELD","DATATYPE","OLDVALUE","NEWVALUE"\n')).toBe(true);
    expect(looksLikeSalesforce('OpportunityId,Field,OldValue,NewValue,CreatedDate\n')).toBe(true);
    expect(looksLikeSalesforce('number,incident_state,sys_updated_at\n')).toBe(false);
    expect(looksLikeSalesforce('Fall-ID;Feld;Alter Wert;Neuer Wert;Erstellt am\n')).toBe(false);
  });
});

const SAMPLE = `${SHARED_DIR}/formats/samples/salesforce/casehistory_dataloader_SYNTHETIC.csv`;
describe.skipIf(!hasShared(SAMPLE))('synthetic Data Loader sample', () => {
  it('reads the Working → Waiting → Working loop', async () => {
    const { log, report } = await readSalesforce(SAMPLE, {});
    // 7 rows: created, Owner id + name (one dropped), 4 Status rows.
    expect([report.rowsRead, report.rowsUsed, report.duplicatesDropped]).toEqual([7, 6, 1]);
    expect(visitDurationsMs(log, '5001x00000XyZ12AAB')).toEqual([
      ['New', H + 15 * 60_000 + 12_000], // 08:00:00 → 09:15:12
      ['Working', 6 * H + 47 * 60_000 + 28_000], // 09:15:12 → 16:02:40
      ['Waiting on Customer', 41 * H + 57 * 60_000 + 25_000], // 03-04 16:02:40 → 03-06 10:00:05
      ['Working', H + 29 * 60_000 + 55_000], // 10:00:05 → 11:30:00
    ]);
  });
});
