/**
 * The first half of `analyzeLog`: everything that reads the event log's per-event columns (the wait analysis, the
 * visit reconstruction, the sufficiency verdicts, the far-timestamp note). What it returns holds no per-event column
 * of the log, so a caller that lets the log go after this half (the CLI) has the metrics of the second half run
 * without it: at 5 M events the log is 150 MB of the peak (issue 14: peak memory; docs/benchmarks.md).
 */
import { type BusinessCalendar, makeCalendar } from '../calendar/business-calendar.js';
import { type CalendarSpec, CALENDAR_24X7 } from '../calendar/calendar-spec.js';
import type { IngestReport } from '../contracts/ingest-report.js';
import type { SufficiencyJson } from '../contracts/report-schema.js';
import { farTimestampsNote, findFarTimestamps } from '../metrics/time-outliers.js';
import type { VsmConfig } from '../model/config-schema.js';
import type { AnalysisLog, EventLog, ReconstructionLog } from '../model/event-log.js';
import { defaultAsOfMs } from '../traces/censoring.js';
import { ownerLevelOf, type Reconstruction, type ReconstructOptions, reconstructVisits } from '../traces/reconstruct.js';
import { type CaseChainStream, type CasePartition, casePartitionRanges, casePartitionsFromEnv, joinPartitions } from './case-chain.js';
import { buildStepMap, type StepMap } from '../traces/step-map.js';
import { collectInstances } from '../traces/activity-instances.js';
import type { WaitThreadOptions } from '../metrics/wait-sweep-threads.js';
import type { AnalyzePhaseCallback } from './analyze-progress.js';
import { collectGarbage } from './collect-garbage.js';
import { judgeSufficiency } from './sufficiency.js';
import { analyzeInstances, type WaitAnalysis, type WaitAnalysisOptions } from './wait-analysis.js';

/** The options of the first half (AnalyzeOptions adds the report's own). */
export interface VisitOptions {
  config?: VsmConfig;
  /** Overrides config.calendar; default 24x7. */
  calendar?: CalendarSpec;
  /** Censoring instant for open cases; default config.asOf, else the log's last event. */
  asOfMs?: number;
  /** Estimate missing start times of activity logs (default true; `--no-estimate` passes false). */
  estimateStarts?: boolean;
  /**
   * Keep the per-instance activity table (activities.csv) on the result (default true). False lets its columns
   * go as soon as the wait causes are summed: `vsm analyze --no-html` writes no CSV (a third less peak memory).
   */
  activityTable?: boolean;
  /** Progress of the phases (src/vsm/analyze-progress.ts); the report is byte-identical with or without it. */
  onPhase?: AnalyzePhaseCallback;
  /** The wait-cause sweep on a worker thread too (WaitAnalysisOptions.waitThreads; the report is the same). */
  waitThreads?: WaitThreadOptions;
  /**
   * Internal: reconstruct and accumulate the case chain in this many contiguous case partitions, then merge them
   * (case-chain.ts; the report is the same for every count, capped at the case count). Default
   * VSM_CASE_PARTITIONS, else 1: the in-memory path, which copies nothing.
   */
  casePartitions?: number;
  /**
   * Internal: the wait chain's per-case pass in this many contiguous case ranges (WaitAnalysisOptions.casePartitions,
   * src/vsm/wait-partitions.ts; the report is the same for every count). Default VSM_WAIT_CASE_PARTITIONS, else 1.
   */
  waitCasePartitions?: number;
  /** Internal: the wait chain's per-resource work in this many resource-code ranges (WaitAnalysisOptions.resourcePartitions). */
  waitResourcePartitions?: number;
}

/** What the second half needs of the log: its counts and names, no per-event column but the event attributes. */
export type LogFacts = Pick<EventLog, 'shape' | 'eventCount' | 'caseCount' | 'caseIds' | 'attributes'>;

/** The wait analysis without the log it wrote estimated starts into (the reconstruction has read it). */
export type WaitResult = Omit<WaitAnalysis, 'logWithStarts' | 'estimatedStarts'>;

