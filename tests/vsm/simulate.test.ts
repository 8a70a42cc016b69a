import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/metrics/distribution.js';
import { VsmError } from '../../src/errors.js';
import { caseTotals, simulateFutureState, simulateMethodFor } from '../../src/vsm/simulate.js';
import { analyzeLog } from '../../src/vsm/analyze.js';
import { IngestReportBuilder } from '../../src/ingest/ingest-report.js';
import { meanQueueWip, planChanges, type ChangeRequest } from '../../src/vsm/simulate-changes.js';
import { SimulateSchema } from '../../src/contracts/simulate-schema.js';
import { analyze, logOf, syntheticEvents, toyLog } from './compare-fixture.js';

const MINUTE_MS = 60_000;
const toy = analyze(toyLog());
const { visits, cases } = toy.reconstruction;
const minutes = (values: Float64Array) => [...values].map((ms) => Math.round((ms / MINUTE_MS) * 1e6) / 1e6);
const totalsFor = (requests: ChangeRequest[]) => caseTotals(visits, cases, planChanges(visits, requests));

describe('each change on the 3-case toy log (leads 70, 100, 100 min; see compare-fixture.ts)', () => {
  it('no change: after = before', () => {
    expect(minutes(totalsFor([]).leadAfterMs)).toEqual([70, 100, 100]);
  });
  it('reduce-wait halves the step\'s waits', () => {
    // B queues: C1 20 → saves 10; C2 10 + 10 → saves 10; C3 has no B.
    expect(minutes(totalsFor([{ kind: 'reduce-wait', spec: 'B:50' }]).leadAfterMs)).toEqual([60, 90, 100]);
  });
  it('capacity +100 % halves the step\'s queue (1 / (1 + 1))', () => {
    // C queues 20, 10, 80 → save 10, 5, 40.
    expect(minutes(totalsFor([{ kind: 'capacity', spec: 'C:+100' }]).leadAfterMs)).toEqual([60, 95, 60]);
    // −50 % capacity doubles it: C1 20 → 40, lead 90.
    expect(minutes(totalsFor([{ kind: 'capacity', spec: 'C:-50%' }]).leadAfterMs)[0]).toBe(90);
  });
  it("wip-limit scales the queue by limit ÷ Little's L", () => {
    // Σ C queue = 20 + 10 + 80 = 110 min over the window T0 … T0+100 min → L = 1.1; limit 1 → factor 1/1.1.
    expect(meanQueueWip(visits)[visits.steps.findIndex((step) => step.name === 'C')]).toBeCloseTo(1.1, 12);
    const after = minutes(totalsFor([{ kind: 'wip-limit', spec: 'C:1' }]).leadAfterMs);
    expect(after[0]).toBeCloseTo(70 - 20 / 11, 5);
    expect(after[1]).toBeCloseTo(100 - 10 / 11, 5);
    expect(after[2]).toBeCloseTo(100 - 80 / 11, 5);
    // Limit 2 > L: nothing changes, and the change says so.
    const plan = planChanges(visits, [{ kind: 'wip-limit', spec: 'C:2' }]);
    expect(plan.changes[0].notes[0]).toContain('already averages 1.1 ≤ 2');
    expect([...plan.queueKeep].every((keep) => keep === 1)).toBe(true);
  });
  it('merge removes the queue of B visits right after A and moves B\'s work to A\'s owner (flagged)', () => {
    // B after A: C1 (queue 20), C2 twice (10 + 10) → leads 50, 80; C3 unchanged.
    expect(minutes(totalsFor([{ kind: 'merge', spec: 'A+B' }]).leadAfterMs)).toEqual([50, 80, 100]);
    const result = simulateFutureState(toy.reconstruction, [{ kind: 'merge', spec: 'A+B' }], { logName: 'toy', runs: 200 });
    // Y's active work (B: 10 + 10 + 10 min) moves to X (70 → 100 min): X +43 %, total unchanged → moves the bottleneck.
    const byOwner = Object.fromEntries(result.workload.owners.map((row) => [row.owner, [row.activeMsBefore / MINUTE_MS, row.activeMsAfter / MINUTE_MS]]));
    expect(byOwner).toEqual({ X: [70, 100], Y: [30, 0] });
    expect(result.workload.movesBottleneck).toBe(true);
    expect(result.workload.gainingOwners).toEqual(['X']);
    expect(result.statement).toContain('Moves the bottleneck');
    // The future map: "A + B" boxes hold A's and B's work (C1 20, C2 20 and 20, C3 A alone 10 → median 20 min), B is gone.
    const merged = result.futureSteps.find((step) => step.name === 'A + B');
    expect(merged).toMatchObject({ visits: 4, activeMs: expect.objectContaining({ median: 20 * MINUTE_MS }) });
    expect(result.futureSteps.map((step) => step.name)).toEqual(['A + B', 'C']);
    expect(result.changedSteps).toEqual(['A', 'B', 'A + B']);
  });
  it('remove-handoff removes the wait after X → Y handoffs and keeps the work with X', () => {
    expect(minutes(totalsFor([{ kind: 'remove-handoff', spec: 'x>y' }]).leadAfterMs)).toEqual([50, 80, 100]);
    const plan = planChanges(visits, [{ kind: 'remove-handoff', spec: 'X>Y' }]);
    expect(plan.changes[0]).toMatchObject({ owners: ['X', 'Y'], visitsAffected: 3 });
  });
  it('cut-rework drops the loop repeats (their whole time and work) for the cut share of cases', () => {
    // C2's re-entry into A from B: visits B(20–30) and A(50–60) go, 20 + 30 = 50 min of elapsed time, 20 min active.
    const totals = totalsFor([{ kind: 'cut-rework', spec: 'B>A:100' }]);
    expect(minutes(totals.leadAfterCutMs)).toEqual([70, 50, 100]);
    expect(minutes(totals.leadAfterMs)).toEqual([70, 100, 100]);
    expect([...totals.cuttable]).toEqual([0, 1, 0]);
    expect(minutes(totals.activeAfterCutMs)[1]).toBe(30);
    const result = simulateFutureState(toy.reconstruction, [{ kind: 'cut-rework', spec: 'B>A:100' }], { logName: 'toy', runs: 500 });
    // With a 100 % cut every draw of C2 takes 50 min; the workload loses C2's repeat A (X −10) and B (Y −10).
    expect(result.workload.owners.map((row) => [row.owner, row.activeMsAfter / MINUTE_MS])).toEqual([['X', 60], ['Y', 20]]);
    expect(result.workload.movesBottleneck).toBe(false);
    expect(result.futureSteps.find((step) => step.name === 'A')?.visits).toBe(3);
  });
  it('rejects unknown steps, owners and bad numbers with a what · where · got · fix message', () => {
    expect(() => planChanges(visits, [{ kind: 'reduce-wait', spec: 'Nope:50' }])).toThrow(/unknown step · flag --reduce-wait · got "Nope" · use one of "A", "B", "C"/);
    expect(() => planChanges(visits, [{ kind: 'reduce-wait', spec: 'B:150' }])).toThrow(VsmError);
    expect(() => planChanges(visits, [{ kind: 'wip-limit', spec: 'B:0' }])).toThrow(/WIP limit must be a whole number/);
    expect(() => planChanges(visits, [{ kind: 'remove-handoff', spec: 'X>Z' }])).toThrow(/unknown owner · flag --remove-handoff · got "Z"/);
    expect(() => planChanges(visits, [{ kind: 'merge', spec: 'A-B' }])).toThrow(/expected "<step>\+<step>"/);
    expect(() => planChanges(visits, [{ kind: 'cut-rework', spec: 'B>A:10' }, { kind: 'cut-rework', spec: 'C>A:10' }])).toThrow(/only one --cut-rework/);
  });
});

