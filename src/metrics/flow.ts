/**
 * Flow per week (DESIGN §4: throughput, WIP, aging, cumulative flow). Weeks are ISO weeks starting Monday 00:00
 * in `timeZone` (default UTC), from the week of the log's first instant to the week of its last (trigger,
 * outcome, visit entry and exit times).
 *
 * - arrivals: cases triggered in the week; throughput: cases reaching their outcome in the week;
 *   wip: cases triggered by the week's end and not yet at their outcome (cumulative arrivals − throughput).
 * - per step: visits entered / exited in the week and visits open at the week's end (cumulative difference),
 *   dense (every step × every week; zeros included) so cumulative-flow charts need no gap filling.
 * - aging: cases open at asOf, oldest first. ageMs = the case's leadMs (calendar ms trigger → asOf);
 *   step / inStepMs = its open last visit and that visit's elapsedMs (calendar ms entry → asOf). A case
 *   between steps (activity logs: every visit closed, outcome not reached) has step null and inStepMs =
 *   asOf − its last exit in elapsed ms.
 *
 * Bounded (issue 11 items 1 and 4): at most MAX_FLOW_BUCKETS slots — a longer span is bucketed by month,
 * quarter, year, … (time-buckets.ts; `bucket` says which and why; `weekStart` is then the bucket's start) — and
 * per-step rows for the STEP_WEEKS_TOP steps with most visits, the rest summed into one "other (k steps)" row
 * (`otherSteps` = k). One pass over cases and visits plus O(slots × rows).
 */
import { makeZoneClock } from '../calendar/zone-clock.js';
import type { Dictionary } from '../model/dictionary.js';
import { isoDay, MAX_FLOW_BUCKETS, planTimeBuckets, type TimeBuckets } from './time-buckets.js';
import type { ReportJson } from '../contracts/report-schema.js';
import type { CaseTimes, StepVisits } from '../traces/step-visits.js';
import { groupThousands } from '../model/units.js';

export type FlowJson = ReportJson['flow'];

export interface FlowOptions {
  /** IANA zone of the calendar in force; weeks start Monday 00:00 there. Default UTC. */
  timeZone?: string;
  /** Open cases listed in `aging`. */
  agingTop?: number;
  /** Case id names by case code; default the case code as text. */
  caseIds?: Dictionary;
  /** Most slots in the series (see time-buckets.ts). */
  maxBuckets?: number;
  /** Steps with their own per-step rows (most visits first); the others are summed into one "other" row. */
  stepWeeksTop?: number;
}

/** Open cases listed in `aging` unless told. */
export const AGING_TOP = 50;

/** Steps with their own cumulative-flow rows; more steps are summed into "other (k steps)" (issue 11 item 4). */
export const STEP_WEEKS_TOP = 40;

/** Row of each step in stepWeeks: the `top` steps with most visits in map order, then "other (k steps)". */
function stepRows(parts: readonly FlowPartial[], top: number): { rowOfStep: Int32Array; rowNames: string[]; otherSteps: number } {
  const { steps } = parts[0].visits;
  const stepCount = steps.length;
  const rowOfStep = new Int32Array(stepCount);
  if (stepCount <= top) return { rowOfStep: rowOfStep.map((_, s) => s), rowNames: steps.map((step) => step.name), otherSteps: 0 };
  const visitsOfStep = new Float64Array(stepCount);
  for (const { visits } of parts) for (let v = 0; v < visits.count; v++) visitsOfStep[visits.stepCode[v]]++;
  const kept = Array.from({ length: stepCount }, (_, s) => s)
    .sort((a, b) => visitsOfStep[b] - visitsOfStep[a] || a - b)
    .slice(0, top)
    .sort((a, b) => a - b);
  const otherSteps = stepCount - kept.length;
  rowOfStep.fill(kept.length);
  kept.forEach((s, row) => (rowOfStep[s] = row));
  return { rowOfStep, rowNames: [...kept.map((s) => steps[s].name), `other (${groupThousands(otherSteps)} steps)`], otherSteps };
}

/** What the weekly counts read of the visits: their steps, entry and exit (the event store's chain keeps only these). */
export type FlowVisits = Pick<StepVisits, 'steps' | 'count' | 'stepCode' | 'enteredAt' | 'exitedAt'>;

/** An open case listed in `aging`, with its age and log case index: the merge's order (age desc, then case). */
export interface AgingCandidate {
  readonly caseIndex: number;
  readonly row: FlowJson['aging'][number];
}

/**
 * The flow of a partition of the cases: the visit columns the weekly counts read, its case table, and its oldest open
 * cases. The weekly counts are sums, but their slots come from the whole log's span, so the finish counts them from
 * each partition's columns once the span (a min / max over the partitions) is known; the aging candidates merge by
 * (age, case) order.
 */
export interface FlowPartial {
  readonly visits: FlowVisits;
  readonly cases: CaseTimes;
  /** The partition's oldest open cases (agingCandidates): at most agingTop, oldest first. */
  readonly aging: readonly AgingCandidate[];
}

