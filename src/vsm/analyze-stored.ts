/**
 * The analysis over the event store (issue 14, stage 3 of the partitioned engine; docs/benchmarks.md): the events
 * stay in the embedded DuckDB the reader spilled them into (src/ingest/stored-read.ts) and are read back as contiguous
 * case ranges, each an EventLog of its own, in case order. The report is the in-memory analysis's (tests/vsm/
 * analyze-stored.test.ts: every shared log, ranges forced small):
 *
 * - before any range: the store's summary (SQL) gives the censoring instant (the last timestamp) and the activities
 *   that make visits, so the step map and the instance collection need no pass of their own;
 * - pass 1 over the ranges: the exact duplicates dropped (the read's report is finished after it), the event count,
 *   and (activity logs) each range's activity instances, joined into the log's instance table, on which the wait chain
 *   runs as in memory; its estimated starts come back as a list, not written into a log;
 * - pass 2: each range with its estimated starts written in is reconstructed as a case partition (the case chain's
 *   stage 1), and sampled for the far-timestamp note. An activity log's range goes into the case chain at once
 *   (CaseChainStream: its metrics accumulated, the visits let go); a status log's ranges are joined into one visit
 *   table as in memory (the ticket wait causes read an owner's visits across cases);
 * - pass 3, only when the store's least or greatest timestamp lies beyond the far limit: the far events counted.
 *
 * What still follows the log's size, not a range's: the dictionaries (case names included), the instance table of an
 * activity log (during pass 1 and the wait chain; with the activity table, activities.csv, until the report), the case
 * table, the weekly flow's 20 bytes a visit, each distribution's values up to the exact-values limit, and a status
 * log's joined visit table (docs/limits.md).
 */
import type { IngestReport } from '../contracts/ingest-report.js';
import { FarCounter, FarSample, farTimestampsNote } from '../metrics/time-outliers.js';
import type { AttributeColumn, EventLog } from '../model/event-log.js';
import { LifecycleCode } from '../model/lifecycle.js';
import { MISSING_CODE } from '../model/dictionary.js';
import type { StoreSummary } from '../ingest/event-store.js';
import { finishStoredReport, storedLogs, type StoredRead } from '../ingest/stored-read.js';
import { collectInstances, type ActivityInstances } from '../traces/activity-instances.js';
import { type Reconstruction, reconstructVisits, visitCapacity as visitCapacityOf } from '../traces/reconstruct.js';
import { makesVisits, stepMapOf, type StepMap } from '../traces/step-map.js';
import type { VsmConfig } from '../model/config-schema.js';
import { type Analysis, type AnalyzeOptions, reportFromVisits } from './analyze.js';
import { COLLECT_MIN_EVENTS, type MeasuredVisits, measureClock, measuredOf, waitOptionsOf } from './analyze-visits.js';
import { collectGarbage } from './collect-garbage.js';
import { CaseChainStream, ReconstructionJoin } from './case-chain.js';
import { judgeSufficiency } from './sufficiency.js';
import { analyzeInstancesByName, type EstimatedStarts, writeEstimatedStarts } from './wait-analysis.js';
import { joinInstances } from './wait-partitions.js';

/**
 * Events in a range read back from the store (≈ 40 bytes each in the range's log, ≈ 90 bytes a visit in its
 * reconstruction: ≈ 45 MB at once). 2²¹ until stop 30: with the ranges' visits let go, a range's own log and visits
 * were the largest transient — 2¹⁹ lowered the 20 M peak 1,588 → 1,333 MB and the 5 M one ≈ 1,020 → 820 MB at the same
 * time (2¹⁸ no lower; docs/benchmarks.md "Stop 30").
 */
export const DEFAULT_RANGE_EVENTS = 1 << 19;

/** The environment variable that sets StoredAnalyzeOptions.rangeEvents where the caller gives none (tests force it small). */
export const RANGE_EVENTS_ENV = 'VSM_STORE_RANGE_EVENTS';

/** Most ranges a stored analysis reads (EventStore caps them too): a cap on a user-controlled count. */
export const MAX_STORED_RANGES = 1 << 16;

