import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeHandoffs } from '../../src/metrics/handoffs.js';
import { makeVisits, seq, v } from './visits-fixture.js';

// Interval-style visits (work start known): wait after a handoff = queueMs + waitingMs of the `to` visit.
//   c1: A ann 0–10 · B bob 10–30 (start 14 → queue 4, waiting 2) · C bob 30–40 (start 31) · D ann 40–50 (start 45 → queue 5)
//       · E bob 50–60 (start 58 → queue 8)
//   c2: A ann 0–3 · B (no owner) 3–5 · C ann 5–9 (start 6) · D cat 9–12 (start 9 → queue 0)
//   c3: A cat 0–1
const fixture = makeVisits({
  cases: [
    {
      id: 'c1',
      visits: [
        v('A', 'ann', 0, 10),
        v('B', 'bob', 10, 30, { workStartedAt: 14, waitingMs: 2 }),
        v('C', 'bob', 30, 40, { workStartedAt: 31 }),
        v('D', 'ann', 40, 50, { workStartedAt: 45 }),
        v('E', 'bob', 50, 60, { workStartedAt: 58 }),
      ],
    },
    { id: 'c2', visits: [v('A', 'ann', 0, 3), v('B', undefined, 3, 5), v('C', 'ann', 5, 9, { workStartedAt: 6 }), v('D', 'cat', 9, 12, { workStartedAt: 9 })] },
    { id: 'c3', visits: [v('A', 'cat', 0, 1)] },
  ],
});

describe('computeHandoffs', () => {
  const handoffs = computeHandoffs(fixture.visits);

  it('counts owner changes between consecutive visits; missing owners apart', () => {
    // c1: ann→bob, bob→ann, ann→bob (bob→bob is no handoff) = 3; c2: ann→cat = 1 (ann→?, ?→ann skipped: 2 missing).
    expect(handoffs).toMatchObject({ level: 'resource', total: 4, casesWithHandoff: 2, transitionsWithMissingOwner: 2 });
  });

  it('builds the from→to matrix sorted by count, with the wait before work in the `to` visit', () => {
    // ann→bob: waits 4 + 2 = 6 (c1 B) and 8 (c1 E) → median 7; ann→cat: 0; bob→ann: 5. Ties by from, then to.
    expect(handoffs.matrix.map((h) => [h.from, h.to, h.count, h.cases, h.waitAfterMs.median, h.waitAfterMs.sum])).toEqual([
      ['ann', 'bob', 2, 1, 7, 14],
      ['ann', 'cat', 1, 1, 0, 0],
      ['bob', 'ann', 1, 1, 5, 5],
    ]);
  });

  it('finds ping-pong on consecutive owner changes, overlapping windows each counted', () => {
    // c1 owners ann bob bob ann bob: changes ann→bob, bob→ann (ann got it back: ann⇄bob), ann→bob (bob⇄ann).
    expect(handoffs.pingPong).toEqual([
      { a: 'ann', b: 'bob', count: 1, cases: 1 },
      { a: 'bob', b: 'ann', count: 1, cases: 1 },
    ]);
  });

  it('uses elapsed time as the wait on single-timestamp logs', () => {
    // No work start: wait = elapsed of the `to` visit = 25 − 10 = 15 (completion → completion).
    const atomic = makeVisits({ activeUnknown: true, cases: [{ id: 'a', visits: [v('A', 'x', 0, 10), v('B', 'y', 10, 25)] }] });
    expect(computeHandoffs(atomic.visits).matrix[0].waitAfterMs.median).toBe(15);
  });

  it('counts A A B B A as one ping-pong, and a missing owner breaks the chain', () => {
    const repeated = computeHandoffs(makeVisits({ cases: [{ id: 'r', visits: seq('P:x Q:x R:y S:y T:x') }] }).visits);
    expect(repeated.pingPong).toEqual([{ a: 'x', b: 'y', count: 1, cases: 1 }]);
    const broken = computeHandoffs(makeVisits({ cases: [{ id: 'b', visits: seq('P:x Q:y R S:x') }] }).visits);
    expect(broken.pingPong).toEqual([]);
    expect(broken.transitionsWithMissingOwner).toBe(2);
  });

  it('keeps the top maxPairs by count plus the top maxPairs by count × median wait', () => {
    // x→y: 3 × wait 1 = 3; x→z: 2 × 1 = 2; y→z: 1 × 100 = 100. maxPairs 1 keeps x→y (count) and y→z (cost).
    const pair = (from: string, to: string, waitMs: number) => [v('S', from, 0, 1), v('S', to, 1, 1 + waitMs)];
    const cases = [pair('x', 'y', 1), pair('x', 'y', 1), pair('x', 'y', 1), pair('x', 'z', 1), pair('x', 'z', 1), pair('y', 'z', 100)];
    const result = computeHandoffs(makeVisits({ activeUnknown: true, cases: cases.map((visits, c) => ({ id: `c${c}`, visits })) }).visits, { maxPairs: 1 });
    expect(result.matrix.map((h) => `${h.from}→${h.to}`)).toEqual(['x→y', 'y→z']);
    expect(result.distinctPairs).toBe(3);
    expect(result.total).toBe(6);
  });
});

describe('computeHandoffs properties', () => {
  const owners = fc.constantFrom('x', 'y', 'z', undefined);
  const cases = fc.array(fc.array(owners, { maxLength: 10 }), { maxLength: 8 });

  it('total = number of owner changes between consecutive visits; missing counted apart', () => {
    fc.assert(
      fc.property(cases, (raw) => {
        const fixtureCases = raw.map((ownerList, c) => ({ id: `c${c}`, visits: ownerList.map((owner, k) => v('S', owner, k, k + 1)) }));
        const result = computeHandoffs(makeVisits({ cases: fixtureCases }).visits);
        let changes = 0;
        let missing = 0;
        for (const ownerList of raw) {
          for (let k = 1; k < ownerList.length; k++) {
            if (ownerList[k - 1] === undefined || ownerList[k] === undefined) missing++;
            else if (ownerList[k - 1] !== ownerList[k]) changes++;
          }
        }
        expect(result.total).toBe(changes);
        expect(result.transitionsWithMissingOwner).toBe(missing);
        expect(result.matrix.reduce((sum, pair) => sum + pair.count, 0)).toBe(changes);
        expect(result.matrix.reduce((sum, pair) => sum + pair.waitAfterMs.n, 0)).toBe(changes);
      }),
    );
  });
});
