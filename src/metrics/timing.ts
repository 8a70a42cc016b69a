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
import type { EventLog } from '../model/event-log.js';
import type { VsmConfig } from '../model/config-schema.js';
import { MISSING_CODE } from '../model/dictionary.js';
import type { StatusClass } from '../model/status-class.js';
import type { CaseTimes, StepVisits } from '../traces/step-visits.js';
import type { ReportJson, StepJson } from '../contracts/report-schema.js';
import { type Distribution, summarizeInPlace, THIN_EVIDENCE_N } from './distribution.js';
import { computeFlowEfficiency } from './flow-efficiency.js';
import { cycleTimeSummary, leadTimeSummary } from './lead-time.js';

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
  for (let k = 0; k < count; k++) if (codes[k] > largest) largest = codes[k];
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
class PerStepCounts {
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

/**
 * The pass in visit order: cases and rework cases per step (a case's visits are contiguous, so the last case seen in
 * a step tells whether the case is new to it), each visit's owner (and system, when `systemCodes` is given: by the
 * visit's first event) at its step slot, the lead-time totals (each step's summed in its visits' order), and which
 * distributions each visit enters (`counted`, IN_* flags; 0 for the visits of outcome steps, `skip`).
 */
function visitPass(visits: StepVisits, skip: Uint8Array, perStep: PerStepCounts, owners: Int32Array, systemCodes: Int32Array | undefined, systems: Int32Array, counted: Uint8Array, cursor: Int32Array): void {
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
    if (systemCodes !== undefined) systems[slot] = firstEvent ? systemCodes[firstEvent[v]] : MISSING_CODE;
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

/** gatherColumn when every value it would gather is +0: each step's IN_CLOSED count of zeros, no pass over the visits. */
function fillZeros(slotStart: Int32Array, closed: Int32Array, values: Float64Array, cursor: Int32Array): void {
  for (let s = 0; s < closed.length; s++) {
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
 * The steps of the map with their timing, in map order.
 *
 * Two ways through the visits, both in visit order: one pass for the counts, owners and totals, then one per
 * distribution, which writes its values of every step into one column by step slot and summarizes each step's slice
 * in place (it is not read again). Every step's values are in the same order as when each step gathered its visits.
 */
export function computeStepTimings(visits: StepVisits, options: StepTimingOptions = {}): StepJson[] {
  const { seed = 1, config, log, defaultSystem = null } = options;
  const stepCount = visits.steps.length;
  const slotStart = slotsByStep(visits);
  // Outcome steps (done statuses) are not boxes: their visits are skipped.
  const skip = new Uint8Array(stepCount);
  visits.steps.forEach((step, stepCode) => (skip[stepCode] = step.outcome ? 1 : 0));
  const systemSpec = config?.system;
  const systemColumn = typeof systemSpec === 'object' && log ? log.attributes.get(systemSpec.attribute) : undefined;
  const scratch = { counts: new Int32Array(64) };

  const perStep = new PerStepCounts(stepCount);
  const owners = new Int32Array(visits.count);
  const systems = new Int32Array(systemColumn ? visits.count : 0);
  const counted = new Uint8Array(visits.count);
  const cursor = slotStart.slice(0, stepCount);
  visitPass(visits, skip, perStep, owners, systemColumn?.codes, systems, counted, cursor);
  const { cases, reworkCases, totalDelayMs, totalActiveMs } = perStep;

  const values = new Float64Array(visits.count);
  const distributionOf = (gather: () => void): Distribution[] => {
    cursor.set(slotStart.subarray(0, stepCount));
    gather();
    const byStep: Distribution[] = [];
    for (let s = 0; s < stepCount; s++) if (skip[s] === 0) byStep[s] = summarizeInPlace(values.subarray(slotStart[s], cursor[s]), { seed });
    return byStep;
  };
  const { count, stepCode } = visits;
  const closedColumn = (flag: number, column: Float64Array) => distributionOf(() => gatherColumn(count, counted, flag, stepCode, column, values, cursor));
  const active = closedColumn(IN_TIMED, visits.activeMs);
  const queue = closedColumn(IN_TIMED, visits.queueMs);
  const zeros = () => distributionOf(() => fillZeros(slotStart, perStep.closed, values, cursor));
  const waiting = perStep.anyWaiting ? closedColumn(IN_CLOSED, visits.waitingMs) : zeros();
  const blocked = perStep.anyBlocked ? closedColumn(IN_CLOSED, visits.blockedMs) : zeros();
  const elapsed = closedColumn(IN_CLOSED | IN_ELAPSED_ONLY, visits.elapsedMs);
  const delay = visits.activeUnknown ? closedColumn(IN_ELAPSED_ONLY, visits.elapsedMs) : distributionOf(() => gatherDelay(visits, counted, values, cursor));

  const out: StepJson[] = [];
  visits.steps.forEach((step, stepCode) => {
    options.onProgress?.(stepCode + 1, visits.steps.length);
    if (step.outcome) return;
    const from = slotStart[stepCode];
    const n = slotStart[stepCode + 1] - from;
    const stepOwners = owners.subarray(from, from + n);
    let owner: StepJson['owner'] = null;
    if (step.owner !== null) {
      // A configured owner is shown with its measured share (0 when the data never names it).
      const ownerCode = visits.owners.codeOf(step.owner);
      let owned = 0;
      for (let k = 0; k < n; k++) if (ownerCode !== MISSING_CODE && stepOwners[k] === ownerCode) owned++;
      owner = { name: step.owner, share: n === 0 ? 0 : owned / n };
    } else {
      const [ownerCode, owned] = dominantCode(stepOwners, n, scratch);
      if (ownerCode !== MISSING_CODE) owner = { name: visits.owners.valueOf(ownerCode) as string, share: owned / n };
    }
    let system = step.system ?? (typeof systemSpec === 'string' ? systemSpec : null);
    if (system === null && systemColumn) system = systemColumn.dictionary.valueOf(dominantCode(systems.subarray(from, from + n), n, scratch)[0]) ?? null;
    if (system === null) system = defaultSystem;

    const activeMs = active[stepCode];
    const queueMs = queue[stepCode];
    const waitingMs = waiting[stepCode];
    const blockedMs = blocked[stepCode];
    out.push({
      name: step.name,
      order: out.length,
      class: stepClass(step.members, [queueMs.sum, activeMs.sum, waitingMs.sum, blockedMs.sum]),
      members: step.members,
      valueClass: step.valueClass,
      owner,
      system,
      visits: n,
      cases: cases[stepCode],
      reworkCases: reworkCases[stepCode],
      activeMs,
      queueMs,
      waitingMs,
      blockedMs,
      elapsedMs: elapsed[stepCode],
      delayMs: delay[stepCode],
      activeUnknown: visits.activeUnknown,
      totalDelayMs: totalDelayMs[stepCode],
      totalActiveMs: totalActiveMs[stepCode],
      thin: n < THIN_EVIDENCE_N,
    });
  });
  return out;
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
