import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildResourceOrder } from '../../src/metrics/resource-order.js';
import { RunSweeper, planSweep, type WaitCauseSink } from '../../src/metrics/wait-causes.js';
import { MISSING_CODE } from '../../src/model/dictionary.js';
import { instancesOfMinuteRows, oneCaseInstances } from './instances-fixture.js';

const rowArbitrary = fc.record({
  resource: fc.constantFrom(0, 1, 3, MISSING_CODE),
  // Few distinct starts: ties (kept in index order) and runs out of start order (permuted) both occur.
  startMin: fc.integer({ min: 0, max: 40 }),
  durationMin: fc.integer({ min: 0, max: 30 }),
  waitMin: fc.integer({ min: -5, max: 30 }),
  group: fc.integer({ min: 0, max: 6 }),
});
const rowsArbitrary = fc.array(rowArbitrary, { minLength: 1, maxLength: 60 });

const orderOf = (rows: Array<{ resource: number; startMin: number; durationMin: number; waitMin: number; group: number }>, withGroups: boolean) => {
  const { instances, startMs, enabledMs } = instancesOfMinuteRows(rows);
  const groupOf = Int32Array.from(rows, (row) => row.group);
  const ordered = buildResourceOrder(instances, startMs, enabledMs, undefined, false, withGroups ? groupOf : undefined);
  if (ordered === null) throw new Error('no order');
  return { ordered, groupOf, count: rows.length };
};

describe('buildResourceOrder groupAt', () => {
  it('holds each position’s instance group (groupOf[order[n]]), sorted runs included; null when not asked for', () => {
    fc.assert(
      fc.property(rowsArbitrary, (rows) => {
        const { ordered, groupOf } = orderOf(rows, true);
        expect(ordered.groupAt).not.toBeNull();
        expect(Array.from(ordered.groupAt ?? [])).toEqual(Array.from(ordered.order, (k) => groupOf[k]));
        expect(orderOf(rows, false).ordered.groupAt).toBeNull();
      }),
      { numRuns: 300, seed: 25 },
    );
  });

  it('lets the sweep put by group exactly the waits, in the order, it puts by instance', () => {
    fc.assert(
      fc.property(rowsArbitrary, (rows) => {
        const { ordered, groupOf, count } = orderOf(rows, true);
        const sweepAll = (sink: WaitCauseSink) => {
          const plan = planSweep(ordered, new Int32Array(count).fill(-1), count);
          if (plan === null) throw new Error('no plan');
          const sweeper = new RunSweeper(ordered, plan, plan.longestRun);
          for (let r = 0; r < plan.queriesOf.length; r++) if (plan.queriesOf[r] > 0) expect(sweeper.sweep(r, undefined, sink)).toBe(true);
        };
        const byInstance: number[][] = [];
        sweepAll({ put: (k, ...parts) => byInstance.push([groupOf[k], ...parts]) });
        const byGroup: number[][] = [];
        sweepAll({ put: () => { throw new Error('put by instance'); }, putGroup: (group, ...parts) => byGroup.push([group, ...parts]) });
        expect(byGroup).toEqual(byInstance);
      }),
      { numRuns: 300, seed: 26 },
    );
  });
});

/** The order by (resource, start + 0, index) and every column by position, by a comparison sort: what buildResourceOrder must give. */
function plainOrder(resource: Int32Array, startMs: Float64Array, endMs: Float64Array, enabledMs: Float64Array, activity: Int32Array, estimated: Uint8Array, groupOf: Int32Array) {
  const order = Array.from(resource.keys())
    .filter((k) => resource[k] !== MISSING_CODE)
    .sort((a, b) => resource[a] - resource[b] || startMs[a] + 0 - (startMs[b] + 0) || a - b);
  const runStart = new Array<number>(Math.max(0, ...Array.from(resource, (r) => r + 1)) + 1).fill(0);
  for (const k of order) runStart[resource[k] + 1]++;
  for (let r = 0; r + 1 < runStart.length; r++) runStart[r + 1] += runStart[r];
  const longestMs = new Array<number>(runStart.length - 1).fill(0);
  for (const k of order) longestMs[resource[k]] = Math.max(longestMs[resource[k]], endMs[k] - startMs[k]);
  const positionOf = new Array<number>(resource.length).fill(-1);
  order.forEach((k, n) => (positionOf[k] = n));
  const loose = Array.from(resource.keys()).filter((k) => resource[k] === MISSING_CODE);
  return {
    order,
    runStart,
    positionOf,
    longestMs,
    start: order.map((k) => startMs[k]),
    end: order.map((k) => endMs[k]),
    enabled: order.map((k) => enabledMs[k]),
    batchActivity: order.map((k) => (estimated[k] === 0 ? activity[k] : -1)),
    groupAt: order.map((k) => groupOf[k]),
    looseStart: loose.map((k) => startMs[k]),
    looseEnabled: loose.map((k) => enabledMs[k]),
  };
}

