/** Shared by the compare and simulate tests: synthetic and hand-made logs run through the real pipeline. */
import { IngestReportBuilder } from '../../src/ingest/ingest-report.js';
import type { EventLog } from '../../src/model/event-log.js';
import { EventLogBuilder } from '../../src/model/event-log-builder.js';
import { type SyntheticEvent, generateTicketLog } from '../../src/synthetic/generate.js';
import { buildLog } from '../traces/build-log.js';
import { analyzeLog } from '../../src/vsm/analyze.js';

/** The synthetic help-desk log (start/complete activities, teams as owners), optionally transformed per case. */
export function syntheticEvents(cases: number, seed = 42): SyntheticEvent[] {
  return [...generateTicketLog({ seed, cases, shape: 'activity-start-complete' })];
}

export function logOf(events: readonly SyntheticEvent[], shape: 'activity' | 'status' = 'activity'): EventLog {
  const builder = new EventLogBuilder(shape);
  events.forEach((event, k) =>
    builder.push({
      caseId: event.caseId,
      activity: event.activity,
      timestampMs: event.timestampMs,
      lifecycle: event.lifecycle,
      resource: event.resource || undefined,
      group: event.group || undefined,
      sourceRow: k + 1,
    }),
  );
  return builder.build();
}

export function analyze(log: EventLog): ReturnType<typeof analyzeLog> {
  return analyzeLog(log, new IngestReportBuilder('csv', 'flag').finish(), { logName: 'test', estimateStarts: false });
}

/**
 * A copy of an activity log (events grouped by case, in time order) where the queue before every visit of
 * `step` (its start − the previous completion in the case) is multiplied by `factor`; every later event of the
 * case moves by the added time, so all other queues and all active times stay as they were.
 */
export function stretchQueue(events: readonly SyntheticEvent[], step: string, factor: number): SyntheticEvent[] {
  let caseId = '';
  let shiftMs = 0;
  let lastCompleteMs = NaN;
  return events.map((event) => {
    if (event.caseId !== caseId) {
      caseId = event.caseId;
      shiftMs = 0;
      lastCompleteMs = NaN;
    }
    if (event.activity === step && event.lifecycle === 'start' && Number.isFinite(lastCompleteMs)) {
      shiftMs += (factor - 1) * (event.timestampMs - lastCompleteMs);
    }
    if (event.lifecycle === 'complete') lastCompleteMs = event.timestampMs;
    return { ...event, timestampMs: event.timestampMs + shiftMs };
  });
}

/**
 * The 3-case toy log (activity start/complete, minutes after T0; owners are groups X and Y):
 *   C1: A 0–10 X · B 30–40 Y · C 60–70 X                       queues A 0, B 20, C 20; lead 70, active 30
 *   C2: A 0–10 X · B 20–30 Y · A 50–60 X · B 70–80 Y · C 90–100 X   queues 0, 10, 20, 10, 10; lead 100, active 50
 *   C3: A 0–10 X · C 90–100 X                                  queues A 0, C 80; lead 100, active 20
 * C2 has one B → A rework loop (re-entry into A straight from B). All three cases are closed.
 */
export function toyLog(): EventLog {
  return buildLog('activity', [
    ['C1', 'A', 0, 'start', 'X'], ['C1', 'A', 10, 'complete', 'X'], ['C1', 'B', 30, 'start', 'Y'], ['C1', 'B', 40, 'complete', 'Y'],
    ['C1', 'C', 60, 'start', 'X'], ['C1', 'C', 70, 'complete', 'X'],
    ['C2', 'A', 0, 'start', 'X'], ['C2', 'A', 10, 'complete', 'X'], ['C2', 'B', 20, 'start', 'Y'], ['C2', 'B', 30, 'complete', 'Y'],
    ['C2', 'A', 50, 'start', 'X'], ['C2', 'A', 60, 'complete', 'X'], ['C2', 'B', 70, 'start', 'Y'], ['C2', 'B', 80, 'complete', 'Y'],
    ['C2', 'C', 90, 'start', 'X'], ['C2', 'C', 100, 'complete', 'X'],
    ['C3', 'A', 0, 'start', 'X'], ['C3', 'A', 10, 'complete', 'X'], ['C3', 'C', 90, 'start', 'X'], ['C3', 'C', 100, 'complete', 'X'],
  ]);
}
