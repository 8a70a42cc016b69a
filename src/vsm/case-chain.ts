/**
 * The case chain of the report (issue 14, items 3–4; docs/benchmarks.md "h27-part"): the metrics that are sums over
 * cases — step timings, lead and cycle time with their histograms, flow efficiency, handoffs, rework, variants, the
 * DFG, the weekly flow and aging, the open cases — each run as accumulate one partition of the cases → merge the
 * partials in partition order → finish. The in-memory analysis is the one-partition case: its partial references the
 * reconstruction's own columns and the merge of one partial is that partial, so it copies nothing.
 *
 * Partitions are contiguous ranges of the log's cases in case order (first appearance), so every first-seen order
 * (variants, loops, DFG edges, handoff pairs) and every value order comes out as one pass over all cases gives it;
 * sums of whole ms are exact in any grouping. What is not per case stays whole: the wait chain (activity logs) and
 * the ticket wait causes (status logs: an owner's other work and release trains span cases) run once on the log.
 */
import type { ReportJson, StepJson } from '../contracts/report-schema.js';
import { accumulateDfg, finishDfg, mergeDfg } from '../metrics/dfg.js';
import { summarizeInPlace } from '../metrics/distribution.js';
import { finishFlow } from '../metrics/flow.js';
import { computeFlowEfficiency } from '../metrics/flow-efficiency.js';
import { accumulateHandoffs, finishHandoffs, mergeHandoffs } from '../metrics/handoffs.js';
import { durationHistogram } from '../metrics/histogram.js';
import { cycleTimeSummary, leadTimeSummary } from '../metrics/lead-time.js';
import { accumulateRework, finishRework, mergeRework } from '../metrics/rework.js';
import { accumulateStepTimings, finishStepTimings, type StepTimingOptions } from '../metrics/timing.js';
import { accumulateVariants, finishVariants, mergeVariants } from '../metrics/variants.js';
import { exactValuesLimit, SKETCH_RELATIVE_ACCURACY } from '../metrics/value-sketch.js';
import type { Dictionary } from '../model/dictionary.js';
import { qualityNotes, type Reconstruction } from '../traces/reconstruct.js';
import type { QualityCounters } from '../traces/pass-context.js';
import { mergeStepOrderCounts, recodeSteps, stepOrderOf } from '../traces/step-order.js';
import type { CaseTimes, StepVisits } from '../traces/step-visits.js';
import type { AnalyzePhaseCallback } from './analyze-progress.js';
import { loopReporter } from './analyze-progress.js';

/** Most case partitions (a cap on a user-controlled count: more than the cases is as many as the cases). */
export const MAX_CASE_PARTITIONS = 1 << 20;

/** The environment variable that sets AnalyzeOptions.casePartitions where the caller gives none (tests, the CLI). */
export const CASE_PARTITIONS_ENV = 'VSM_CASE_PARTITIONS';

/**
 * The case partitions asked for by VSM_CASE_PARTITIONS (read here only): a whole number ≥ 1, else 1 (the in-memory
 * path). Internal: the report is the same for every count; the count only exercises the merge.
 */
export function casePartitionsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[CASE_PARTITIONS_ENV];
  if (text === undefined || !/^\d+$/.test(text.trim())) return 1;
  return Math.max(1, Math.min(MAX_CASE_PARTITIONS, Number(text.trim())));
}

/** `count` contiguous case ranges of about equal size covering [0, caseCount) (fewer when there are fewer cases; one at least). */
export function casePartitionRanges(caseCount: number, count: number): Array<{ start: number; end: number }> {
  const k = Math.max(1, Math.min(Math.floor(count), caseCount, MAX_CASE_PARTITIONS));
  const ranges: Array<{ start: number; end: number }> = [];
  for (let p = 0; p < k; p++) ranges.push({ start: Math.floor((p * caseCount) / k), end: Math.floor(((p + 1) * caseCount) / k) });
  return ranges;
}

/** The reconstruction of one case partition with its place in the log. */
export interface CasePartition {
  readonly reconstruction: Pick<Reconstruction, 'visits' | 'cases'>;
  /** The log's case index of the partition's case 0. */
  readonly firstCase: number;
  /** The system attribute's code by visit (StepTimingOptions.visitSystems); absent: read from the log's column. */
  readonly visitSystems?: Int32Array;
}