export interface MeasuredVisits {
  log: LogFacts;
  calendarSpec: CalendarSpec;
  calendar: BusinessCalendar;
  /** The export's own asOf note (exportAsOfMs), if any. */
  asOfNote?: string;
  waits: WaitResult | null;
  /** Null when the visits were streamed into a case chain instead (`streamed`: the event store, analyze-stored.ts). */
  reconstruction: Reconstruction | null;
  streamed?: StreamedChain;
  sufficiency: SufficiencyJson;
  /** The note on timestamps far from the rest, null when none. */
  farNote: string | null;
  /**
   * The case partitions of the case chain when there are several (casePartitions > 1; `reconstruction` is then
   * their join); absent = one, the reconstruction itself.
   */
  partitions?: CasePartition[];
}

/**
 * A case chain the event store's ranges were accumulated into (CaseChainStream) with what the report reads of the
 * reconstruction besides its visits.
 */
export interface StreamedChain {
  chain: CaseChainStream;
  /** The ranges' join (ReconstructionJoin.finishFacts): the map order of their steps, the case table, activeUnknown. */
  joined: Parameters<CaseChainStream['finish']>[0];
  quality: Reconstruction['quality'];
  boundaries: Reconstruction['boundaries'];
  asOfMs: number;
}

/**
 * The censoring instant: --as-of / config.asOf when given, else the latest instant anywhere in the export (created,
 * updated and audit times, not only status changes), so an open case whose audits run for months is not "aged 1 s".
 */
function exportAsOfMs(lastEventOf: () => number, ingest: Pick<IngestReport, 'history'>, options: VisitOptions): { asOfMs: number | undefined; note?: string; lastEventMs?: number } {
  if (options.asOfMs !== undefined || options.config?.asOf !== undefined) return { asOfMs: options.asOfMs };
  const lastSeenAt = ingest.history?.lastSeenAt;
  const lastSeenMs = lastSeenAt ? Date.parse(lastSeenAt) : NaN;
  const lastEventMs = lastEventOf();
  if (!(lastSeenMs > lastEventMs) && !Number.isNaN(lastEventMs)) return { asOfMs: undefined, lastEventMs };
  if (Number.isNaN(lastSeenMs)) return { asOfMs: undefined, lastEventMs };
  const lastEventText = Number.isNaN(lastEventMs) ? 'none' : new Date(lastEventMs).toISOString();
  return {
    asOfMs: lastSeenMs,
    note: `asOf ${lastSeenAt} is the latest time anywhere in the export (created / updated / audit times); the last status or owner change is ${lastEventText}`,
  };
}

/**
 * A log handed over for good (`vsm analyze`): measureVisits takes it out (`log` is undefined afterwards) and lets go
 * of the columns the analysis does not read (case code, file and source row: 10 bytes an event) before the wait
 * analysis, so they are not alive at its peak (issue 14, peak memory). The caller must hold no other reference.
 * Dropped at every size: until h23-mem it was only from 8 Mi events on (glibc's mmap threshold made freeing smaller
 * columns raise the peak); since the wait analysis allocates its per-run columns once and lets the instance columns
 * go before its sweep, dropping lowers the peak at every size measured (5 M: 515–546 MB against 569–579; 1 M:
 * 224–228 against 234–239; docs/benchmarks.md).
 */
export interface LogHandover {
  log: EventLog | undefined;
}

/**
 * From this many events a handed-over log's wait analysis is followed by a full collection (collect-garbage.ts), as
 * are the CLI's read and the log's drop. Below it the collections cost more than they give: at 1 M events the two in
 * read + analyze took ≈ 35 ms of a ≈ 1.02 s run on one core and kept ≈ 20 MB off a 175 MB peak, while at 5 M they
 * keep the peak (the target there) from varying by 100 MB (docs/benchmarks.md, h29-cpu).
 */
export const COLLECT_MIN_EVENTS = 2_000_000;

/**
 * Takes the log out of the handover: the far-timestamp note (it names files and rows), then the log without its
 * event addresses. The full log is only referenced in this frame, which ends before the analysis starts.
 */
function takeOver(handover: LogHandover): { log: AnalysisLog; farNote: string | null } {
  const full = handover.log;
  if (full === undefined) throw new Error('measureVisits: the handed-over log was already taken');
  handover.log = undefined;
  const farNote = farTimestampsNote(findFarTimestamps(full));
  const { caseCode: _caseCode, fileIndex: _fileIndex, sourceRow: _sourceRow, ...log } = full;
  return { log, farNote };
}