describe('buildResourceOrder', () => {
  // Starts spread over a year of ms (argsortSpread), clumped on few instants (more than its bucket's room: the radix
  // argsort), with fractions, −0 and spans past 2^53 (the radix argsort too).
  const startArbitrary = fc.oneof(
    fc.integer({ min: 1_704_067_200_000, max: 1_735_689_600_000 }),
    fc.constantFrom(1_704_067_200_000, 1_704_067_260_000, 0, -0),
    fc.integer({ min: -5, max: 5 }),
  );
  const rowsOf = fc.array(fc.record({ resource: fc.constantFrom(0, 2, 3, MISSING_CODE), start: startArbitrary, durationMs: fc.integer({ min: 0, max: 90_000_000 }), waitMs: fc.integer({ min: -1000, max: 90_000_000 }), activity: fc.integer({ min: 0, max: 3 }), estimated: fc.constantFrom(0, 0, 1), group: fc.nat(9) }), { maxLength: 120 });
  const extras = fc.constantFrom('none', 'fraction', 'wide', 'clump');

  it('gives the order and every column of a comparison sort by (resource, start + 0, index), on every path', () => {
    const paths = new Set<string>();
    fc.assert(
      fc.property(rowsOf, extras, (rows, extra) => {
        const startMs = Float64Array.from(rows, (row) => row.start);
        if (extra === 'fraction' && rows.length > 0) startMs[rows.length - 1] += 0.5;
        if (extra === 'wide' && rows.length > 1) startMs[0] = 2 ** 60;
        const clump = extra === 'clump' ? 40 : 0;
        const resource = Int32Array.from([...rows.map((row) => row.resource), ...new Array<number>(clump).fill(2)]);
        const start = Float64Array.from([...startMs, ...new Array<number>(clump).fill(1_704_067_200_000)]);
        const endMs = Float64Array.from(start, (value, k) => value + (rows[k]?.durationMs ?? k));
        const enabledMs = Float64Array.from(start, (value, k) => value - (rows[k]?.waitMs ?? 7));
        const activity = Int32Array.from(start, (_, k) => rows[k]?.activity ?? 1);
        const estimated = Uint8Array.from(start, (_, k) => rows[k]?.estimated ?? 0);
        const groupOf = Int32Array.from(start, (_, k) => rows[k]?.group ?? 3);
        const instances = { ...oneCaseInstances(resource, start, endMs), activity };
        const ordered = buildResourceOrder(instances, start, enabledMs, estimated, false, groupOf);
        if (ordered === null) throw new Error('no order');
        const expected = plainOrder(resource, start, endMs, enabledMs, activity, estimated, groupOf);
        expect(Array.from(ordered.order)).toEqual(expected.order);
        expect(Array.from(ordered.runStart)).toEqual(expected.runStart.length > 1 ? expected.runStart : [0]);
        expect(Array.from(ordered.positionOf)).toEqual(expected.positionOf);
        expect(Array.from(ordered.longestMs)).toEqual(expected.longestMs);
        // Object.is: a −0 start stays −0 in the start column (+ 0 only in the comparisons).
        expect(Array.from(ordered.start).every((value, n) => Object.is(value, expected.start[n]))).toBe(true);
        expect(Array.from(ordered.end)).toEqual(expected.end);
        expect(Array.from(ordered.enabled)).toEqual(expected.enabled);
        expect(Array.from(ordered.batchActivity ?? [])).toEqual(expected.batchActivity);
        expect(Array.from(ordered.groupAt ?? [])).toEqual(expected.groupAt);
        expect(Array.from(ordered.looseStart)).toEqual(expected.looseStart);
        expect(Array.from(ordered.looseEnabled)).toEqual(expected.looseEnabled);
        paths.add(extra);
      }),
      { numRuns: 400, seed: 31 },
    );
    expect(paths.size).toBe(4);
  });

  it('gives no batch activity column when a recorded start has no activity code, and −1 for an estimated one', () => {
    const resource = Int32Array.of(1, 0, 1, 1, MISSING_CODE);
    const start = Float64Array.of(30, 10, 20, 10, 5);
    const endMs = Float64Array.from(start, (value) => value + 4);
    const enabledMs = Float64Array.from(start, (value) => value - 2);
    const orderWith = (activity: Int32Array, estimated: Uint8Array) => buildResourceOrder({ ...oneCaseInstances(resource, start, endMs), activity }, start, enabledMs, estimated);
    // Instance 2 (resource 1, recorded start) without a code: the batches take their own sort.
    expect(orderWith(Int32Array.of(5, 6, -1, 7, -1), new Uint8Array(5))?.batchActivity).toBeNull();
    // The same instance estimated, and the one without a resource codeless: positions by (resource, start, index).
    const estimated = Uint8Array.of(0, 0, 1, 0, 0);
    expect(Array.from(orderWith(Int32Array.of(5, 6, -1, 7, -1), estimated)?.batchActivity ?? [])).toEqual([6, 7, -1, 5]);
  });
});