function sumCounters(parts: readonly QualityCounters[]): QualityCounters {
  const sum = { ...parts[0] };
  for (let p = 1; p < parts.length; p++) for (const key of Object.keys(sum) as Array<keyof QualityCounters>) sum[key] += parts[p][key];
  return sum;
}

function concatColumns<T extends Int32Array | Float64Array | Uint8Array>(columns: readonly T[], make: (length: number) => T): T {
  let length = 0;
  for (const column of columns) length += column.length;
  const joined = make(length);
  let at = 0;
  for (const column of columns) {
    joined.set(column, at);
    at += column.length;
  }
  return joined;
}

/** The case tables of contiguous partitions as one, in partition order (the table itself when it is alone). */
export function joinCaseTimes(parts: readonly CaseTimes[]): CaseTimes {
  if (parts.length === 1) return parts[0];
  const f64 = (column: (cases: CaseTimes) => Float64Array) => concatColumns(parts.map(column), (n) => new Float64Array(n));
  const u8 = (column: (cases: CaseTimes) => Uint8Array | undefined) => concatColumns(parts.map((cases) => column(cases) ?? new Uint8Array(cases.caseCount)), (n) => new Uint8Array(n));
  let caseCount = 0;
  for (const cases of parts) caseCount += cases.caseCount;
  return {
    caseCount,
    triggeredAt: f64((cases) => cases.triggeredAt),
    outcomeAt: f64((cases) => cases.outcomeAt),
    firstActiveAt: f64((cases) => cases.firstActiveAt),
    censored: u8((cases) => cases.censored),
    leadMs: f64((cases) => cases.leadMs),
    cycleMs: f64((cases) => cases.cycleMs),
    activeMs: f64((cases) => cases.activeMs),
    delayMs: f64((cases) => cases.delayMs),
    reopens: concatColumns(parts.map((cases) => cases.reopens ?? new Int32Array(cases.caseCount)), (n) => new Int32Array(n)),
    leftCensored: u8((cases) => cases.leftCensored),
  };
}

/** The visit tables of contiguous partitions as one (case codes and case ranges shifted to the log's cases). */
function joinVisits(parts: readonly StepVisits[]): StepVisits {
  const i32 = (column: (visits: StepVisits) => Int32Array) => concatColumns(parts.map(column), (n) => new Int32Array(n));
  const f64 = (column: (visits: StepVisits) => Float64Array) => concatColumns(parts.map(column), (n) => new Float64Array(n));
  const u8 = (column: (visits: StepVisits) => Uint8Array) => concatColumns(parts.map(column), (n) => new Uint8Array(n));
  let count = 0;
  let caseCount = 0;
  for (const visits of parts) {
    count += visits.count;
    caseCount += visits.caseCount;
  }
  const caseCode = new Int32Array(count);
  const caseVisitStart = new Int32Array(caseCount + 1);
  let visitBase = 0;
  let caseBase = 0;
  for (const visits of parts) {
    for (let v = 0; v < visits.count; v++) caseCode[visitBase + v] = caseBase + visits.caseCode[v];
    for (let c = 1; c <= visits.caseCount; c++) caseVisitStart[caseBase + c] = visitBase + visits.caseVisitStart[c];
    visitBase += visits.count;
    caseBase += visits.caseCount;
  }
  const first = parts[0];
  return {
    ...first,
    count,
    caseCount,
    caseCode,
    caseVisitStart,
    stepCode: i32((visits) => visits.stepCode),
    ownerCode: i32((visits) => visits.ownerCode),
    enteredAt: f64((visits) => visits.enteredAt),
    workStartedAt: f64((visits) => visits.workStartedAt),
    exitedAt: f64((visits) => visits.exitedAt),
    activeMs: f64((visits) => visits.activeMs),
    queueMs: f64((visits) => visits.queueMs),
    waitingMs: f64((visits) => visits.waitingMs),
    blockedMs: f64((visits) => visits.blockedMs),
    elapsedMs: f64((visits) => visits.elapsedMs),
    open: u8((visits) => visits.open),
    ...(first.inLead ? { inLead: u8((visits) => visits.inLead as Uint8Array) } : {}),
    ...(first.firstEvent ? { firstEvent: i32((visits) => visits.firstEvent as Int32Array) } : {}),
  };
}