/**
 * Wait analysis (activity logs), step visits and case times, sufficiency: the part of the analysis that reads the
 * log's events. Given a LogHandover instead of the log, it drops the columns it does not read first (the same result).
 * @example const measured = measureVisits(log, ingest, {}); measured.reconstruction.visits.count
 */
export function measureVisits(source: EventLog | LogHandover, ingest: IngestReport, options: VisitOptions): MeasuredVisits {
  if (!('eventCount' in source)) {
    const { log, farNote } = takeOver(source);
    return measureLog({ log, owned: true }, farNote, ingest, options);
  }
  return measureLog({ log: source, owned: false }, farTimestampsNote(findFarTimestamps(source)), ingest, options);
}

/**
 * The log while measureLog runs, read through this holder only (no local keeps it): when the log was handed over
 * (`owned`), the owner column at the level the visits do not use is replaced by a narrower log as soon as nothing
 * reads it — group codes at once, resource codes once the wait analysis has collected its instances (4 bytes an event).
 */
interface LogHolder {
  log: ReconstructionLog;
  readonly owned: boolean;
}

function dropOwnerColumn(holder: LogHolder, column: 'resourceCode' | 'groupCode'): void {
  if (!holder.owned || holder.log[column] === undefined) return;
  const { [column]: _dropped, ...log } = holder.log;
  holder.log = log;
}

/** The instances of the held log (a frame of its own: nothing here outlives the collection). */
function collectHeld(holder: LogHolder, map: StepMap, asOfMs: number) {
  const { resourceCode } = holder.log;
  if (resourceCode === undefined) throw new Error('measureVisits: the resource column is gone before the instances were collected');
  return collectInstances({ ...holder.log, resourceCode }, map.stepOfActivity, asOfMs);
}

/** The wait analysis at the censoring instant measureLog found (the reconstruction's). */
/** The wait analysis's options of a measurement with this step map and censoring instant. */
export function waitOptionsOf(map: StepMap, asOfMs: number, calendarSpec: CalendarSpec, options: VisitOptions): WaitAnalysisOptions {
  return {
    config: options.config,
    map,
    asOfMs,
    estimate: options.estimateStarts !== false,
    timeZone: calendarSpec.kind === 'business' ? calendarSpec.timeZone : 'UTC',
    onPhase: options.onPhase,
    activityTable: options.activityTable,
    waitThreads: options.waitThreads,
    casePartitions: options.waitCasePartitions,
    resourcePartitions: options.waitResourcePartitions,
  };
}

function measureWaits(holder: LogHolder, asOfMs: number, calendarSpec: CalendarSpec, options: VisitOptions): WaitAnalysis {
  const waitOptions = waitOptionsOf(buildStepMap(holder.log, options.config), asOfMs, calendarSpec, options);
  const { map } = waitOptions;
  options.onPhase?.('instances', 0, 0);
  const instances = collectHeld(holder, map, waitOptions.asOfMs);
  if (ownerLevelOf(holder.log, options.config) === 'group') dropOwnerColumn(holder, 'resourceCode');
  return analyzeInstances(instances, holder.log, waitOptions);
}

/**
 * The censoring instant of a measurement (once, for the wait analysis and the reconstruction: the estimated starts
 * change start times only, so the last event is the same for both), with the calendar and the export's asOf note.
 * `lastEventOf` gives the log's last event time (NaN for none), asked at most once.
 */
export function measureClock(lastEventOf: () => number, ingest: Pick<IngestReport, 'history'>, options: VisitOptions): { calendarSpec: CalendarSpec; calendar: BusinessCalendar; asOfMs: number; asOfNote?: string } {
  const calendarSpec = options.calendar ?? options.config?.calendar ?? CALENDAR_24X7;
  const calendar = makeCalendar(calendarSpec);
  const asOf = exportAsOfMs(lastEventOf, ingest, options);
  const configAsOfMs = options.config?.asOf === undefined ? NaN : Date.parse(options.config.asOf);
  const asOfMs = asOf.asOfMs ?? (Number.isNaN(configAsOfMs) ? (asOf.lastEventMs ?? lastEventOf()) : configAsOfMs);
  return { calendarSpec, calendar, asOfMs, ...(asOf.note === undefined ? {} : { asOfNote: asOf.note }) };
}

