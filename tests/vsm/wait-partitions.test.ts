/**
 * The wait chain's per-case pass in case ranges (src/vsm/wait-partitions.ts): hand-built instance tables split at
 * every case boundary, and the ranges collected from real logs, give the whole table's oracle, enabled times and
 * instance columns.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/model/config-parse.js';
import { analyzeWaits } from '../../src/vsm/wait-analysis.js';
import { instanceLog, type InstanceRow } from './wait-fixture.js';
import { readLog } from '../../src/ingest/read-log.js';
import { defaultAsOfMs } from '../../src/traces/censoring.js';
import { buildStepMap } from '../../src/traces/step-map.js';
import { collectInstances, type ActivityInstances } from '../../src/traces/activity-instances.js';
import { discoverConcurrency } from '../../src/traces/concurrency-oracle.js';
import { computeEnabledTimes } from '../../src/traces/enabled-time.js';
import { casePartitionRanges } from '../../src/vsm/case-chain.js';
import { detectBatches } from '../../src/metrics/batches.js';
import { discoverResourceCalendars } from '../../src/metrics/resource-calendars.js';
import { buildResourceOrder } from '../../src/metrics/resource-order.js';
import { computeWaitCauses, planSweep } from '../../src/metrics/wait-causes.js';
import { estimateStarts } from '../../src/traces/start-estimation.js';
import { collectInstanceRanges, detectBatchesByResource, discoverCalendarsByResource, instanceRange, joinInstances, resourcePartitionRanges, runCasePass, splitInstances, waitPartitionsFromEnv } from '../../src/vsm/wait-partitions.js';

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * A random instance table: `caseCount` cases of 0–6 instances each, in completion order, over `activityCount`
 * activities (a few repeated in a case, so loops and both directly-follows orders occur), starts recorded with
 * probability `startShare` (overlapping oracle above 1/2, heuristics below).
 */
function randomTable(seed: number, caseCount: number, activityCount: number, startShare: number): ActivityInstances {
  const random = seeded(seed);
  const rows: Array<{ c: number; a: number; r: number; s: number; e: number; f: number }> = [];
  let event = 0;
  const caseStart = new Int32Array(caseCount + 1);
  for (let c = 0; c < caseCount; c++) {
    caseStart[c] = rows.length;
    const length = Math.floor(random() * 7);
    const caseRows = [];
    let clock = c * 50;
    for (let k = 0; k < length; k++) {
      clock += Math.floor(random() * 20);
      const durationMs = Math.floor(random() * 40);
      const recorded = random() < startShare;
      caseRows.push({ c, a: Math.floor(random() * activityCount), r: Math.floor(random() * 4), s: recorded ? clock : NaN, e: clock + durationMs, f: event++ });
    }
    caseRows.sort((x, y) => x.e - y.e || x.f - y.f);
    rows.push(...caseRows);
  }
  caseStart[caseCount] = rows.length;
  return {
    count: rows.length,
    caseCode: Int32Array.from(rows, (row) => row.c),
    activity: Int32Array.from(rows, (row) => row.a),
    resource: Int32Array.from(rows, (row) => row.r),
    startMs: Float64Array.from(rows, (row) => row.s),
    endMs: Float64Array.from(rows, (row) => row.e),
    firstEvent: Int32Array.from(rows, (row) => row.f),
    caseStart,
    withStart: rows.filter((row) => !Number.isNaN(row.s)).length,
  };
}

function expectSamePass(parts: ActivityInstances[], whole: ActivityInstances, activityCount: number, what: string): void {
  const oracle = discoverConcurrency(whole, activityCount);
  const enabled = computeEnabledTimes(whole, oracle);
  const pass = runCasePass(parts, activityCount, undefined, whole.endMs.length);
  expect(pass.oracle, what).toEqual(oracle);
  expect(pass.enabled, what).toEqual(enabled);
  expect(pass.instances, what).toEqual(whole);
}

