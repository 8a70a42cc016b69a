/**
 * Per-step timing (DESIGN §4, report StepSchema): how many visits and cases, how long each visit spent in each
 * class, the total delay each step adds to lead time, and who owns it.
 *
 * Which visits count where:
 * - distributions (activeMs, queueMs, waitingMs, blockedMs, elapsedMs, delayMs) use the step's *closed* visits; an open
 *   visit's time is censored at asOf and would pull the statistics down (open work shows in flow aging);
 * - activity logs: a visit without a start has unknown active and queue time and is left out of those two;
 *   single-timestamp logs (activeUnknown) report only elapsed time, without each case's first visit (there is
 *   no earlier completion to measure from, so its 0 is not a measurement);
 * - totals (totalDelayMs, totalActiveMs) sum over the visits inside the lead time (trigger → first outcome),
 *   open ones included up to asOf, so they add up with the lead times. In single-timestamp logs the delay is
 *   the elapsed time (wait and work cannot be told apart there), as is each visit's delayMs.
 * - outcome steps (done statuses) are not boxes on the map and are left out.
 */
import type { AttributeColumn, EventLog } from '../model/event-log.js';
import type { VsmConfig } from '../model/config-schema.js';
import { type Dictionary, MISSING_CODE } from '../model/dictionary.js';
import type { StatusClass } from '../model/status-class.js';
import type { CaseTimes, StepDefinition, StepVisits } from '../traces/step-visits.js';
import type { ReportJson, StepJson } from '../contracts/report-schema.js';
import { type Distribution, summarizeInPlace, summarizeSketch, THIN_EVIDENCE_N } from './distribution.js';
import { computeFlowEfficiency } from './flow-efficiency.js';
import { cycleTimeSummary, leadTimeSummary } from './lead-time.js';
import { exactValuesLimit, ValueSketch } from './value-sketch.js';

const TIME_CLASSES: readonly StatusClass[] = ['queue', 'active', 'waiting', 'blocked'];

/**
 * A step's class: its members' class when they agree, else the class holding most of its time
 * (`sumsMs` in the order queue, active, waiting, blocked; ties go to the earlier).
 */
export function stepClass(members: readonly { statusClass: StatusClass }[], sumsMs: readonly number[]): StatusClass {
  const classes = new Set(members.map((member) => member.statusClass));
  if (classes.size === 1) return [...classes][0];
  let best = 0;
  for (let k = 1; k < TIME_CLASSES.length; k++) if (sumsMs[k] > sumsMs[best]) best = k;
  return TIME_CLASSES[best];
}

export interface StepTimingOptions {
  /** Seed of the bootstrap intervals. */
  seed?: number;
  config?: VsmConfig;
  /** Needed when `config.system` names an event attribute (only its attribute columns are read). */
  log?: Pick<EventLog, 'attributes'>;
  /**
   * The system attribute's code of each visit (by visit index), when the visits' first events are not the log's
   * events (a stored log's ranges: src/vsm/analyze-stored.ts); the log's column then gives only the dictionary.
   */
  visitSystems?: Int32Array;
  /** A step's system when the config names none (e.g. the source type, "Jira"). */
  defaultSystem?: string | null;
  /** Progress: steps begun of all steps (throttled by the caller). */
  onProgress?: (done: number, total: number) => void;
}

/** The most frequent code among `codes` (MISSING_CODE ignored) and its count; ties → the lower code. */
function dominantCode(codes: Int32Array, count: number, scratch: { counts: Int32Array }): [number, number] {
  const largest = largestCode(codes, count);
  if (largest < 0) return [MISSING_CODE, 0];
  if (scratch.counts.length <= largest) scratch.counts = new Int32Array(Math.max(largest + 1, 2 * scratch.counts.length));
  const { counts } = scratch;
  counts.fill(0, 0, largest + 1);
  countCodes(codes, count, counts);
  const found = dominantScratch;
  mostFrequent(counts, largest, found);
  return [found[0], found[1]];
}

/*
 * dominantCode's three loops as leaf functions over typed arrays: in one function, each loop compiled on the fly was
 * thrown away at the cold code after it (6 times in a 1 M-event analysis), and the next loop began in the interpreter.
 */

/** mostFrequent's results: the code, its count. */
const dominantScratch = new Int32Array(2);

/** The largest of codes[0, count), −1 when there is none or all are below 0. */
function largestCode(codes: Int32Array, count: number): number {
  let largest = -1;
  // The code read once, before the test (h27b-cold): a second read behind the test had no type feedback when V8
  // compiled the loop on the fly, so that code was thrown away in mid-loop at the first larger code after it.
  for (let k = 0; k < count; k++) {
    const code = codes[k];
    if (code > largest) largest = code;
  }
  return largest;
}

/** counts[code]++ for each of codes[0, count) other than MISSING_CODE. */
function countCodes(codes: Int32Array, count: number, counts: Int32Array): void {
  for (let k = 0; k < count; k++) if (codes[k] !== MISSING_CODE) counts[codes[k]]++;
}

