/**
 * The wait chain in partitions (src/vsm/wait-partitions.ts) on real logs: the wait analysis with its per-case pass in
 * K case ranges and its per-resource work in R resource-code ranges equals the one-partition analysis, field for field, with the activity table and without it (the two
 * sweep paths), on every activity log of ../shared/data (skipped visibly when ../shared is absent) and on fixtures
 * (bare clone). The report is a function of the log and the wait analysis (its json, step causes, table and the
 * estimated starts the reconstruction reads), so the whole report is compared on a few logs only, also with the case
 * chain partitioned (VSM_CASE_PARTITIONS): the suite stays fast (≈ 18 s at load 3 for the 18 shared logs, their
 * reads included; docs/benchmarks.md "h28-wait").
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLog } from '../../src/ingest/read-log.js';
import type { EventLog } from '../../src/model/event-log.js';
import { renderActivitiesCsv } from '../../src/render/activities-csv.js';
import { defaultAsOfMs } from '../../src/traces/censoring.js';
import { buildStepMap } from '../../src/traces/step-map.js';
import { analyzeLog } from '../../src/vsm/analyze.js';
import { analyzeWaits, type WaitAnalysis, type WaitAnalysisOptions } from '../../src/vsm/wait-analysis.js';
import { SHARED_DIR, hasShared } from '../shared-dir.js';

const DATA = `${SHARED_DIR}/data/`;
const sharedLogs = hasShared(DATA)
  ? readdirSync(DATA)
      .filter((name) => /\.(csv|xes)(\.gz)?$/.test(name))
      .sort()
      .map((name) => join(DATA, name))
  : [];
const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname;
/** Bare clone: lifecycle pairs (recorded starts: the overlapping oracle), a single-timestamp CSV, the demo's helpdesk log. */
const fixtureLogs = ['xes/lifecycle-pairs.xes', 'csv/pm4py-index.csv', 'demo/helpdesk.csv.gz'].map((name) => join(FIXTURES, name));

/** The partitioned configurations: each K once, each with another R, so every count meets the others. */
const SPLITS: ReadonlyArray<Pick<WaitAnalysisOptions, 'casePartitions' | 'resourcePartitions'>> = [
  { casePartitions: 2, resourcePartitions: 3 },
  { casePartitions: 3, resourcePartitions: 17 },
  { casePartitions: 17, resourcePartitions: 2 },
];

/**
 * A value with every typed array replaced by a hash of its bytes (a byte-for-byte comparison: vitest's deep equality
 * on million-element arrays costs seconds) and every Map by its entries, for toEqual.
 */
function digest(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${value.byteLength}) ${createHash('sha1').update(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)).digest('hex')}`;
  if (value instanceof Map) return [...value.entries()].map(([key, entry]) => [digest(key), digest(entry)]);
  if (Array.isArray(value)) return value.map(digest);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, digest(entry)]));
  return value;
}

function comparable(analysis: WaitAnalysis) {
  const { logWithStarts, json, stepCauses, table } = analysis;
  return digest({
    json,
    stepCauses,
    starts: logWithStarts.startTimestampMs,
    startsEstimated: logWithStarts.startsEstimated,
    table: table === undefined ? undefined : { ...table, log: undefined },
  });
}

function checkWaits(log: EventLog, path: string): void {
  if (log.shape !== 'activity') return;
  const base = { map: buildStepMap(log, undefined), asOfMs: defaultAsOfMs(log), estimate: true, timeZone: 'UTC' };
  // Each path (cause columns with the table, streamed sums without) with two of the three configurations, so every
  // count is met on one path at least and the middle one on both (6 analyses a log instead of 8: the suite's time).
  for (const activityTable of [true, false]) {
    const one = comparable(analyzeWaits(log, { ...base, activityTable, casePartitions: 1, resourcePartitions: 1 }));
    for (const split of activityTable ? SPLITS.slice(0, 2) : SPLITS.slice(1)) {
      const what = `${path} ${JSON.stringify(split)} table ${activityTable}`;
      expect(comparable(analyzeWaits(log, { ...base, activityTable, ...split })), what).toEqual(one);
    }
  }
}

describe.skipIf(sharedLogs.length === 0)('the wait chain in partitions on every shared activity log: equal to one partition', () => {
  for (const path of sharedLogs) {
    it(path.slice(DATA.length), { timeout: 120_000 }, async () => {
      const { log } = await readLog(path);
      expect(log.shape).toBe('activity');
      checkWaits(log, path);
    });
  }
});

describe('the wait chain in partitions on fixtures (bare clone)', () => {
  for (const path of fixtureLogs) {
    it(path.slice(FIXTURES.length), async () => {
      const { log } = await readLog(path);
      checkWaits(log, path);
    });
  }
});

/** The whole report: single-timestamp logs (estimated starts), recorded starts, and the demo fixture. */
const reportLogs = [
  ...(hasShared(DATA) ? ['running-example.csv', 'sepsis.csv.gz', 'interval_event_log.csv.gz', 'receipt.csv.gz'].map((name) => join(DATA, name)) : []),
  ...fixtureLogs,
];

describe('report.json and activities.csv with the wait chain partitioned (and the case chain)', () => {
  for (const path of reportLogs) {
    it(path.split('/').slice(-2).join('/'), { timeout: 60_000 }, async () => {
      const { log, report: ingest } = await readLog(path);
      const one = analyzeLog(log, ingest, { logName: path });
      const oneCsv = one.waits?.table ? renderActivitiesCsv(one.waits.table) : undefined;
      for (const [waitCasePartitions, waitResourcePartitions, casePartitions] of [
        [3, 2, 1],
        [17, 3, 3],
      ]) {
        const split = analyzeLog(log, ingest, { logName: path, waitCasePartitions, waitResourcePartitions, casePartitions });
        expect(split.report, `${path} K = ${waitCasePartitions}`).toEqual(one.report);
        expect(split.waits?.table ? renderActivitiesCsv(split.waits.table) : undefined).toBe(oneCsv);
      }
    });
  }
});
