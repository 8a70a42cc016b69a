/**
 * Every metric of the case chain as accumulate → merge → finish (src/vsm/case-chain.ts): random visit tables split
 * at every case boundary (two partitions), and into one partition per case, merged in partition order, finish to
 * exactly what the one-pass computation gives. Durations are whole ms, as the reconstruction makes them: sums of
 * whole ms are exact in any grouping (fractional ms could differ in the last bit of a sum, docs/benchmarks.md).
 */
import { describe, expect, it } from 'vitest';
import { accumulateDfg, computeDfg, finishDfg, mergeDfg } from '../../src/metrics/dfg.js';
import { computeFlow, finishFlow, flowPartialOf } from '../../src/metrics/flow.js';
import { accumulateHandoffs, computeHandoffs, finishHandoffs, mergeHandoffs } from '../../src/metrics/handoffs.js';
import { makeRng } from '../../src/metrics/random.js';
import { accumulateRework, computeRework, finishRework, mergeRework } from '../../src/metrics/rework.js';
import { accumulateStepTimings, computeStepTimings, finishStepTimings, type StepTimingOptions } from '../../src/metrics/timing.js';
import { accumulateVariants, computeVariants, finishVariants, mergeVariants } from '../../src/metrics/variants.js';
import { Dictionary } from '../../src/model/dictionary.js';
import type { CaseTimes, StepVisits } from '../../src/traces/step-visits.js';
import { CaseChainStream, type CaseChainOptions, joinCaseTimes, runCaseChain } from '../../src/vsm/case-chain.js';
import { EXACT_VALUES_LIMIT_ENV } from '../../src/metrics/value-sketch.js';
import { randomVisits } from './random-visits.js';

/** The visits with every duration rounded to whole ms (−0 kept: it sends a distribution to the sort). */
function wholeMs(visits: StepVisits): StepVisits {
  const round = (column: Float64Array) => column.map((value) => (Number.isNaN(value) ? value : Math.round(value)));
  return { ...visits, activeMs: round(visits.activeMs), queueMs: round(visits.queueMs), waitingMs: round(visits.waitingMs), blockedMs: round(visits.blockedMs), elapsedMs: round(visits.elapsedMs) };
}

/** Random case times for the visits' cases: some never triggered, some open (censored), whole ms. */
function randomCases(visits: StepVisits, seed: number): CaseTimes {
  const rng = makeRng(seed * 7 + 1);
  const n = visits.caseCount;
  const triggeredAt = new Float64Array(n).fill(NaN);
  const outcomeAt = new Float64Array(n).fill(NaN);
  const firstActiveAt = new Float64Array(n).fill(NaN);
  const censored = new Uint8Array(n);
  const leadMs = new Float64Array(n).fill(NaN);
  const cycleMs = new Float64Array(n).fill(NaN);
  const activeMs = new Float64Array(n);
  const delayMs = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    if (rng() < 0.1) continue;
    triggeredAt[c] = Math.floor(rng() * 1e9);
    censored[c] = rng() < 0.3 ? 1 : 0;
    leadMs[c] = Math.floor(rng() * 1e8);
    if (censored[c] === 0) outcomeAt[c] = triggeredAt[c] + leadMs[c];
    if (rng() < 0.7) cycleMs[c] = Math.floor(leadMs[c] * rng());
    activeMs[c] = Math.floor(rng() * 1e6);
  }
  return { caseCount: n, triggeredAt, outcomeAt, firstActiveAt, censored, leadMs, cycleMs, activeMs, delayMs, reopens: new Int32Array(n), leftCensored: new Uint8Array(n) };
}

/** Cases [start, end) of a visit table as a table of their own (case codes from 0, as reconstructVisits with `cases` makes them). */
function sliceVisits(visits: StepVisits, start: number, end: number): StepVisits {
  const from = visits.caseVisitStart[start];
  const to = visits.caseVisitStart[end];
  return {
    ...visits,
    count: to - from,
    caseCount: end - start,
    caseCode: visits.caseCode.slice(from, to).map((c) => c - start),
    caseVisitStart: visits.caseVisitStart.slice(start, end + 1).map((v) => v - from),
    stepCode: visits.stepCode.slice(from, to),
    ownerCode: visits.ownerCode.slice(from, to),
    enteredAt: visits.enteredAt.slice(from, to),
    workStartedAt: visits.workStartedAt.slice(from, to),
    exitedAt: visits.exitedAt.slice(from, to),
    activeMs: visits.activeMs.slice(from, to),
    queueMs: visits.queueMs.slice(from, to),
    waitingMs: visits.waitingMs.slice(from, to),
    blockedMs: visits.blockedMs.slice(from, to),
    elapsedMs: visits.elapsedMs.slice(from, to),
    open: visits.open.slice(from, to),
    ...(visits.inLead ? { inLead: visits.inLead.slice(from, to) } : {}),
    ...(visits.firstEvent ? { firstEvent: visits.firstEvent.slice(from, to) } : {}),
  };
}

