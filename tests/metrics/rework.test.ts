import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeRework } from '../../src/metrics/rework.js';
import { makeVisits, v, type CaseSpec } from './visits-fixture.js';

// Four cases, times in ms, visits contiguous (each entered when the previous one is left).
//   c1: A ann 0–10 · B bob 10–30 · A ann 30–35 · A cat 35–50 · C ann 50–60 · B bob 60–100
//   c2: A ann 0–5 · B (no owner) 5–9 · A bob 9–12
//   c3: A ann 0–1 · B bob 1–2                                     (no rework)
//   c4: A x 0–2 · B y 2–4 · A x 4–10 · B y 10–11 · A x 11–20
const fixture = makeVisits({
  cases: [
    { id: 'c1', visits: [v('A', 'ann', 0, 10), v('B', 'bob', 10, 30), v('A', 'ann', 30, 35), v('A', 'cat', 35, 50), v('C', 'ann', 50, 60), v('B', 'bob', 60, 100)] },
    { id: 'c2', visits: [v('A', 'ann', 0, 5), v('B', undefined, 5, 9), v('A', 'bob', 9, 12)] },
    { id: 'c3', visits: [v('A', 'ann', 0, 1), v('B', 'bob', 1, 2)] },
    { id: 'c4', visits: [v('A', 'x', 0, 2), v('B', 'y', 2, 4), v('A', 'x', 4, 10), v('B', 'y', 10, 11), v('A', 'x', 11, 20)] },
  ],
});

describe('computeRework', () => {
  const rework = computeRework(fixture.visits);

  it('counts cases with rework and their share', () => {
    // c1, c2, c4 re-enter a step; c3 does not: 3 of 4.
    expect(rework.casesWithRework).toBe(3);
    expect(rework.share).toBe(0.75);
  });

  it('splits re-entries into self-loop / repetition × same / other owner', () => {
    // A re-entries: c1 #2 (after B, ann→ann: repetition same), c1 #3 (right after A, ann→cat: self-loop other),
    // c2 #2 (after B, ann→bob: repetition other), c4 #2 and #4 (after B, x→x: repetition same) = 5 repeats, 3 cases.
    // B re-entries: c1 #5 (bob→bob), c4 #3 (y→y): repetition same, 2 cases. C: none.
    expect(rework.byStep).toEqual([
      { step: 'A', cases: 3, repeatVisits: 5, selfLoopSameOwner: 0, selfLoopOtherOwner: 1, repetitionSameOwner: 3, repetitionOtherOwner: 1 },
      { step: 'B', cases: 2, repeatVisits: 2, selfLoopSameOwner: 0, selfLoopOtherOwner: 0, repetitionSameOwner: 2, repetitionOtherOwner: 0 },
      { step: 'C', cases: 0, repeatVisits: 0, selfLoopSameOwner: 0, selfLoopOtherOwner: 0, repetitionSameOwner: 0, repetitionOtherOwner: 0 },
    ]);
  });

  it('treats a missing owner as no owner change', () => {
    const missing = computeRework(makeVisits({ cases: [{ id: 'm', visits: [v('A', undefined, 0, 1), v('A', 'ann', 1, 2)] }] }).visits);
    expect(missing.byStep[0]).toMatchObject({ selfLoopSameOwner: 1, selfLoopOtherOwner: 0 });
  });

  it('ranks loops by cases, then added time, with added time = exit of the earlier pass → exit of the re-entry', () => {
    // [A,B,A]: c1 35−10 = 25; c2 12−5 = 7; c4 twice: (10−2) + (20−10) = 18 → per case [25, 7, 18], 4 occurrences.
    // Then one-case loops by total added time: [B,A,A,C,B] c1 100−30 = 70; [A,A] c1 50−35 = 15; [B,A,B] c4 11−4 = 7.
    expect(rework.loops.map((loop) => [loop.path.join(''), loop.from, loop.to, loop.cases, loop.occurrences, loop.addedMs.sum])).toEqual([
      ['ABA', 'B', 'A', 3, 4, 50],
      ['BAACB', 'C', 'B', 1, 1, 70],
      ['AA', 'A', 'A', 1, 1, 15],
      ['BAB', 'A', 'B', 1, 1, 7],
    ]);
    const aba = rework.loops[0].addedMs;
    // Sorted per-case values 7, 18, 25: median 18, mean 50 / 3.
    expect(aba).toMatchObject({ n: 3, median: 18, min: 7, max: 25, thin: true });
    expect(aba.mean).toBeCloseTo(50 / 3, 12);
  });

  it('keeps the top N loops', () => {
    expect(computeRework(fixture.visits, { topLoops: 2 }).loops.map((loop) => loop.path.join(''))).toEqual(['ABA', 'BAACB']);
  });

  it('summarises paths longer than maxPathSteps as [S, … n steps …, from, S]', () => {
    // A B C D E A: 6 visits > 4; B, C, D are left out (3 steps), E is where the case came back from.
    const long = makeVisits({ cases: [{ id: 'l', visits: ['A', 'B', 'C', 'D', 'E', 'A'].map((step, k) => v(step, 'o', k, k + 1)) }] });
    const loops = computeRework(long.visits, { maxPathSteps: 4 }).loops;
    expect(loops).toHaveLength(1);
    expect(loops[0]).toMatchObject({ path: ['A', '… 3 steps …', 'E', 'A'], from: 'E', to: 'A', cases: 1, occurrences: 1 });
    // Added: exit of A #1 (1) → exit of A #2 (6) = 5.
    expect(loops[0].addedMs.sum).toBe(5);
    expect(computeRework(long.visits, { maxPathSteps: 6 }).loops[0].path).toEqual(['A', 'B', 'C', 'D', 'E', 'A']);
  });

  it('adds the time of long cases (more visits than its first per-case scratch) after short ones', () => {
    // 3 visits, then 41 alternating A B A … with visit k lasting k + 1 ms: each A B A adds the B and the second A.
    const steps = Array.from({ length: 41 }, (_, k) => (k % 2 === 0 ? 'A' : 'B'));
    let atMs = 0;
    const long = makeVisits({
      cases: [
        { id: 's', visits: [v('A', 'o', 0, 1), v('B', 'o', 1, 2), v('A', 'o', 2, 3)] },
        { id: 'l', visits: steps.map((step, k) => v(step, 'o', atMs, (atMs += k + 1))) },
      ],
    });
    const loops = computeRework(long.visits).loops;
    // A B A: in s 1 + 1; in l, re-entering A at k = 2, 4, …, 40 adds (k) + (k + 1) ms; B A B at k = 3, 5, …, 39 likewise.
    let abaMs = 2;
    for (let k = 2; k <= 40; k += 2) abaMs += k + (k + 1);
    let babMs = 0;
    for (let k = 3; k <= 39; k += 2) babMs += k + (k + 1);
    expect(loops.map((loop) => [loop.path.join(''), loop.occurrences, loop.addedMs.sum])).toEqual([
      ['ABA', 21, abaMs],
      ['BAB', 19, babMs],
    ]);
  });

  it('counts an open re-entry up to asOf', () => {
    // A 0–10, B 10–20, A entered 20 and open at asOf 50: elapsed 10 (B) + 30 (open A) = 40.
    const open = makeVisits({ asOfMs: 50, cases: [{ id: 'o', visits: [v('A', 'a', 0, 10), v('B', 'b', 10, 20), v('A', 'a', 20)] }] });
    expect(computeRework(open.visits).loops[0].addedMs.sum).toBe(40);
  });

  it('handles no visits', () => {
    const empty = computeRework(makeVisits({ cases: [] }).visits);
    expect(empty).toEqual({ casesWithRework: 0, share: 0, byStep: [], loops: [] });
  });
});

