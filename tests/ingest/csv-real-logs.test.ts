import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { activityCounts } from '../../src/model/event-log.js';
import type { ColumnMapping } from '../../src/ingest/read-options.js';
import { readCsv } from '../../src/ingest/csv.js';
import { SHARED_DIR, hasShared } from '../shared-dir.js';

const DATA = `${SHARED_DIR}/data`;

interface Expected {
  source: { column_mapping: Record<string, string> };
  views: { all_events: { case_count: number; event_count: number; activity_counts: Record<string, number> } };
}

/** Cases and events from the summary table of /work/shared/data/MANIFEST.md. */
const LOGS: { file: string; cases: number; events: number; mapping?: ColumnMapping }[] = [
  { file: 'helpdesk_disco_export.csv.gz', cases: 4580, events: 21348 },
  { file: 'helpdesk_numeric_coded.csv.gz', cases: 3804, events: 13710 },
  // pm4py's oracle took Status (and Sub Status as lifecycle); by default we take the Activity column.
  { file: 'bpic2013_incidents_vinst.csv.gz', cases: 7554, events: 65533, mapping: { activity: 'Status', lifecycle: 'Sub Status' } },
  { file: 'bpic2013_incidents_numeric_coded.csv.gz', cases: 7554, events: 65533 },
  { file: 'bpic2013_closed_problems.csv.gz', cases: 1487, events: 6660 },
  { file: 'bpic15_1.csv.gz', cases: 1199, events: 52217 },
  { file: 'sepsis.csv.gz', cases: 1050, events: 15214 },
  { file: 'receipt.csv.gz', cases: 1434, events: 8577 },
  { file: 'interval_event_log.csv.gz', cases: 1266, events: 8109 },
  { file: 'roadtraffic100traces.csv', cases: 100, events: 390 },
  { file: 'running-example.csv', cases: 6, events: 42 },
];

function expectedFor(file: string): Expected {
  return JSON.parse(readFileSync(`${DATA}/expected/${file.replace(/\.gz$/, '')}.pm4py.json`, 'utf8')) as Expected;
}

describe.skipIf(!hasShared(DATA))('readCsv on the real logs in /work/shared/data', () => {
  for (const { file, cases, events, mapping } of LOGS) {
    it(`${file}: ${cases} cases, ${events} events, activity counts as pm4py`, async () => {
      // PM4Py keeps exact duplicate rows; 'keep' reads them the same way so the counts compare like with like.
      const { log, report } = await readCsv(`${DATA}/${file}`, { mapping, duplicateRows: 'keep' });
      const expected = expectedFor(file);
      expect(log.caseCount).toBe(cases);
      expect(log.eventCount).toBe(events);
      expect(expected.views.all_events.case_count).toBe(cases);
      expect(expected.views.all_events.event_count).toBe(events);
      expect(Object.fromEntries(activityCounts(log))).toEqual(expected.views.all_events.activity_counts);
      expect(report.rowsRead).toBe(report.rowsUsed + report.rowsRejected + report.duplicatesDropped);
      expect(report.rowsUsed).toBe(events);
      // Case, activity and timestamp columns are the ones pm4py's oracle used.
      expect(report.mapping.case).toBe(expected.source.column_mapping.case);
      expect(report.mapping.activity).toBe(expected.source.column_mapping.activity);
      expect(report.mapping.timestamp).toBe(expected.source.column_mapping.timestamp);
      // By default exact repeats are dropped and counted: the events left plus the repeats are PM4Py's events.
      const deduplicated = await readCsv(`${DATA}/${file}`, { mapping });
      expect(deduplicated.log.eventCount + deduplicated.report.duplicatesDropped).toBe(events);
    });
  }

  it('bpic2013_incidents_vinst by default maps the Activity column (Status-Sub Status), with the same events', async () => {
    const { log, report } = await readCsv(`${DATA}/bpic2013_incidents_vinst.csv.gz`, {});
    expect(report.mapping.activity).toBe('Activity');
    expect(report.mapping.case).toBe('SR Number');
    expect(log.eventCount).toBe(65533);
    // The file starts with a UTF-8 BOM: the first header cell must still be recognised.
    expect(report.encoding).toBe('utf-8');
    // Every row has +01:00 (MANIFEST).
    expect(report.timeZone.offsetsSeen).toEqual(['+01:00']);
  });

  it('sepsis keeps the real case id "NA" (trap 10) and maps org:group as group', async () => {
    const { log, report } = await readCsv(`${DATA}/sepsis.csv.gz`, {});
    expect(report.delimiter).toBe(';');
    const na = log.caseIds.codeOf('NA');
    expect(na).toBeGreaterThanOrEqual(0);
    // 24 events for case NA (expected/README.md trap 10).
    expect(log.caseStart[na + 1] - log.caseStart[na]).toBe(24);
    expect(report.mapping.group).toBe('org:group');
    expect(report.timeZone.assumed).toBe('UTC');
    expect(report.notes.some((n) => n.startsWith('no time zone given: 15214 offset-less'))).toBe(true);
  });

  it('helpdesk_disco_export keeps both Variant columns', async () => {
    const { log, report } = await readCsv(`${DATA}/helpdesk_disco_export.csv.gz`, {});
    expect(log.attributes.has('Variant')).toBe(true);
    expect(log.attributes.has('Variant_2')).toBe(true);
    expect(report.notes.some((n) => n.includes('"Variant" → "Variant_2"'))).toBe(true);
  });

  it('bpic15_1 has an empty start column: noted, not an error', async () => {
    const { log, report } = await readCsv(`${DATA}/bpic15_1.csv.gz`, {});
    expect(report.mapping.startTimestamp).toBe('start_timestamp');
    expect(log.startTimestampMs).toBeUndefined();
    expect(report.rowsRejected).toBe(0);
    expect(report.notes.some((n) => n.includes('empty in every row'))).toBe(true);
  });

  it('running-example ignores the pandas index column and keeps case:creator as a case attribute', async () => {
    const { log, report } = await readCsv(`${DATA}/running-example.csv`, {});
    expect(report.mapping).toMatchObject({ case: 'case:concept:name', activity: 'concept:name', resource: 'org:resource' });
    expect(log.attributes.has('')).toBe(false);
    expect(log.caseAttributes.get('creator')?.dictionary.values).toEqual(['Fluxicon Nitro']);
    expect(log.attributes.has('Activity')).toBe(true);
  });

  it('interval_event_log reads the start_timestamp column', async () => {
    const { log } = await readCsv(`${DATA}/interval_event_log.csv.gz`, {});
    const starts = log.startTimestampMs as Float64Array;
    expect(starts).toBeDefined();
    // First row of the file: C1 place order, start 09:00:07, complete 09:02:50 (+00:00).
    const c1 = log.caseIds.codeOf('C1');
    const first = log.caseStart[c1];
    expect(new Date(starts[first]).toISOString()).toBe('2015-01-05T09:00:07.000Z');
    expect(new Date(log.timestampMs[first]).toISOString()).toBe('2015-01-05T09:02:50.000Z');
  });
});