export interface StoredAnalyzeOptions extends AnalyzeOptions {
  /** Events per range (the last may hold fewer; a case is never split): default VSM_STORE_RANGE_EVENTS, else DEFAULT_RANGE_EVENTS. */
  rangeEvents?: number;
}

/** The range size asked for by VSM_STORE_RANGE_EVENTS (a whole number ≥ 1), else DEFAULT_RANGE_EVENTS. */
export function rangeEventsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[RANGE_EVENTS_ENV]?.trim();
  return text !== undefined && /^\d+$/.test(text) && Number(text) >= 1 ? Number(text) : DEFAULT_RANGE_EVENTS;
}

/** How many ranges the store's events are read in: about `rangeEvents` each, at most MAX_STORED_RANGES. */
export function storedRangeCount(storedEvents: number, rangeEvents: number): number {
  return Math.max(1, Math.min(MAX_STORED_RANGES, Math.ceil(storedEvents / Math.max(1, Math.floor(rangeEvents)))));
}

/**
 * Measures and reports a stored log: analyzeLog's report on readLog's log, from the store's ranges. The caller still
 * closes `stored.store`. The read's IngestReport (its duplicates counted by the ranges) comes back with it.
 * @example const stored = await readLogToStore(path); try { const { analysis } = await analyzeStored(stored, { logName }); } finally { stored.store.close(); }
 */
export async function analyzeStored(stored: StoredRead, options: StoredAnalyzeOptions): Promise<{ analysis: Analysis; ingest: IngestReport }> {
  const { measured, ingest } = await measureStored(stored, options);
  return { analysis: reportFromVisits(measured, ingest, options), ingest };
}

/** By activity code: 1 when some stored event of it makes visits (the store's summary, as visitActivitiesOf on the log). */
function visitActivitiesOfSummary(shape: EventLog['shape'], summary: StoreSummary): Uint8Array {
  const seen = new Uint8Array(summary.lifecycles.length);
  const codes = Object.values(LifecycleCode);
  for (let a = 0; a < seen.length; a++) {
    for (const code of codes) if ((summary.lifecycles[a] & (1 << code)) !== 0 && makesVisits(shape, code)) seen[a] = 1;
  }
  return seen;
}

/** A range's instance table with the log's case codes and event indexes (collected with the range's own, from 0). */
function inLogCodes(instances: ActivityInstances, firstCase: number, eventBase: number): ActivityInstances {
  for (let k = 0; k < instances.count; k++) {
    instances.caseCode[k] += firstCase;
    instances.firstEvent[k] += eventBase;
  }
  return instances;
}

/**
 * The system attribute's code of each visit of a range (config.system from an attribute, by the visit's first event),
 * or undefined when the config takes no system from an attribute or the log has no such attribute.
 */
function visitSystemsOf(log: EventLog, visits: Reconstruction['visits'], config: VsmConfig | undefined): Int32Array | undefined {
  const spec = config?.system;
  if (typeof spec !== 'object') return undefined;
  const column = log.attributes.get(spec.attribute);
  if (column === undefined) return undefined;
  const { firstEvent } = visits;
  return Int32Array.from({ length: visits.count }, (_, v) => (firstEvent ? column.codes[firstEvent[v]] : MISSING_CODE));
}

/** The ranges' visit systems in range order (the join's visit order), or undefined when there are none. */
function joinVisitSystems(parts: ReadonlyArray<Int32Array | undefined>): Int32Array | undefined {
  if (parts.some((part) => part === undefined)) return undefined;
  const joined = new Int32Array(parts.reduce((sum, part) => sum + (part?.length ?? 0), 0));
  let at = 0;
  for (const part of parts as Int32Array[]) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}

/**
 * Pass 1: the event count after duplicates, the visits the ranges can make before any start is estimated
 * (visitCapacity), and (activity logs) the instance table in the log's codes.
 */
async function countAndCollect(stored: StoredRead, rangeCount: number, map: StepMap, asOfMs: number, activity: boolean, onRange?: (done: number) => void) {
  let eventCount = 0;
  let visitCapacity = 0;
  const parts: ActivityInstances[] = [];
  let ranges = 0;
  for await (const { log, firstCase } of storedLogs(stored, rangeCount)) {
    onRange?.(++ranges);
    if (activity) parts.push(inLogCodes(collectInstances(log, map.stepOfActivity, asOfMs), firstCase, eventCount));
    visitCapacity += visitCapacityOf(log, 0, log.caseCount);
    eventCount += log.eventCount;
  }
  return { eventCount, visitCapacity, instances: activity ? joinInstances(parts) : null };
}

