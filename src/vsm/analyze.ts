import { type CalendarSpec, clockTimeToMinutes } from '../calendar/calendar-spec.js';
import type { IngestReport } from '../contracts/ingest-report.js';
import type { EventLog } from '../model/event-log.js';
import { DEFAULT_SEED } from '../metrics/random.js';
import type { Reconstruction } from '../traces/reconstruct.js';
import { TOOL_VERSION } from '../version.js';
import { VsmError } from '../errors.js';
import { computeFindings } from './findings.js';
import { type CaseChainJson, type CaseChainOptions, runCaseChain } from './case-chain.js';
import type { ReportJson } from '../contracts/report-schema.js';
import { REPORT_SCHEMA_VERSION } from '../contracts/report-version.js';
import { measureVisits, type MeasuredVisits, type StreamedChain, type VisitOptions, type WaitResult } from './analyze-visits.js';
import { attachTicketWaitCauses, attachWaitCauses } from './wait-steps.js';
import { computeTicketWaitCauses } from '../metrics/ticket-wait-causes.js';
import { formatCount } from '../model/units.js';
import { MAX_OVERLAP_SCAN } from '../metrics/wait-causes.js';

/** Working ms in one full working day of a business calendar (sum of its spans); null for 24x7. */
export function workdayMsOf(spec: CalendarSpec): number | null {
  if (spec.kind !== 'business') return null;
  return spec.hours.reduce((sum, span) => sum + (clockTimeToMinutes(span.end) - clockTimeToMinutes(span.start)) * 60_000, 0);
}

export interface AnalyzeOptions extends VisitOptions {
  /** Shown as the report's log name (usually the file name). */
  logName: string;
  /** Seed of every bootstrap interval (the report is deterministic for a given seed). */
  seed?: number;
  topVariants?: number;
  topLoops?: number;
  /** Provenance: the input file as read. */
  input?: { file: string; bytes: number; sha256: string };
  /** Provenance: the options as the user gave them (flags, config path). */
  provenanceOptions?: Record<string, unknown>;
}

/** The full analysis with the intermediate reconstruction, for callers (simulate, compare) that need per-case data. */
export interface Analysis {
  report: ReportJson;
  /** Null when the visits were not kept (the event store's streamed case chain, analyze-stored.ts). */
  reconstruction: Reconstruction | null;
  /** Activity logs: enabled times, (estimated) starts and wait causes per instance; null for status logs. */
  waits: WaitResult | null;
}

/** The note on estimated starts (also said by `--engine clickhouse`, which estimates them too). */
export function estimatedStartsNote(count: number): string {
  return `${count} start times are estimated (enabled time and resource availability, docs/wait-causes.md): active time, flow efficiency and waits rest on them (≈)`;
}

const SOURCE_SYSTEMS: Record<string, string> = {
  jira: 'Jira',
  zendesk: 'Zendesk',
  servicenow: 'ServiceNow',
  salesforce: 'Salesforce',
  github: 'GitHub',
  greenhouse: 'Greenhouse',
  lever: 'Lever',
};

/**
 * Measures a log: step visits → step timings, lead and cycle time, flow efficiency, handoffs, rework, variants,
 * DFG, weekly flow, and the four answers (DESIGN §4–§5). Pure: same log and options give the same report.
 *
 * @example
 * const { log, report: ingest } = await readLog('helpdesk.csv.gz');
 * const { report } = analyzeLog(log, ingest, { logName: 'helpdesk' });
 * report.findings.biggestDelay?.statement;
 */
export function analyzeLog(log: EventLog, ingest: IngestReport, options: AnalyzeOptions): Analysis & { reconstruction: Reconstruction } {
  const measured = measureVisits(log, ingest, options);
  const { reconstruction } = measured;
  if (reconstruction === null) throw new Error('analyzeLog: the in-memory analysis kept no visits');
  return { ...reportFromVisits(measured, ingest, options), reconstruction };
}

/**
 * What the report reads of the reconstruction besides the case chain, and the chain itself (case-chain.ts): in memory
 * per partition, merged in partition order (one partition: no copy); from the event store, the ranges already
 * accumulated into a CaseChainStream.
 */
