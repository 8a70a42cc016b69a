/**
 * activities.csv: one row per completed activity instance, for BI tools (docs/wait-causes.md "activities.csv").
 * ISO instants in UTC; durations in ms; `start_estimated` true where the start is an estimate; empty cells where a
 * value is unknown (no start and no estimate). RFC 4180 quoting, CRLF line ends, formula-injection guard.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
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

/** The header then one line per instance (no line ends); rows in case order, then completion order. */
function* activityCsvLines(table: ActivityTable): Generator<string> {
  const { log, instances, enabledMs, startMs, estimated, causes, batches } = table;
  yield ACTIVITY_CSV_COLUMNS.map(csvCell).join(',');
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
      batches.batchId[k] >= 0 ? BATCH_TYPE_NAMES[batches.typeOfBatch[batches.batchId[k]]] : null,
    ];
    yield cells.map(csvCell).join(',');
  }
}

/** Renders the table as one string (tests, renderReportFiles); writeActivitiesCsv writes the same bytes. */
export function renderActivitiesCsv(table: ActivityTable): string {
  return `${[...activityCsvLines(table)].join('\r\n')}\r\n`;
}

/** Lines per write: about 2 MB of text, so the file never has to fit in one string (5 M events: 340 MB). */
const LINES_PER_WRITE = 10_000;

/** Writes renderActivitiesCsv's bytes to `path` in pieces (issue 14: peak memory of `vsm analyze`). */
export function writeActivitiesCsv(path: string, table: ActivityTable): void {
  const fd = openSync(path, 'w');
  try {
    let lines: string[] = [];
    const flush = () => {
      writeSync(fd, `${lines.join('\r\n')}\r\n`);
      lines = [];
    };
    for (const line of activityCsvLines(table)) {
      lines.push(line);
      if (lines.length === LINES_PER_WRITE) flush();
    }
    if (lines.length > 0) flush();
  } finally {
    closeSync(fd);
  }
}
