/**
 * valuestream as a library: the CLI without the terminal.
 *
 * @example
 * import { readLog, analyze, writeReport } from 'valuestream';
 * const { log, report: ingest } = await readLog('tickets.csv', { timeZone: 'Europe/Berlin' });
 * const report = analyze(log, ingest, { logName: 'tickets' });
 * console.log(report.findings.biggestDelay?.statement);
 * await writeReport(report, 'reports/tickets', { html: true, ingest });
 */
import type { IngestReport } from './ingest/ingest-report.js';
import type { EventLog } from './model/event-log.js';
import { type AnalyzeOptions, analyzeLog } from './vsm/analyze.js';
import type { ReportJson } from './contracts/report-schema.js';

export { VsmError, isVsmError, type VsmErrorCode } from './errors.js';
export { readLog } from './ingest/read-log.js';
export { sniffSource } from './ingest/sniff.js';
export type { ReadOptions, ReadResult, SourceKind, ColumnMapping } from './ingest/read-options.js';
export { SOURCE_KINDS } from './ingest/read-options.js';
export type { IngestReport, RejectionReason } from './ingest/ingest-report.js';
export { buildInspectSummary, type InspectSummary } from './ingest/inspect-summary.js';
export { type EventLog, type AttributeColumn, activityCounts, attributeOf, lifecycleOf } from './model/event-log.js';
export { EventLogBuilder } from './model/event-log-builder.js';
export { Dictionary, MISSING_CODE } from './model/dictionary.js';
export { LIFECYCLES, type Lifecycle } from './model/lifecycle.js';
export { STATUS_CLASSES, VALUE_CLASSES, defaultStatusClass, type StatusClass, type ValueClass } from './model/status-class.js';
export { VsmConfigSchema, parseConfig, type VsmConfig } from './model/config-parse.js';
export { anonymizeLog, pseudonym } from './model/anonymize.js';
export { formatDurationMs, formatPercent, formatCount } from './model/units.js';
export { CalendarSpecSchema } from './calendar/calendar-spec-schema.js';
export type { CalendarSpec } from './calendar/calendar-spec.js';
export { makeCalendar, type BusinessCalendar } from './calendar/business-calendar.js';
export { parseCalendarOption } from './calendar/calendar-option.js';
export { reconstructVisits, type Reconstruction } from './traces/reconstruct.js';
export type { StepVisits, CaseTimes } from './traces/step-visits.js';
export { summarize, quantileSorted, type Distribution } from './metrics/distribution.js';
export { analyzeLog, reportFromVisits, type AnalyzeOptions, type Analysis } from './vsm/analyze.js';
export { measureVisits, type MeasuredVisits, type LogFacts } from './vsm/analyze-visits.js';
export { ANALYZE_PHASES, type AnalyzePhase, type AnalyzePhaseCallback } from './vsm/analyze-progress.js';
export { estimateEvents, type EventEstimate } from './ingest/estimate-events.js';
export { peakBytesFor, memoryWarning, type PeakRun } from './vsm/memory-need.js';
export { analyzeWaits, type WaitAnalysis, type ActivityTable } from './vsm/wait-analysis.js';
export { checkStartEstimator, type EstimatorCheck } from './metrics/estimator-check.js';
export { computeFindings } from './vsm/findings.js';
export { ReportSchema, REPORT_SCHEMA_VERSION, type ReportJson, type FindingJson, type StepJson, type WaitCausesJson, type WaitTransitionJson } from './contracts/report-schema.js';
export { writeReport, renderReportFiles, type WriteReportOptions } from './render/write-report.js';
export { renderMapSvg, type MapSvgOptions } from './render/map-svg.js';
export { buildCharts, type ChartResult, type ChartSpec } from './render/specs/index.js';
export { renderCompareHtml, type CompareHtmlOptions } from './render/compare-html.js';
export { renderCompareMarkdown } from './render/compare-markdown.js';
export { renderSimulateHtml, type SimulateHtmlInputs } from './render/simulate-html.js';
export { renderSimulateFiles } from './render/write-simulate.js';
export { renderSimulateMarkdown } from './render/simulate-markdown.js';
export { changedStepLabels } from './render/change-marks.js';
export { compareAnalyses, comparePeriods, type CompareSideInput, type CompareOptions } from './vsm/compare.js';
export { CompareSchema, COMPARE_SCHEMA_VERSION, type CompareJson } from './contracts/compare-schema.js';
export { simulateFutureState, CHANGE_KINDS, type SimulateOptions, type ChangeRequest, type ChangeKind } from './vsm/simulate.js';
export { SimulateSchema, SIMULATE_SCHEMA_VERSION, type SimulateJson } from './contracts/simulate-schema.js';
export { futureReport } from './vsm/simulate-map.js';
export { TOOL_VERSION } from './version.js';

/**
 * Measures a log and returns report.json's object (the four answers, step timings, lead time, handoffs, rework…).
 * Same as `analyzeLog(…).report`; use `analyzeLog` when you also need the per-visit reconstruction.
 */
export function analyze(log: EventLog, ingest: IngestReport, options: AnalyzeOptions): ReportJson {
  return analyzeLog(log, ingest, options).report;
}