/** The code in [0, largest] with the largest count (the lowest of the tied ones; MISSING_CODE and 0 when all are 0). */
function mostFrequent(counts: Int32Array, largest: number, found: Int32Array): void {
  let best = MISSING_CODE;
  let bestCount = 0;
  // Ascending codes: the first with the largest count is the lowest of the tied ones.
  for (let code = 0; code <= largest; code++) {
    if (counts[code] > bestCount) {
      best = code;
      bestCount = counts[code];
    }
  }
  found[0] = best;
  found[1] = bestCount;
}

/**
 * Which distributions a visit enters (visitPass's `counted` flags): closed visits of map steps enter the elapsed,
 * waiting and blocked times (IN_CLOSED); those with a start, or every closed visit of a status log, also the active,
 * queue and delay times (IN_TIMED). Single-timestamp logs: only elapsed and delay, both the elapsed time, for the closed
 * visits that are not their case's first (IN_ELAPSED_ONLY).
 */
const IN_CLOSED = 1;
const IN_TIMED = 2;
const IN_ELAPSED_ONLY = 4;

/**
 * Step s's visits hold [slotStart[s], slotStart[s + 1]) of a column "by step": the slots a pass in visit order fills
 * per step through a cursor, so each step's values are in visit order (one counting pass).
 */
function slotsByStep(visits: StepVisits): Int32Array {
  const stepCount = visits.steps.length;
  const slotStart = new Int32Array(stepCount + 1);
  for (let v = 0; v < visits.count; v++) slotStart[visits.stepCode[v] + 1]++;
  for (let s = 0; s < stepCount; s++) slotStart[s + 1] += slotStart[s];
  return slotStart;
}

/** Per-step counts and lead-time totals of visitPass. */
export class PerStepCounts {
  readonly cases: Int32Array;
  readonly reworkCases: Int32Array;
  readonly totalDelayMs: Float64Array;
  readonly totalActiveMs: Float64Array;
  /** Visits counted IN_CLOSED per step. */
  readonly closed: Int32Array;
  /** Whether any IN_CLOSED visit has a waiting (blocked) time other than +0: else the column is +0 for all of them. */
  anyWaiting = false;
  anyBlocked = false;

  constructor(stepCount: number) {
    this.cases = new Int32Array(stepCount);
    this.reworkCases = new Int32Array(stepCount);
    this.totalDelayMs = new Float64Array(stepCount);
    this.totalActiveMs = new Float64Array(stepCount);
    this.closed = new Int32Array(stepCount);
  }
}

/** The system attribute's codes a visit's system is read from: by its first event (the log's column) or by visit. */
interface SystemCodes {
  readonly codes: Int32Array;
  readonly byVisit: boolean;
}

/**
 * The pass in visit order: cases and rework cases per step (a case's visits are contiguous, so the last case seen in
 * a step tells whether the case is new to it), each visit's owner (and system, when `systemCodes` is given: by the
 * visit's first event) at its step slot, the lead-time totals (each step's summed in its visits' order), and which
 * distributions each visit enters (`counted`, IN_* flags; 0 for the visits of outcome steps, `skip`).
 */
function visitPass(visits: StepVisits, skip: Uint8Array, perStep: PerStepCounts, owners: Int32Array, systemCodes: SystemCodes | undefined, systems: Int32Array, counted: Uint8Array, cursor: Int32Array): void {
  const { count, caseCode, caseVisitStart, stepCode, ownerCode, inLead, firstEvent, open, workStartedAt, activeMs, queueMs, waitingMs, blockedMs, elapsedMs, activeUnknown } = visits;
  const { cases, reworkCases, totalDelayMs, totalActiveMs, closed } = perStep;
  let anyWaiting = false;
  let anyBlocked = false;
  const needsStart = visits.shape === 'activity';
  const stepCount = cases.length;
  const lastCase = new Int32Array(stepCount).fill(-1);
  const visitsInCase = new Int32Array(stepCount);
  for (let v = 0; v < count; v++) {
    const s = stepCode[v];
    if (skip[s] === 1) continue;
    const c = caseCode[v];
    if (lastCase[s] !== c) {
      lastCase[s] = c;
      visitsInCase[s] = 0;
      cases[s]++;
    }
    if (++visitsInCase[s] === 2) reworkCases[s]++;
    const slot = cursor[s]++;
    owners[slot] = ownerCode[v];
    if (systemCodes !== undefined) systems[slot] = systemCodes.byVisit ? systemCodes.codes[v] : firstEvent ? systemCodes.codes[firstEvent[v]] : MISSING_CODE;
    if (inLead === undefined || inLead[v] === 1) {
      totalActiveMs[s] += activeMs[v];
      totalDelayMs[s] += activeUnknown ? elapsedMs[v] : queueMs[v] + waitingMs[v] + blockedMs[v];
    }
    if (open[v] === 1) continue;
    if (activeUnknown) {
      counted[v] = v === caseVisitStart[c] ? 0 : IN_ELAPSED_ONLY;
      continue;
    }
    counted[v] = needsStart && Number.isNaN(workStartedAt[v]) ? IN_CLOSED : IN_CLOSED | IN_TIMED;
    closed[s]++;
    // Not +0 (−0 and NaN included): activity logs have no waiting or blocked time, so these stay false there.
    const waitingValue = waitingMs[v];
    if (waitingValue !== 0 || 1 / waitingValue < 0) anyWaiting = true;
    const blockedValue = blockedMs[v];
    if (blockedValue !== 0 || 1 / blockedValue < 0) anyBlocked = true;
  }
  perStep.anyWaiting = anyWaiting;
  perStep.anyBlocked = anyBlocked;
}

