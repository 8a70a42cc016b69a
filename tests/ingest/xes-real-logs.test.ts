import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ReadResult } from '../../src/ingest/read-options.js';
import { readXes } from '../../src/ingest/xes.js';
import { activityCounts, lifecycleOf, type EventLog } from '../../src/model/event-log.js';
import { SHARED_DIR, hasShared } from '../shared-dir.js';

const DATA = `${SHARED_DIR}/data`;
const SAMPLES = `${SHARED_DIR}/formats/samples/xes`;

interface DurationSummary {
  n: number;
  min: number;
  max: number;
  median: number;
  sum: number;
}
interface PmView {
  /** offset_honored is computed on this view's events (bpic2012: complete_only). */
  based_on_view?: string;
  case_count: number;
  event_count: number;
  variant_count: number;
  activity_counts?: Record<string, number>;
  case_durations_s: DurationSummary;
}
interface PmReference {
  views: Record<string, PmView>;
  lifecycle_transitions: Record<string, number> | null;
}

/** Event indexes of each case, in log order, kept by `keep` (pm4py's complete_only view filters). */
function casesOf(log: EventLog, keep: (index: number) => boolean): number[][] {
  const cases: number[][] = [];
  for (let c = 0; c < log.caseCount; c++) {
    const events: number[] = [];
    for (let i = log.caseStart[c]; i < log.caseStart[c + 1]; i++) if (keep(i)) events.push(i);
    cases.push(events);
  }
  return cases;
}

/**
 * pm4py's case duration (expected/README.md trap 8): last − first event of the case after a stable
 * sort by time; our log is sorted the same way, so it is the first and last event of each range.
 */
