import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeDfg, medianInPlace, PairIndex } from '../../src/metrics/dfg.js';
import { EventLogBuilder, type EventInput } from '../../src/model/event-log-builder.js';
import { makeVisits, v } from './visits-fixture.js';

function logOf(events: Omit<EventInput, 'sourceRow'>[]) {
  const builder = new EventLogBuilder();
  events.forEach((event, row) => builder.push({ ...event, sourceRow: row + 1 }));
  return builder.build();
}

describe('computeDfg on a single-timestamp EventLog', () => {
  // c1: A@0 B@10 C@30 · c2: A@0 C@5 C@9 · c3: A@100 · c4: A@0 B@4
  const log = logOf([
    { caseId: 'c1', activity: 'A', timestampMs: 0 },
    { caseId: 'c1', activity: 'B', timestampMs: 10 },
    { caseId: 'c1', activity: 'C', timestampMs: 30 },
    { caseId: 'c2', activity: 'A', timestampMs: 0 },
    { caseId: 'c2', activity: 'C', timestampMs: 5 },
    { caseId: 'c2', activity: 'C', timestampMs: 9 },
    { caseId: 'c3', activity: 'A', timestampMs: 100 },
    { caseId: 'c4', activity: 'A', timestampMs: 0 },
    { caseId: 'c4', activity: 'B', timestampMs: 4 },
  ]);
  const dfg = computeDfg(log);

  it('counts nodes, start and end activities', () => {
    expect(dfg.nodes).toEqual([
      { name: 'A', count: 4 },
      { name: 'C', count: 3 },
      { name: 'B', count: 2 },
    ]);
    expect(dfg.startActivities).toEqual({ A: 4 });
    // Last events: c1 C, c2 C, c3 A, c4 B.
    expect(dfg.endActivities).toEqual({ C: 2, A: 1, B: 1 });
    expect(Object.keys(dfg.endActivities)).toEqual(['C', 'A', 'B']);
  });

  it('counts edges with complete(b) − complete(a) as their time', () => {
    // A→B: 10 − 0 = 10 (c1), 4 − 0 = 4 (c4): mean 7, median (4 + 10) / 2 = 7. A→C 5; B→C 20; C→C 9 − 5 = 4.
    expect(dfg.edges).toEqual([
      { from: 'A', to: 'B', count: 2, meanMs: 7, medianMs: 7 },
      { from: 'A', to: 'C', count: 1, meanMs: 5, medianMs: 5 },
      { from: 'B', to: 'C', count: 1, meanMs: 20, medianMs: 20 },
      { from: 'C', to: 'C', count: 1, meanMs: 4, medianMs: 4 },
    ]);
  });
});

describe('computeDfg on interval data', () => {
  it('uses max(start(b), complete(a)) − complete(a), never negative (EventLog with start timestamps)', () => {
    // A [0, 10], B [15, 20], C [18, 30]: A→B = 15 − 10 = 5; B→C overlaps (18 < 20) → 0, not −2 as PM4Py gives.
    const log = logOf([
      { caseId: 'c', activity: 'A', timestampMs: 10, startTimestampMs: 0 },
      { caseId: 'c', activity: 'B', timestampMs: 20, startTimestampMs: 15 },
      { caseId: 'c', activity: 'C', timestampMs: 30, startTimestampMs: 18 },
    ]);
    expect(computeDfg(log).edges.map((edge) => [edge.from, edge.to, edge.meanMs])).toEqual([
      ['A', 'B', 5],
      ['B', 'C', 0],
    ]);
  });

  it('uses the b visit queue + waiting from StepVisits, and no time into an open visit', () => {
    // A 0–10; B 10–20 started 13 (queue 3) with 1 ms waiting: A→B = 4. C entered 20, open at asOf 40: counted, no time.
    const fixture = makeVisits({ asOfMs: 40, cases: [{ id: 'c', visits: [v('A', 'a', 0, 10), v('B', 'a', 10, 20, { workStartedAt: 13, waitingMs: 1 }), v('C', 'a', 20)] }] });
    expect(computeDfg(fixture.visits).edges).toEqual([
      { from: 'A', to: 'B', count: 1, meanMs: 4, medianMs: 4 },
      { from: 'B', to: 'C', count: 1, meanMs: null, medianMs: null },
    ]);
  });

  it('uses elapsed time from StepVisits when no work start is known', () => {
    // Single-timestamp visits: A→B = exit(B) − exit(A) = elapsed of B = 25 − 10 = 15.
    const fixture = makeVisits({ activeUnknown: true, cases: [{ id: 'c', visits: [v('A', 'a', 0, 10), v('B', 'a', 10, 25)] }] });
    expect(computeDfg(fixture.visits).edges[0].meanMs).toBe(15);
  });

  it('handles cases without items', () => {
    const fixture = makeVisits({ cases: [{ id: 'empty', visits: [] }, { id: 'one', visits: [v('A', 'a', 0, 1)] }] });
    expect(computeDfg(fixture.visits)).toEqual({ nodes: [{ name: 'A', count: 1 }], edges: [], startActivities: { A: 1 }, endActivities: { A: 1 } });
  });
});

describe('dfg helpers', () => {
  it('medianInPlace equals the sorted-array median (mean of the two middle values for even n)', () => {
    expect(medianInPlace(new Float64Array([5, 1, 4, 2]))).toBe(3); // sorted 1 2 4 5 → (2 + 4) / 2
    expect(medianInPlace(new Float64Array([]))).toBeNull();
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 60 }), (values) => {
        const sorted = [...values].sort((a, b) => a - b);
        const middle = sorted.length >> 1;
        const expected = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        expect(medianInPlace(Float64Array.from(values))).toBe(expected);
      }),
    );
  });

  it('PairIndex gives first-seen ids, dense or Map-backed alike', () => {
    // 3000² = 9 M possible pairs > the dense limit (4 M): the Map path.
    for (const size of [10, 3000]) {
      const index = new PairIndex(size);
      expect([index.idOf(2, 3), index.idOf(3, 2), index.idOf(2, 3), index.idOf(9, 9)]).toEqual([0, 1, 0, 2]);
      expect([index.first, index.second, index.count]).toEqual([[2, 3, 9], [3, 2, 9], 3]);
    }
  });
});
