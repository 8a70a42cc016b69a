import { type ColumnTable, table } from 'arquero';
import { LIFECYCLES } from './lifecycle.js';
import type { EventLog } from './event-log.js';

/**
 * The EventLog as an Arquero table, for grouping and export in a notebook (DESIGN §2: a view, not the hot path).
 * Columns: case, activity, timestamp (ISO), timestampMs, lifecycle, resource, group (null when absent), plus
 * the named extra attributes. Strings are decoded from the dictionaries once per event.
 *
 * @example
 * const { log } = await readLog('tickets.csv');
 * eventTable(log).groupby('activity').count().orderby(desc('count')).print();
 */
export function eventTable(log: EventLog, attributes: readonly string[] = []): ColumnTable {
  const n = log.eventCount;
  const caseIds = new Array<string>(n);
  const activities = new Array<string>(n);
  const timestamps = new Array<string>(n);
  const lifecycles = new Array<string>(n);
  const resources = new Array<string | null>(n);
  const groups = new Array<string | null>(n);
  for (let i = 0; i < n; i++) {
    caseIds[i] = log.caseIds.values[log.caseCode[i]];
    activities[i] = log.activities.values[log.activityCode[i]];
    timestamps[i] = new Date(log.timestampMs[i]).toISOString();
    lifecycles[i] = LIFECYCLES[log.lifecycle[i]];
    resources[i] = log.resources.valueOf(log.resourceCode[i]) ?? null;
    groups[i] = log.groups.valueOf(log.groupCode[i]) ?? null;
  }
  const columns: Record<string, unknown[] | Float64Array> = {
    case: caseIds,
    activity: activities,
    timestamp: timestamps,
    timestampMs: log.timestampMs,
    lifecycle: lifecycles,
    resource: resources,
    group: groups,
  };
  for (const name of attributes) {
    const column = log.attributes.get(name);
    if (!column) continue;
    columns[name] = Array.from(column.codes, (code) => column.dictionary.valueOf(code) ?? null);
  }
  return table(columns);
}
