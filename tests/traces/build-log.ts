import type { EventLog } from '../../src/model/event-log.js';
import { EventLogBuilder } from '../../src/model/event-log-builder.js';
import type { Lifecycle } from '../../src/model/lifecycle.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
/** Monday 2024-01-01 00:00 UTC: every test clock starts here. */
export const T0 = Date.UTC(2024, 0, 1);

/** [caseId, activity, minutes after T0, lifecycle?, group?, resource?] */
export type Row = [string, string, number, Lifecycle?, string?, string?];

/** Builds a log from rows; the source row is the row's position (1-based), so ties keep the listed order. */
export function buildLog(shape: 'status' | 'activity', rows: Row[], sourceRows?: number[]): EventLog {
  const builder = new EventLogBuilder(shape);
  rows.forEach(([caseId, activity, minutes, lifecycle, group, resource], k) =>
    builder.push({
      caseId,
      activity,
      timestampMs: T0 + minutes * MINUTE_MS,
      lifecycle: lifecycle ?? (shape === 'status' ? 'enter' : 'instant'),
      group,
      resource,
      sourceRow: sourceRows ? sourceRows[k] : k + 1,
    }),
  );
  return builder.build();
}