/**
 * One distribution's values of every step at once, in visit order: `column`'s value of each visit whose `counted`
 * flags include `flag`, step s's at [slotStart[s], cursor[s]) of `values`. A leaf loop over three columns read in
 * order: gathering step by step read every visit column once per step (each step's visits are strided across them).
 */
function gatherColumn(count: number, counted: Uint8Array, flag: number, stepCode: Int32Array, column: Float64Array, values: Float64Array, cursor: Int32Array): void {
  for (let v = 0; v < count; v++) if ((counted[v] & flag) !== 0) values[cursor[stepCode[v]]++] = column[v];
}

/**
 * gatherColumn when some steps hold their values as sketches (more visits than the exact-values limit): a sketched
 * step's value goes to its sketch, another's to its room (the rooms of the steps without a sketch only).
 */
function gatherColumnBounded(
  count: number,
  counted: Uint8Array,
  flag: number,
  stepCode: Int32Array,
  column: Float64Array,
  values: Float64Array,
  cursor: Int32Array,
  sketches: ReadonlyArray<ValueSketch | undefined>,
): void {
  for (let v = 0; v < count; v++) {
    if ((counted[v] & flag) === 0) continue;
    const step = stepCode[v];
    const sketch = sketches[step];
    if (sketch !== undefined) sketch.add(column[v]);
    else values[cursor[step]++] = column[v];
  }
}

/** gatherDelay when some steps hold their values as sketches (gatherColumnBounded). */
function gatherDelayBounded(visits: StepVisits, counted: Uint8Array, values: Float64Array, cursor: Int32Array, sketches: ReadonlyArray<ValueSketch | undefined>): void {
  const { count, stepCode, queueMs, waitingMs, blockedMs } = visits;
  for (let v = 0; v < count; v++) {
    if ((counted[v] & IN_TIMED) === 0) continue;
    const step = stepCode[v];
    const delay = queueMs[v] + waitingMs[v] + blockedMs[v];
    const sketch = sketches[step];
    if (sketch !== undefined) sketch.add(delay);
    else values[cursor[step]++] = delay;
  }
}

/** gatherColumn when every value it would gather is +0: each step's IN_CLOSED count of zeros, no pass over the visits. */
function fillZeros(slotStart: Int32Array, closed: Int32Array, values: Float64Array, cursor: Int32Array, sketches: ReadonlyArray<ValueSketch | undefined> | null = null): void {
  for (let s = 0; s < closed.length; s++) {
    const sketch = sketches?.[s];
    if (sketch !== undefined) {
      for (let k = 0; k < closed[s]; k++) sketch.add(0);
      continue;
    }
    values.fill(0, slotStart[s], slotStart[s] + closed[s]);
    cursor[s] = slotStart[s] + closed[s];
  }
}

/** gatherColumn of each visit's delay: queue + waiting + blocked (added in that order). */
function gatherDelay(visits: StepVisits, counted: Uint8Array, values: Float64Array, cursor: Int32Array): void {
  const { count, stepCode, queueMs, waitingMs, blockedMs } = visits;
  for (let v = 0; v < count; v++) if ((counted[v] & IN_TIMED) !== 0) values[cursor[stepCode[v]]++] = queueMs[v] + waitingMs[v] + blockedMs[v];
}

/**
 * Step timings of a partition of the cases, what the merge needs: the per-step counts and lead-time totals (sums;
 * a case lies in one partition, so its cases and rework cases count once), each visit's owner and system at its
 * step slot, and which distributions each visit enters (`counted`). The distributions' values are gathered from the
 * partition's own visit columns at the finish, one distribution at a time into one buffer for every step and
 * partition (the order of one pass over all visits): the one-partition path needs no more memory than before. A
 * partition handed over for good would gather its values into a GroupedValues (or a quantile sketch) instead.
 */
export interface StepTimingPartial {
  readonly visits: StepVisits;
  /** Step s's visits hold [slotStart[s], slotStart[s + 1]) of `owners` and `systems`. */
  readonly slotStart: Int32Array;
  readonly perStep: PerStepCounts;
  readonly owners: Int32Array;
  /** Empty when no system attribute is read. */
  readonly systems: Int32Array;
  readonly counted: Uint8Array;
}