/**
 * Pass 1 and the wait chain on its instances (activity logs): the instance table lives in this frame only, so it is
 * not held through pass 2 (unless the activity table keeps it for activities.csv).
 */
async function countAndWait(stored: StoredRead, rangeCount: number, context: { map: StepMap; asOfMs: number; calendarSpec: MeasuredVisits['calendarSpec']; options: StoredAnalyzeOptions }) {
  const { map, asOfMs, calendarSpec, options } = context;
  const onRange = options.onPhase ? (done: number) => options.onPhase?.('instances', done, rangeCount) : undefined;
  const { eventCount, visitCapacity, instances } = await countAndCollect(stored, rangeCount, map, asOfMs, stored.log.shape === 'activity', onRange);
  const instancesWithStart = instances?.withStart ?? 0;
  const waits = instances === null ? null : analyzeInstancesByName(instances, stored.log, waitOptionsOf(map, asOfMs, calendarSpec, options));
  return { eventCount, visitCapacity, waits, instancesWithStart };
}

/**
 * Pass 2: each range (estimated starts written in) reconstructed as a case partition and handed to `onRange` (the
 * join, and the streamed case chain of an activity log), and sampled for far timestamps.
 */
async function reconstructRanges(
  stored: StoredRead,
  rangeCount: number,
  onRange: (part: Reconstruction, firstCase: number, visitSystems: Int32Array | undefined) => void,
  context: { map: StepMap; asOfMs: number; starts: EstimatedStarts | null; sample: FarSample; options: StoredAnalyzeOptions; calendar: MeasuredVisits['calendar'] },
): Promise<void> {
  const { map, asOfMs, starts, sample, options, calendar } = context;
  let ranges = 0;
  let eventBase = 0;
  let next = 0;
  for await (const { log, firstCase } of storedLogs(stored, rangeCount)) {
    options.onPhase?.('reconstruction', ++ranges, rangeCount);
    sample.add(log, eventBase);
    let withStarts: EventLog = log;
    if (starts !== null) ({ log: withStarts, next } = writeEstimatedStarts(log, starts, next, eventBase));
    const part = reconstructVisits(withStarts, { config: options.config, calendar, asOfMs, cases: { start: 0, end: log.caseCount }, stepMap: map });
    const partition = part.partition;
    if (partition === undefined) throw new Error('analyzeStored: a range was reconstructed without its partition');
    onRange({ ...part, partition: { ...partition, firstCase, endCase: firstCase + log.caseCount } }, firstCase, visitSystemsOf(log, part.visits, options.config));
    eventBase += log.eventCount;
  }
}

/** The far-timestamp note: pass 3 over the ranges only when the store's extremes say some event may lie far out. */
async function farNoteOf(stored: StoredRead, rangeCount: number, sample: FarSample, summary: StoreSummary): Promise<string | null> {
  const limits = sample.limits();
  if (limits === null) return null;
  const maybeFar = summary.nonFiniteTimes > 0 || summary.maxMs - limits.medianMs > limits.limitMs || limits.medianMs - summary.minMs > limits.limitMs;
  if (!maybeFar) return null;
  const counter = new FarCounter(limits);
  for await (const { log } of storedLogs(stored, rangeCount)) counter.add(log);
  return farTimestampsNote(counter.result);
}