describe('the per-case pass split at every case boundary', () => {
  for (const [kind, startShare] of [
    ['heuristics', 0.1],
    ['overlapping', 0.8],
  ] as const) {
    it(`${kind} oracle: two ranges at each boundary, one range per case, and K ∈ {2, 3, 17}`, () => {
      for (let seed = 1; seed <= 12; seed++) {
        const activityCount = 2 + (seed % 4);
        const whole = randomTable(seed, 5 + seed * 3, activityCount, startShare);
        expect(discoverConcurrency(whole, activityCount).kind).toBe(kind);
        const caseCount = whole.caseStart.length - 1;
        for (let boundary = 0; boundary <= caseCount; boundary++) {
          const parts = [instanceRange(whole, { start: 0, end: boundary }), instanceRange(whole, { start: boundary, end: caseCount })];
          expectSamePass(parts, whole, activityCount, `seed ${seed}, boundary ${boundary}`);
        }
        for (const k of [2, 3, 17, caseCount]) expectSamePass(splitInstances(whole, k), whole, activityCount, `seed ${seed}, K = ${k}`);
      }
    });
  }

  it('the oracle is decided on the summed counts: a kind the second range alone would not give', () => {
    // Case 0: three instances with starts; case 1: two without. 3 of 5 have a start: overlapping, while case 1's
    // range alone would be heuristics.
    const table: ActivityInstances = {
      count: 5,
      caseCode: Int32Array.of(0, 0, 0, 1, 1),
      activity: Int32Array.of(0, 1, 2, 0, 1),
      resource: Int32Array.of(0, 1, 0, 1, 0),
      startMs: Float64Array.of(0, 5, 30, NaN, NaN),
      endMs: Float64Array.of(10, 20, 40, 60, 70),
      firstEvent: Int32Array.of(0, 2, 4, 6, 7),
      caseStart: Int32Array.of(0, 3, 5),
      withStart: 3,
    };
    expect(discoverConcurrency(table, 3).kind).toBe('overlapping');
    expect(discoverConcurrency(instanceRange(table, { start: 1, end: 2 }), 3).kind).toBe('heuristics');
    expectSamePass(splitInstances(table, 2), table, 3, 'mixed');
    expect(discoverConcurrency(table, 3).pairs).toEqual([[0, 1]]);
  });

  it('one range is the table itself (no copy)', () => {
    const whole = randomTable(3, 20, 4, 0.2);
    const pass = runCasePass([whole], 4);
    expect(pass.instances).toBe(whole);
  });
});

const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname;

describe('instances collected by case range', () => {
  for (const name of ['xes/lifecycle-pairs.xes', 'csv/pm4py-index.csv', 'demo/helpdesk.csv.gz']) {
    it(`${name}: the ranges' tables joined are the whole table, for K ∈ {2, 3, 17} (and one range per case up to 1,000 cases)`, async () => {
      const { log } = await readLog(join(FIXTURES, name));
      const map = buildStepMap(log, undefined);
      const asOfMs = defaultAsOfMs(log);
      const whole = collectInstances(log, map.stepOfActivity, asOfMs);
      for (const k of log.caseCount <= 1_000 ? [2, 3, 17, log.caseCount] : [2, 3, 17]) {
        const parts = collectInstanceRanges(log, map.stepOfActivity, asOfMs, k);
        expect(parts.length).toBe(Math.min(k, log.caseCount));
        parts.forEach((part, p) => expect(part, `range ${p}`).toEqual(instanceRange(whole, casePartitionRanges(log.caseCount, k)[p])));
        expect(joinInstances(parts), `K = ${k}`).toEqual(whole);
      }
    });
  }
});

describe('VSM_WAIT_CASE_PARTITIONS and VSM_WAIT_RESOURCE_PARTITIONS', () => {
  it('read a whole number ≥ 1 each, else 1', () => {
    expect(waitPartitionsFromEnv({ VSM_WAIT_CASE_PARTITIONS: '17', VSM_WAIT_RESOURCE_PARTITIONS: '3' })).toEqual({ cases: 17, resources: 3 });
    expect(waitPartitionsFromEnv({})).toEqual({ cases: 1, resources: 1 });
    expect(waitPartitionsFromEnv({ VSM_WAIT_CASE_PARTITIONS: '0', VSM_WAIT_RESOURCE_PARTITIONS: '2.5' })).toEqual({ cases: 1, resources: 1 });
    expect(waitPartitionsFromEnv({ VSM_WAIT_CASE_PARTITIONS: 'many' })).toEqual({ cases: 1, resources: 1 });
  });
});

