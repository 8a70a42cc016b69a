/**
 * The raw samples one side of a comparison contributes, read from the reconstruction of its cases. Which values
 * count follows src/metrics/timing.ts and lead-time.ts, so the medians here are the report's medians on the
 * same cases:
 * - step wait = queue + waiting + blocked of each closed visit, step active = its active time; activity logs leave
 *   out visits without a start (unknown split); single-timestamp logs have only the elapsed time before each
 *   event (not for a case's first visit) as wait, and no active metric;
 * - lead and cycle time over closed cases (open ones are not final: they are counted in the period's
 *   `cases` but not in these samples); flow efficiency = active ÷ lead per closed case with lead > 0;
 * - rework rate = share of cases that re-entered a step (outcome steps aside), handoff rate = share of cases
 *   with two consecutive visits of different known owners (as src/metrics/handoffs.ts).
 */
import type { CaseTimes, StepVisits } from '../traces/step-visits.js';

/** One side of a comparison: a reconstruction and the cases that belong to it. */
export interface ComparisonSide {
  visits: StepVisits;
  cases: CaseTimes;
  /** 1 = the case belongs to this side; absent = every case. */
  caseMask?: Uint8Array;
}

export interface SideSamples {
  cases: number;
  closedCases: number;
  leadMs: number[];
  cycleMs: number[];
  flowEfficiency: number[];
  activeKnown: boolean;
  reworkCases: number;
  handoffCases: number;
  /** Step name → per-visit samples, in map order. */
  steps: Map<string, { waitMs: number[]; activeMs: number[] }>;
}

export function collectSamples(side: ComparisonSide): SideSamples {
  const { visits, cases, caseMask } = side;
  const isActivityLog = visits.shape === 'activity';
  const activeKnown = !visits.activeUnknown;
  const steps = new Map<string, { waitMs: number[]; activeMs: number[] }>();
  for (const step of visits.steps) if (!step.outcome && !steps.has(step.name)) steps.set(step.name, { waitMs: [], activeMs: [] });
  const samples: SideSamples = { cases: 0, closedCases: 0, leadMs: [], cycleMs: [], flowEfficiency: [], activeKnown, reworkCases: 0, handoffCases: 0, steps };
  const seenStep = new Int32Array(visits.steps.length).fill(-1);

  for (let c = 0; c < cases.caseCount; c++) {
    if (caseMask !== undefined && caseMask[c] !== 1) continue;
    samples.cases++;
    if (cases.censored[c] === 0 && !Number.isNaN(cases.leadMs[c])) {
      samples.closedCases++;
      samples.leadMs.push(cases.leadMs[c]);
      if (!Number.isNaN(cases.cycleMs[c])) samples.cycleMs.push(cases.cycleMs[c]);
      if (activeKnown && cases.leadMs[c] > 0) samples.flowEfficiency.push(cases.activeMs[c] / cases.leadMs[c]);
    }
    let rework = false;
    let handoff = false;
    const begin = visits.caseVisitStart[c];
    const end = visits.caseVisitStart[c + 1];
    for (let v = begin; v < end; v++) {
      const stepCode = visits.stepCode[v];
      const step = visits.steps[stepCode];
      if (v > begin && visits.ownerCode[v] >= 0 && visits.ownerCode[v - 1] >= 0 && visits.ownerCode[v] !== visits.ownerCode[v - 1]) handoff = true;
      if (step.outcome) continue;
      if (seenStep[stepCode] === c) rework = true;
      seenStep[stepCode] = c;
      if (visits.open[v] === 1) continue;
      const bucket = steps.get(step.name);
      if (bucket === undefined) continue;
      if (!activeKnown) {
        if (v > begin) bucket.waitMs.push(visits.elapsedMs[v]);
        continue;
      }
      if (isActivityLog && Number.isNaN(visits.workStartedAt[v])) continue;
      bucket.waitMs.push(visits.queueMs[v] + visits.waitingMs[v] + visits.blockedMs[v]);
      bucket.activeMs.push(visits.activeMs[v]);
    }
    if (rework) samples.reworkCases++;
    if (handoff) samples.handoffCases++;
  }
  return samples;
}