/** measureVisits on a stored log (the module comment says how), with the read's finished IngestReport. */
export async function measureStored(stored: StoredRead, options: StoredAnalyzeOptions): Promise<{ measured: MeasuredVisits; ingest: IngestReport }> {
  const { log: facts, store } = stored;
  const summary = await store.summary(facts.activities.size);
  // The stored sources (CSV, XES, Parquet) carry no export-wide "last seen" time: the last event is the default asOf.
  const { calendarSpec, calendar, asOfMs, asOfNote } = measureClock(() => summary.maxMs, {}, options);
  const map = stepMapOf(facts, visitActivitiesOfSummary(facts.shape, summary), options.config);
  const rangeCount = storedRangeCount(store.eventCount, options.rangeEvents ?? rangeEventsFromEnv());

  options.onPhase?.('instances', 0, 0);
  const { eventCount, visitCapacity: visitBound, waits, instancesWithStart } = await countAndWait(stored, rangeCount, { map, asOfMs, calendarSpec, options });
  const ingest = finishStoredReport(stored);
  // The wait chain's dead arrays (the instance table, the resource order) go before pass 2 allocates (as in memory).
  if (eventCount >= COLLECT_MIN_EVENTS) collectGarbage();

  options.onPhase?.('reconstruction', 0, 0);
  const sample = new FarSample(eventCount);
  // An estimated start can turn an unpaired complete into a visit of its own: at most one more visit each.
  const starts = waits?.estimatedStarts ?? null;
  const visitCapacity = visitBound + (starts?.count ?? 0);
  const context = { map, asOfMs, starts, sample, options, calendar };
  // The step timings read the systems by visit (visitSystems); the log's attribute columns are the dictionaries only.
  const attributes = new Map<string, AttributeColumn>();
  for (const [name, dictionary] of facts.attributeDictionaries) attributes.set(name, { name, dictionary, codes: new Int32Array(0) });
  const log = { shape: facts.shape, eventCount, caseCount: facts.caseCount, caseIds: facts.caseIds, attributes };
  const startsEstimated = waits?.json.startEstimated === true;
  const clock = { calendarSpec, calendar, asOfNote };

  if (facts.shape !== 'activity') {
    // Status logs keep their visits whole: the ticket wait causes read every visit of an owner across cases.
    const join = new ReconstructionJoin(visitCapacity, facts.caseCount);
    const systems: Array<Int32Array | undefined> = [];
    await reconstructRanges(stored, rangeCount, (part, _firstCase, visitSystems) => {
      join.add(part);
      systems.push(visitSystems);
    }, context);
    const farNote = await farNoteOf(stored, rangeCount, sample, summary);
    const reconstruction = join.finish(eventCount).whole;
    const visitSystems = joinVisitSystems(systems);
    const partitions = [{ reconstruction, firstCase: 0, ...(visitSystems ? { visitSystems } : {}) }];
    const sufficiency = judgeSufficiency({ ...facts, caseEvidence: undefined }, ingest, reconstruction, { startsEstimated });
    return { measured: measuredOf({ log, clock, waits, reconstruction, sufficiency, farNote, partitions }), ingest };
  }

  // Activity logs: each range's visits go into the case chain as they come and are let go (CaseChainStream). The
  // chain counts every range with the log's "active time unknown", which pass 1 tells: no instance has a recorded
  // start and none is estimated (checked against the join's own verdict below).
  const activeUnknown = instancesWithStart === 0 && (starts?.count ?? 0) === 0;
  const join = new ReconstructionJoin(visitCapacity, facts.caseCount, false);
  const chain = new CaseChainStream(map.steps, activeUnknown, visitCapacity, { config: options.config, log, caseIds: facts.caseIds });
  await reconstructRanges(stored, rangeCount, (part, firstCase, visitSystems) => {
    join.add(part);
    chain.add({ visits: part.visits, cases: part.cases, firstCase, ...(visitSystems ? { visitSystems } : {}) });
  }, context);
  const farNote = await farNoteOf(stored, rangeCount, sample, summary);
  const joined = join.finishFacts(eventCount);
  if (joined.visitCount > 0 && joined.activeUnknown !== activeUnknown) throw new Error('analyzeStored: pass 1 and the reconstruction disagree on whether any instance has a start');
  const { order, quality, boundaries, cases } = joined;
  const sufficiency = judgeSufficiency({ ...facts, caseEvidence: undefined }, ingest, { quality, cases, visits: chain.visitFacts(order.steps, joined.activeUnknown) }, { startsEstimated });
  const streamed = { chain, joined: { order, cases, activeUnknown: joined.activeUnknown }, quality, boundaries, asOfMs: chain.asOfMs };
  return { measured: measuredOf({ log, clock, waits, reconstruction: null, streamed, sufficiency, farNote, partitions: undefined }), ingest };
}