describe('the per-resource pass split at every resource boundary', () => {
  it('start estimation: each range of resource codes finds its resources’ availability; the repair stays whole', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const whole = randomTable(seed, 40 + seed * 5, 4, 0.2);
      // Some instances without a resource (MISSING_CODE): in no range, never an availability.
      for (let k = 0; k < whole.count; k += 7) whole.resource[k] = -1;
      const enabled = computeEnabledTimes(whole, discoverConcurrency(whole, 4)).enabledMs;
      for (const options of [{}, { outlierMultiple: 1.5 }]) {
        const one = estimateStarts(whole, enabled, options);
        expect(one.estimatedCount).toBeGreaterThan(0);
        for (let boundary = 0; boundary <= 4; boundary++) {
          const ranges = [
            { start: 0, end: boundary },
            { start: boundary, end: 4 },
          ];
          expect(estimateStarts(whole, enabled, options, ranges), `seed ${seed}, boundary ${boundary}`).toEqual(one);
        }
        for (const r of [2, 3, 17]) expect(estimateStarts(whole, enabled, options, resourcePartitionRanges(4, r)), `seed ${seed}, R = ${r}`).toEqual(one);
      }
    }
  });

  it('discovered calendars: the ranges’ maps merged in first-seen order, the resources without one summed', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const random = seeded(seed);
      // 6 resources, first seen in a shuffled order; resources 1 and 4 with too few instants for a calendar.
      const table = randomTable(seed, 300, 3, 0.5);
      for (let k = 0; k < table.count; k++) table.resource[k] = [5, 2, 0, 3][Math.floor(random() * 4)];
      table.resource[3] = 1;
      table.resource[9] = 4;
      table.resource[0] = 3;
      const estimated = new Uint8Array(table.count);
      const configured = (code: number) => code === 2;
      const discover = (skip: (code: number) => boolean) => discoverResourceCalendars(table, table.startMs, estimated, skip, 'UTC');
      const one = discover(configured);
      expect(one.calendars.size).toBeGreaterThan(0);
      expect(one.resourcesWithoutCalendar).toBe(2);
      for (let boundary = 0; boundary <= 6; boundary++) {
        const ranges = [
          { start: 0, end: boundary },
          { start: boundary, end: 6 },
        ];
        const split = discoverCalendarsByResource(discover, configured, table.resource, table.count, ranges);
        expect([...split.calendars.entries()], `seed ${seed}, boundary ${boundary}`).toEqual([...one.calendars.entries()]);
        expect(split.resourcesWithoutCalendar).toBe(one.resourcesWithoutCalendar);
      }
      for (const r of [2, 3, 17]) expect(discoverCalendarsByResource(discover, configured, table.resource, table.count, resourcePartitionRanges(6, r))).toEqual(one);
    }
  });

  it('resource ranges cover the codes contiguously, none for one partition', () => {
    expect(resourcePartitionRanges(10, 1)).toBeUndefined();
    expect(resourcePartitionRanges(10, 3)).toEqual([
      { start: 0, end: 3 },
      { start: 3, end: 6 },
      { start: 6, end: 10 },
    ]);
    expect(resourcePartitionRanges(2, 17)).toEqual([
      { start: 0, end: 1 },
      { start: 1, end: 2 },
    ]);
  });
});

/** A table of recorded work with batches: per resource, blocks of equal starts and back-to-back chains. */
function batchTable(seed: number, resources: number): ActivityInstances & { enabledMs: Float64Array } {
  const random = seeded(seed);
  const rows: Array<{ a: number; r: number; s: number; e: number; en: number }> = [];
  for (let r = 0; r < resources; r++) {
    let clock = 0;
    for (let n = 0; n < 30; n++) {
      const a = Math.floor(random() * 3);
      const shape = random();
      if (shape < 0.3) {
        // A parallel batch: two or three of activity a starting together.
        const members = 2 + Math.floor(random() * 2);
        for (let m = 0; m < members; m++) rows.push({ a, r, s: clock, e: clock + 5 + m, en: clock - 1 - m });
        clock += 10;
      } else if (shape < 0.6) {
        // A sequential chain: back to back.
        for (let m = 0; m < 3; m++) rows.push({ a, r, s: clock + 5 * m, e: clock + 5 * (m + 1), en: clock - m });
        clock += 20;
      } else {
        rows.push({ a, r, s: clock, e: clock + 3, en: clock - 2 });
        clock += 4 + Math.floor(random() * 5);
      }
    }
  }
  // Shuffled into cases of three (the instance order is not the resources').
  const shuffled = rows.map((row) => ({ row, key: random() })).sort((x, y) => x.key - y.key).map(({ row }) => row);
  const caseCount = Math.ceil(shuffled.length / 3);
  const caseStart = Int32Array.from({ length: caseCount + 1 }, (_, c) => Math.min(3 * c, shuffled.length));
  return {
    count: shuffled.length,
    caseCode: Int32Array.from(shuffled, (_, k) => Math.floor(k / 3)),
    activity: Int32Array.from(shuffled, (row) => row.a),
    resource: Int32Array.from(shuffled, (row) => row.r),
    startMs: Float64Array.from(shuffled, (row) => row.s),
    endMs: Float64Array.from(shuffled, (row) => row.e),
    firstEvent: Int32Array.from(shuffled, (_, k) => k),
    caseStart,
    withStart: shuffled.length,
    enabledMs: Float64Array.from(shuffled, (row) => row.en),
  };
}

