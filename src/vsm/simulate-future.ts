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

/**
 * A copy of the visits with the planned changes applied. The columns are typed arrays of the visits' count (an upper
 * bound: a change only drops or merges visits), cut to the kept count at the end: at 5 M events growing JS arrays held
 * about 300 MB more at the peak of `vsm simulate`.
 */
export function applyToVisits(visits: StepVisits, plan: VisitAdjustments, seed: number): StepVisits {
  const rng = makeRng(seed ^ 0x5eed);
  const bound = visits.count;
  const keep = new Int32Array(bound);
  let kept = 0;
  const caseVisitStart = new Int32Array(visits.caseCount + 1);
  const activeMs = new Float64Array(bound);
  const queueMs = new Float64Array(bound);
  const waitingMs = new Float64Array(bound);
  const blockedMs = new Float64Array(bound);
  const elapsedMs = new Float64Array(bound);
  const exitedAt = new Float64Array(bound);
  const open = new Uint8Array(bound);
  const ownerCode = new Int32Array(bound);
  for (let c = 0; c < visits.caseCount; c++) {
    caseVisitStart[c] = kept;
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
      const last = kept - 1;
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
      keep[kept] = v;
      activeMs[kept] = active;
      queueMs[kept] = visits.activeUnknown ? 0 : queue;
      waitingMs[kept] = waiting;
      blockedMs[kept] = blocked;
      const removedMs = visits.activeUnknown ? visits.elapsedMs[v] - queue : visits.queueMs[v] - queue + visits.waitingMs[v] - waiting + visits.blockedMs[v] - blocked;
      elapsedMs[kept] = visits.elapsedMs[v] - removedMs;
      exitedAt[kept] = visits.exitedAt[v];
      open[kept] = visits.open[v];
      ownerCode[kept] = plan.activeOwner[v];
      kept++;
    }
  }
  caseVisitStart[visits.caseCount] = kept;
  const pick = <T extends Int32Array | Float64Array | Uint8Array>(source: T): T => {
    const Ctor = source.constructor as new (length: number) => T;
    const out = new Ctor(kept);
    for (let k = 0; k < kept; k++) out[k] = source[keep[k]];
    return out;
  };
  // Exactly the kept count (a copy when visits were dropped, so the bound's tail is freed).
  const cut = <T extends Int32Array | Float64Array | Uint8Array>(column: T): T => (kept === bound ? column : (column.slice(0, kept) as T));
  const steps: StepDefinition[] = visits.steps.map((step) => ({ ...step }));
  for (const { into, from } of plan.merges) {
    steps[into] = { ...steps[into], name: `${steps[into].name} + ${visits.steps[from].name}`, members: [...steps[into].members, ...visits.steps[from].members] };
  }
  return {
    count: kept,
    caseCount: visits.caseCount,
    steps,
    owners: visits.owners,
    ownerLevel: visits.ownerLevel,
    caseCode: pick(visits.caseCode),
    caseVisitStart,
    stepCode: pick(visits.stepCode),
    ownerCode: cut(ownerCode),
    enteredAt: pick(visits.enteredAt),
    workStartedAt: pick(visits.workStartedAt),
    exitedAt: cut(exitedAt),
    activeMs: cut(activeMs),
    queueMs: cut(queueMs),
    waitingMs: cut(waitingMs),
    blockedMs: cut(blockedMs),
    elapsedMs: cut(elapsedMs),
    open: cut(open),
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
