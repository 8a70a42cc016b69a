/**
 * The canonical event table `vsm load` writes and `vsm analyze --engine clickhouse` reads without mapping flags
 * (docs/clickhouse.md). One row per EventLog event; timestamps are Int64 epoch ms (18.16 has no DateTime64).
 * Missing strings are '' and a missing interval start is NULL.
 */
import type { EventLog } from '../../model/event-log.js';
import { LIFECYCLES } from '../../model/lifecycle.js';
import { type Sql, sql } from './sql.js';

/** Column → ClickHouse type, in table order. */
export const CANONICAL_COLUMNS = {
  case_id: 'String',
  activity: 'String',
  timestamp_ms: 'Int64',
  start_ms: 'Nullable(Int64)',
  lifecycle: 'String',
  resource: 'String',
  group: 'String',
  status_category: 'String',
  file_index: 'UInt16',
  source_row: 'Int32',
} as const;

export type CanonicalColumn = keyof typeof CANONICAL_COLUMNS;

/** MergeTree ordered by case then time: a case's events sit together, so per-case grouping reads in order. */
export function createTableSql(table: Sql, ifNotExists: boolean): Sql {
  return sql`CREATE TABLE ${ifNotExists ? sql`IF NOT EXISTS ` : sql``}${table} (
  case_id String, activity String, timestamp_ms Int64, start_ms Nullable(Int64), lifecycle String,
  resource String, \`group\` String, status_category String, file_index UInt16, source_row Int32
) ENGINE = MergeTree() ORDER BY (case_id, timestamp_ms)`;
}

/** JSONEachRow lines for events [from, to) of the log (JSON.stringify escapes every string). */
export function eventRowsJson(log: EventLog, from: number, to: number): string {
  const category = new Map<number, string>();
  for (let a = 0; a < log.activities.size; a++) {
    const name = log.activities.values[a];
    const value = log.sourceStatusCategory.get(name);
    if (value !== undefined) category.set(a, value);
  }
  const lines: string[] = [];
  for (let e = from; e < to; e++) {
    const start = log.startTimestampMs?.[e];
    const resource = log.resourceCode[e];
    const group = log.groupCode[e];
    lines.push(
      JSON.stringify({
        case_id: log.caseIds.values[log.caseCode[e]],
        activity: log.activities.values[log.activityCode[e]],
        timestamp_ms: log.timestampMs[e],
        start_ms: start === undefined || Number.isNaN(start) ? null : start,
        lifecycle: LIFECYCLES[log.lifecycle[e]],
        resource: resource >= 0 ? log.resources.values[resource] : '',
        group: group >= 0 ? log.groups.values[group] : '',
        status_category: category.get(log.activityCode[e]) ?? '',
        file_index: log.fileIndex[e],
        source_row: log.sourceRow[e],
      }),
    );
  }
  return lines.join('\n');
}