describe('batches split at every resource boundary', () => {
  it('the ranges’ batches renumbered as one pass numbers them (in the resource order and the plain path)', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const resources = 5;
      const table = batchTable(seed, resources);
      const estimated = new Uint8Array(table.count);
      const { enabledMs } = table;
      const orderOf = () => buildResourceOrder(table, table.startMs, enabledMs, estimated);
      for (const inOrder of [true, false]) {
        const whole = detectBatches(table, table.startMs, estimated, enabledMs, inOrder ? { ordered: orderOf() } : {});
        expect(whole.parallelCount).toBeGreaterThan(0);
        expect(whole.sequentialCount).toBeGreaterThan(0);
        const splitAt = (ranges: Array<{ start: number; end: number }>) => {
          const ordered = inOrder ? orderOf() : undefined;
          return detectBatchesByResource(
            (range) => detectBatches(table, table.startMs, estimated, enabledMs, { ordered, resources: range }),
            table.count,
            ranges,
            () => {
              if (ordered) ordered.batchActivity = null;
            },
          );
        };
        for (let boundary = 0; boundary <= resources; boundary++) {
          expect(
            splitAt([
              { start: 0, end: boundary },
              { start: boundary, end: resources },
            ]),
            `seed ${seed}, in order ${inOrder}, boundary ${boundary}`,
          ).toEqual(whole);
        }
        for (const r of [2, 3, 17]) expect(splitAt(resourcePartitionRanges(resources, r) ?? []), `R = ${r}`).toEqual(whole);
      }
    }
  });
});

describe('the whole wait chain in partitions on random logs (every resource boundary: R = 2 … resources)', () => {
  const instanceArbitrary = fc.record({
    activity: fc.constantFrom('A', 'B', 'C'),
    resource: fc.constantFrom('r1', 'r2', 'r3', 'r4', null),
    gapMin: fc.integer({ min: 0, max: 600 }),
    durationMin: fc.integer({ min: 0, max: 300 }),
    recorded: fc.boolean(),
    together: fc.boolean(),
  });
  const logArbitrary = fc.array(fc.array(instanceArbitrary, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 12 });

  it('equal to one partition: json, step causes, estimated starts, the activity table; summed and per instance', () => {
    fc.assert(
      fc.property(logArbitrary, fc.boolean(), fc.integer({ min: 1, max: 5 }), (cases, withCalendar, k) => {
        const rows: InstanceRow[] = [];
        cases.forEach((instances, c) => {
          let clockMin = (c % 4) * 37;
          for (const instance of instances) {
            // `together`: starts with the previous instance (parallel batches when activity and resource repeat).
            const startMin = instance.together ? clockMin : clockMin + instance.gapMin;
            const endMin = startMin + instance.durationMin;
            rows.push([`case${c}`, instance.activity, instance.resource, instance.recorded ? startMin : null, endMin]);
            clockMin = endMin;
          }
        });
        const config = withCalendar ? parseConfig(JSON.stringify({ resources: { r2: { calendar: 'UTC Mon-Fri 10:00-12:00,12:30-20:00' } } }), 'test.json') : undefined;
        const log = instanceLog(rows);
        const base = { config, map: buildStepMap(log, config), asOfMs: defaultAsOfMs(log), estimate: true, timeZone: 'UTC' };
        for (const activityTable of [true, false]) {
          const one = analyzeWaits(log, { ...base, activityTable, casePartitions: 1, resourcePartitions: 1 });
          for (let r = 2; r <= log.resources.size + 1; r++) {
            const split = analyzeWaits(log, { ...base, activityTable, casePartitions: k, resourcePartitions: r });
            expect(split.json).toEqual(one.json);
            expect(split.stepCauses).toEqual(one.stepCauses);
            expect(split.logWithStarts.startTimestampMs).toEqual(one.logWithStarts.startTimestampMs);
            expect(split.table === undefined ? undefined : { ...split.table, log: undefined }).toEqual(one.table === undefined ? undefined : { ...one.table, log: undefined });
          }
        }
      }),
      { numRuns: 120, seed: 28 },
    );
  });
});

