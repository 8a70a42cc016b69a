/** Random StepVisits for property tests of the metrics (old against new on the same visits). */
import { makeRng } from '../../src/metrics/random.js';
import { Dictionary, MISSING_CODE } from '../../src/model/dictionary.js';
import type { AttributeColumn } from '../../src/model/event-log.js';
import type { StatusClass } from '../../src/model/status-class.js';
import type { StepDefinition, StepVisits } from '../../src/traces/step-visits.js';

const CLASSES: StatusClass[] = ['queue', 'active', 'waiting', 'blocked'];

export interface RandomLog {
  visits: StepVisits;
  system: AttributeColumn;
}

/**
 * Random visits: 1–6 steps (some outcome steps, some of two members of different classes), cases of 0–8 visits,
 * missing owners, open visits, visits without a start, whole and fractional durations (and −0, which sends a
 * distribution to the sort), waiting and blocked columns of zeros, in-lead flags or none, activity, status and
 * single-timestamp shapes.
 */
export function randomVisits(seed: number, maxCases: number): RandomLog {
  const rng = makeRng(seed);
  const pick = (n: number) => Math.floor(rng() * n);
  const stepCount = 1 + pick(6);
  const steps: StepDefinition[] = Array.from({ length: stepCount }, (_, s) => ({
    name: `S${s}`,
    members: rng() < 0.3 ? [{ name: `S${s}a`, statusClass: CLASSES[pick(4)], origin: 'test' }, { name: `S${s}b`, statusClass: CLASSES[pick(4)], origin: 'test' }] : [{ name: `S${s}`, statusClass: CLASSES[pick(4)], origin: 'test' }],
    valueClass: 'value-adding',
    owner: null,
    system: null,
    ...(rng() < 0.15 ? { outcome: true } : {}),
  }));
  const owners = new Dictionary();
  for (let k = 0; k < 1 + pick(5); k++) owners.intern(`o${k}`);
  const systemDictionary = new Dictionary();
  for (let k = 0; k < 3; k++) systemDictionary.intern(`sys${k}`);
  const shape = rng() < 0.7 ? 'activity' : 'status';
  const activeUnknown = shape === 'activity' && rng() < 0.2;
  const fractional = rng() < 0.3;
  const caseCount = 1 + pick(maxCases);
  const perCase = Array.from({ length: caseCount }, () => pick(9));
  const count = perCase.reduce((a, b) => a + b, 0);
  const caseVisitStart = new Int32Array(caseCount + 1);
  const caseCode = new Int32Array(count);
  const stepCode = new Int32Array(count);
  const ownerCode = new Int32Array(count);
  const firstEvent = new Int32Array(count);
  const enteredAt = new Float64Array(count);
  const workStartedAt = new Float64Array(count);
  const exitedAt = new Float64Array(count);
  const columns = Array.from({ length: 5 }, () => new Float64Array(count));
  const [activeMs, queueMs, waitingMs, blockedMs, elapsedMs] = columns;
  const open = new Uint8Array(count);
  const inLead = new Uint8Array(count);
  const duration = () => {
    const draw = rng();
    if (draw < 0.2) return 0;
    if (draw < 0.22) return -0;
    const value = Math.floor(rng() * 5_000_000);
    return fractional && rng() < 0.5 ? value + rng() : value;
  };
  let v = 0;
  for (let c = 0; c < caseCount; c++) {
    caseVisitStart[c] = v;
    for (let k = 0; k < perCase[c]; k++, v++) {
      caseCode[v] = c;
      stepCode[v] = pick(stepCount);
      ownerCode[v] = rng() < 0.1 ? MISSING_CODE : pick(owners.size);
      firstEvent[v] = pick(40);
      enteredAt[v] = v * 1000;
      workStartedAt[v] = activeUnknown || rng() < 0.2 ? NaN : v * 1000 + 10;
      open[v] = rng() < 0.1 ? 1 : 0;
      exitedAt[v] = open[v] === 1 ? NaN : v * 1000 + 20;
      for (const column of columns) column[v] = duration();
      if (activeUnknown) activeMs[v] = 0;
      inLead[v] = rng() < 0.8 ? 1 : 0;
    }
  }
  caseVisitStart[caseCount] = v;
  // Often no waiting or blocked time at all (as in every activity log), now and then with one −0 or NaN among the zeros.
  if (rng() < 0.4) {
    waitingMs.fill(0);
    blockedMs.fill(0);
    if (count > 0 && rng() < 0.4) (rng() < 0.5 ? waitingMs : blockedMs)[pick(count)] = rng() < 0.7 ? -0 : NaN;
  }
  const systemCodes = new Int32Array(40);
  for (let k = 0; k < 40; k++) systemCodes[k] = rng() < 0.1 ? MISSING_CODE : pick(3);
  const visits: StepVisits = {
    count,
    caseCount,
    steps,
    owners,
    ownerLevel: 'resource',
    caseCode,
    caseVisitStart,
    stepCode,
    ownerCode,
    enteredAt,
    workStartedAt,
    exitedAt,
    activeMs,
    queueMs,
    waitingMs,
    blockedMs,
    elapsedMs,
    open,
    activeUnknown,
    asOfMs: count * 1000 + 100,
    shape,
    firstEvent,
    ...(rng() < 0.8 ? { inLead } : {}),
  };
  return { visits, system: { name: 'system', dictionary: systemDictionary, codes: systemCodes } };
}
