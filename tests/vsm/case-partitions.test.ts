/**
 * The case chain in K contiguous case partitions (AnalyzeOptions.casePartitions, src/vsm/case-chain.ts) gives the
 * report of one partition (the in-memory path), field for field: on every log of ../shared/data the in-memory engine
 * analyses, and on small fixtures in a bare clone. No field differs and none is left out of the comparison: the
 * partitions are contiguous case ranges in case order, so first-seen orders (variants, loops, DFG edges, handoff
 * pairs), value orders (a DFG edge's mean sums its times in walk order) and sums come out as one pass gives them.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLog } from '../../src/ingest/read-log.js';
import { analyzeLog } from '../../src/vsm/analyze.js';
import { casePartitionRanges, casePartitionsFromEnv } from '../../src/vsm/case-chain.js';
import { measureVisits } from '../../src/vsm/analyze-visits.js';
import { SHARED_DIR, hasShared } from '../shared-dir.js';
import { BOOTSTRAP_MAX_N } from '../../src/metrics/distribution.js';
import { EXACT_VALUES_LIMIT_ENV, SKETCH_RELATIVE_ACCURACY } from '../../src/metrics/value-sketch.js';

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

/**
 * Bounded distributions (issue 14, item 4): with the exact-values limit forced small, the distributions over it are
 * sketches, and the report of K partitions still equals K = 1 field for field (the sketch merge adds bucket counts:
 * exact). Against the exact report (the default limit), every figure read from a sketch is marked and within relative
 * error α of the exact one; every other field is equal — except the findings, which quote those figures (their
 * numbers are checked within α, their sentences may round differently) and the one data-quality note that says so.
 */
/** BOOTSTRAP_MAX_N: sketched intervals comparable with the exact ones; 100: rework loops (a few hundred cases) too. */
const FORCED_LIMITS = [BOOTSTRAP_MAX_N, 100];
const ALPHA = SKETCH_RELATIVE_ACCURACY;

interface Comparison {
  approximated: number;
  findingsTextsDiffering: number;
}

function withinAlpha(approx: unknown, exact: unknown, path: string): void {
  expect(typeof approx, path).toBe('number');
  expect(Math.abs((approx as number) - (exact as number)), path).toBeLessThanOrEqual(ALPHA * Math.abs(exact as number) * (1 + 1e-9) + 1e-9);
}

