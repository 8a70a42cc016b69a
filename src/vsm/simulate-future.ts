/**
 * The future-state map of a simulation: the step visits with the change applied (queues scaled or removed, merged
 * work folded into the step it joins, loop repeats dropped for the cases whose loop is cut, active work credited
 * to its new owner), measured with the same computeStepTimings as the current map, so the renderer can draw both
 * from one shape. The rework cut is drawn once per case with the simulation's seed (the map shows one
 * plausible future, the Monte Carlo the spread).
 */
import { computeStepTimings } from '../metrics/timing.js';
import { makeRng } from '../metrics/random.js';
import type { StepDefinition, StepVisits } from '../traces/step-visits.js';
import type { StepJson } from '../contracts/report-schema.js';
import type { VisitAdjustments } from './simulate-changes.js';

/** A copy of the visits with the planned changes applied. */
export function applyToVisits(visits: StepVisits, plan: VisitAdjustments, seed: number): StepVisits {
  const rng = makeRng(seed ^ 0x5eed);
  const keep: number[] = [];
  const caseVisitStart = new Int32Array(visits.caseCount + 1);
  const activeMs: number[] = [];
  const queueMs: number[] = [];
  const waitingMs: number[] = [];
  const blockedMs: number[] = [];
  const elapsedMs: number[] = [];
  const exitedAt: number[] = [];
  const open: number[] = [];
  const ownerCode: number[] = [];
  for (let c = 0; c < visits.caseCount; c++) {
    caseVisitStart[c] = keep.length;
    const begin = visits.caseVisitStart[c];
    const end = visits.caseVisitStart[c + 1];
    let cut = false;
    for (let v = begin; v < end && plan.reworkShare > 0; v++) {
      if (plan.reworkRemovable[v] === 1) {
        cut = rng() < plan.reworkShare;
        break;
      }
    }
    for (let v = begin; v < end; v++) {
      if (cut && plan.reworkRemovable[v] === 1) continue;
      const otherKeep = plan.otherDelayKeep[v];
      const queue = (visits.activeUnknown ? visits.elapsedMs[v] : visits.queueMs[v]) * plan.queueKeep[v];
      const waiting = visits.waitingMs[v] * otherKeep;
      const blocked = visits.blockedMs[v] * otherKeep;
      const active = visits.activeMs[v];
      const last = keep.length - 1;
      if (plan.mergeIntoPrevious[v] === 1 && last >= caseVisitStart[c]) {
        // The merged step's work continues the previous visit: same box, no queue between.
        activeMs[last] += active;
        waitingMs[last] += waiting;
        blockedMs[last] += blocked;
        elapsedMs[last] += active + waiting + blocked;
        exitedAt[last] = visits.exitedAt[v];
        open[last] = visits.open[v];
        continue;
      }
      keep.push(v);
      activeMs.push(active);
      queueMs.push(visits.activeUnknown ? 0 : queue);
      waitingMs.push(waiting);
      blockedMs.push(blocked);
      const removedMs = visits.activeUnknown ? visits.elapsedMs[v] - queue : visits.queueMs[v] - queue + visits.waitingMs[v] - waiting + visits.blockedMs[v] - blocked;
      elapsedMs.push(visits.elapsedMs[v] - removedMs);
      exitedAt.push(visits.exitedAt[v]);
      open.push(visits.open[v]);
      ownerCode.push(plan.activeOwner[v]);
    }
  }
  caseVisitStart[visits.caseCount] = keep.length;
  const pick = <T extends Int32Array | Float64Array | Uint8Array>(source: T): T => {
    const Ctor = source.constructor as new (length: number) => T;
    const out = new Ctor(keep.length);
    keep.forEach((v, k) => {
      out[k] = source[v];
    });
    return out;
  };
  const steps: StepDefinition[] = visits.steps.map((step) => ({ ...step }));
  for (const { into, from } of plan.merges) {
    steps[into] = { ...steps[into], name: `${steps[into].name} + ${visits.steps[from].name}`, members: [...steps[into].members, ...visits.steps[from].members] };
  }
  return {
    count: keep.length,
    caseCount: visits.caseCount,
    steps,
    owners: visits.owners,
    ownerLevel: visits.ownerLevel,
    caseCode: pick(visits.caseCode),
    caseVisitStart,
    stepCode: pick(visits.stepCode),
    ownerCode: Int32Array.from(ownerCode),
    enteredAt: pick(visits.enteredAt),
    workStartedAt: pick(visits.workStartedAt),
    exitedAt: Float64Array.from(exitedAt),
    activeMs: Float64Array.from(activeMs),
    queueMs: Float64Array.from(queueMs),
    waitingMs: Float64Array.from(waitingMs),
    blockedMs: Float64Array.from(blockedMs),
    elapsedMs: Float64Array.from(elapsedMs),
    open: Uint8Array.from(open),
    activeUnknown: visits.activeUnknown,
    asOfMs: visits.asOfMs,
    inLead: visits.inLead ? pick(visits.inLead) : undefined,
    shape: visits.shape,
  };
}

/** Current and future steps (same shape as ReportJson['steps']), and the names of the steps the change alters. */
export function futureStepsOf(
  visits: StepVisits,
  plan: VisitAdjustments,
  options: { seed: number; currentSteps?: readonly StepJson[] },
): { currentSteps: StepJson[]; futureSteps: StepJson[]; changedSteps: string[] } {
  const currentSteps = options.currentSteps ? [...options.currentSteps] : computeStepTimings(visits, { seed: options.seed });
  const systemOf = new Map(currentSteps.map((step) => [step.name, step.system]));
  const future = computeStepTimings(applyToVisits(visits, plan, options.seed), { seed: options.seed })
    .filter((step) => step.visits > 0)
    .map((step, order) => ({ ...step, order, system: step.system ?? systemOf.get(step.name) ?? systemOf.get(step.name.split(' + ')[0]) ?? null }));
  const futureByName = new Map(future.map((step) => [step.name, step]));
  const changedSteps: string[] = [];
  for (const step of currentSteps) {
    const after = futureByName.get(step.name);
    if (
      !after ||
      after.visits !== step.visits ||
      after.delayMs.median !== step.delayMs.median ||
      after.activeMs.median !== step.activeMs.median ||
      after.owner?.name !== step.owner?.name
    ) {
      changedSteps.push(step.name);
    }
  }
  for (const step of future) if (!currentSteps.some((current) => current.name === step.name)) changedSteps.push(step.name);
  return { currentSteps, futureSteps: future, changedSteps };
}
