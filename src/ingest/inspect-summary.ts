import { activityCounts, type EventLog } from '../model/event-log.js';
import { LIFECYCLES } from '../model/lifecycle.js';
import { type ClassifiedStatus, defaultStatusClass } from '../model/status-class.js';
import type { IngestReport } from './ingest-report.js';

/** What `vsm inspect --json` prints. Stable keys; additive changes only. */
export interface InspectSummary {
  file: string;
  format: string;
  formatDetectedBy: string;
  shape: EventLog['shape'];
  encoding: string | null;
  delimiter: string | null;
  mapping: Record<string, string>;
  cases: number;
  events: number;
  activities: Record<string, number>;
  resources: number;
  groups: number;
  lifecycle: Record<string, number>;
  lifecycleValues: Record<string, number>;
  statuses: ClassifiedStatus[];
  rowsRead: number;
  rowsUsed: number;
  rowsRejected: number;
  /** Sound rows the map does not need; `ignored` breaks them down by reason. */
  rowsIgnored: number;
  ignored: IngestReport['ignored'];
  duplicatesDropped: number;
  rejections: IngestReport['rejections'];
  timeRange: { from: string; to: string } | null;
  timeZone: IngestReport['timeZone'];
  attributes: string[];
  caseAttributes: string[];
  /** Open questions and assumptions ("no time zone given …"). */
  notes: string[];
}

export type StatusClassifier = (status: string, sourceCategory: string | undefined) => ClassifiedStatus;

/**
 * Summarises a read log for `vsm inspect`: counts, mapping, lifecycle kinds, the status → class table
 * (status logs), and every open question the ingest raised.
 */
export function buildInspectSummary(
  file: string,
  log: EventLog,
  report: IngestReport,
  classify: StatusClassifier = defaultStatusClass,
): InspectSummary {
  const lifecycle: Record<string, number> = {};
  const lifecycleCounts = new Int32Array(LIFECYCLES.length);
  for (let i = 0; i < log.eventCount; i++) lifecycleCounts[log.lifecycle[i]]++;
  LIFECYCLES.forEach((name, code) => {
    if (lifecycleCounts[code] > 0) lifecycle[name] = lifecycleCounts[code];
  });
  const activities = activityCounts(log);
  if (log.shape === 'status') activities.delete('');
  const statuses =
    log.shape === 'status' ? [...activities.keys()].map((status) => classify(status, log.sourceStatusCategory.get(status))) : [];
  const notes = [...report.notes];
  if (log.eventCount === 0) notes.push('no usable events: check the column mapping and the rejections below');
  const firstByLifecycle = lifecycle.start ?? 0;
  if (log.shape === 'activity' && firstByLifecycle === 0 && !log.startTimestampMs) {
    notes.push('single-timestamp activity log: active time is unknown; reports show elapsed time between events (and label any estimate as estimated)');
  }
  return {
    file,
    format: report.format,
    formatDetectedBy: report.formatDetectedBy,
    shape: log.shape,
    encoding: report.encoding ?? null,
    delimiter: report.delimiter ?? null,
    mapping: report.mapping,
    cases: log.caseCount,
    events: log.eventCount,
    activities: Object.fromEntries(activities),
    resources: log.resources.size,
    groups: log.groups.size,
    lifecycle,
    lifecycleValues: report.lifecycleValues,
    statuses,
    rowsRead: report.rowsRead,
    rowsUsed: report.rowsUsed,
    rowsRejected: report.rowsRejected,
    rowsIgnored: report.rowsIgnored,
    ignored: report.ignored,
    duplicatesDropped: report.duplicatesDropped,
    rejections: report.rejections,
    timeRange: report.timeRange,
    timeZone: report.timeZone,
    attributes: [...log.attributes.keys()],
    caseAttributes: [...log.caseAttributes.keys()],
    notes,
  };
}