describe('simulateFutureState on a synthetic log (2,000 cases, 1,000 runs)', () => {
  const analysis = analyze(logOf(syntheticEvents(2_000)));
  const baseline = simulateFutureState(analysis.reconstruction, [], { logName: 'synthetic', runs: 1_000, seed: 7, currentSteps: analysis.report.steps });

  it('without a change reproduces the measured median lead time within its interval', () => {
    expect(SimulateSchema.parse(baseline)).toEqual(baseline);
    const closed = [...analysis.reconstruction.cases.leadMs].filter((_, c) => analysis.reconstruction.cases.censored[c] === 0);
    const measured = summarize(closed);
    expect(baseline.measured.leadTimeMedianMs).toBe(measured.median);
    const median = baseline.before.leadTimeMs?.median;
    expect(median?.ciLow).toBeLessThanOrEqual(measured.median as number);
    expect(median?.ciHigh).toBeGreaterThanOrEqual(measured.median as number);
    // The resampling interval agrees roughly with the bootstrap interval of the median (same idea, other seed).
    expect(Math.abs((median?.ciLow as number) - (measured.ciLow as number))).toBeLessThan(0.1 * (measured.median as number));
    expect(baseline.after).toEqual(baseline.before);
    expect(baseline.difference.leadTimeMedianMs).toEqual({ estimate: 0, ciLow: 0, ciHigh: 0 });
    expect(baseline.changedSteps).toEqual([]);
    expect(baseline.workload.movesBottleneck).toBe(false);
  });
  it('is deterministic for a seed', () => {
    const again = simulateFutureState(analysis.reconstruction, [], { logName: 'synthetic', runs: 1_000, seed: 7, currentSteps: analysis.report.steps });
    expect(again).toEqual(baseline);
  });
  it('cuts lead time when the biggest queue is halved, without moving work', () => {
    const result = simulateFutureState(analysis.reconstruction, [{ kind: 'reduce-wait', spec: 'Fix:50' }], { logName: 'synthetic', runs: 1_000, currentSteps: analysis.report.steps });
    expect(result.difference.leadTimeMedianMs?.ciHigh).toBeLessThan(0);
    expect(result.difference.leadTimeP85Ms?.ciHigh).toBeLessThan(0);
    expect((result.after.flowEfficiency?.estimate as number) > (result.before.flowEfficiency?.estimate as number)).toBe(true);
    expect(result.workload.owners.every((row) => row.activeMsAfter === row.activeMsBefore)).toBe(true);
    expect(result.changedSteps).toEqual(['Fix']);
    const fixBefore = analysis.report.steps.find((step) => step.name === 'Fix');
    const fixAfter = result.futureSteps.find((step) => step.name === 'Fix');
    expect(fixAfter?.queueMs.median).toBeCloseTo((fixBefore?.queueMs.median as number) / 2, 0);
  });
  it('flags moving Support L2 work onto Support L1 as moving the bottleneck', () => {
    const result = simulateFutureState(analysis.reconstruction, [{ kind: 'remove-handoff', spec: 'Support L1>Support L2' }], { logName: 'synthetic', runs: 200 });
    expect(result.workload.movesBottleneck).toBe(true);
    expect(result.workload.gainingOwners).toEqual(['Support L1']);
  });
});

