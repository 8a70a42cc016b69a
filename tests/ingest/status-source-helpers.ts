import { type EventLog, lifecycleOf } from '../../src/model/event-log.js';

/** Shared by the ServiceNow / Salesforce / Greenhouse / Lever adapter tests: one case's events, in log order. */
export interface EventView {
  activity: string;
  lifecycle: string;
  timestampMs: number;
}

export function caseEvents(log: EventLog, caseId: string): EventView[] {
  const caseCode = log.caseIds.codeOf(caseId);
  if (caseCode < 0) throw new Error(`no case ${caseId}`);
  const events: EventView[] = [];
  for (let i = log.caseStart[caseCode]; i < log.caseStart[caseCode + 1]; i++) {
    events.push({ activity: log.activities.valueOf(log.activityCode[i]) ?? '', lifecycle: lifecycleOf(log, i), timestampMs: log.timestampMs[i] });
  }
  return events;
}

/** The `enter` events of a case as [status, timestampMs]. */
export function enters(log: EventLog, caseId: string): [string, number][] {
  return caseEvents(log, caseId)
    .filter((e) => e.lifecycle === 'enter')
    .map((e) => [e.activity, e.timestampMs]);
}

/** Visit durations: differences between consecutive `enter` events (the last, open visit has none). */
export function visitDurationsMs(log: EventLog, caseId: string): [string, number][] {
  const list = enters(log, caseId);
  return list.slice(0, -1).map(([status, atMs], k) => [status, list[k + 1][1] - atMs]);
}

/** Resource of each `enter` event, for owner checks. */
export function enterResources(log: EventLog, caseId: string): (string | undefined)[] {
  const caseCode = log.caseIds.codeOf(caseId);
  const out: (string | undefined)[] = [];
  for (let i = log.caseStart[caseCode]; i < log.caseStart[caseCode + 1]; i++) {
    if (lifecycleOf(log, i) === 'enter') out.push(log.resources.valueOf(log.resourceCode[i]));
  }
  return out;
}

export const utc = (iso: string): number => Date.parse(iso);