const caseArbitrary = fc.array(fc.record({ step: fc.constantFrom('A', 'B', 'C', 'D'), owner: fc.constantFrom('x', 'y', undefined) }), {
  minLength: 0,
  maxLength: 12,
});

function toCases(raw: { step: string; owner: string | undefined }[][], rename: (step: string) => string = (s) => s): CaseSpec[] {
  return raw.map((visits, c) => ({ id: `c${c}`, visits: visits.map((visit, k) => v(rename(visit.step), visit.owner, k, k + 1)) }));
}

describe('computeRework properties', () => {
  it('is invariant under renaming (and re-ordering) steps', () => {
    const renaming: Record<string, string> = { A: 'zeta', B: 'alpha', C: 'mid', D: 'beta' };
    fc.assert(
      fc.property(fc.array(caseArbitrary, { maxLength: 8 }), (raw) => {
        const original = computeRework(makeVisits({ cases: toCases(raw) }).visits, { topLoops: 1000 });
        const renamed = computeRework(makeVisits({ steps: ['beta', 'mid', 'alpha', 'zeta'], cases: toCases(raw, (s) => renaming[s]) }).visits, {
          topLoops: 1000,
        });
        expect(renamed.casesWithRework).toBe(original.casesWithRework);
        for (const step of original.byStep) {
          const twin = renamed.byStep.find((candidate) => candidate.step === renaming[step.step]);
          expect({ ...twin, step: step.step }).toEqual(step);
        }
        const loopKey = (path: string[], cases: number, occurrences: number): string => `${path.join('>')}|${cases}|${occurrences}`;
        const originalLoops = original.loops.map((loop) => loopKey(loop.path.map((s) => renaming[s] ?? s), loop.cases, loop.occurrences)).sort();
        const renamedLoops = renamed.loops.map((loop) => loopKey(loop.path, loop.cases, loop.occurrences)).sort();
        expect(renamedLoops).toEqual(originalLoops);
      }),
    );
  });

  it('repeat visits = visits − distinct steps per case, summed', () => {
    fc.assert(
      fc.property(fc.array(caseArbitrary, { maxLength: 8 }), (raw) => {
        const rework = computeRework(makeVisits({ cases: toCases(raw) }).visits);
        const expected = raw.reduce((sum, visits) => sum + visits.length - new Set(visits.map((visit) => visit.step)).size, 0);
        expect(rework.byStep.reduce((sum, step) => sum + step.repeatVisits, 0)).toBe(expected);
      }),
    );
  });
});