describe('simulateFutureState on a single-timestamp log', () => {
  const events = syntheticEvents(300).filter((event) => event.lifecycle === 'complete');
  const analysis = analyze(logOf(events));
  it('treats the elapsed time before each event as its queue and reports no workload or flow efficiency', () => {
    const result = simulateFutureState(analysis.reconstruction, [{ kind: 'reduce-wait', spec: 'Fix:50' }], { logName: 'complete-only', runs: 300 });
    expect(result.before.flowEfficiency).toBeNull();
    expect(result.workload).toMatchObject({ activeKnown: false, movesBottleneck: false });
    // Fix sits in the long cases (about a third of them), so the p85 moves while the median may not.
    expect(result.difference.leadTimeP85Ms?.ciHigh).toBeLessThan(0);
    expect(result.notes.join(' ')).toContain('single-timestamp log');
  });
});

describe('simulateFutureState progress', () => {
  it('tells onRuns the runs done, ending at the total, and gives the same result without it', () => {
    const calls: Array<[number, number]> = [];
    const request: ChangeRequest[] = [{ kind: 'cut-rework', spec: 'B>A:50' }];
    const told = simulateFutureState(toy.reconstruction, request, { logName: 'toy', runs: 40, onRuns: (done, total) => calls.push([done, total]) });
    const silent = simulateFutureState(toy.reconstruction, request, { logName: 'toy', runs: 40 });
    expect(told).toEqual(silent);
    expect(calls).toEqual([[0, 40], [16, 40], [32, 40], [40, 40]]);
  });
});