/** The system attribute column the config names, if any. */
function systemColumnOf(options: StepTimingOptions) {
  const systemSpec = options.config?.system;
  return typeof systemSpec === 'object' && options.log ? options.log.attributes.get(systemSpec.attribute) : undefined;
}

/** The step-timing partial of visits: one pass in visit order (counts, owners, totals, `counted` flags). */
export function accumulateStepTimings(visits: StepVisits, options: Pick<StepTimingOptions, 'config' | 'log' | 'visitSystems'> = {}): StepTimingPartial {
  const stepCount = visits.steps.length;
  const slotStart = slotsByStep(visits);
  // Outcome steps (done statuses) are not boxes: their visits are skipped.
  const skip = skipOf(visits.steps);
  const systemColumn = systemColumnOf(options);
  const perStep = new PerStepCounts(stepCount);
  const owners = new Int32Array(visits.count);
  const systems = new Int32Array(systemColumn ? visits.count : 0);
  const counted = new Uint8Array(visits.count);
  const cursor = slotStart.slice(0, stepCount);
  const systemCodes = systemColumn === undefined ? undefined : options.visitSystems ? { codes: options.visitSystems, byVisit: true } : { codes: systemColumn.codes, byVisit: false };
  visitPass(visits, skip, perStep, owners, systemCodes, systems, counted, cursor);
  return { visits, slotStart, perStep, owners, systems, counted };
}

function skipOf(steps: readonly StepDefinition[]): Uint8Array {
  const skip = new Uint8Array(steps.length);
  steps.forEach((step, stepCode) => (skip[stepCode] = step.outcome ? 1 : 0));
  return skip;
}

/** Per step, the sum over the parts of `column` (in part order: the first part's own column when it is alone). */
function sumColumns<T extends Int32Array | Float64Array>(parts: readonly StepTimingPartial[], column: (perStep: PerStepCounts) => T): T {
  if (parts.length === 1) return column(parts[0].perStep);
  const sum = column(parts[0].perStep).slice() as T;
  for (let p = 1; p < parts.length; p++) {
    const add = column(parts[p].perStep);
    for (let s = 0; s < sum.length; s++) sum[s] += add[s];
  }
  return sum;
}

/** Step s's slots over all parts: [slotStart[s], slotStart[s + 1]), part by part in part order. */
function mergedSlots(parts: readonly StepTimingPartial[], stepCount: number): Int32Array {
  if (parts.length === 1) return parts[0].slotStart;
  const slotStart = new Int32Array(stepCount + 1);
  for (const part of parts) for (let s = 0; s < stepCount; s++) slotStart[s + 1] += part.slotStart[s + 1] - part.slotStart[s];
  for (let s = 0; s < stepCount; s++) slotStart[s + 1] += slotStart[s];
  return slotStart;
}

/** A by-slot column of every part in one (the first part's own when it is alone; empty when the parts have none). */
function mergedBySlot(parts: readonly StepTimingPartial[], column: (part: StepTimingPartial) => Int32Array, slotStart: Int32Array, stepCount: number, present: boolean): Int32Array {
  if (parts.length === 1 || !present) return column(parts[0]);
  const merged = new Int32Array(slotStart[stepCount]);
  const cursor = slotStart.slice(0, stepCount);
  for (const part of parts) {
    const own = column(part);
    for (let s = 0; s < stepCount; s++) {
      merged.set(own.subarray(part.slotStart[s], part.slotStart[s + 1]), cursor[s]);
      cursor[s] += part.slotStart[s + 1] - part.slotStart[s];
    }
  }
  return merged;
}

/**
 * The steps of the map with their timing, in map order, from the partials of contiguous case partitions (in
 * partition order; one partial for the whole log). The steps and owners are the partitions' (the same for all).
 *
 * One distribution at a time: every partition's values of it go into one column by step slot (a step's values of
 * partition p after those of the partitions before it: the order of one pass over all visits), and each step's slice
 * is summarized in place (it is not read again).
 */