function measureLog(holder: LogHolder, farNote: string | null, ingest: IngestReport, options: VisitOptions): MeasuredVisits {
  const { calendarSpec, calendar, asOfMs, asOfNote } = measureClock(() => defaultAsOfMs(holder.log), ingest, options);
  const ownerLevel = ownerLevelOf(holder.log, options.config);
  // Nothing before the reconstruction reads group codes; resource codes only the instance collection.
  if (ownerLevel === 'resource') dropOwnerColumn(holder, 'groupCode');
  else if (holder.log.shape !== 'activity') dropOwnerColumn(holder, 'resourceCode');
  const waits = holder.log.shape === 'activity' ? measureWaits(holder, asOfMs, calendarSpec, options) : null;
  // A handed-over log (the CLI): the wait analysis's dead arrays go before the reconstruction allocates its own.
  if (waits !== null && holder.owned && holder.log.eventCount >= COLLECT_MIN_EVENTS) collectGarbage();
  options.onPhase?.('reconstruction', 0, 0);
  const reconstructed = reconstructPartitions(waits?.logWithStarts ?? holder.log, { config: options.config, calendar, asOfMs }, options.casePartitions ?? casePartitionsFromEnv());
  const { reconstruction } = reconstructed;
  const { shape, eventCount, caseCount, caseIds, attributes } = holder.log;
  return measuredOf({
    log: { shape, eventCount, caseCount, caseIds, attributes },
    clock: { calendarSpec, calendar, asOfNote },
    waits,
    reconstruction,
    sufficiency: judgeSufficiency(holder.log, ingest, reconstruction, { startsEstimated: waits?.json.startEstimated === true }),
    farNote,
    partitions: reconstructed.partitions,
  });
}

/**
 * The first half's result from its parts (the in-memory measurement's and the event store's, analyze-stored.ts): the
 * wait analysis without what the reconstruction has read of it (the log with its starts, the list of them).
 */
export function measuredOf(parts: {
  log: LogFacts;
  clock: { calendarSpec: CalendarSpec; calendar: BusinessCalendar; asOfNote?: string };
  waits: Pick<WaitAnalysis, 'json' | 'stepCauses' | 'table'> | null;
  reconstruction: Reconstruction | null;
  streamed?: StreamedChain;
  sufficiency: SufficiencyJson;
  farNote: string | null;
  partitions: CasePartition[] | undefined;
}): MeasuredVisits {
  const { waits, clock, partitions, streamed } = parts;
  let waitResult: WaitResult | null = null;
  if (waits !== null) {
    const { json, stepCauses, table } = waits;
    waitResult = { json, stepCauses, ...(table ? { table } : {}) };
  }
  return {
    log: parts.log,
    calendarSpec: clock.calendarSpec,
    calendar: clock.calendar,
    ...(clock.asOfNote === undefined ? {} : { asOfNote: clock.asOfNote }),
    waits: waitResult,
    reconstruction: parts.reconstruction,
    ...(streamed ? { streamed } : {}),
    // Before any metric: what this log can and cannot support (DESIGN §7b).
    sufficiency: parts.sufficiency,
    farNote: parts.farNote,
    ...(partitions ? { partitions } : {}),
  };
}

/** The reconstruction in `count` case partitions (their join, and the partitions when there are several). */
function reconstructPartitions(log: ReconstructionLog, options: ReconstructOptions, count: number): { reconstruction: Reconstruction; partitions?: CasePartition[] } {
  const ranges = casePartitionRanges(log.caseCount, count);
  if (ranges.length <= 1) return { reconstruction: reconstructVisits(log, options) };
  const stepMap = buildStepMap(log, options.config);
  const { partitions, whole } = joinPartitions(
    ranges.map((cases) => reconstructVisits(log, { ...options, cases, stepMap })),
    log.eventCount,
  );
  return { reconstruction: whole, partitions };
}
