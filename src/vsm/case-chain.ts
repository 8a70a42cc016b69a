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
 * The event store's ranges (activity logs) go through CaseChainStream, which accumulates each range as it comes and
 * keeps no visit table; runCaseChain takes partitions that are all in memory.
 */
import type { ReportJson, StepJson } from '../contracts/report-schema.js';
import { accumulateDfg, type DfgPartial, finishDfg, mergeDfg } from '../metrics/dfg.js';
import { summarizeInPlace } from '../metrics/distribution.js';
import { AGING_TOP, type AgingCandidate, agingCandidates, finishFlow, type FlowPartial, flowPartialOf } from '../metrics/flow.js';
import { computeFlowEfficiency } from '../metrics/flow-efficiency.js';
import { accumulateHandoffs, finishHandoffs, type HandoffPartial, mergeHandoffs } from '../metrics/handoffs.js';
import { durationHistogram } from '../metrics/histogram.js';
import { cycleTimeSummary, leadTimeSummary } from '../metrics/lead-time.js';
import { accumulateRework, finishRework, mergeRework, type ReworkPartial } from '../metrics/rework.js';
import { accumulateStepTimings, finishStepTimings, type StepTimingOptions, StepTimingStream } from '../metrics/timing.js';
import { accumulateVariants, finishVariants, mergeVariants, type VariantPartial } from '../metrics/variants.js';
import { exactValuesLimit, SKETCH_RELATIVE_ACCURACY } from '../metrics/value-sketch.js';
import type { Dictionary } from '../model/dictionary.js';
import { qualityNotes, type Reconstruction, type ReconstructionPartition } from '../traces/reconstruct.js';
import type { QualityCounters } from '../traces/pass-context.js';
import { mergeStepOrderCounts, recodeSteps, stepOrderOf } from '../traces/step-order.js';
import { type CaseTimes, type StepVisits, type VisitTableFacts, visitTableFacts } from '../traces/step-visits.js';
import type { AnalyzePhaseCallback } from './analyze-progress.js';
import { loopReporter } from './analyze-progress.js';
import { combineZeroWork, type StreamedVisitFacts, zeroWorkScan } from './sufficiency.js';

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

type VisitColumnName = 'stepCode' | 'ownerCode' | 'enteredAt' | 'workStartedAt' | 'exitedAt' | 'activeMs' | 'queueMs' | 'waitingMs' | 'blockedMs' | 'elapsedMs' | 'open' | 'inLead' | 'firstEvent';

/** The visit columns copied as they are (case codes and case ranges are shifted), with their array types. */
const VISIT_COLUMNS: ReadonlyArray<[VisitColumnName, 'i32' | 'f64' | 'u8']> = [
  ['stepCode', 'i32'],
  ['ownerCode', 'i32'],
  ['enteredAt', 'f64'],
  ['workStartedAt', 'f64'],
  ['exitedAt', 'f64'],
  ['activeMs', 'f64'],
  ['queueMs', 'f64'],
  ['waitingMs', 'f64'],
  ['blockedMs', 'f64'],
  ['elapsedMs', 'f64'],
  ['open', 'u8'],
  ['inLead', 'u8'],
  ['firstEvent', 'i32'],
];

/**
 * The reconstructions of contiguous case ranges, in case order, joined one at a time into visit columns allocated
 * once (`visitCapacity` at least the visits to come): a range's own visit table can go as soon as it is added, so
 * the join holds one copy of the visits and one range's, not two copies (the event store's ranges,
 * src/vsm/analyze-stored.ts). finish() is joinPartitions's whole: the map order from the summed order counts,
 * active time unknown when no instance has a start, the counters summed, their notes said once.
 */