function chainSourceOf(measured: MeasuredVisits): Pick<StreamedChain, 'quality' | 'boundaries' | 'asOfMs'> & { activeUnknown: boolean; runChain: (options: CaseChainOptions) => CaseChainJson } {
  const { reconstruction, streamed } = measured;
  if (reconstruction !== null) {
    const { quality, boundaries, visits } = reconstruction;
    const partitions = measured.partitions ?? [{ reconstruction, firstCase: 0 }];
    return { quality, boundaries, activeUnknown: visits.activeUnknown, asOfMs: visits.asOfMs, runChain: (options) => runCaseChain(partitions, options) };
  }
  if (streamed === undefined) throw new Error('reportFromVisits: neither visits nor a streamed case chain');
  const { quality, boundaries, asOfMs, joined, chain } = streamed;
  return { quality, boundaries, activeUnknown: joined.activeUnknown, asOfMs, runChain: (options) => chain.finish(joined, options) };
}

/**
 * An as-of before the log's first event leaves no event to measure: every one lies after it and is ignored. That is a
 * mistyped or misread flag (2000 for 2024, a day-first date read month-first), not an export that lacks history, which
 * is what the empty report's sufficiency lines would otherwise suggest: refused, exit 2. So is an as-of after both
 * today and the log's last event: open cases would be aged into the future.
 */
export function assertAsOfWithinLog(asOfMs: number | undefined, timeRange: IngestReport['timeRange'], nowMs = Date.now()): void {
  if (asOfMs === undefined || timeRange === null) return;
  const range = `the log's events run from ${timeRange.from} to ${timeRange.to}`;
  if (asOfMs < Date.parse(timeRange.from)) {
    throw new VsmError({
      code: 'BAD_OPTION',
      what: 'as-of is before every event in the log',
      where: 'flag --as-of',
      got: `${new Date(asOfMs).toISOString()}; ${range}`,
      fix: 'pass an instant inside that range (cases still open then are censored there), or leave --as-of out to use the last event',
    });
  }
  // After today and after the log's last event: open cases would be aged into a future no export has seen (2099 for 2029).
  if (asOfMs > nowMs + AS_OF_FUTURE_SLACK_MS && asOfMs > Date.parse(timeRange.to)) {
    throw new VsmError({
      code: 'BAD_OPTION',
      what: 'as-of is in the future',
      where: 'flag --as-of',
      got: `${new Date(asOfMs).toISOString()}; today is ${new Date(nowMs).toISOString().slice(0, 10)} and ${range}`,
      fix: 'pass the instant the export was taken (open cases are aged up to it), or leave --as-of out to use the last event',
    });
  }
}

/** An as-of up to a day ahead of the clock is taken (an export stamped in a zone ahead of this machine's). */
const AS_OF_FUTURE_SLACK_MS = 86_400_000;

/**
 * The second half of analyzeLog: the metrics, findings and report from the step visits, without the log's events
 * (analyze-visits.ts). A caller that drops its log after measureVisits gets the same report with less memory.
 * @example const report = reportFromVisits(measureVisits(log, ingest, options), ingest, options).report;
 */