/**
 * The reconstructions of contiguous case ranges (reconstructVisits with `cases`, in case order) made whole: the map
 * order from their summed order counts (each range's step codes re-coded in place), active time unknown when no
 * instance of the log has a start, the quality counters summed and their notes said once. Returns the ranges ready
 * for the case chain and their join (what the sufficiency verdicts and the callers of analyzeLog read: compare,
 * simulate); the join copies every column, which only this internal multi-partition path pays.
 */
export function joinPartitions(parts: readonly Reconstruction[], eventCount: number): { partitions: CasePartition[]; whole: Reconstruction } {
  const info = parts.map((part) => {
    if (part.partition === undefined) throw new Error('joinPartitions: a reconstruction of the whole log is not a case range');
    return part.partition;
  });
  info.forEach((range, p) => {
    const expected = p === 0 ? 0 : info[p - 1].endCase;
    if (range.firstCase !== expected) throw new Error(`joinPartitions: case ranges are not contiguous at partition ${p}`);
  });
  const order = stepOrderOf(parts[0].visits.steps, info[0].configuredSteps, mergeStepOrderCounts(info.map((range) => range.stepOrder)));
  let visitCount = 0;
  let withStart = 0;
  for (const part of parts) {
    visitCount += part.visits.count;
    withStart += Math.max(0, part.partition?.instancesWithStart ?? 0);
  }
  const activity = info.every((range) => range.instancesWithStart >= 0);
  const activeUnknown = activity && withStart === 0 && visitCount > 0;
  const partitions = parts.map((part, p) => {
    if (order.newCodeOfOld !== null) recodeSteps(part.visits.stepCode, part.visits.count, order.newCodeOfOld);
    return { reconstruction: { visits: { ...part.visits, steps: order.steps, activeUnknown }, cases: part.cases }, firstCase: info[p].firstCase };
  });
  const counters = sumCounters(parts.map(({ quality: { notes: _notes, ...counters } }) => counters));
  let censored = 0;
  for (const range of info) censored += range.censoredCases;
  const names = info.flatMap((range) => range.leftCensoredNames);
  const notes = [...info[0].mapNotes, ...qualityNotes(counters, eventCount, censored, names)];
  const whole: Reconstruction = {
    visits: joinVisits(partitions.map((partition) => partition.reconstruction.visits)),
    cases: joinCaseTimes(parts.map((part) => part.cases)),
    quality: { ...counters, notes },
    boundaries: parts[0].boundaries,
  };
  return { partitions, whole };
}

export interface CaseChainOptions extends Pick<StepTimingOptions, 'config' | 'log' | 'defaultSystem'> {
  seed: number;
  /** Flow efficiency is known (not a single-timestamp log, and sufficient). */
  activeKnown: boolean;
  topLoops?: number;
  topVariants?: number;
  /** IANA zone of the flow's weeks (business calendars). */
  timeZone?: string;
  caseIds?: Dictionary;
  onPhase?: AnalyzePhaseCallback;
}

/** What the case chain gives the report. */
export type CaseChainJson = Pick<ReportJson, 'steps' | 'leadTimeMs' | 'cycleTimeMs' | 'flowEfficiency' | 'handoffs' | 'rework' | 'variants' | 'dfg' | 'flow'> & {
  transitionsWithMissingOwner: number;
  openCases: number;
  /** The data-quality note saying which figures come from a quantile sketch; null when every distribution is exact. */
  approximateNote: string | null;
};

/**
 * The note for dataQuality.notes when some distributions were over the exact-values limit (src/metrics/value-sketch.ts):
 * how many, and the bound. Null when none was.
 */