function sliceCases(cases: CaseTimes, start: number, end: number): CaseTimes {
  return {
    caseCount: end - start,
    triggeredAt: cases.triggeredAt.slice(start, end),
    outcomeAt: cases.outcomeAt.slice(start, end),
    firstActiveAt: cases.firstActiveAt.slice(start, end),
    censored: cases.censored.slice(start, end),
    leadMs: cases.leadMs.slice(start, end),
    cycleMs: cases.cycleMs.slice(start, end),
    activeMs: cases.activeMs.slice(start, end),
    delayMs: cases.delayMs.slice(start, end),
    reopens: cases.reopens?.slice(start, end),
    leftCensored: cases.leftCensored?.slice(start, end),
  };
}

/** The case boundaries of each split to test: every two-way split, and one partition per case. */
function splits(caseCount: number): number[][] {
  const out: number[][] = [];
  for (let at = 0; at <= caseCount; at++) out.push([0, at, caseCount]);
  out.push(Array.from({ length: caseCount + 1 }, (_, c) => c));
  return out;
}

function partsOf(visits: StepVisits, cases: CaseTimes, bounds: number[]) {
  const parts: Array<{ visits: StepVisits; cases: CaseTimes; firstCase: number }> = [];
  for (let k = 0; k + 1 < bounds.length; k++) parts.push({ visits: sliceVisits(visits, bounds[k], bounds[k + 1]), cases: sliceCases(cases, bounds[k], bounds[k + 1]), firstCase: bounds[k] });
  return parts;
}

const SEEDS = Array.from({ length: 40 }, (_, k) => k + 1);