describe('simulateFutureState methods', () => {
  const analysis = analyze(logOf(syntheticEvents(2_000)));
  const request: ChangeRequest[] = [{ kind: 'reduce-wait', spec: 'Fix:50' }, { kind: 'cut-rework', spec: 'Review>Investigate:50' }];

  it('auto resamples below 20,000 closed cases and draws from the normal approximation from there', () => {
    expect(simulateMethodFor('auto', 0)).toBe('monte-carlo');
    expect(simulateMethodFor('auto', 19_999)).toBe('monte-carlo');
    expect(simulateMethodFor('auto', 20_000)).toBe('normal-approximation');
    expect(simulateMethodFor('monte-carlo', 5_000_000)).toBe('monte-carlo');
    expect(simulateMethodFor('normal-approximation', 10)).toBe('normal-approximation');
    expect(simulateFutureState(analysis.reconstruction, [], { logName: 'synthetic', runs: 50 }).method).toBe('monte-carlo');
  });
  it('forced to the normal approximation on 2,000 cases, says so and agrees with the resampling', () => {
    const resampled = simulateFutureState(analysis.reconstruction, request, { logName: 'synthetic', runs: 2_000, seed: 3 });
    const approximated = simulateFutureState(analysis.reconstruction, request, { logName: 'synthetic', runs: 2_000, seed: 3, method: 'normal-approximation' });
    expect(SimulateSchema.parse(approximated)).toEqual(approximated);
    expect(approximated.method).toBe('normal-approximation');
    expect(approximated.notes.join(' ')).toContain('normal approximation of resampling the');
    expect(approximated.statement).toContain('normal approximation');
    expect(resampled.statement).not.toContain('normal approximation');
    // Everything but the runs is the same; the intervals agree within a fifth of their width at this size.
    expect(approximated.workload).toEqual(resampled.workload);
    expect(approximated.futureSteps).toEqual(resampled.futureSteps);
    const pairs = [
      [approximated.before.leadTimeMs?.median, resampled.before.leadTimeMs?.median],
      [approximated.after.leadTimeMs?.p85, resampled.after.leadTimeMs?.p85],
      [approximated.difference.leadTimeMedianMs, resampled.difference.leadTimeMedianMs],
      [approximated.difference.flowEfficiency, resampled.difference.flowEfficiency],
    ];
    for (const [normal, mc] of pairs) {
      if (!normal || !mc) throw new Error('no interval');
      const width = mc.ciHigh - mc.ciLow;
      expect(Math.abs(normal.ciLow - mc.ciLow)).toBeLessThan(0.2 * width);
      expect(Math.abs(normal.ciHigh - mc.ciHigh)).toBeLessThan(0.2 * width);
    }
  });
  it('states no lead time (not 0) when no case closed, whichever the method', () => {
    const events = syntheticEvents(50);
    // An as-of one hour after the first event: every case is still open.
    const asOfMs = Math.min(...events.map((event) => event.timestampMs)) + 3_600_000;
    const open = analyzeLog(logOf(events), new IngestReportBuilder('csv', 'flag').finish(), { logName: 'open', estimateStarts: false, asOfMs });
    for (const method of ['monte-carlo', 'normal-approximation'] as const) {
      const result = simulateFutureState(open.reconstruction, [], { logName: 'open', runs: 20, method });
      expect(result.log.closedCases).toBe(0);
      expect(result.before).toEqual({ leadTimeMs: null, flowEfficiency: null });
      expect(result.after).toEqual({ leadTimeMs: null, flowEfficiency: null });
      expect(result.difference.leadTimeMedianMs).toBeNull();
      expect(result.statement).toBe('No closed case to resample: nothing to simulate.');
    }
  });
});