export function finishStepTimings(parts: readonly StepTimingPartial[], options: StepTimingOptions = {}): StepJson[] {
  const { seed = 1, config, defaultSystem = null } = options;
  const { steps, owners: ownerNames, activeUnknown } = parts[0].visits;
  const stepCount = steps.length;
  const skip = skipOf(steps);
  const systemSpec = config?.system;
  const systemColumn = systemColumnOf(options);
  const scratch = { counts: new Int32Array(64) };
  const slotStart = mergedSlots(parts, stepCount);
  const cases = sumColumns(parts, (perStep) => perStep.cases);
  const reworkCases = sumColumns(parts, (perStep) => perStep.reworkCases);
  const totalDelayMs = sumColumns(parts, (perStep) => perStep.totalDelayMs);
  const totalActiveMs = sumColumns(parts, (perStep) => perStep.totalActiveMs);
  const closed = sumColumns(parts, (perStep) => perStep.closed);
  const anyWaiting = parts.some((part) => part.perStep.anyWaiting);
  const anyBlocked = parts.some((part) => part.perStep.anyBlocked);
  const owners = mergedBySlot(parts, (part) => part.owners, slotStart, stepCount, true);
  const systems = mergedBySlot(parts, (part) => part.systems, slotStart, stepCount, systemColumn !== undefined);

  // Bounded distributions: a step with more visits than the exact-values limit gets no room in `values` and gathers
  // each distribution into a sketch instead (roomStart: the rooms of the other steps; slotStart itself when none is).
  const limit = exactValuesLimit();
  let roomStart = slotStart;
  let sketches: Array<ValueSketch | undefined> | null = null;
  for (let s = 0; s < stepCount; s++) if (slotStart[s + 1] - slotStart[s] > limit) sketches = [];
  if (sketches !== null) {
    roomStart = new Int32Array(stepCount + 1);
    for (let s = 0; s < stepCount; s++) {
      const size = slotStart[s + 1] - slotStart[s];
      roomStart[s + 1] = roomStart[s] + (size > limit ? 0 : size);
    }
  }
  const sketchedStep = (s: number): boolean => slotStart[s + 1] - slotStart[s] > limit;
  const values = new Float64Array(roomStart[stepCount]);
  const cursor = roomStart.slice(0, stepCount);
  /** Each step's distribution after `gather` ran for every part in order (`perPart` false: once, for all of them). */
  const distributionOf = (gather: (part: StepTimingPartial) => void, perPart = true): Distribution[] => {
    cursor.set(roomStart.subarray(0, stepCount));
    if (sketches !== null) for (let s = 0; s < stepCount; s++) sketches[s] = sketchedStep(s) ? new ValueSketch() : undefined;
    if (perPart) for (const part of parts) gather(part);
    else gather(parts[0]);
    const byStep: Distribution[] = [];
    for (let s = 0; s < stepCount; s++) {
      if (skip[s] !== 0) continue;
      const sketch = sketches?.[s];
      byStep[s] = sketch !== undefined ? summarizeSketch(sketch) : summarizeInPlace(values.subarray(roomStart[s], cursor[s]), { seed });
    }
    return byStep;
  };
  const closedColumn = (flag: number, column: (visits: StepVisits) => Float64Array) =>
    distributionOf((part) =>
      sketches === null
        ? gatherColumn(part.visits.count, part.counted, flag, part.visits.stepCode, column(part.visits), values, cursor)
        : gatherColumnBounded(part.visits.count, part.counted, flag, part.visits.stepCode, column(part.visits), values, cursor, sketches),
    );
  const active = closedColumn(IN_TIMED, (visits) => visits.activeMs);
  const queue = closedColumn(IN_TIMED, (visits) => visits.queueMs);
  const zeros = () =>
    distributionOf(() => {
      fillZeros(roomStart, closed, values, cursor, sketches);
    }, false);
  const waiting = anyWaiting ? closedColumn(IN_CLOSED, (visits) => visits.waitingMs) : zeros();
  const blocked = anyBlocked ? closedColumn(IN_CLOSED, (visits) => visits.blockedMs) : zeros();
  const elapsed = closedColumn(IN_CLOSED | IN_ELAPSED_ONLY, (visits) => visits.elapsedMs);
  const delay = activeUnknown
    ? closedColumn(IN_ELAPSED_ONLY, (visits) => visits.elapsedMs)
    : distributionOf((part) => (sketches === null ? gatherDelay(part.visits, part.counted, values, cursor) : gatherDelayBounded(part.visits, part.counted, values, cursor, sketches)));

  const out: StepJson[] = [];
  steps.forEach((step, stepCode) => {
    options.onProgress?.(stepCode + 1, steps.length);
    if (step.outcome) return;
    const from = slotStart[stepCode];
    const n = slotStart[stepCode + 1] - from;
    const stepOwners = owners.subarray(from, from + n);
    const owner = ownerOf(step, n, ownerNames, (ownerCode) => {
      let owned = 0;
      for (let k = 0; k < n; k++) if (stepOwners[k] === ownerCode) owned++;
      return owned;
    }, () => dominantCode(stepOwners, n, scratch));
    const system = systemOf(step, systemSpec, systemColumn, defaultSystem, () => dominantCode(systems.subarray(from, from + n), n, scratch)[0]);
    const figures = { visits: n, cases: cases[stepCode], reworkCases: reworkCases[stepCode], totalDelayMs: totalDelayMs[stepCode], totalActiveMs: totalActiveMs[stepCode] };
    out.push(stepJsonOf(step, out.length, owner, system, figures, [active[stepCode], queue[stepCode], waiting[stepCode], blocked[stepCode], elapsed[stepCode], delay[stepCode]], activeUnknown));
  });
  return out;
}

