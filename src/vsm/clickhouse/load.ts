/**
 * `vsm load --engine clickhouse`: an EventLog (read by readLog) → the canonical table, in batches of
 * `batchEvents` rows per INSERT so the request body stays bounded (≈ 200 bytes a row: 50 000 rows ≈ 10 MB).
 * The log itself is in memory already (readLog's bound); the batches bound only what is in flight.
 */
import type { EventLog } from '../../model/event-log.js';
import { createTableSql, eventRowsJson } from './canonical-table.js';
import type { ClickHouseHttp } from './http-client.js';
import { ident } from './sql.js';

export const DEFAULT_LOAD_BATCH_EVENTS = 50_000;

export interface LoadOptions {
  /** `db.table` or `table`. */
  table: string;
  /** Create the MergeTree table when it does not exist (default true). A Distributed table must exist already. */
  create?: boolean;
  batchEvents?: number;
  onBatch?: (loadedEvents: number) => void;
}

export interface LoadResult {
  table: string;
  events: number;
  cases: number;
  batches: number;
  bytesSent: number;
}

export async function loadEventLog(client: ClickHouseHttp, log: EventLog, options: LoadOptions): Promise<LoadResult> {
  const table = ident(options.table, 'table name');
  const batchEvents = Math.max(1, options.batchEvents ?? DEFAULT_LOAD_BATCH_EVENTS);
  if (options.create !== false) await client.exec(createTableSql(table, true));
  const sentBefore = client.stats.bytesSent;
  let batches = 0;
  for (let from = 0; from < log.eventCount; from += batchEvents) {
    const to = Math.min(log.eventCount, from + batchEvents);
    await client.insertJsonRows(table, eventRowsJson(log, from, to));
    batches++;
    options.onBatch?.(to);
  }
  return { table: options.table, events: log.eventCount, cases: log.caseCount, batches, bytesSent: client.stats.bytesSent - sentBefore };
}