/** Walks the exact and the bounded report side by side (see the describe's header). */
function compareBounded(exact: unknown, bounded: unknown, path: string, seen: Comparison): void {
  if (bounded !== null && typeof bounded === 'object' && !Array.isArray(bounded)) {
    const b = bounded as Record<string, unknown>;
    const e = exact as Record<string, unknown>;
    if (b.approximate !== undefined) {
      seen.approximated++;
      expect(e.approximate, path).toBeUndefined();
      expect(b.approximate, path).toEqual({ method: 'DDSketch', relativeAccuracy: ALPHA });
      for (const key of ['n', 'mean', 'sum', 'min', 'max', 'thin']) expect(b[key], `${path}.${key}`).toBe(e[key]);
      for (const key of ['median', 'p85', 'p95']) withinAlpha(b[key], e[key], `${path}.${key}`);
      // Above BOOTSTRAP_MAX_N both are order-statistic intervals; at or below it the exact one is a bootstrap.
      if ((b.n as number) > BOOTSTRAP_MAX_N) for (const key of ['ciLow', 'ciHigh']) withinAlpha(b[key], e[key], `${path}.${key}`);
      else expect((b.min as number) <= (b.ciLow as number) && (b.ciLow as number) <= (b.ciHigh as number) && (b.ciHigh as number) <= (b.max as number), path).toBe(true);
      const rest = Object.keys(b).filter((key) => !['approximate', 'n', 'mean', 'sum', 'min', 'max', 'thin', 'median', 'p85', 'p95', 'ciLow', 'ciHigh'].includes(key));
      for (const key of rest) compareBounded(e[key], b[key], `${path}.${key}`, seen);
      return;
    }
    if (b.medianApproximate !== undefined) {
      seen.approximated++;
      expect(e.medianApproximate, path).toBeUndefined();
      withinAlpha(b.medianMs, e.medianMs, `${path}.medianMs`);
      const { medianMs: _bm, medianApproximate: _ba, ...bRest } = b;
      const { medianMs: _em, ...eRest } = e;
      expect(bRest, path).toEqual(eRest);
      return;
    }
    expect(Object.keys(b).sort(), path).toEqual(Object.keys(e).sort());
    for (const key of Object.keys(b)) compareBounded(e[key], b[key], `${path}.${key}`, seen);
    return;
  }
  if (Array.isArray(bounded)) {
    expect(Array.isArray(exact), path).toBe(true);
    const e = exact as unknown[];
    if (path === '.dataQuality.notes') {
      // One note more: the one that says which figures are approximate.
      expect(bounded.filter((note) => /DDSketch/.test(String(note)))).toHaveLength(1);
      expect(bounded.filter((note) => !/DDSketch/.test(String(note)))).toEqual(e);
      return;
    }
    expect(bounded.length, path).toBe(e.length);
    bounded.forEach((item, k) => compareBounded(e[k], item, `${path}.${k}`, seen));
    return;
  }
  if (path.startsWith('.findings.')) {
    if (typeof bounded === 'string' && bounded !== exact) {
      // A sentence changes only where it quotes a sketched median, which it marks.
      if (path.endsWith('.statement')) expect(bounded, path).toContain('≈ ');
      seen.findingsTextsDiffering++;
      return;
    }
    if (typeof bounded === 'number' && bounded !== exact) {
      // A finding's interval copies its distribution's: the same method question as above (n is beside it).
      if (/\.ci(Low|High)$/.test(path)) return;
      withinAlpha(bounded, exact, path);
      return;
    }
  }
  expect(bounded, path).toEqual(exact);
}

const boundedLogs = [...sharedLogs.filter((path) => /(helpdesk\.xes|sepsis)/.test(path)), join(FIXTURES, 'demo/helpdesk.csv.gz')];

for (const FORCED_LIMIT of FORCED_LIMITS) {
  describe(`bounded distributions: ${EXACT_VALUES_LIMIT_ENV}=${FORCED_LIMIT}, K partitions and the exact report`, () => {
    const saved = process.env[EXACT_VALUES_LIMIT_ENV];
    beforeAll(() => {
      process.env[EXACT_VALUES_LIMIT_ENV] = String(FORCED_LIMIT);
    });
    afterAll(() => {
      if (saved === undefined) delete process.env[EXACT_VALUES_LIMIT_ENV];
      else process.env[EXACT_VALUES_LIMIT_ENV] = saved;
    });

    for (const path of boundedLogs) {
      it(path.slice(path.lastIndexOf('/') + 1), { timeout: 240_000 }, async () => {
        const { log, report: ingest } = await readLog(path);
        const one = analyzeLog(log, ingest, { logName: path, casePartitions: 1 });
        for (const k of [2, 3, 17]) expect(analyzeLog(log, ingest, { logName: path, casePartitions: k }).report, `${path} in ${k} partitions`).toEqual(one.report);
        delete process.env[EXACT_VALUES_LIMIT_ENV];
        const exact = analyzeLog(log, ingest, { logName: path, casePartitions: 1 });
        process.env[EXACT_VALUES_LIMIT_ENV] = String(FORCED_LIMIT);
        const seen: Comparison = { approximated: 0, findingsTextsDiffering: 0 };
        compareBounded(exact.report, one.report, '', seen);
        // The limit really was crossed (the comparison is not vacuous).
        expect(seen.approximated).toBeGreaterThan(10);
        const biggest = one.report.findings.biggestDelay;
        const named = one.report.steps.find((step) => step.name === biggest?.subject?.step);
        if (named?.delayMs.approximate) expect(biggest?.statement).toContain(`: ≈ `);
        if (FORCED_LIMIT === 100) expect(one.report.rework.loops.some((loop) => loop.addedMs.approximate !== undefined)).toBe(true);
      });
    }
  });
}