export class ReconstructionJoin {
  private readonly caseCode: Int32Array;
  private readonly caseVisitStart: Int32Array;
  private readonly columns = new Map<VisitColumnName, Int32Array | Float64Array | Uint8Array>();
  private readonly infos: ReconstructionPartition[] = [];
  private readonly counters: QualityCounters[] = [];
  private readonly cases: CaseTimes[] = [];
  /** The first range's visit facts and boundaries (not its columns: they would stay alive to the end). */
  private first: { visits: VisitTableFacts; boundaries: Reconstruction['boundaries'] } | undefined;
  private visitCount = 0;
  private caseCount = 0;

  /** `keepVisits` false: only what finishFacts() gives is kept (the ranges' visits go to a CaseChainStream instead). */
  constructor(
    private readonly visitCapacity: number,
    private readonly caseCapacity: number,
    private readonly keepVisits = true,
  ) {
    this.caseCode = new Int32Array(keepVisits ? visitCapacity : 0);
    this.caseVisitStart = new Int32Array(keepVisits ? caseCapacity + 1 : 0);
  }

  add(part: Reconstruction): void {
    const range = part.partition;
    if (range === undefined) throw new Error('ReconstructionJoin: a reconstruction of the whole log is not a case range');
    const expected = this.infos.length === 0 ? 0 : this.infos[this.infos.length - 1].endCase;
    if (range.firstCase !== expected) throw new Error(`ReconstructionJoin: case ranges are not contiguous at partition ${this.infos.length}`);
    const { visits } = part;
    if (this.visitCount + visits.count > this.visitCapacity || this.caseCount + visits.caseCount > this.caseCapacity) throw new Error('ReconstructionJoin: more visits or cases than the capacity given');
    this.first ??= { visits: visitTableFacts(visits), boundaries: part.boundaries };
    if (this.keepVisits) this.addVisits(visits);
    this.visitCount += visits.count;
    this.caseCount += visits.caseCount;
    this.infos.push(range);
    const { notes: _notes, ...counters } = part.quality;
    this.counters.push(counters);
    this.cases.push(part.cases);
  }

  private addVisits(visits: StepVisits): void {
    const visitBase = this.visitCount;
    const caseBase = this.caseCount;
    for (let v = 0; v < visits.count; v++) this.caseCode[visitBase + v] = caseBase + visits.caseCode[v];
    for (let c = 1; c <= visits.caseCount; c++) this.caseVisitStart[caseBase + c] = visitBase + visits.caseVisitStart[c];
    for (const [name, type] of VISIT_COLUMNS) {
      const column = visits[name];
      if (column === undefined) continue;
      let joined = this.columns.get(name);
      if (joined === undefined) {
        joined = type === 'f64' ? new Float64Array(this.visitCapacity) : type === 'u8' ? new Uint8Array(this.visitCapacity) : new Int32Array(this.visitCapacity);
        this.columns.set(name, joined);
      }
      joined.set(column.subarray(0, visits.count), visitBase);
    }
  }

  /**
   * What the join gives besides the visit table: the map order, active time unknown, the case table, the summed
   * counters with their notes, the boundaries and the visit count (the case tables are joined here: call it once).
   */
  finishFacts(eventCount: number): { order: ReturnType<typeof stepOrderOf>; activeUnknown: boolean; cases: CaseTimes; quality: Reconstruction['quality']; boundaries: Reconstruction['boundaries']; visitCount: number } {
    const first = this.first;
    if (first === undefined) throw new Error('ReconstructionJoin: no range was added');
    const info = this.infos;
    const order = stepOrderOf(first.visits.steps, info[0].configuredSteps, mergeStepOrderCounts(info.map((range) => range.stepOrder)));
    let withStart = 0;
    for (const range of info) withStart += Math.max(0, range.instancesWithStart);
    const activity = info.every((range) => range.instancesWithStart >= 0);
    const activeUnknown = activity && withStart === 0 && this.visitCount > 0;
    const counters = sumCounters(this.counters);
    let censored = 0;
    for (const range of info) censored += range.censoredCases;
    const names = info.flatMap((range) => range.leftCensoredNames);
    const notes = [...info[0].mapNotes, ...qualityNotes(counters, eventCount, censored, names)];
    // The ranges' case tables go once joined (spliced out), so they are not held twice past this call.
    return { order, activeUnknown, cases: joinCaseTimes(this.cases.splice(0)), quality: { ...counters, notes }, boundaries: first.boundaries, visitCount: this.visitCount };
  }