export function reportFromVisits(measured: MeasuredVisits, ingest: IngestReport, options: AnalyzeOptions): Analysis {
  const seed = options.seed ?? DEFAULT_SEED;
  const { log, calendarSpec, calendar, waits, reconstruction, sufficiency } = measured;
  const onPhase = options.onPhase;
  const { quality, boundaries, activeUnknown, asOfMs, runChain } = chainSourceOf(measured);
  assertAsOfWithinLog(options.asOfMs, ingest.timeRange);

  const timeZone = calendarSpec.kind === 'business' ? calendarSpec.timeZone : undefined;
  const chainOptions: CaseChainOptions = {
    seed,
    config: options.config,
    log,
    defaultSystem: SOURCE_SYSTEMS[ingest.format] ?? null,
    // An unsupported flow efficiency (no status history, no start times) is unknown, never 0 % (DESIGN §7b).
    activeKnown: !activeUnknown && sufficiency.flowEfficiency?.verdict !== 'unsupported',
    topLoops: options.topLoops,
    topVariants: options.topVariants,
    timeZone,
    caseIds: log.caseIds,
    onPhase,
  };
  const chain = runChain(chainOptions);
  const { steps, leadTimeMs, cycleTimeMs, flowEfficiency, handoffs, rework, variants, dfg, flow, transitionsWithMissingOwner, openCases } = chain;
  // The wait chain ran once on the whole log: its per-step results are attached after the merge.
  if (waits) attachWaitCauses(steps, waits);
  if (log.shape === 'status') {
    // Status logs keep their visits (the store streams activity logs only): an owner's other tickets span cases.
    if (reconstruction === null) throw new Error('reportFromVisits: a status log without its visits');
    attachTicketWaitCauses(steps, reconstruction.visits, computeTicketWaitCauses(reconstruction.visits, calendar));
  }
  if (waits?.json.startEstimated) flowEfficiency.startEstimated = true;

  const logJson: ReportJson['log'] = {
    name: options.logName,
    format: ingest.format,
    shape: log.shape,
    cases: log.caseCount,
    events: log.eventCount,
    openCases,
    timeRange: ingest.timeRange,
    asOf: Number.isFinite(asOfMs) ? new Date(asOfMs).toISOString() : null,
  };
  onPhase?.('findings', 0, 0);
  const findings = computeFindings({
    steps,
    leadTimeMs,
    rework,
    handoffs,
    log: logJson,
    calendar: { workdayMs: workdayMsOf(calendarSpec) },
    sufficiency,
    commitmentPointSet: options.config?.trigger !== undefined,
  });

  const notes = [...ingest.notes, ...quality.notes];
  if (measured.asOfNote) notes.push(measured.asOfNote);
  if (transitionsWithMissingOwner > 0) notes.push(`${transitionsWithMissingOwner} consecutive visits without an owner on one side were not counted as handoffs`);
  if (measured.farNote !== null) notes.push(measured.farNote);
  if (flow.bucket?.reason) notes.push(`flow series bucketed by ${flow.bucket.unit}: ${flow.bucket.reason}`);
  if (activeUnknown) notes.push('single-timestamp log: active time is unknown; step delays are the elapsed time before each event');
  if (chain.approximateNote !== null) notes.push(chain.approximateNote);
  const capped = waits?.json.overlapScanCapped ?? 0;
  if (capped > 0) {
    notes.push(
      `wait causes: for ${formatCount(capped)} waits of batch members the look at the same resource's other work stopped after ${formatCount(MAX_OVERLAP_SCAN)} instances; overlaps past that count as extraneous, so extraneous leans high and contention/prioritization low for them`,
    );
  }
  if (waits?.json.startEstimated) {
    notes.push(estimatedStartsNote(waits.json.estimatedStarts));
  }

  const report: ReportJson = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'valuestream', version: TOOL_VERSION },
    log: logJson,
    boundaries,
    calendar: { kind: calendarSpec.kind, description: calendar.describe(), timeZone: timeZone ?? null, workdayMs: workdayMsOf(calendarSpec) },
    steps,
    leadTimeMs,
    cycleTimeMs,
    flowEfficiency,
    handoffs,
    rework,
    variants,
    dfg,
    flow,
    findings,
    ...(waits ? { waitCauses: waits.json } : {}),
    dataQuality: {
      censoredCases: openCases,
      clampedNegativeIntervals: quality.clampedNegativeIntervals,
      duplicateEventsDropped: ingest.duplicatesDropped,
      missingOwnerVisits: quality.missingOwnerVisits,
      unmatchedStarts: quality.unmatchedStarts,
      unmatchedCompletes: quality.unmatchedCompletes,
      estimatedStarts: waits?.json.estimatedStarts ?? quality.estimatedStarts,
      rowsRejected: ingest.rowsRejected,
      rowsRead: ingest.rowsRead,
      rowsUsed: ingest.rowsUsed,
      rowsIgnored: ingest.rowsIgnored ?? 0,
      rowsIgnoredByReason: ingest.ignored ?? {},
      notes,
      sufficiency,
    },
    provenance: {
      input: options.input ?? { file: options.logName, bytes: 0, sha256: '' },
      options: options.provenanceOptions ?? {},
      timeZoneAssumed: ingest.timeZone.assumed ?? null,
      toolVersion: TOOL_VERSION,
    },
  };
  return { report, reconstruction, waits };
}
