import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VsmError } from '../../src/errors.js';
import { readLog } from '../../src/ingest/read-log.js';
import type { ReadOptions } from '../../src/ingest/read-options.js';
import { sniffSource } from '../../src/ingest/sniff.js';
import { WIDE_SHAPE_NOTE, readWideCsv } from '../../src/ingest/wide-csv.js';
import { planWideColumns, sniffWideCsvHead } from '../../src/ingest/wide-csv-columns.js';
import type { EventLog } from '../../src/model/event-log.js';
import { analyzeLog } from '../../src/vsm/analyze.js';

const FIXTURE = 'fixtures/wide/jira-to-analytics.csv';
const D = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'vsm-wide-'));

function csvFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Per case: "stage@YYYY-MM-DD" in log order. */
function pathsOf(log: EventLog): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let c = 0; c < log.caseCount; c++) {
    const steps: string[] = [];
    for (let i = log.caseStart[c]; i < log.caseStart[c + 1]; i++) steps.push(`${log.activities.values[log.activityCode[i]]}@${new Date(log.timestampMs[i]).toISOString().slice(0, 10)}`);
    out[log.caseIds.values[c]] = steps;
  }
  return out;
}

async function readError(path: string, options: ReadOptions): Promise<VsmError> {
  try {
    await readLog(path, options);
  } catch (error) {
    if (error instanceof VsmError) return error;
    throw error;
  }
  throw new Error(`expected ${path} to fail`);
}