/** A step's owner: a configured one with its measured share (0 when the data never names it), else the dominant one. */
function ownerOf(step: StepDefinition, n: number, ownerNames: Dictionary, ownedBy: (ownerCode: number) => number, dominant: () => [number, number]): StepJson['owner'] {
  if (step.owner !== null) {
    const ownerCode = ownerNames.codeOf(step.owner);
    return { name: step.owner, share: n === 0 || ownerCode === MISSING_CODE ? 0 : ownedBy(ownerCode) / n };
  }
  const [ownerCode, owned] = dominant();
  return ownerCode === MISSING_CODE ? null : { name: ownerNames.valueOf(ownerCode) as string, share: owned / n };
}

/** A step's system: configured, else the dominant code of the system attribute, else the default (the source type). */
function systemOf(step: StepDefinition, systemSpec: VsmConfig['system'], systemColumn: AttributeColumn | undefined, defaultSystem: string | null, dominant: () => number): string | null {
  let system = step.system ?? (typeof systemSpec === 'string' ? systemSpec : null);
  if (system === null && systemColumn) system = systemColumn.dictionary.valueOf(dominant()) ?? null;
  return system ?? defaultSystem;
}

/** One step of report.json from its figures; `distributions` in the order active, queue, waiting, blocked, elapsed, delay. */
function stepJsonOf(
  step: StepDefinition,
  order: number,
  owner: StepJson['owner'],
  system: string | null,
  figures: { visits: number; cases: number; reworkCases: number; totalDelayMs: number; totalActiveMs: number },
  distributions: readonly Distribution[],
  activeUnknown: boolean,
): StepJson {
  const [activeMs, queueMs, waitingMs, blockedMs, elapsedMs, delayMs] = distributions;
  return {
    name: step.name,
    order,
    class: stepClass(step.members, [queueMs.sum, activeMs.sum, waitingMs.sum, blockedMs.sum]),
    members: step.members,
    valueClass: step.valueClass,
    owner,
    system,
    visits: figures.visits,
    cases: figures.cases,
    reworkCases: figures.reworkCases,
    activeMs,
    queueMs,
    waitingMs,
    blockedMs,
    elapsedMs,
    delayMs,
    activeUnknown,
    totalDelayMs: figures.totalDelayMs,
    totalActiveMs: figures.totalActiveMs,
    thin: figures.visits < THIN_EVIDENCE_N,
  };
}

/** The distributions of a step in stepJsonOf's order: active, queue, waiting, blocked, elapsed, delay. */
const ACTIVE = 0;
const QUEUE = 1;
const WAITING = 2;
const BLOCKED = 3;
const ELAPSED = 4;
const DELAY = 5;
const DISTRIBUTIONS = 6;

/**
 * One distribution of one step, streamed: its values in the order they come, exact up to the exact-values limit and
 * in a ValueSketch past it (the values so far poured in first, in their order, so the sketch is the one a single pass
 * makes). A step whose visits exceed the limit is sketched in memory even with fewer values (open visits do not
 * count): finish() pours the values into a sketch then too. Bounded: at most `limit` values are held.
 */
class StreamedValues {
  private values = new Float64Array(16);
  private count = 0;
  private sketch: ValueSketch | undefined;

  constructor(private readonly limit: number) {}

  append(slice: Float64Array): void {
    if (this.sketch === undefined && this.count + slice.length > this.limit) this.toSketch();
    if (this.sketch !== undefined) {
      this.sketch.addAll(slice);
      return;
    }
    if (this.count + slice.length > this.values.length) {
      const grown = new Float64Array(Math.min(this.limit, Math.max(2 * this.values.length, this.count + slice.length)));
      grown.set(this.values.subarray(0, this.count));
      this.values = grown;
    }
    this.values.set(slice, this.count);
    this.count += slice.length;
  }

  /** `count` values +0 (a column found to be +0 everywhere so far, not gathered: StepTimingStream's pending zeros). */
  appendZeros(count: number): void {
    if (count > 0) this.append(new Float64Array(count));
  }

  private toSketch(): void {
    const sketch = new ValueSketch();
    sketch.addAll(this.values.subarray(0, this.count));
    this.sketch = sketch;
    this.values = new Float64Array(0);
    this.count = 0;
  }

  /** The distribution: a sketch's when `sketched` (the step's visits are over the limit) or past the limit, else exact. */
  finish(sketched: boolean, seed: number): Distribution {
    if (sketched && this.sketch === undefined) this.toSketch();
    return this.sketch !== undefined ? summarizeSketch(this.sketch) : summarizeInPlace(this.values.subarray(0, this.count), { seed });
  }
}

