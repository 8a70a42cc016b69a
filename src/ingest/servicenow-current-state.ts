/**
 * ServiceNow incident rows from the Table API (`GET /api/now/table/incident`): current state only, no sys_audit
 * history (DESIGN §7b). Each row gives the incident's `opened_at` and `resolved_at` (else `closed_at`) and its state:
 * lead time is measured from those fields, every step metric is unsupported and the report says to export sys_audit.
 */
import type { HistoryEvidenceBuilder } from './history-evidence.js';
import type { StatusChangeCollector } from './status-changes.js';
import type { TimeReader } from './status-source-kit.js';

export const SERVICENOW_HISTORY_FIX =
  'export the sys_audit rows of these incidents (GET /api/now/table/sys_audit?sysparm_query=tablename=incident^fieldnameINstate,assigned_to,assignment_group) and pass them with, or instead of, the incident rows';

/** Incident states that mean closed now: Resolved, Closed, Canceled (codes 6, 7, 8). */
const CLOSED_STATES = new Set(['6', '7', '8', 'Resolved', 'Closed', 'Canceled', 'Cancelled']);

/** True when Table API rows are incident records (a `number` and `opened_at`), not sys_audit rows. */
export function isIncidentTableRecords(records: readonly Record<string, unknown>[]): boolean {
  const first = records[0];
  return first !== undefined && 'opened_at' in first && 'number' in first && !('documentkey' in first);
}

export interface IncidentReadContext {
  collector: StatusChangeCollector;
  readTime: TimeReader;
  evidence: HistoryEvidenceBuilder;
  fieldText: (record: Record<string, unknown>, key: string, prefer: 'value' | 'display_value') => string;
  stateName: (state: string) => string;
  fileIndex: number;
}

/** Registers each incident as a case with its creation / resolution fields and current state. */
export function readIncidentRecords(records: readonly Record<string, unknown>[], ctx: IncidentReadContext): void {
  const time = (record: Record<string, unknown>, key: string): number => {
    const text = ctx.fieldText(record, key, 'value');
    const atMs = text === '' ? NaN : ctx.readTime(text);
    ctx.evidence.seeInstant(atMs);
    return atMs;
  };
  for (const [k, record] of records.entries()) {
    const caseId = ctx.fieldText(record, 'number', 'display_value');
    if (caseId === '') continue;
    const openedMs = time(record, 'opened_at');
    const resolvedMs = time(record, 'resolved_at');
    const closedMs = time(record, 'closed_at');
    time(record, 'sys_updated_on');
    const state = ctx.fieldText(record, 'state', 'value') || ctx.fieldText(record, 'incident_state', 'value');
    const endMs = Number.isNaN(resolvedMs) ? closedMs : resolvedMs;
    ctx.collector.addCase({
      caseId,
      createdAtMs: Number.isNaN(openedMs) ? undefined : openedMs,
      resolvedAtMs: Number.isNaN(endMs) ? undefined : endMs,
      doneNow: state === '' ? undefined : CLOSED_STATES.has(state),
      currentStatus: state === '' ? undefined : ctx.stateName(state),
      fileIndex: ctx.fileIndex,
      sourceSeq: k + 1,
    });
  }
}