describe('wide stage-date CSV (jira-to-analytics layout: ID,Link,Name,<stages>,Type,…)', () => {
  it('is detected from the header and first rows, and read as enter events in column order', async () => {
    expect(sniffSource(FIXTURE)).toEqual({ source: 'csv', layout: 'wide', detectedBy: 'sniffed: wide stage-date CSV (id column "ID", 5 stage date columns)' });
    const { log, report } = await readLog(FIXTURE, {});
    expect(report.format).toBe('wide-csv');
    expect(log.shape).toBe('status');
    expect([...log.lifecycle].every((code) => code === 3 /* enter */)).toBe(true);
    expect(pathsOf(log)).toEqual({
      'UT-1': ['Ready@2024-01-01', 'Dev@2024-01-03', 'Dev Done@2024-01-05', 'Test@2024-01-06', 'Done@2024-01-10'],
      'UT-2': ['Ready@2024-01-02', 'Dev@2024-01-04', 'Test@2024-01-08', 'Done@2024-01-09'], // Dev Done blank: skipped
      'UT-3': ['Ready@2024-01-02', 'Dev@2024-01-05', 'Dev Done@2024-01-09'],
      'UT-4': ['Ready@2024-01-03', 'Done@2024-01-04'],
      'UT-5': ['Ready@2024-01-04', 'Dev@2024-01-08', 'Dev Done@2024-01-08', 'Test@2024-01-11', 'Done@2024-01-15'],
    });
    // Rows of change = non-blank stage cells: 5 + 4 + 3 + 2 + 5 + 0 (UT-6) = 19.
    expect([report.rowsRead, report.rowsUsed, report.rowsRejected, report.duplicatesDropped]).toEqual([19, 19, 0, 0]);
    expect(report.notes).toContain(WIDE_SHAPE_NOTE);
    expect(report.notes).toContain('1 items have no stage date at all: they are not cases');
    expect(report.notes.some((note) => note.startsWith('19 stage dates carry no time of day'))).toBe(true);
    expect(report.mapping.activity).toBe('stage columns, in column order: Ready → Dev → Dev Done → Test → Done');
    const team = log.caseAttributes.get('Team');
    expect(team?.dictionary.valueOf(team.codes[log.caseIds.codeOf('UT-3')])).toBe('Desktop');
    expect(log.caseAttributes.has('Name')).toBe(true);
  });

  it('gives the hand-computed step and lead times through analyze', async () => {
    const { log, report } = await readLog(FIXTURE, {});
    const analysis = analyzeLog(log, report, { logName: 'wide' }).report;
    const step = Object.fromEntries(analysis.steps.map((s) => [s.name, s]));
    // Ready (queue): UT-1 1→3 = 2 d, UT-2 2→4 = 2 d, UT-3 2→5 = 3 d, UT-4 3→4 = 1 d, UT-5 4→8 = 4 d → median 2 d, sum 12 d.
    expect([step.Ready.queueMs.n, step.Ready.queueMs.median, step.Ready.queueMs.sum]).toEqual([5, 2 * D, 12 * D]);
    // Dev (active): UT-1 3→5 = 2 d, UT-2 4→8 = 4 d (Dev Done skipped), UT-3 5→9 = 4 d, UT-5 8→8 = 0 → median 3 d, sum 10 d.
    expect([step.Dev.activeMs.n, step.Dev.activeMs.median, step.Dev.activeMs.sum]).toEqual([4, 3 * D, 10 * D]);
    // Dev Done is a hand-over queue (not the outcome): UT-1 5→6 = 1 d, UT-5 8→11 = 3 d; UT-3's visit is still open.
    expect([step['Dev Done'].queueMs.n, step['Dev Done'].queueMs.median, step['Dev Done'].queueMs.sum]).toEqual([2, 2 * D, 4 * D]);
    // Test (active): UT-1 6→10 = 4 d, UT-2 8→9 = 1 d, UT-5 11→15 = 4 d → median 4 d, sum 9 d.
    expect([step.Test.activeMs.n, step.Test.activeMs.median, step.Test.activeMs.sum]).toEqual([3, 4 * D, 9 * D]);
    // Lead: UT-1 9 d, UT-2 7 d, UT-4 1 d, UT-5 11 d closed; UT-3 open since 01-02, censored at 01-15 (13 d).
    // Kaplan–Meier: S(1)=4/5, S(7)=3/5, S(9)=2/5 ≤ 1/2 → median 9 d.
    expect([analysis.leadTimeMs.n, analysis.leadTimeMs.censored, analysis.leadTimeMs.median]).toEqual([5, 1, 9 * D]);
    expect(analysis.dataQuality.notes).toContain(WIDE_SHAPE_NOTE);
  });

  it('is forced with --wide; without detection, a long event log stays a long log', async () => {
    const forced = await readLog(FIXTURE, { wide: true });
    expect(forced.report.formatDetectedBy).toBe('flag --wide');
    // A long log: the case column repeats, so it is not wide.
    const long = csvFile('long.csv', 'case,activity,start,end\nA,Triage,2024-01-01,2024-01-02\nA,Fix,2024-01-02,2024-01-04\nB,Triage,2024-01-01,2024-01-03\n');
    expect(sniffWideCsvHead('case,activity,start,end\nA,Triage,2024-01-01,2024-01-02\nA,Fix,2024-01-02,2024-01-04\n')).toBeUndefined();
    expect((await readLog(long, {})).report.format).toBe('csv');
    // --source csv says "a CSV": the wide layout is still recognised.
    const sourceCsv = await readLog(FIXTURE, { source: 'csv' });
    expect([sourceCsv.report.format, sourceCsv.report.formatDetectedBy]).toEqual(['wide-csv', 'flag --source csv, sniffed: wide stage-date CSV (id column "ID", 5 stage date columns)']);
    // Flags that describe a long CSV switch detection off.
    expect((await readLog(FIXTURE, { shape: 'status', mapping: { case: 'ID', activity: 'Name', timestamp: 'Ready' } })).report.format).toBe('csv');
  });

  it('explains why a CSV is not wide', () => {
    const header = ['ID', 'Summary', 'timestamp', 'end'];
    const rows = [
      ['A-1', 'x', '2024-01-01', '2024-01-02'],
      ['A-2', 'y', '2024-01-01', '2024-01-03'],
    ];
    // Both date columns are named like an event log's time columns.
    expect(planWideColumns(header, rows, { forced: false, file: 'f.csv' })).toEqual({ wide: false, reason: '0 stage-named date columns (2 needed)' });
    expect(planWideColumns(['ID', 'To Do', 'Done'], [['A-1', '2024-01-01', '2024-01-02']], { forced: false, file: 'f.csv' })).toEqual({ wide: false, reason: 'fewer than 2 data rows to judge from' });
    // A stage no sampled item reached, between two dated stages, is still a stage; "Created" is bookkeeping.
    const verdict = planWideColumns(['Key', 'Created', 'To Do', 'Review', 'Done'], [
      ['K-1', '2024-01-01', '2024-01-01', '', '2024-01-05'],
      ['K-2', '2024-01-02', '2024-01-02', '', ''],
    ], { forced: false, file: 'f.csv' });
    expect(verdict.wide && verdict.plan.stageColumns).toEqual([2, 3, 4]);
    expect(verdict.wide && verdict.plan.bookkeepingDateColumns).toEqual([1]);
  });

  it('accounts for bad dates, blank ids and repeated cells; notes out-of-order rows', async () => {
    const path = csvFile(
      'traps.csv',
      [
        'Key,To Do,In Progress,Done',
        'K-1,2024-02-01T09:00:00Z,2024-02-01T13:00:00Z,2024-02-02T09:00:00Z',
        ',2024-02-01T09:00:00Z,,', // no id: 1 cell rejected
        'K-2,2024-02-03T09:00:00Z,someday,2024-02-04T09:00:00Z', // bad date: 1 cell rejected
        'K-1,2024-02-01T09:00:00Z,,', // repeat of K-1's To Do: a duplicate
        'K-3,2024-02-05T09:00:00Z,2024-02-04T09:00:00Z,', // In Progress dated before To Do
      ].join('\n'),
    );
    const { log, report } = await readWideCsv(path, { wide: true });
    // Cells: 3 + 1 + 3 + 1 + 2 = 10 = used 7 + rejected 2 + duplicates 1.
    expect([report.rowsRead, report.rowsUsed, report.rowsRejected, report.duplicatesDropped]).toEqual([10, 7, 2, 1]);
    expect(report.rejections['missing-case']?.count).toBe(1);
    expect(report.rejections['bad-timestamp']?.examples[0]).toMatchObject({ row: 3, column: 'In Progress', value: 'someday' });
    expect(report.notes).toContain("1 items have a stage dated before an earlier column's stage (e.g. K-3): they are read in date order, so their path differs from the column order");
    expect(report.notes).toContain('1 rows repeat the id of an item already read: their stage dates were merged into that item (exact repeats dropped as duplicates)');
    expect(pathsOf(log)['K-3']).toEqual(['In Progress@2024-02-04', 'To Do@2024-02-05']);
    expect(report.timeZone.offsetsSeen).toEqual(['Z']);
  });

  it('fails clearly when --wide is given for a file that is not a wide CSV', async () => {
    const noDates = csvFile('no-dates.csv', 'ID,Name,Type\nA-1,x,Bug\nA-2,y,Story\n');
    const error = await readError(noDates, { wide: true });
    expect(error.code).toBe('MISSING_COLUMN');
    expect(error.what).toBe('no stage column holds dates');
    const ocel = await readError('fixtures/ocel/order-flow.jsonocel', { wide: true });
    expect(ocel.code).toBe('BAD_OPTION');
    expect(ocel.got).toBe('a ocel file (extension .jsonocel)');
    expect((await readError(csvFile('header-only.csv', 'ID,To Do,Done\n'), { wide: true })).code).toBe('HEADER_ONLY');
    const noSuchId = await readError(FIXTURE, { wide: true, mapping: { case: 'Issue' } });
    expect([noSuchId.code, noSuchId.what]).toEqual(['MISSING_COLUMN', 'id column not in the header']);
    // --case picks another id column: Name is unique per row too.
    expect((await readLog(FIXTURE, { wide: true, mapping: { case: 'Name' } })).log.caseIds.values[0]).toBe('Login fails behind a web proxy');
  });

  it('reads day-first stage dates with --date-format and converts them from --timezone', async () => {
    const path = csvFile('day-first.csv', 'ID,Ready,Done\nX-1,07/01/2024 09:00,08/01/2024 17:00\nX-2,07/01/2024 10:00,\n');
    const { log, report } = await readLog(path, { wide: true, dateFormat: 'dd/MM/yyyy HH:mm', timeZone: 'Europe/Berlin' });
    // 7 Jan 09:00 Berlin (UTC+1) = 08:00Z.
    expect(new Date(log.timestampMs[0]).toISOString()).toBe('2024-01-07T08:00:00.000Z');
    expect(report.timeZone.given).toBe('Europe/Berlin');
    expect(report.rowsRead).toBe(3);
  });
});
