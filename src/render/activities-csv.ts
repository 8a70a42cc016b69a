/**
 * activities.csv: one row per completed activity instance, for BI tools (docs/wait-causes.md "activities.csv").
 * ISO instants in UTC; durations in ms; `start_estimated` true where the start is an estimate; empty cells where a
 * value is unknown (no start and no estimate). RFC 4180 quoting, CRLF line ends, formula-injection guard.
 */
import { BATCH_TYPE_NAMES } from '../metrics/batches.js';
import type { ActivityTable } from '../vsm/wait-analysis.js';
import { csvCell } from './escape.js';

export const ACTIVITY_CSV_COLUMNS = [
  'case',
  'activity',
  'resource',
  'enabled_at',
  'start_at',
  'start_estimated',
  'end_at',
  'wait_ms',
  'batching_ms',
  'prioritization_ms',
  'contention_ms',
  'unavailability_ms',
  'extraneous_ms',
  'batch_id',
  'batch_type',
] as const;

const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);

/** Renders the table; rows in case order, then completion order. */
export function renderActivitiesCsv(table: ActivityTable): string {
  const { log, instances, enabledMs, startMs, estimated, causes, batches } = table;
  const lines = [ACTIVITY_CSV_COLUMNS.map(csvCell).join(',')];
  for (let k = 0; k < instances.count; k++) {
    const known = !Number.isNaN(startMs[k]);
    const causeCell = (column: Float64Array) => (known ? column[k] : null);
    const resourceCode = instances.resource[k];
    const cells = [
      log.caseIds.valueOf(instances.caseCode[k]) ?? null,
      log.activities.valueOf(instances.activity[k]) ?? null,
      resourceCode < 0 ? null : (log.resources.valueOf(resourceCode) ?? null),
      iso(enabledMs[k]),
      iso(startMs[k]),
      known ? estimated[k] === 1 : null,
      iso(instances.endMs[k]),
      known ? causes.waitMs[k] : null,
      causeCell(causes.causeMs.batching),
      causeCell(causes.causeMs.prioritization),
      causeCell(causes.causeMs.contention),
      causeCell(causes.causeMs.unavailability),
      causeCell(causes.causeMs.extraneous),
      batches.batchId[k] >= 0 ? batches.batchId[k] : null,
      batches.batchType[k] > 0 ? BATCH_TYPE_NAMES[batches.batchType[k]] : null,
    ];
    lines.push(cells.map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