  /** The whole reconstruction, and the map order's re-coding of the ranges' step codes (null when they are in it). */
  finish(eventCount: number): { whole: Reconstruction; order: ReturnType<typeof stepOrderOf>; activeUnknown: boolean } {
    const first = this.first;
    if (first === undefined) throw new Error('ReconstructionJoin: no range was added');
    if (!this.keepVisits) throw new Error('ReconstructionJoin: the visits were not kept (finishFacts)');
    const { order, activeUnknown, cases, quality, boundaries } = this.finishFacts(eventCount);
    const n = this.visitCount;
    const column = <T extends Int32Array | Float64Array | Uint8Array>(name: VisitColumnName): T => (this.columns.get(name) as T).subarray(0, n) as T;
    const stepCode = column<Int32Array>('stepCode');
    if (order.newCodeOfOld !== null) recodeSteps(stepCode, n, order.newCodeOfOld);
    const optional = (name: 'inLead' | 'firstEvent') => (this.columns.has(name) ? { [name]: column(name) } : {});
    const visits: StepVisits = {
      ...first.visits,
      steps: order.steps,
      activeUnknown,
      count: n,
      caseCount: this.caseCount,
      caseCode: this.caseCode.subarray(0, n),
      caseVisitStart: this.caseVisitStart.subarray(0, this.caseCount + 1),
      stepCode,
      ownerCode: column('ownerCode'),
      enteredAt: column('enteredAt'),
      workStartedAt: column('workStartedAt'),
      exitedAt: column('exitedAt'),
      activeMs: column('activeMs'),
      queueMs: column('queueMs'),
      waitingMs: column('waitingMs'),
      blockedMs: column('blockedMs'),
      elapsedMs: column('elapsedMs'),
      open: column('open'),
      ...optional('inLead'),
      ...optional('firstEvent'),
    };
    const whole: Reconstruction = { visits, cases, quality, boundaries };
    return { whole, order, activeUnknown };
  }
}

/**
 * The reconstructions of contiguous case ranges (reconstructVisits with `cases`, in case order) made whole
 * (ReconstructionJoin), each range's step codes re-coded in place to the map order. Returns the ranges ready for the
 * case chain and their join (what the sufficiency verdicts and the callers of analyzeLog read: compare, simulate);
 * the join copies every column, which only this internal multi-partition path pays.
 */
