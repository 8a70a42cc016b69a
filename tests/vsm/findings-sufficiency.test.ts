import { describe, expect, it } from 'vitest';
import { MS_PER_DAY, MS_PER_HOUR } from '../../src/model/units.js';
import { MIN_FINISHED_VISITS } from '../../src/vsm/finding-support.js';
import { computeFindings, findBiggestDelay, findHandoffToSimplify, findMostCommonReworkLoop } from '../../src/vsm/findings.js';
import type { SufficiencyJson } from '../../src/contracts/report-schema.js';
import { dist, lead, log, step } from './report-fixture.js';

const D = MS_PER_DAY;
const H = MS_PER_HOUR;

// Ten cases, Σ lead 100 d. "Review" holds the most waiting (8 d 16 h) but every one of its 3 visits is still open
// (0 finished); "Triage" has 6 finished visits and 5 d of waiting; "Build" 2 finished visits and 1 d.
const base = {
  log: log(10),
  leadTimeMs: lead(100 * D, 10),
  steps: [
    step('Triage', { order: 1, class: 'queue' as const, visits: 6, totalDelayMs: 5 * D, delayMs: dist({ n: 6, sum: 5 * D, median: 0.75 * D }) }),
    step('Review', { order: 2, visits: 3, totalDelayMs: 8 * D + 16 * H, delayMs: dist({ n: 0, sum: 0 }) }),
    step('Build', { order: 3, visits: 2, totalDelayMs: 1 * D, delayMs: dist({ n: 2, sum: 1 * D, median: 0.5 * D }) }),
  ],
  rework: { casesWithRework: 0, share: 0, byStep: [], loops: [] },
  handoffs: { level: 'group' as const, total: 0, casesWithHandoff: 0, matrix: [], pingPong: [] },
};

describe('findings below the minimum of finished visits', () => {
  it('the minimum is five finished visits', () => {
    expect(MIN_FINISHED_VISITS).toBe(5);
  });

  it('says "not enough finished visits" for the leader and names the runner-up it can support', () => {
    const finding = findBiggestDelay(base);
    expect(finding?.subject.step).toBe('Triage');
    expect(finding?.statement).toBe(
      'Not enough finished visits to say about Review: 0 of 3 visits have finished (at least 5 are needed). ' +
        // Triage: 5 d of 100 d lead = 5 %; median 0.75 d = 18 h per visit over its 6 finished visits.
        'Among steps with enough finished visits, work waits longest in Triage: 18 h median per visit (no interval (too few values)), ' +
        '5 d in total, 5.0 % of all lead time, over 6 finished visits. Thin evidence: only 6 values.',
    );
    expect(finding?.statement).not.toMatch(/over 0 visits/);
  });

  it('claims no median, share or saving when no step has enough finished visits', () => {
    const steps = base.steps.filter((s) => s.name !== 'Triage');
    const findings = computeFindings({ ...base, steps });
    expect(findings.biggestDelay?.statement).toBe(
      'Not enough finished visits to say where work waits longest: Review has held 8 d 16 h of waiting so far, ' +
        'but only 0 of its 3 visits have finished (at least 5 are needed).',
    );
    expect(findings.biggestDelay?.shareOfLeadTime).toBeNull();
    // No saving computed from censored (still open) time alone: no candidate at all here.
    expect(findings.futureStateChange).toBeNull();
  });

  it('a rework loop or handoff with fewer than five measured values is not given a median', () => {
    const loops = [{ path: ['A', 'B', 'A'], from: 'B', to: 'A', cases: 3, occurrences: 3, addedMs: dist({ n: 3, sum: 3 * D, median: D }) }];
    const loop = findMostCommonReworkLoop({ ...base, rework: { ...base.rework, loops } });
    expect(loop?.statement).toBe('3 cases loop A → B → A, but not enough finished loops to say what it adds: 3 measured (at least 5 are needed).');
    const matrix = [{ from: 'L1', to: 'L2', count: 4, cases: 4, waitAfterMs: dist({ n: 4, sum: 2 * D, median: 0.5 * D }) }];
    const handoff = findHandoffToSimplify({ ...base, handoffs: { ...base.handoffs, total: 4, matrix } });
    expect(handoff?.statement).toBe(
      'L1 → L2 is handed over 4 times, but not enough finished waits after it to say how long work then waits: 4 measured (at least 5 are needed).',
    );
  });
});

describe('backlog before the commitment point', () => {
  const backlog = {
    ...base,
    steps: [
      // The first step is a queue: with no commitment point set, its wait is backlog time.
      step('Backlog', { order: 0, class: 'queue' as const, visits: 10, totalDelayMs: 40 * D, delayMs: dist({ n: 10, sum: 40 * D, median: 4 * D }) }),
      step('In Progress', { order: 1, visits: 10, totalDelayMs: 2 * D, delayMs: dist({ n: 10, sum: 2 * D, median: 0.2 * D }) }),
    ],
  };

  it('is reported as backlog time with the advice to set the trigger or cut intake, not a WIP limit', () => {
    const findings = computeFindings(backlog);
    expect(findings.biggestDelay?.statement).toMatch(/^Work waits longest in Backlog, before the commitment point \(backlog time\): 4 d median per visit/);
    expect(findings.biggestDelay?.evidence.join('\n')).toContain('set the commitment point (config "trigger"');
    const kinds = findings.futureStateChange?.candidates.map((candidate) => candidate.kind);
    expect(kinds).toEqual(['cut-intake']);
    expect(findings.futureStateChange?.statement).toMatch(/^Cut intake into Backlog so its backlog time falls by 50 %/);
    expect(findings.futureStateChange?.statement).not.toContain('Limit work in progress');
    // Half of 40 d over 10 cases = 2 d per case.
    expect(findings.futureStateChange?.candidates[0].leadTimeSavedMsPerCase).toBeCloseTo(2 * D, 6);
  });

  it('with a commitment point configured, the same queue is an ordinary wait (WIP limit)', () => {
    const findings = computeFindings({ ...backlog, commitmentPointSet: true });
    expect(findings.biggestDelay?.statement).toMatch(/^Work waits longest in Backlog: /);
    expect(findings.futureStateChange?.candidates[0].kind).toBe('wip-limit');
  });
});

describe('findings on partial metrics', () => {
  it('say so in their sentence, each reason once', () => {
    const sufficiency: SufficiencyJson = {
      stepTimes: { verdict: 'partial', reason: 'zendesk tickets: page 1 of about 64, about 189 tickets missing (next_page/count)', fix: 'x', counts: {} },
      leadTime: {
        verdict: 'partial',
        reason: 'zendesk tickets: page 1 of about 64, about 189 tickets missing (next_page/count); 1 left-censored case excluded',
        fix: 'x',
        counts: {},
      },
    };
    const finding = findBiggestDelay({ ...base, sufficiency });
    expect(finding?.statement).toMatch(
      / Partial data: zendesk tickets: page 1 of about 64, about 189 tickets missing \(next_page\/count\); 1 left-censored case excluded\.$/,
    );
  });
});
