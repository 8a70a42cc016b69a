import type { ReportJson } from '../contracts/report-schema.js';

/** The data-quality counters with their plain names, in reading order (shared by HTML and Markdown). */
export function dataQualityCounts(report: ReportJson): Array<[string, number]> {
  const q = report.dataQuality;
  return [
    ['open cases right-censored', q.censoredCases],
    ['negative intervals clamped (clock skew)', q.clampedNegativeIntervals],
    ['duplicate events dropped', q.duplicateEventsDropped],
    ['visits without a known owner', q.missingOwnerVisits],
    ['starts without a completion', q.unmatchedStarts],
    ['completions without a start', q.unmatchedCompletes],
    ['estimated start times', q.estimatedStarts],
    ['rows rejected at ingest', q.rowsRejected],
    // Sound rows the map does not use (other fields, comments); broken down by reason in the ingest block.
    ...(q.rowsIgnored !== undefined ? [['rows ignored at ingest (not a status/owner change, …)', q.rowsIgnored] as [string, number]] : []),
  ];
}