/**
 * Weekly arrivals / throughput / WIP, per-step cumulative flow and the aging of open cases.
 * @example computeFlow(visits, cases, { timeZone: 'Europe/Berlin', caseIds: log.caseIds }).weeks[0] // { weekStart: '2024-01-01', … }
 */
export function computeFlow(visits: StepVisits, cases: CaseTimes, options: FlowOptions = {}): FlowJson {
  return finishFlow([flowPartialOf(visits, cases, 0, options)], options);
}

/** The flow partial of a partition of the cases whose first case is the log's case `firstCase`. */
export function flowPartialOf(visits: StepVisits, cases: CaseTimes, firstCase: number, options: Pick<FlowOptions, 'agingTop' | 'caseIds'> = {}): FlowPartial {
  return { visits, cases, aging: agingCandidates(visits, cases, firstCase, options.agingTop ?? AGING_TOP, options.caseIds) };
}

/** The flow of contiguous case partitions, in partition order (one partition: the whole log). */
export function finishFlow(parts: readonly FlowPartial[], options: FlowOptions = {}): FlowJson {
  const { timeZone, agingTop = AGING_TOP, maxBuckets = MAX_FLOW_BUCKETS, stepWeeksTop = STEP_WEEKS_TOP } = options;

  // Cases first, then visits, as one table's span was found (min / max: the same in any order).
  const span = Float64Array.of(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
  for (let p = 0; p < parts.length; p++) widenSpan(parts[p].cases.triggeredAt, parts[p].cases.outcomeAt, parts[p].cases.caseCount, span);
  for (let p = 0; p < parts.length; p++) widenSpan(parts[p].visits.enteredAt, parts[p].visits.exitedAt, parts[p].visits.count, span);
  const [firstMs, lastMs] = span;
  const aging = mergeAging(parts, agingTop);
  if (!(firstMs <= lastMs)) return { weeks: [], stepWeeks: [], aging, bucket: { unit: 'week', count: 0, reason: null, stepsShown: 0, otherSteps: 0 } };

  const clock = timeZone !== undefined && timeZone !== 'UTC' ? makeZoneClock(timeZone) : null;
  const buckets = planTimeBuckets(firstMs, lastMs, clock, maxBuckets);
  const bucketCount = buckets.count;
  const cursor = new BucketCursor(buckets);

  const arrivals = new Int32Array(bucketCount);
  const throughput = new Int32Array(bucketCount);
  for (let p = 0; p < parts.length; p++) countCases(parts[p].cases, cursor, arrivals, throughput);
  // Per-step rows for the busiest steps only, the rest summed into one "other" row (bounded: rows ≤ buckets × (top + 1)).
  const { rowOfStep, rowNames, otherSteps } = stepRows(parts, stepWeeksTop);
  const rowCount = rowNames.length;
  const entered = new Int32Array(bucketCount * rowCount);
  const exited = new Int32Array(bucketCount * rowCount);
  for (let p = 0; p < parts.length; p++) countVisits(parts[p].visits, rowOfStep, rowCount, cursor, entered, exited);

  const weeks: FlowJson['weeks'] = [];
  const stepWeeks: FlowJson['stepWeeks'] = [];
  let wip = 0;
  const rowWip = new Int32Array(rowCount);
  for (let w = 0; w < bucketCount; w++) {
    const label = buckets.startLabels[w];
    wip += arrivals[w] - throughput[w];
    weeks.push({ weekStart: label, arrivals: arrivals[w], throughput: throughput[w], wip });
    for (let r = 0; r < rowCount; r++) {
      const cell = w * rowCount + r;
      rowWip[r] += entered[cell] - exited[cell];
      const row = { step: rowNames[r], weekStart: label, entered: entered[cell], exited: exited[cell], wip: rowWip[r] };
      stepWeeks.push(r === rowCount - 1 && otherSteps > 0 ? { ...row, otherSteps } : row);
    }
  }
  const bucket: FlowJson['bucket'] = {
    unit: buckets.unit,
    count: bucketCount,
    reason: buckets.unit === 'week' ? null : `the log spans ${isoDay(firstMs)} to ${isoDay(lastMs)}, more than ${maxBuckets} weeks: one slot per ${buckets.unit} keeps the series within ${maxBuckets} slots`,
    stepsShown: rowCount - (otherSteps > 0 ? 1 : 0),
    otherSteps,
  };
  return { weeks, stepWeeks, aging, bucket };
}

/*
 * finishFlow's passes over every case and visit as leaf functions over typed arrays (one call per partition): inside
 * finishFlow, a loop nested in the loop over partitions was compiled on the fly and its code thrown away at the cold
 * code after it (+16 ms at 1 M events, node --cpu-prof).
 */

/** Arrivals and throughput of one partition's cases, counted into their buckets. */
function countCases(cases: CaseTimes, cursor: BucketCursor, arrivals: Int32Array, throughput: Int32Array): void {
  const { triggeredAt, outcomeAt, censored, caseCount } = cases;
  for (let c = 0; c < caseCount; c++) {
    if (Number.isFinite(triggeredAt[c])) arrivals[cursor.indexOf(triggeredAt[c])]++;
    if (censored[c] === 0 && Number.isFinite(outcomeAt[c])) throughput[cursor.indexOf(outcomeAt[c])]++;
  }
}

/** Visits entered and exited per bucket and step row, of one partition's visits. */
function countVisits(visits: FlowVisits, rowOfStep: Int32Array, rowCount: number, cursor: BucketCursor, entered: Int32Array, exited: Int32Array): void {
  const { stepCode, enteredAt, exitedAt, count } = visits;
  for (let v = 0; v < count; v++) {
    const row = rowOfStep[stepCode[v]];
    if (Number.isFinite(enteredAt[v])) entered[cursor.indexOf(enteredAt[v]) * rowCount + row]++;
    if (Number.isFinite(exitedAt[v])) exited[cursor.indexOf(exitedAt[v]) * rowCount + row]++;
  }
}

/**
 * The earliest and latest finite instant of two columns over [0, count), widening span = [firstMs, lastMs].
 * Read and written in `span` inside the loop, nothing after it: the code after a loop compiled on entry (OSR, over
 * the cases) has no type feedback, so a store or an object made there threw that code away (issue 14, warm-up at
 * 1 M: this function bailed out twice and ran unoptimised over most of the visits).
 */
function widenSpan(a: Float64Array, b: Float64Array, count: number, span: Float64Array): void {
  for (let k = 0; k < count; k++) {
    const aMs = a[k];
    if (Number.isFinite(aMs)) {
      if (aMs < span[0]) span[0] = aMs;
      if (aMs > span[1]) span[1] = aMs;
    }
    const bMs = b[k];
    if (Number.isFinite(bMs)) {
      if (bMs < span[0]) span[0] = bMs;
      if (bMs > span[1]) span[1] = bMs;
    }
  }
}

/**
 * `buckets.indexOf` that tries the bucket it answered last before searching: the instants come case by case, and a
 * case's times mostly fall in one week, so most lookups (88 % at 5 M events) skip the binary search and its
 * unpredictable branches. The same answer as indexOf: the last boundary ≤ the instant, 0 when none is (the
 * boundaries ascend strictly; `boundaryMs` holds count + 1 of them, the last one closing the last bucket).
 */
export class BucketCursor {
  private last = 0;
  private readonly boundaryMs: Float64Array;

  constructor(private readonly buckets: Pick<TimeBuckets, 'count' | 'boundaryMs' | 'indexOf'>) {
    this.boundaryMs = buckets.boundaryMs;
  }

  indexOf(instantMs: number): number {
    const last = this.last;
    if (this.boundaryMs[last] <= instantMs && (last === this.buckets.count - 1 || instantMs < this.boundaryMs[last + 1])) return last;
    this.last = this.buckets.indexOf(instantMs);
    return this.last;
  }
}

/**
 * A partition's open cases, oldest first (ties: case order), the first `agingTop` of them with their rows: the
 * merge of every partition's candidates gives the log's first `agingTop`.
 */
export function agingCandidates(visits: StepVisits, cases: CaseTimes, firstCase: number, agingTop: number, caseIds: Dictionary | undefined): AgingCandidate[] {
  const openCases: number[] = [];
  for (let c = 0; c < cases.caseCount; c++) if (cases.censored[c] === 1) openCases.push(c);
  openCases.sort((a, b) => cases.leadMs[b] - cases.leadMs[a] || a - b);
  return openCases.slice(0, agingTop).map((c) => {
    const code = firstCase + c;
    const caseId = caseIds?.valueOf(code) ?? String(code);
    const begin = visits.caseVisitStart[c];
    const last = visits.caseVisitStart[c + 1] - 1;
    const ageMs = cases.leadMs[c];
    if (last < begin) return { caseIndex: code, row: { caseId, step: null, ageMs, inStepMs: ageMs } };
    if (visits.open[last] === 1) return { caseIndex: code, row: { caseId, step: visits.steps[visits.stepCode[last]].name, ageMs, inStepMs: visits.elapsedMs[last] } };
    return { caseIndex: code, row: { caseId, step: null, ageMs, inStepMs: Math.max(0, visits.asOfMs - visits.exitedAt[last]) } };
  });
}

/**
 * The open cases of all partitions, oldest first (ties: case order), the first `agingTop` of them. Sorted even from
 * one partial: the event store's chain hands the candidates of all its ranges as one.
 */
function mergeAging(parts: readonly FlowPartial[], agingTop: number): FlowJson['aging'] {
  const candidates = parts.flatMap((part) => part.aging);
  candidates.sort((a, b) => b.row.ageMs - a.row.ageMs || a.caseIndex - b.caseIndex);
  return candidates.slice(0, agingTop).map((candidate) => candidate.row);
}