describe('the cause sweep and scan split at every resource boundary', () => {
  it('equal columns and scanCapped with a low scan cap (a wait the sweep left to the scan would be capped)', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const resources = 5;
      const table = batchTable(seed, resources);
      // Some instances without a resource: scanned in the range of their own (no position).
      for (let k = 0; k < table.count; k += 11) table.resource[k] = -1;
      const estimated = new Uint8Array(table.count);
      const { enabledMs } = table;
      const causesOf = (resourceRanges?: Array<{ start: number; end: number }>) => {
        const ordered = buildResourceOrder(table, table.startMs, enabledMs, estimated);
        const batches = detectBatches(table, table.startMs, estimated, enabledMs, { ordered });
        return computeWaitCauses({ instances: table, startMs: table.startMs, enabledMs, batches, ordered, calendarOf: () => undefined, maxOverlapScan: 1, ...(resourceRanges ? { resourceRanges } : {}) });
      };
      const whole = causesOf();
      expect(whole.scanCapped).toBeGreaterThan(0);
      expect(whole.causeMs.contention.some((ms) => ms > 0)).toBe(true);
      for (let boundary = 0; boundary <= resources; boundary++) {
        const split = causesOf([
          { start: 0, end: boundary },
          { start: boundary, end: resources },
        ]);
        expect(split, `seed ${seed}, boundary ${boundary}`).toEqual(whole);
      }
      for (const r of [2, 3, 17]) expect(causesOf(resourcePartitionRanges(resources, r)), `R = ${r}`).toEqual(whole);
    }
  });
});

describe('the resource order with its runs sorted range by range', () => {
  it('equals the order sorted at once, at every resource boundary (−0 starts, no resource, every column)', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const whole = randomTable(seed, 60, 4, 1);
      for (let k = 0; k < whole.count; k += 9) whole.resource[k] = -1;
      if (seed % 2 === 0) whole.startMs[whole.count >> 1] = -0;
      const enabledMs = Float64Array.from(whole.startMs, (startMs) => startMs - 3);
      const estimated = Uint8Array.from(whole.startMs, (_, k) => (k % 5 === 0 ? 1 : 0));
      const groupOf = Int32Array.from(whole.activity, (a, k) => a * 7 + (k % 3));
      const orderOf = (ranges?: Array<{ start: number; end: number }>) => buildResourceOrder(whole, whole.startMs, enabledMs, estimated, false, groupOf, ranges);
      const one = orderOf();
      expect(one).not.toBeNull();
      for (let boundary = 0; boundary <= 4; boundary++) {
        expect(
          orderOf([
            { start: 0, end: boundary },
            { start: boundary, end: 4 },
          ]),
          `seed ${seed}, boundary ${boundary}`,
        ).toEqual(one);
      }
      for (const r of [2, 3, 17]) expect(orderOf(resourcePartitionRanges(4, r)), `R = ${r}`).toEqual(one);
    }
  });
});

describe('the sweep plan range by range', () => {
  it('equals the plan of one pass at every resource boundary; null alike when a time is not a whole ms', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const resources = 5;
      const table = batchTable(seed, resources);
      for (let k = 0; k < table.count; k += 11) table.resource[k] = -1;
      const estimated = new Uint8Array(table.count);
      const ordered = buildResourceOrder(table, table.startMs, table.enabledMs, estimated);
      if (ordered === null) throw new Error('no order');
      const { batchId } = detectBatches(table, table.startMs, estimated, table.enabledMs, { ordered });
      const one = planSweep(ordered, batchId, table.count);
      expect(one?.toSweep).toBeGreaterThan(0);
      for (let boundary = 0; boundary <= resources; boundary++) {
        const ranges = [
          { start: 0, end: boundary },
          { start: boundary, end: resources },
        ];
        expect(planSweep(ordered, batchId, table.count, false, ranges), `seed ${seed}, boundary ${boundary}`).toEqual(one);
      }
      for (const r of [2, 3, 17]) expect(planSweep(ordered, batchId, table.count, false, resourcePartitionRanges(resources, r)), `R = ${r}`).toEqual(one);
      // A fractional time in the last resource's run: no plan, whatever the ranges.
      ordered.enabled[ordered.runStart[resources] - 1] += 0.5;
      expect(planSweep(ordered, batchId, table.count)).toBeNull();
      expect(planSweep(ordered, batchId, table.count, false, resourcePartitionRanges(resources, 3))).toBeNull();
    }
  });
});
