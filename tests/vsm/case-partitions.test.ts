/**
 * The case chain in K contiguous case partitions (AnalyzeOptions.casePartitions, src/vsm/case-chain.ts) gives the
 * report of one partition (the in-memory path), field for field: on every log of ../shared/data the in-memory engine
 * analyses, and on small fixtures in a bare clone. No field differs and none is left out of the comparison: the
 * partitions are contiguous case ranges in case order, so first-seen orders (variants, loops, DFG edges, handoff
 * pairs), value orders (a DFG edge's mean sums its times in walk order) and sums come out as one pass gives them.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLog } from '../../src/ingest/read-log.js';
import { analyzeLog } from '../../src/vsm/analyze.js';
import { casePartitionRanges, casePartitionsFromEnv } from '../../src/vsm/case-chain.js';
import { measureVisits } from '../../src/vsm/analyze-visits.js';
import { SHARED_DIR, hasShared } from '../shared-dir.js';

const DATA = `${SHARED_DIR}/data/`;
const sharedLogs = hasShared(DATA)
  ? [...readdirSync(DATA).filter((name) => /\.(csv|xes)(\.gz)?$/.test(name)), 'jira/jira_issues_changelog.json'].sort().map((name) => join(DATA, name))
  : [];
const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname;
/**
 * Bare clone: an activity log with lifecycle pairs, a single-timestamp CSV, the demo's helpdesk log, a wide
 * stage-date CSV, Jira status histories with flags, and a Jira export without history (lead time from case fields).
 */
const fixtureLogs = [
  'xes/lifecycle-pairs.xes',
  'csv/pm4py-index.csv',
  'demo/helpdesk.csv.gz',
  'wide/jira-to-analytics.csv',
  'jira/flagged-impediments.json',
  'jira/search-no-changelog.json',
].map((name) => join(FIXTURES, name));

/** Partition counts beyond this many cases are only run up to it (K = caseCount on the 13,087 cases of BPIC 2012 is 13,087 reconstructions). */
const MAX_K_AS_CASES = 20_000;

async function checkLog(path: string): Promise<void> {
  const { log, report: ingest } = await readLog(path);
  const caseCount = log.caseCount;
  const one = analyzeLog(log, ingest, { logName: path, casePartitions: 1 });
  for (const k of [2, 3, 17, Math.min(caseCount, MAX_K_AS_CASES)]) {
    const split = analyzeLog(log, ingest, { logName: path, casePartitions: k });
    // Fields that differ, and why: none.
    expect(split.report, `${path} in ${k} partitions`).toEqual(one.report);
    expect(split.reconstruction.visits.count).toBe(one.reconstruction.visits.count);
  }
}

describe.skipIf(sharedLogs.length === 0)('K case partitions on every shared log: report.json equals K = 1', () => {
  for (const path of sharedLogs) it(path.slice(DATA.length), { timeout: 240_000 }, () => checkLog(path));
});

describe('K case partitions on fixtures (bare clone)', () => {
  for (const path of fixtureLogs) it(path.slice(FIXTURES.length), () => checkLog(path));

  it('really partitions: K ranges reconstructed and joined', async () => {
    const { log, report: ingest } = await readLog(fixtureLogs[0]);
    const measured = measureVisits(log, ingest, { casePartitions: 3 });
    expect(measured.partitions?.length).toBe(Math.min(3, log.caseCount));
    expect(measureVisits(log, ingest, { casePartitions: 1 }).partitions).toBeUndefined();
  });
});

describe('case partition ranges and VSM_CASE_PARTITIONS', () => {
  it('covers the cases contiguously, at most one range per case, at least one', () => {
    expect(casePartitionRanges(10, 3)).toEqual([
      { start: 0, end: 3 },
      { start: 3, end: 6 },
      { start: 6, end: 10 },
    ]);
    expect(casePartitionRanges(2, 17)).toEqual([
      { start: 0, end: 1 },
      { start: 1, end: 2 },
    ]);
    expect(casePartitionRanges(0, 4)).toEqual([{ start: 0, end: 0 }]);
  });

  it('reads a whole number ≥ 1 from the environment, else 1', () => {
    expect(casePartitionsFromEnv({ VSM_CASE_PARTITIONS: '17' })).toBe(17);
    expect(casePartitionsFromEnv({})).toBe(1);
    expect(casePartitionsFromEnv({ VSM_CASE_PARTITIONS: '0' })).toBe(1);
    expect(casePartitionsFromEnv({ VSM_CASE_PARTITIONS: '2.5' })).toBe(1);
    expect(casePartitionsFromEnv({ VSM_CASE_PARTITIONS: 'many' })).toBe(1);
  });
});