export function joinPartitions(parts: readonly Reconstruction[], eventCount: number): { partitions: CasePartition[]; whole: Reconstruction } {
  let visitCount = 0;
  let caseCount = 0;
  for (const part of parts) {
    visitCount += part.visits.count;
    caseCount += part.visits.caseCount;
  }
  const join = new ReconstructionJoin(visitCount, caseCount);
  for (const part of parts) join.add(part);
  const { whole, order, activeUnknown } = join.finish(eventCount);
  const partitions = parts.map((part) => {
    if (order.newCodeOfOld !== null) recodeSteps(part.visits.stepCode, part.visits.count, order.newCodeOfOld);
    return { reconstruction: { visits: { ...part.visits, steps: order.steps, activeUnknown }, cases: part.cases }, firstCase: (part.partition as ReconstructionPartition).firstCase };
  });
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

/** The case chain's partials of every partition (the step timings already finished), ready to merge and finish. */
interface ChainParts {
  steps: () => StepJson[];
  cases: CaseTimes;
  /** The partials are made when their metric's turn comes, so at most one metric's are alive (the in-memory peak). */
  handoffs: () => HandoffPartial[];
  rework: () => ReworkPartial[];
  variants: () => VariantPartial[];
  dfg: () => DfgPartial[];
  flow: () => FlowPartial[];
  owners: StepVisits['owners'];
  ownerLevel: StepVisits['ownerLevel'];
  /** The steps the rework partials' codes name. */
  reworkSteps: StepVisits['steps'];
  /** The map order's old code of each new code when the rework partials are in the old codes (null: they are not). */
  oldOfNew: Int32Array | null;
}

/** Merges the partials in partition order and finishes each metric (the phases in the order the progress names them). */
function finishChain(parts: ChainParts, options: CaseChainOptions): CaseChainJson {
  const { seed, onPhase } = options;
  onPhase?.('step timings', 0, 0);
  const steps = parts.steps();
  onPhase?.('lead & cycle time', 0, 0);
  const { cases } = parts;
  const leadTimeMs = { ...leadTimeSummary(cases, { seed }), histogram: durationHistogram(cases.leadMs, cases.censored) };
  const cycleTimeMs = { ...cycleTimeSummary(cases, { seed }), histogram: durationHistogram(cases.cycleMs, cases.censored) };
  const flowEfficiency = computeFlowEfficiency(cases, { activeKnown: options.activeKnown, seed });
  if (flowEfficiency.activeKnown) flowEfficiency.activeMsPerCase = summarizeInPlace(closedCaseValues(cases, cases.activeMs), { seed });
  onPhase?.('handoffs', 0, 0);
  const { transitionsWithMissingOwner, ...handoffs } = finishHandoffs(mergeHandoffs(parts.handoffs()), parts.owners, parts.ownerLevel, { seed });
  onPhase?.('rework', 0, 0);
  const rework = finishRework(mergeRework(parts.rework()), parts.reworkSteps, { seed, topLoops: options.topLoops });
  const { oldOfNew } = parts;
  if (oldOfNew !== null) {
    const byOldCode = rework.byStep;
    rework.byStep = Array.from(oldOfNew, (old) => byOldCode[old]);
  }
  onPhase?.('variants', 0, 0);
  const variants = finishVariants(mergeVariants(parts.variants()), options.topVariants ?? 20);
  onPhase?.('dfg', 0, 0);
  const dfg = finishDfg(mergeDfg(parts.dfg()));
  onPhase?.('flow', 0, 0);
  const flow = finishFlow(parts.flow(), { timeZone: options.timeZone });
  let openCases = 0;
  for (let c = 0; c < cases.caseCount; c++) openCases += cases.censored[c];
  const approximateNote = approximateNoteOf({ steps, handoffs, dfg, rework });
  return { steps, leadTimeMs, cycleTimeMs, flowEfficiency, handoffs, rework, variants, dfg, flow, transitionsWithMissingOwner, openCases, approximateNote };
}

/**
 * The case chain over contiguous case partitions, in partition order (one partition: the whole reconstruction), each
 * metric accumulated per partition, merged and finished in turn (the phases in the order the progress names them).
 * Per-case metrics (lead and cycle time, their histograms, flow efficiency) finish on the partitions' case tables
 * joined (the one table itself when alone): their distributions are the case columns' values.
 */
export function runCaseChain(partitions: readonly CasePartition[], options: CaseChainOptions): CaseChainJson {
  const visitsOf = partitions.map((partition) => partition.reconstruction.visits);
  const first = visitsOf[0];
  return finishChain(
    {
      steps: () =>
        finishStepTimings(
          partitions.map(({ reconstruction, visitSystems }) => accumulateStepTimings(reconstruction.visits, visitSystems ? { ...options, visitSystems } : options)),
          { seed: options.seed, config: options.config, log: options.log, defaultSystem: options.defaultSystem, onProgress: loopReporter(options.onPhase, 'step timings') },
        ),
      cases: joinCaseTimes(partitions.map((partition) => partition.reconstruction.cases)),
      handoffs: () => visitsOf.map(accumulateHandoffs),
      rework: () => visitsOf.map((visits) => accumulateRework(visits)),
      variants: () => visitsOf.map((visits) => accumulateVariants(visits)),
      dfg: () => visitsOf.map((visits) => accumulateDfg(visits)),
      flow: () => partitions.map(({ reconstruction, firstCase }) => flowPartialOf(reconstruction.visits, reconstruction.cases, firstCase, { caseIds: options.caseIds })),
      owners: first.owners,
      ownerLevel: first.ownerLevel,
      reworkSteps: first.steps,
      oldOfNew: null,
    },
    options,
  );
}

/** A case range's reconstruction for CaseChainStream.add: its visits (in the ranges' step codes) and case table. */
export interface StreamedRange {
  readonly visits: StepVisits;
  readonly cases: CaseTimes;
  /** The log's case index of the range's case 0. */
  readonly firstCase: number;
  /** The system attribute's code by visit (StepTimingOptions.visitSystems). */
  readonly visitSystems?: Int32Array;
}

/**
 * The case chain over case ranges that are not kept (the event store's ranges, src/vsm/analyze-stored.ts): each
 * range's visits are accumulated as they come — step timings streamed (StepTimingStream), the handoff, rework,
 * variant and DFG partials and the oldest open cases kept, the flow's three visit columns copied — and the range
 * let go. finish() merges in range order as runCaseChain merges partitions, so the report is the in-memory one.
 *
 * The ranges' step codes are the step map's; the map order is known only after the last range (the ranges' order
 * counts, ReconstructionJoin), so finish() takes it: the step timings and rework's per-step rows are put in map
 * order, the flow's step column re-coded; variants and the DFG read steps by name and are the same in any code order.
 *
 * Memory: what the partials keep (each step's values, each handoff pair's waits and each DFG edge's times up to the
 * exact-values limit — the last two merged range by range — and one value per rework loop entry) and 20 bytes a visit for the weekly flow (step, entry, exit) — against ≈ 90 bytes a visit
 * for the joined visit table. The case table is the join's (ReconstructionJoin.finishFacts).
 */
export class CaseChainStream {
  private readonly timings: StepTimingStream;
  private readonly handoffs: HandoffPartial[] = [];
  private readonly rework: ReworkPartial[] = [];
  private readonly variants: VariantPartial[] = [];
  private readonly dfg: DfgPartial[] = [];
  private readonly aging: AgingCandidate[] = [];
  private readonly flowStep: Int32Array;
  private readonly flowEnteredAt: Float64Array;
  private readonly flowExitedAt: Float64Array;
  private readonly zeroWork: number[] = [];
  /** The first range's visit facts (not its columns). */
  private first: VisitTableFacts | undefined;
  private visitCount = 0;

  /**
   * `steps`: the step map's steps (the ranges' codes); `activeUnknown`: the whole log's, which each range is counted
   * with; `visitCapacity`: at least the visits to come.
   */
  constructor(
    private readonly steps: StepVisits['steps'],
    private readonly activeUnknown: boolean,
    visitCapacity: number,
    private readonly options: Pick<CaseChainOptions, 'config' | 'log' | 'caseIds'>,
  ) {
    this.timings = new StepTimingStream(steps, activeUnknown, options);
    this.flowStep = new Int32Array(visitCapacity);
    this.flowEnteredAt = new Float64Array(visitCapacity);
    this.flowExitedAt = new Float64Array(visitCapacity);
  }

  add(range: StreamedRange): void {
    const visits: StepVisits = { ...range.visits, activeUnknown: this.activeUnknown };
    if (visits.steps.length !== this.steps.length) throw new Error('CaseChainStream: a range with another step map');
    if (this.visitCount + visits.count > this.flowStep.length) throw new Error('CaseChainStream: more visits than the capacity given');
    this.first ??= visitTableFacts(visits);
    this.timings.add(visits, range.visitSystems);
    // Handoff waits and DFG edge times merged range by range: a group over the exact-values limit becomes a sketch,
    // so they stay bounded (the same values in the same order as one merge of every range's partial).
    this.handoffs.push(mergeHandoffs([...this.handoffs.splice(0), accumulateHandoffs(visits)]));
    this.rework.push(accumulateRework(visits));
    this.variants.push(accumulateVariants(visits));
    this.dfg.push(mergeDfg([...this.dfg.splice(0), accumulateDfg(visits)]));
    this.aging.push(...agingCandidates(visits, range.cases, range.firstCase, AGING_TOP, this.options.caseIds));
    this.flowStep.set(visits.stepCode.subarray(0, visits.count), this.visitCount);
    this.flowEnteredAt.set(visits.enteredAt.subarray(0, visits.count), this.visitCount);
    this.flowExitedAt.set(visits.exitedAt.subarray(0, visits.count), this.visitCount);
    this.zeroWork.push(zeroWorkScan(visits));
    this.visitCount += visits.count;
  }

  private firstRange(): VisitTableFacts {
    if (this.first === undefined) throw new Error('CaseChainStream: no range was added');
    return this.first;
  }

  /** The censoring instant the ranges were reconstructed at. */
  get asOfMs(): number {
    return this.firstRange().asOfMs;
  }

  /**
   * What the sufficiency verdicts read of the visits (judgeSufficiency), with the map's steps and the log's active
   * time unknown (the join's: the one the ranges were counted with, unless no range made a visit).
   */
  visitFacts(steps: StepVisits['steps'], activeUnknown: boolean): StreamedVisitFacts {
    const first = this.firstRange();
    return { count: this.visitCount, shape: first.shape, steps, activeUnknown, owners: first.owners, zeroRecordedWork: combineZeroWork(this.zeroWork) };
  }

  /**
   * The chain's report parts. `joined` is what ReconstructionJoin.finishFacts gives of the same ranges: the map order
   * of their steps, the joined case table and the log's active time unknown.
   */
  finish(joined: { order: { steps: StepVisits['steps']; newCodeOfOld: Int32Array | null }; cases: CaseTimes; activeUnknown: boolean }, options: CaseChainOptions): CaseChainJson {
    const first = this.firstRange();
    if (this.visitCount > 0 && joined.activeUnknown !== this.activeUnknown) throw new Error('CaseChainStream: the ranges were counted with another activeUnknown than the log\'s');
    const { order, cases } = joined;
    const { steps, newCodeOfOld } = order;
    let oldOfNew: Int32Array | null = null;
    if (newCodeOfOld !== null) {
      oldOfNew = new Int32Array(steps.length);
      for (let old = 0; old < steps.length; old++) oldOfNew[newCodeOfOld[old]] = old;
      recodeSteps(this.flowStep, this.visitCount, newCodeOfOld);
    }
    const n = this.visitCount;
    const flowVisits = { steps, count: n, stepCode: this.flowStep.subarray(0, n), enteredAt: this.flowEnteredAt.subarray(0, n), exitedAt: this.flowExitedAt.subarray(0, n) };
    return finishChain(
      {
        steps: () => this.timings.finish(steps, newCodeOfOld, joined.activeUnknown, { seed: options.seed, config: options.config, log: options.log, defaultSystem: options.defaultSystem, onProgress: loopReporter(options.onPhase, 'step timings') }),
        cases,
        // Taken out of the stream, so each range's partials can go once merged.
        handoffs: () => this.handoffs.splice(0),
        rework: () => this.rework.splice(0),
        variants: () => this.variants.splice(0),
        dfg: () => this.dfg.splice(0),
        flow: () => [{ visits: flowVisits, cases, aging: this.aging }],
        owners: first.owners,
        ownerLevel: first.ownerLevel,
        reworkSteps: this.steps,
        oldOfNew,
      },
      options,
    );
  }
}