function caseDurationsS(log: EventLog, cases: number[][]): number[] {
  return cases.map((events) => (log.timestampMs[events[events.length - 1]] - log.timestampMs[events[0]]) / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function variantCount(log: EventLog, cases: number[][]): number {
  return new Set(cases.map((events) => events.map((i) => log.activityCode[i]).join(','))).size;
}

/** Each real log is read once and shared by the tests below. */
const results = new Map<string, Promise<ReadResult>>();
function readOnce(path: string): Promise<ReadResult> {
  let result = results.get(path);
  if (!result) results.set(path, (result = readXes(path, {})));
  return result;
}

const LOGS = [
  'helpdesk.xes.gz',
  'bpic2012.xes.gz',
  'bpic2020_domestic_declarations_cleaned.xes.gz',
  'consulta_data_mining_201618.xes.gz',
  'interval_event_log.xes.gz',
  'roadtraffic100traces.xes',
  'running-example.xes',
];

describe.skipIf(!hasShared(DATA))('readXes on the real logs against pm4py 2.7.14', () => {
  for (const name of LOGS) {
    it(name, async () => {
      const { log, report } = await readOnce(`${DATA}/${name}`);
      const reference = JSON.parse(readFileSync(`${DATA}/expected/${name.replace(/\.gz$/, '')}.pm4py.json`, 'utf8')) as PmReference;
      const all = reference.views.all_events;
      // Counts are exact (expected/README.md).
      expect(log.caseCount).toBe(all.case_count);
      expect(log.eventCount).toBe(all.event_count);
      expect(report.rowsRead).toBe(report.rowsUsed + report.rowsRejected + report.duplicatesDropped);
      expect(report.rowsRejected).toBe(0);
      expect(Object.fromEntries(activityCounts(log))).toEqual(all.activity_counts);
      expect(report.lifecycleValues).toEqual(reference.lifecycle_transitions ?? {});

      const allCases = casesOf(log, () => true);
      expect(variantCount(log, allCases)).toBe(all.variant_count);

      // Times: we store true UTC, so compare with the offset-honoured view where pm4py has one (trap 1).
      const timed = reference.views.offset_honored ?? all;
      const timedCases = timed.based_on_view === 'complete_only' ? casesOf(log, (i) => lifecycleOf(log, i) === 'complete') : allCases;
      expect(variantCount(log, timedCases)).toBe(timed.variant_count);
      const durations = caseDurationsS(log, timedCases);
      const expected = timed.case_durations_s;
      expect(durations.length).toBe(expected.n);
      expect(Math.min(...durations)).toBeCloseTo(expected.min, 3);
      expect(Math.max(...durations)).toBeCloseTo(expected.max, 3);
      expect(median(durations)).toBeCloseTo(expected.median, 3);
      expect(durations.reduce((a, b) => a + b, 0)).toBeCloseTo(expected.sum, 0);
    });
  }

  it('running-example case 3: last − first event to the millisecond', async () => {
    const { log } = await readOnce(`${DATA}/running-example.xes`);
    const c = log.caseIds.codeOf('3');
    expect(c).toBe(0); // the first trace in the file
    // 2010-12-30T14:32+01:00 → 2011-01-15T10:45+01:00 = 16 d − 3 h 47 min = 15 d 20 h 13 min
    // = (15·86,400 + 20·3,600 + 13·60) s = 1,368,780 s.
    expect(log.timestampMs[log.caseStart[c + 1] - 1] - log.timestampMs[log.caseStart[c]]).toBe(1_368_780_000);
    expect(log.timestampMs[log.caseStart[c]]).toBe(Date.UTC(2010, 11, 30, 13, 32));
  });

  it('interval_event_log carries a start per event', async () => {
    const { log, report } = await readOnce(`${DATA}/interval_event_log.xes.gz`);
    expect(report.mapping.startTimestamp).toBe('start_timestamp');
    let withStart = 0;
    for (let i = 0; i < log.eventCount; i++) if (!Number.isNaN(log.startTimestampMs?.[i] ?? NaN)) withStart++;
    expect(withStart).toBe(8109); // MANIFEST: every event carries start_timestamp
  });

  it('bpic2012 offsets and resources', async () => {
    const { log, report } = await readOnce(`${DATA}/bpic2012.xes.gz`);
    expect(report.timeZone.offsetsSeen).toEqual(['+01:00', '+02:00']);
    let withoutResource = 0;
    for (let i = 0; i < log.eventCount; i++) if (log.resourceCode[i] < 0) withoutResource++;
    expect(withoutResource).toBe(18_010); // MANIFEST: 18,010 events have no org:resource
    expect(log.resources.size).toBe(68);
    expect(log.caseAttributes.has('AMOUNT_REQ')).toBe(true);
  });

  it('bpic2020 takes the group from org:role and says so', async () => {
    const { log, report } = await readOnce(`${DATA}/bpic2020_domestic_declarations_cleaned.xes.gz`);
    expect(report.mapping.group).toBe('org:role');
    expect(report.notes).toContain('group read from org:role (the log has no org:group)');
    expect(log.resources.size).toBe(2); // STAFF MEMBER, SYSTEM
  });
});

describe.skipIf(!hasShared(SAMPLES))('readXes on the format samples', () => {
  it('pm4py_roadtraffic50traces.xes: 51 traces, 201 events, offset-less', async () => {
    const { log, report } = await readXes(`${SAMPLES}/pm4py_roadtraffic50traces.xes`, {});
    expect([log.caseCount, log.eventCount]).toEqual([51, 201]); // FORMATS.md §7.1
    let withResource = 0;
    for (let i = 0; i < log.eventCount; i++) if (log.resourceCode[i] >= 0) withResource++;
    expect(withResource).toBe(51);
    expect(report.lifecycleValues).toEqual({ complete: 201 });
    expect(report.timeZone.assumed).toBe('UTC');
    expect(report.timeZone.offsetsSeen).toEqual([]);
  });

  it('pm4py_running-example.xes matches the data copy', async () => {
    const { log } = await readXes(`${SAMPLES}/pm4py_running-example.xes`, {});
    expect([log.caseCount, log.eventCount]).toEqual([6, 42]);
  });

  it('wta_non_processing_intervals.xes: string-typed timestamps are read and noted', async () => {
    const { log, report } = await readXes(`${SAMPLES}/wta_non_processing_intervals.xes`, {});
    expect([log.caseCount, log.eventCount]).toEqual([2, 6]);
    expect(report.lifecycleValues).toEqual({ start: 3, complete: 3 });
    expect(report.notes).toContain('6 time:timestamp values were <string>, not <date>; read as dates');
    // Case 1: A start 09:00, complete 10:00, start 10:00, complete 11:30 (+00:00) → 2.5 h end to end.
    const c = log.caseIds.codeOf('1');
    expect(log.timestampMs[log.caseStart[c + 1] - 1] - log.timestampMs[log.caseStart[c]]).toBe(2.5 * 3_600_000);
  });
});
