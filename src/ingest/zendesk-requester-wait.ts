/**
 * Zendesk's requester wait as a cross-check: our visits' requester wait per ticket, compared in a note with the
 * `requester_wait_time` that ticket metric events report.
 */
import { type EventLog, lifecycleOf } from '../model/event-log.js';
import type { RequesterWaitMetric, ZendeskContext } from './zendesk-records.js';

/**
 * Requester wait of one ticket from its visits, in ms: time in `new`, `open` and `hold` (Zendesk pauses `requester_wait_time`
 * only while `pending`; dbt_zendesk: requester_wait = new + open + hold), over every visit, reopens included. The last, still
 * open visit counts up to `asOfMs` when given, else not at all. Compare with Zendesk's calendar minutes by flooring to minutes.
 */
export function requesterWaitMs(log: EventLog, caseId: string, asOfMs?: number): number {
  const code = log.caseIds.codeOf(caseId);
  if (code < 0) return NaN;
  let waitMs = 0;
  let openStatus: string | undefined;
  let enteredAtMs = NaN;
  for (let i = log.caseStart[code]; i < log.caseStart[code + 1]; i++) {
    if (lifecycleOf(log, i) !== 'enter') continue;
    if (openStatus !== undefined && ['new', 'open', 'hold'].includes(openStatus)) waitMs += log.timestampMs[i] - enteredAtMs;
    openStatus = log.activities.values[log.activityCode[i]];
    enteredAtMs = log.timestampMs[i];
  }
  if (asOfMs !== undefined && openStatus !== undefined && ['new', 'open', 'hold'].includes(openStatus)) waitMs += asOfMs - enteredAtMs;
  return waitMs;
}

export function crossCheckNote(ctx: ZendeskContext, log: EventLog): void {
  if (ctx.metrics.length === 0) return;
  const latest = new Map<string, RequesterWaitMetric>();
  for (const metric of ctx.metrics) if ((latest.get(metric.caseId)?.atMs ?? -Infinity) <= metric.atMs) latest.set(metric.caseId, metric);
  const checks = [...latest.values()].filter((metric) => log.caseIds.codeOf(metric.caseId) >= 0);
  const agree = checks.filter((metric) => Math.floor(requesterWaitMs(log, metric.caseId) / 60_000) === metric.calendarMinutes);
  const example = checks[0];
  ctx.report.note(
    `Zendesk ticket metric events give requester_wait_time for ${latest.size} ticket${latest.size === 1 ? '' : 's'}; ${checks.length} have status history here, ` +
      `and for ${agree.length} of them our visits give the same whole minutes` +
      (example ? ` (ticket ${example.caseId}: Zendesk ${example.calendarMinutes} min, ours ${Math.floor(requesterWaitMs(log, example.caseId) / 60_000)} min)` : ''),
  );
}
