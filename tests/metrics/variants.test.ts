import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeVariants } from '../../src/metrics/variants.js';
import { EventLogBuilder } from '../../src/model/event-log-builder.js';
import { makeVisits, seq } from './visits-fixture.js';

const sequences = ['A B C', 'A B C', 'A C', 'A B', 'A C', 'B', 'A B C D'];

describe('computeVariants', () => {
  // Step codes in reverse name order (D=0 … A=3), so a tie order that compared codes instead of names would fail.
  const fixture = makeVisits({ steps: ['D', 'C', 'B', 'A'], cases: sequences.map((text, c) => ({ id: `c${c}`, visits: seq(text) })) });

  it('counts distinct sequences; ties by count desc then sequence (names) asc, prefix first', () => {
    // ABC ×2, AC ×2 (ABC < AC since B < C), then AB, ABCD (AB is its prefix), B; shares over 7 cases.
    const variants = computeVariants(fixture.visits);
    expect(variants.total).toBe(5);
    expect(variants.top.map((variant) => [variant.activities.join(''), variant.count, variant.share])).toEqual([
      ['ABC', 2, 2 / 7],
      ['AC', 2, 2 / 7],
      ['AB', 1, 1 / 7],
      ['ABCD', 1, 1 / 7],
      ['B', 1, 1 / 7],
    ]);
  });

  it('lists the top N but counts all', () => {
    const variants = computeVariants(fixture.visits, { top: 2 });
    expect(variants.total).toBe(5);
    expect(variants.top).toHaveLength(2);
  });

  it('reads an EventLog event by event, or completions only', () => {
    // Case x: A start, A complete, B complete; case y: A complete, B complete.
    // All events: [A, A, B] and [A, B] → 2 variants. Completions: [A, B] twice → 1 variant.
    const builder = new EventLogBuilder();
    builder.push({ caseId: 'x', activity: 'A', timestampMs: 0, lifecycle: 'start', sourceRow: 1 });
    builder.push({ caseId: 'x', activity: 'A', timestampMs: 1, lifecycle: 'complete', sourceRow: 2 });
    builder.push({ caseId: 'x', activity: 'B', timestampMs: 2, lifecycle: 'complete', sourceRow: 3 });
    builder.push({ caseId: 'y', activity: 'A', timestampMs: 0, lifecycle: 'complete', sourceRow: 4 });
    builder.push({ caseId: 'y', activity: 'B', timestampMs: 1, lifecycle: 'complete', sourceRow: 5 });
    const log = builder.build();
    expect(computeVariants(log).top.map((variant) => variant.activities.join(''))).toEqual(['AAB', 'AB']);
    expect(computeVariants(log, { events: 'completions' }).top).toEqual([{ activities: ['A', 'B'], count: 2, share: 1 }]);
  });

  it('agrees with a naive string-keyed count (property)', () => {
    const caseArbitrary = fc.array(fc.constantFrom('A', 'B', 'C'), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(fc.array(caseArbitrary, { maxLength: 40 }), (raw) => {
        const fixtureVisits = makeVisits({ cases: raw.map((steps, c) => ({ id: `c${c}`, visits: seq(steps.join(' ')) })) }).visits;
        const naive = new Map<string, number>();
        for (const steps of raw) naive.set(steps.join(','), (naive.get(steps.join(',')) ?? 0) + 1);
        const variants = computeVariants(fixtureVisits, { top: 1000 });
        expect(variants.total).toBe(naive.size);
        expect(new Map(variants.top.map((variant) => [variant.activities.join(','), variant.count]))).toEqual(naive);
      }),
    );
  });
});