describe('case-chain partials: split at every case boundary → merge → equal to one pass', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}`, () => {
      const { visits: raw, system } = randomVisits(seed, 9);
      const visits = wholeMs(raw);
      const cases = randomCases(visits, seed);
      const caseIds = new Dictionary();
      for (let c = 0; c < visits.caseCount; c++) caseIds.intern(`case-${c}`);
      const timingOptions: StepTimingOptions = { seed: 3, config: { system: { attribute: 'system' } } as StepTimingOptions['config'], log: { attributes: new Map([['system', system]]) } };
      const expected = {
        steps: computeStepTimings(visits, { seed: 3 }),
        stepsWithSystem: computeStepTimings(visits, timingOptions),
        handoffs: computeHandoffs(visits, { seed: 3, maxPairs: 2 }),
        rework: computeRework(visits, { seed: 3, topLoops: 50, maxPathSteps: 3 }),
        variants: computeVariants(visits, { top: 100 }),
        dfg: computeDfg(visits),
        flow: computeFlow(visits, cases, { caseIds, agingTop: 3, stepWeeksTop: 2 }),
      };
      for (const bounds of splits(visits.caseCount)) {
        const parts = partsOf(visits, cases, bounds);
        const partVisits = parts.map((part) => part.visits);
        const label = `seed ${seed}, partitions at ${bounds.join(' ')}`;
        expect(finishStepTimings(partVisits.map((part) => accumulateStepTimings(part)), { seed: 3 }), label).toEqual(expected.steps);
        expect(finishStepTimings(partVisits.map((part) => accumulateStepTimings(part, timingOptions)), timingOptions), label).toEqual(expected.stepsWithSystem);
        expect(finishHandoffs(mergeHandoffs(partVisits.map(accumulateHandoffs)), visits.owners, visits.ownerLevel, { seed: 3, maxPairs: 2 }), label).toEqual(expected.handoffs);
        expect(finishRework(mergeRework(partVisits.map((part) => accumulateRework(part, { maxPathSteps: 3 }))), visits.steps, { seed: 3, topLoops: 50, maxPathSteps: 3 }), label).toEqual(expected.rework);
        expect(finishVariants(mergeVariants(partVisits.map((part) => accumulateVariants(part))), 100), label).toEqual(expected.variants);
        expect(finishDfg(mergeDfg(partVisits.map((part) => accumulateDfg(part)))), label).toEqual(expected.dfg);
        expect(finishFlow(parts.map((part) => flowPartialOf(part.visits, part.cases, part.firstCase, { caseIds, agingTop: 3 })), { agingTop: 3, stepWeeksTop: 2 }), label).toEqual(expected.flow);
        expect(joinCaseTimes(parts.map((part) => part.cases)), label).toEqual(cases);
      }
    });
  }

  it('a merge of one partial is that partial (the in-memory path copies nothing)', () => {
    const { visits } = randomVisits(5, 9);
    for (const [accumulate, merge] of [
      [accumulateDfg, mergeDfg],
      [accumulateHandoffs, mergeHandoffs],
      [accumulateRework, mergeRework],
      [accumulateVariants, mergeVariants],
    ] as Array<[(v: StepVisits) => unknown, (parts: never[]) => unknown]>) {
      const partial = accumulate(visits);
      expect(merge([partial as never])).toBe(partial);
    }
    const cases = randomCases(visits, 5);
    expect(joinCaseTimes([cases])).toBe(cases);
  });
});

/** The visits with their step codes re-coded by `newCodeOfOld` and the steps in the new order (the map order's re-coding). */
function recoded(visits: StepVisits, newCodeOfOld: Int32Array): StepVisits {
  const steps = new Array<StepVisits['steps'][number]>(visits.steps.length);
  visits.steps.forEach((step, old) => (steps[newCodeOfOld[old]] = step));
  return { ...visits, steps, stepCode: visits.stepCode.map((code) => newCodeOfOld[code]) };
}

/** A seeded permutation of the codes 0..n−1 (the identity for some seeds: null, as stepOrderOf says it). */
function permutation(n: number, seed: number): Int32Array | null {
  const rng = makeRng(seed * 13 + 5);
  const codes = Int32Array.from({ length: n }, (_, k) => k);
  for (let k = n - 1; k > 0; k--) {
    const j = Math.floor(rng() * (k + 1));
    [codes[k], codes[j]] = [codes[j], codes[k]];
  }
  return codes.every((code, k) => code === k) ? null : codes;
}

describe('CaseChainStream: ranges accumulated and let go, in the ranges\' step codes → the case chain on the whole in map order', () => {
  // Every second seed with an exact-values limit of 3 (StepTimingStream's values turn into sketches mid-stream).
  for (const seed of SEEDS) {
    it(`seed ${seed}`, () => {
      const previous = process.env[EXACT_VALUES_LIMIT_ENV];
      if (seed % 2 === 0) process.env[EXACT_VALUES_LIMIT_ENV] = '3';
      try {
        const { visits: raw, system } = randomVisits(seed, 9);
        const visits = wholeMs(raw);
        const cases = randomCases(visits, seed);
        const caseIds = new Dictionary();
        for (let c = 0; c < visits.caseCount; c++) caseIds.intern(`case-${c}`);
        const newCodeOfOld = permutation(visits.steps.length, seed);
        const whole = newCodeOfOld === null ? visits : recoded(visits, newCodeOfOld);
        const options: CaseChainOptions = {
          seed: 3,
          activeKnown: !visits.activeUnknown,
          config: { system: { attribute: 'system' } } as CaseChainOptions['config'],
          log: { attributes: new Map([['system', system]]) },
          caseIds,
        };
        const expected = runCaseChain([{ reconstruction: { visits: whole, cases }, firstCase: 0 }], options);
        const bounds = [[0, visits.caseCount], [0, Math.floor(visits.caseCount / 2), visits.caseCount], Array.from({ length: visits.caseCount + 1 }, (_, c) => c)];
        for (const at of bounds) {
          const stream = new CaseChainStream(visits.steps, visits.activeUnknown, visits.count, options);
          for (const part of partsOf(visits, cases, at)) stream.add(part);
          const got = stream.finish({ order: { steps: whole.steps, newCodeOfOld }, cases, activeUnknown: visits.activeUnknown }, options);
          expect(got, `seed ${seed}, ranges at ${at.join(' ')}`).toEqual(expected);
        }
      } finally {
        if (previous === undefined) delete process.env[EXACT_VALUES_LIMIT_ENV];
        else process.env[EXACT_VALUES_LIMIT_ENV] = previous;
      }
    });
  }
});