/**
 * finishStepTimings over contiguous case ranges that are not kept (the event store's ranges, src/vsm/case-chain.ts
 * CaseChainStream): each range's visits are added in case order and let go. What one pass in visit order sums is
 * summed here in the same order (the per-step counts and totals continue from range to range: the same bits), each
 * step's distributions stream their values in visit order (StreamedValues), and owners and systems are counted per
 * step, which is all the dominant code needs. The steps are the map's before its order is known (a range's codes);
 * finish() takes the map order.
 *
 * Memory: per step, at most the exact-values limit of values in each of the six distributions (waiting and blocked
 * only once some value is not +0) and one count per owner (system) code seen — not the visits.
 */
export class StepTimingStream {
  private readonly perStep: PerStepCounts;
  private readonly skip: Uint8Array;
  private readonly visitsOfStep: Int32Array;
  private readonly ownerCounts: Int32Array[];
  private readonly systemCounts: Int32Array[];
  private readonly values: StreamedValues[][];
  /** Per step, the +0 waiting (blocked) values not gathered while every one so far was +0. */
  private readonly pendingWaiting: Int32Array;
  private readonly pendingBlocked: Int32Array;
  private ownerNames: Dictionary | undefined;
  private readonly limit = exactValuesLimit();

  /** `steps`: the ranges' steps (their codes); `activeUnknown`: the whole log's (every range is counted as it is). */
  constructor(
    private readonly steps: readonly StepDefinition[],
    private readonly activeUnknown: boolean,
    private readonly options: Pick<StepTimingOptions, 'config' | 'log'> = {},
  ) {
    const stepCount = steps.length;
    this.perStep = new PerStepCounts(stepCount);
    this.skip = skipOf(steps);
    this.visitsOfStep = new Int32Array(stepCount);
    this.ownerCounts = Array.from({ length: stepCount }, () => new Int32Array(0));
    this.systemCounts = Array.from({ length: stepCount }, () => new Int32Array(0));
    this.values = Array.from({ length: DISTRIBUTIONS }, () => Array.from({ length: stepCount }, () => new StreamedValues(this.limit)));
    this.pendingWaiting = new Int32Array(stepCount);
    this.pendingBlocked = new Int32Array(stepCount);
  }

  /** Adds the visits of the next case range (its activeUnknown must be the log's: the caller sets it). */
  add(visits: StepVisits, visitSystems?: Int32Array): void {
    if (visits.activeUnknown !== this.activeUnknown) throw new Error('StepTimingStream: a range counted with another activeUnknown than the log\'s');
    this.ownerNames ??= visits.owners;
    const { perStep, skip } = this;
    const stepCount = this.steps.length;
    const slotStart = slotsByStep(visits);
    const systemColumn = systemColumnOf(this.options);
    const owners = new Int32Array(visits.count);
    const systems = new Int32Array(systemColumn ? visits.count : 0);
    const counted = new Uint8Array(visits.count);
    const cursor = slotStart.slice(0, stepCount);
    const systemCodes = systemColumn === undefined ? undefined : visitSystems ? { codes: visitSystems, byVisit: true } : { codes: systemColumn.codes, byVisit: false };
    const { anyWaiting: wasWaiting, anyBlocked: wasBlocked } = perStep;
    const closedBefore = perStep.closed.slice();
    visitPass(visits, skip, perStep, owners, systemCodes, systems, counted, cursor);
    perStep.anyWaiting ||= wasWaiting;
    perStep.anyBlocked ||= wasBlocked;
    for (let s = 0; s < stepCount; s++) {
      const from = slotStart[s];
      const n = slotStart[s + 1] - from;
      this.visitsOfStep[s] += n;
      this.ownerCounts[s] = countInto(this.ownerCounts[s], owners.subarray(from, from + n));
      if (systemColumn) this.systemCounts[s] = countInto(this.systemCounts[s], systems.subarray(from, from + n));
    }

    const values = new Float64Array(visits.count);
    const gathered = (distribution: number, gather: () => void) => {
      cursor.set(slotStart.subarray(0, stepCount));
      gather();
      for (let s = 0; s < stepCount; s++) if (skip[s] === 0) this.values[distribution][s].append(values.subarray(slotStart[s], cursor[s]));
    };
    const column = (distribution: number, flag: number, of: Float64Array) => gathered(distribution, () => gatherColumn(visits.count, counted, flag, visits.stepCode, of, values, cursor));
    const zerosOrColumn = (distribution: number, any: boolean, was: boolean, pending: Int32Array, of: Float64Array) => {
      if (!any) {
        for (let s = 0; s < stepCount; s++) pending[s] += perStep.closed[s] - closedBefore[s];
        return;
      }
      if (!was) for (let s = 0; s < stepCount; s++) if (skip[s] === 0) this.values[distribution][s].appendZeros(pending[s]);
      column(distribution, IN_CLOSED, of);
    };
    column(ACTIVE, IN_TIMED, visits.activeMs);
    column(QUEUE, IN_TIMED, visits.queueMs);
    zerosOrColumn(WAITING, perStep.anyWaiting, wasWaiting, this.pendingWaiting, visits.waitingMs);
    zerosOrColumn(BLOCKED, perStep.anyBlocked, wasBlocked, this.pendingBlocked, visits.blockedMs);
    column(ELAPSED, IN_CLOSED | IN_ELAPSED_ONLY, visits.elapsedMs);
    if (this.activeUnknown) column(DELAY, IN_ELAPSED_ONLY, visits.elapsedMs);
    else gathered(DELAY, () => gatherDelay(visits, counted, values, cursor));
  }

