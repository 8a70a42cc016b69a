import { describe, expect, it } from 'vitest';
import { MS_PER_DAY, MS_PER_HOUR } from '../../src/model/units.js';
import { computeFindings, findBiggestDelay, findHandoffToSimplify, findMostCommonReworkLoop } from '../../src/vsm/findings.js';
import { dist, EMPTY, lead, log, step } from './report-fixture.js';

const D = MS_PER_DAY;
const H = MS_PER_HOUR;

// Ten cases, Σ lead time 100 d (10 d each). Review holds 30 d of delay in all, Investigate 12 d.
const inputs = {
  log: log(10),
  leadTimeMs: lead(100 * D, 10),
  steps: [
    step('Triage', { owner: { name: 'L1', share: 1 }, visits: 10, totalDelayMs: 5 * D, totalActiveMs: 10 * H, delayMs: dist({ n: 10, sum: 5 * D, median: 0.5 * D }) }),
    step('Investigate', { owner: { name: 'L2', share: 0.8 }, visits: 14, totalDelayMs: 12 * D, totalActiveMs: 40 * H, delayMs: dist({ n: 14, sum: 12 * D, median: 0.8 * D }) }),
    step('Review', {
      owner: { name: 'QA', share: 0.9 },
      visits: 14,
      totalDelayMs: 30 * D,
      totalActiveMs: 14 * H,
      delayMs: dist({ n: 14, sum: 30 * D, median: 2 * D, ciLow: 1.5 * D, ciHigh: 2.5 * D }),
    }),
  ],
  rework: {
    casesWithRework: 4,
    share: 0.4,
    byStep: [],
    loops: [
      // Five finished loops in four cases (one case loops twice): enough (MIN_FINISHED_VISITS = 5) for a median.
      { path: ['Investigate', 'Review', 'Investigate'], from: 'Review', to: 'Investigate', cases: 4, occurrences: 5, addedMs: dist({ n: 5, sum: 8 * D, median: 2 * D }) },
      { path: ['Review', 'Review'], from: 'Review', to: 'Review', cases: 1, occurrences: 1, addedMs: dist({ n: 1, sum: 1 * D, median: 1 * D }) },
    ],
  },
  handoffs: {
    level: 'group' as const,
    total: 30,
    casesWithHandoff: 10,
    matrix: [
      // score = count × median wait × (1 + ping-pongs / count)
      { from: 'L1', to: 'L2', count: 10, cases: 10, waitAfterMs: dist({ n: 10, sum: 8 * D, median: 0.8 * D }) }, // 10 × 0.8 d × 1 = 8 d
      { from: 'L2', to: 'QA', count: 14, cases: 10, waitAfterMs: dist({ n: 14, sum: 28 * D, median: 0.5 * D }) }, // 14 × 0.5 d × 1 = 7 d
      { from: 'QA', to: 'L2', count: 4, cases: 4, waitAfterMs: dist({ n: 4, sum: 3 * D, median: 0.75 * D }) }, // 4 × 0.75 d × (1 + 4/4) = 6 d
    ],
    pingPong: [{ a: 'L2', b: 'QA', count: 4, cases: 4 }],
  },
};

describe('findBiggestDelay', () => {
  it('picks the step with the largest total delay and its share of lead time', () => {
    const finding = findBiggestDelay(inputs);
    expect(finding?.subject.step).toBe('Review');
    expect(finding?.metric.value).toBe(30 * D);
    // 30 d of 100 d lead time = 30 %
    expect(finding?.shareOfLeadTime).toBeCloseTo(0.3, 10);
    expect(finding?.statement).toContain("Work waits longest in Review: 2 d median per visit");
    expect(finding?.statement).toContain('95 % CI 1 d 12 h–2 d 12 h');
    expect(finding?.statement).toContain('Thin evidence');
  });
  it('returns null when nothing waits', () => {
    expect(findBiggestDelay({ ...inputs, steps: [step('A')] })).toBeNull();
  });
});

describe('findMostCommonReworkLoop', () => {
  it('picks the loop with the most cases; share = added time ÷ lead time', () => {
    const finding = findMostCommonReworkLoop(inputs);
    expect(finding?.subject.path).toEqual(['Investigate', 'Review', 'Investigate']);
    expect(finding?.metric.value).toBe(4);
    // 8 d added of 100 d = 8 %
    expect(finding?.shareOfLeadTime).toBeCloseTo(0.08, 10);
    expect(finding?.statement).toMatch(/^4 cases \(40 %\) loop Investigate → Review → Investigate/);
  });
});

describe('findHandoffToSimplify', () => {
  it('ranks by count × median wait, weighting ping-pong pairs', () => {
    // L1→L2 scores 8 d, L2→QA: 14 × 0.5 d × (1 + 4/14) = 9 d, QA→L2: 6 d → L2→QA wins because of its ping-pong weight.
    const finding = findHandoffToSimplify(inputs);
    expect(finding?.subject).toEqual({ from: 'L2', to: 'QA' });
    expect(finding?.statement).toContain('bounces back 4 times');
  });
  it('without ping-pongs the plain count × wait wins', () => {
    const finding = findHandoffToSimplify({ ...inputs, handoffs: { ...inputs.handoffs, pingPong: [] } });
    expect(finding?.subject).toEqual({ from: 'L1', to: 'L2' });
  });
  it('returns null without handoffs', () => {
    expect(findHandoffToSimplify({ ...inputs, handoffs: { ...inputs.handoffs, matrix: [] } })).toBeNull();
  });
});

describe('computeFindings: future state', () => {
  it('proposes the largest saving that does not move work, and flags the merge that does', () => {
    const findings = computeFindings(inputs);
    const future = findings.futureStateChange;
    expect(future).not.toBeNull();
    const byKind = Object.fromEntries((future?.candidates ?? []).map((candidate) => [candidate.kind, candidate]));
    // WIP limit before Review: half of 30 d over 10 cases = 1.5 d per case = 15 % of the 10 d mean lead time.
    expect(byKind['wip-limit'].leadTimeSavedMsPerCase).toBeCloseTo(1.5 * D, 6);
    expect(byKind['wip-limit'].shareOfLeadTime).toBeCloseTo(0.15, 10);
    // Cut rework: half of 8 d over 10 cases = 0.4 d per case.
    expect(byKind['cut-rework'].leadTimeSavedMsPerCase).toBeCloseTo(0.4 * D, 6);
    expect(byKind['cut-rework'].movesWork).toBe(false);
    // Merge L2 → QA: QA's 14 h of active work moves to L2: QA 14 h → 0, L2 40 h → 54 h: only moves work.
    expect(byKind['merge-steps'].movesWork).toBe(true);
    expect(byKind['merge-steps'].workloadShift).toEqual([
      { owner: 'L2', activeMsBefore: 40 * H, activeMsAfter: 54 * H },
      { owner: 'QA', activeMsBefore: 14 * H, activeMsAfter: 0 },
    ]);
    expect(future?.subject.step).toBe('Review');
    expect(future?.statement).toContain('Not proposed: merge-steps');
  });
  it('has no answer when the log has no delays, loops or handoffs', () => {
    const findings = computeFindings({ ...inputs, steps: [step('A', { activeMs: EMPTY })], rework: { ...inputs.rework, loops: [] }, handoffs: { ...inputs.handoffs, matrix: [] } });
    expect(findings).toEqual({ biggestDelay: null, mostCommonReworkLoop: null, handoffToSimplify: null, futureStateChange: null });
  });
});
