import { isVsmError, type VsmError } from '../../src/errors.js';
import { type EventLog, lifecycleOf } from '../../src/model/event-log.js';

/** Shared by the status-history adapter tests (ServiceNow, Salesforce, Greenhouse, Lever, GitHub, Jira, Zendesk): one case's events, in log order. */
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

/**
 * (activity or owner label, lifecycle, ISO time) per event of one case, in log order. `ownerLabel` names the
 * owner on `owner` events, because each adapter's test shows a different part of it (resource, resource/group).
 */
export function eventRows(log: EventLog, caseId: string, ownerLabel: (log: EventLog, index: number) => string): [string, string, string][] {
  const code = log.caseIds.codeOf(caseId);
  const rows: [string, string, string][] = [];
  for (let i = log.caseStart[code]; i < log.caseStart[code + 1]; i++) {
    const lifecycle = lifecycleOf(log, i);
    const what = lifecycle === 'owner' ? ownerLabel(log, i) : log.activities.values[log.activityCode[i]];
    rows.push([what, lifecycle, new Date(log.timestampMs[i]).toISOString()]);
  }
  return rows;
}

/** Visit durations alone: differences of consecutive `enter` times (the last, open visit has none). */
export function enterDurationsMs(log: EventLog, caseId: string): number[] {
  return visitDurationsMs(log, caseId).map(([, durationMs]) => durationMs);
}

/** The VsmError a promise rejects with; any other outcome fails the test. */
export async function rejection(promise: Promise<unknown>): Promise<VsmError> {
  try {
    await promise;
  } catch (error) {
    if (isVsmError(error)) return error;
    throw error;
  }
  throw new Error('expected a VsmError');
}

/** Code and message of the VsmError a promise rejects with. */
export async function errorOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await rejection(promise);
  return { code: error.code, message: error.message };
}