  /**
   * The steps of report.json in map order: `steps` is the map order of the ranges' steps and `newCodeOfOld` their
   * re-coding (null: the same order), as ReconstructionJoin.finish gives them; `activeUnknown` the log's (the one the
   * ranges were counted with, or false when they made no visit).
   */
  finish(steps: readonly StepDefinition[], newCodeOfOld: Int32Array | null, activeUnknown: boolean, options: StepTimingOptions = {}): StepJson[] {
    const { seed = 1, config, defaultSystem = null } = options;
    const ownerNames = this.ownerNames;
    const stepCount = steps.length;
    const { perStep } = this;
    const pendingZeros = (any: boolean, pending: Int32Array, distribution: number) => {
      if (!any) for (let s = 0; s < stepCount; s++) if (this.skip[s] === 0) this.values[distribution][s].appendZeros(pending[s]);
    };
    pendingZeros(perStep.anyWaiting, this.pendingWaiting, WAITING);
    pendingZeros(perStep.anyBlocked, this.pendingBlocked, BLOCKED);
    const oldOfNew = new Int32Array(stepCount);
    for (let old = 0; old < stepCount; old++) oldOfNew[newCodeOfOld === null ? old : newCodeOfOld[old]] = old;
    const distributions = this.values.map((byStep) => byStep.map((values, s) => (this.skip[s] === 0 ? values.finish(this.visitsOfStep[s] > this.limit, seed) : undefined)));
    const systemColumn = systemColumnOf(options);
    const found = new Int32Array(2);
    const dominant = (counts: Int32Array): [number, number] => {
      if (counts.length === 0) return [MISSING_CODE, 0];
      mostFrequent(counts, counts.length - 1, found);
      return found[1] === 0 ? [MISSING_CODE, 0] : [found[0], found[1]];
    };
    const out: StepJson[] = [];
    steps.forEach((step, stepCode) => {
      options.onProgress?.(stepCode + 1, steps.length);
      if (step.outcome) return;
      const old = oldOfNew[stepCode];
      const n = this.visitsOfStep[old];
      const owners = this.ownerCounts[old];
      const owner = ownerNames === undefined ? null : ownerOf(step, n, ownerNames, (code) => owners[code] ?? 0, () => dominant(owners));
      const system = systemOf(step, config?.system, systemColumn, defaultSystem, () => dominant(this.systemCounts[old])[0]);
      const figures = { visits: n, cases: perStep.cases[old], reworkCases: perStep.reworkCases[old], totalDelayMs: perStep.totalDelayMs[old], totalActiveMs: perStep.totalActiveMs[old] };
      out.push(stepJsonOf(step, out.length, owner, system, figures, distributions.map((byStep) => byStep[old] as Distribution), activeUnknown));
    });
    return out;
  }
}

/** `counts` (grown to hold the largest code) with each code of `codes` counted (MISSING_CODE not). */
function countInto(counts: Int32Array, codes: Int32Array): Int32Array {
  const largest = largestCode(codes, codes.length);
  let into = counts;
  if (largest >= into.length) {
    into = new Int32Array(Math.max(largest + 1, 2 * counts.length));
    into.set(counts);
  }
  countCodes(codes, codes.length, into);
  return into;
}

/**
 * The steps of the map with their timing, in map order.
 *
 * Two ways through the visits, both in visit order: one pass for the counts, owners and totals, then one per
 * distribution, which writes its values of every step into one column by step slot and summarizes each step's slice
 * in place (it is not read again). Every step's values are in the same order as when each step gathered its visits.
 */
export function computeStepTimings(visits: StepVisits, options: StepTimingOptions = {}): StepJson[] {
  return finishStepTimings([accumulateStepTimings(visits, options)], options);
}

/** The timing parts of report.json, in one call. */
export type TimingJson = Pick<ReportJson, 'steps' | 'leadTimeMs' | 'cycleTimeMs' | 'flowEfficiency'>;

export function computeTimingMetrics(visits: StepVisits, cases: CaseTimes, options: StepTimingOptions = {}): TimingJson {
  const { seed = 1 } = options;
  return {
    steps: computeStepTimings(visits, options),
    leadTimeMs: leadTimeSummary(cases, { seed }),
    cycleTimeMs: cycleTimeSummary(cases, { seed }),
    flowEfficiency: computeFlowEfficiency(cases, { activeKnown: !visits.activeUnknown, seed }),
  };
}