export function approximateNoteOf(chain: Pick<CaseChainJson, 'steps' | 'handoffs' | 'dfg' | 'rework'>): string | null {
  let count = 0;
  for (const step of chain.steps) {
    for (const distribution of [step.activeMs, step.queueMs, step.waitingMs, step.blockedMs, step.elapsedMs, step.delayMs]) if (distribution.approximate) count++;
  }
  for (const pair of chain.handoffs.matrix) if (pair.waitAfterMs.approximate) count++;
  for (const edge of chain.dfg.edges) if (edge.medianApproximate) count++;
  for (const loop of chain.rework.loops) if (loop.addedMs.approximate) count++;
  if (count === 0) return null;
  return (
    `${count} distribution${count === 1 ? '' : 's'} held more than ${exactValuesLimit().toLocaleString('en-US')} values: ` +
    `their quantiles and median intervals come from a DDSketch quantile sketch, each within ${SKETCH_RELATIVE_ACCURACY * 100} % of the exact value ` +
    '(marked "approximate" in report.json, ≈ in the report); counts, sums, means, min and max stay exact'
  );
}

/** Values of a per-case column for the cases that reached their outcome. */
function closedCaseValues(cases: CaseTimes, column: Float64Array): Float64Array {
  const values = new Float64Array(cases.caseCount);
  let count = 0;
  for (let c = 0; c < cases.caseCount; c++) if (cases.censored[c] === 0 && !Number.isNaN(cases.leadMs[c])) values[count++] = column[c];
  return values.subarray(0, count);
}

/**
 * The case chain over contiguous case partitions, in partition order (one partition: the whole reconstruction), each
 * metric accumulated per partition, merged and finished in turn (the phases in the order the progress names them).
 * Per-case metrics (lead and cycle time, their histograms, flow efficiency) finish on the partitions' case tables
 * joined (the one table itself when alone): their distributions are the case columns' values.
 */
export function runCaseChain(partitions: readonly CasePartition[], options: CaseChainOptions): CaseChainJson {
  const { seed, onPhase } = options;
  const visitsOf = partitions.map((partition) => partition.reconstruction.visits);
  const first = visitsOf[0];

  onPhase?.('step timings', 0, 0);
  const steps: StepJson[] = finishStepTimings(
    partitions.map(({ reconstruction, visitSystems }) => accumulateStepTimings(reconstruction.visits, visitSystems ? { ...options, visitSystems } : options)),
    { seed, config: options.config, log: options.log, defaultSystem: options.defaultSystem, onProgress: loopReporter(onPhase, 'step timings') },
  );
  onPhase?.('lead & cycle time', 0, 0);
  const cases = joinCaseTimes(partitions.map((partition) => partition.reconstruction.cases));
  const leadTimeMs = { ...leadTimeSummary(cases, { seed }), histogram: durationHistogram(cases.leadMs, cases.censored) };
  const cycleTimeMs = { ...cycleTimeSummary(cases, { seed }), histogram: durationHistogram(cases.cycleMs, cases.censored) };
  const flowEfficiency = computeFlowEfficiency(cases, { activeKnown: options.activeKnown, seed });
  if (flowEfficiency.activeKnown) flowEfficiency.activeMsPerCase = summarizeInPlace(closedCaseValues(cases, cases.activeMs), { seed });
  onPhase?.('handoffs', 0, 0);
  const { transitionsWithMissingOwner, ...handoffs } = finishHandoffs(mergeHandoffs(visitsOf.map(accumulateHandoffs)), first.owners, first.ownerLevel, { seed });
  onPhase?.('rework', 0, 0);
  const rework = finishRework(mergeRework(visitsOf.map((visits) => accumulateRework(visits))), first.steps, { seed, topLoops: options.topLoops });
  onPhase?.('variants', 0, 0);
  const variants = finishVariants(mergeVariants(visitsOf.map((visits) => accumulateVariants(visits))), options.topVariants ?? 20);
  onPhase?.('dfg', 0, 0);
  const dfg = finishDfg(mergeDfg(visitsOf.map((visits) => accumulateDfg(visits))));
  onPhase?.('flow', 0, 0);
  const flow = finishFlow(
    partitions.map(({ reconstruction, firstCase }) => ({ visits: reconstruction.visits, cases: reconstruction.cases, firstCase })),
    { timeZone: options.timeZone, caseIds: options.caseIds },
  );
  let openCases = 0;
  for (let c = 0; c < cases.caseCount; c++) openCases += cases.censored[c];
  const approximateNote = approximateNoteOf({ steps, handoffs, dfg, rework });
  return { steps, leadTimeMs, cycleTimeMs, flowEfficiency, handoffs, rework, variants, dfg, flow, transitionsWithMissingOwner, openCases, approximateNote };
}
