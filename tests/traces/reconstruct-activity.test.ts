import { describe, expect, it } from 'vitest';
import { makeCalendar } from '../../src/calendar/business-calendar.js';
import { parseConfig } from '../../src/model/config-parse.js';
import { reconstructVisits, type Reconstruction } from '../../src/traces/reconstruct.js';
import { buildLog, MINUTE_MS, T0 } from './build-log.js';

const calendar = makeCalendar({ kind: '24x7' });

/** [step, owner, enteredAt min, workStartedAt min, exitedAt min, queue min, active min, elapsed min, open] */
function visitsOf(result: Reconstruction, c: number): (string | number | null)[][] {
  const { visits } = result;
  const minutes = (ms: number) => (Number.isNaN(ms) ? null : (ms - T0) / MINUTE_MS);
  const out: (string | number | null)[][] = [];
  for (let v = visits.caseVisitStart[c]; v < visits.caseVisitStart[c + 1]; v++) {
    out.push([
      visits.steps[visits.stepCode[v]].name,
      visits.owners.valueOf(visits.ownerCode[v]) ?? null,
      minutes(visits.enteredAt[v]),
      minutes(visits.workStartedAt[v]),
      minutes(visits.exitedAt[v]),
      visits.queueMs[v] / MINUTE_MS,
      visits.activeMs[v] / MINUTE_MS,
      visits.elapsedMs[v] / MINUTE_MS,
      visits.open[v],
    ]);
  }
  return out;
}

describe('reconstructVisits — start/complete log', () => {
  // Case X (minutes): A 0–10 (r1), B 30–60 (r2), C 40–50 (r2, overlaps B), D starts at 70 and never completes,
  // E completes at 80 with no start. Case F: two A instances 0–10 and 5–20 (FIFO: the first complete closes the
  // first start).
  const log = buildLog('activity', [
    ['X', 'A', 0, 'start', undefined, 'r1'],
    ['X', 'A', 10, 'complete', undefined, 'r1'],
    ['X', 'B', 30, 'start', undefined, 'r2'],
    ['X', 'C', 40, 'start', undefined, 'r2'],
    ['X', 'C', 50, 'complete', undefined, 'r2'],
    ['X', 'B', 60, 'complete', undefined, 'r2'],
    ['X', 'D', 70, 'start', undefined, 'r3'],
    ['X', 'E', 80, 'complete', undefined, 'r3'],
    ['F', 'A', 0, 'start', undefined, 'r1'],
    ['F', 'A', 5, 'start', undefined, 'r1'],
    ['F', 'A', 10, 'complete', undefined, 'r1'],
    ['F', 'A', 20, 'complete', undefined, 'r1'],
  ]);
  const result = reconstructVisits(log, { calendar });

  it('pairs FIFO, orders by start, and clamps the negative queue of parallel work', () => {
    // By start: A[0,10], B[30,60], C[40,50], E[?,80].
    // B: entered at A's completion 10 → queue 20, active 30. C starts at 40 < B's completion 60: the queue
    // 40 − 60 = −20 is clamped (entered = 40, queue 0, active 10). E: no start, entered at C's completion 50,
    // elapsed 30. D's start is unmatched (the case is closed at its last event, 80) and dropped.
    expect(visitsOf(result, 0)).toEqual([
      ['A', 'r1', 0, 0, 10, 0, 10, 10, 0],
      ['B', 'r2', 10, 30, 60, 20, 30, 50, 0],
      ['C', 'r2', 40, 40, 50, 0, 10, 10, 0],
      ['E', 'r3', 50, null, 80, 0, 0, 30, 0],
    ]);
    // F: [0,10] then [5,20]: 5 < 10 → clamped again.
    expect(visitsOf(result, 1)).toEqual([
      ['A', 'r1', 0, 0, 10, 0, 10, 10, 0],
      ['A', 'r1', 5, 5, 20, 0, 15, 15, 0],
    ]);
    expect(result.quality.clampedNegativeIntervals).toBe(2);
    expect(result.quality.unmatchedStarts).toBe(1);
    expect(result.quality.unmatchedCompletes).toBe(1);
    expect(result.visits.activeUnknown).toBe(false);
    expect(result.visits.ownerLevel).toBe('resource');
  });

  it('takes lead = first → last event and active = union of the busy intervals', () => {
    // X: lead 0 → 80 = 80; busy [0,10] ∪ [30,60] ∪ [40,50] = 10 + 30 = 40; delay = queue 20; cycle from 0 = 80.
    // F: lead 0 → 20; busy [0,10] ∪ [5,20] = [0,20] = 20.
    const minutes = (column: Float64Array) => [...column].map((ms) => ms / MINUTE_MS);
    expect(minutes(result.cases.leadMs)).toEqual([80, 20]);
    expect(minutes(result.cases.activeMs)).toEqual([40, 20]);
    expect(minutes(result.cases.delayMs)).toEqual([20, 0]);
    expect(minutes(result.cases.cycleMs)).toEqual([80, 20]);
    expect([...result.cases.censored]).toEqual([0, 0]);
    expect(result.boundaries.outcome).toBe("the case's last event");
  });

  it('censors a case without its configured end activity and keeps its open start as open work', () => {
    // K: A 0–10, Z (instant) at 30 → outcome 30, lead 30, Z's visit elapsed 20 (entered at A's completion).
    // O: A 0–10, B starts 20 and is still open at asOf 100 → censored, lead 100; B: queue 10, active 80, open.
    const withEnd = buildLog('activity', [
      ['K', 'A', 0, 'start'],
      ['K', 'A', 10, 'complete'],
      ['K', 'Z', 30, 'instant'],
      ['O', 'A', 0, 'start'],
      ['O', 'A', 10, 'complete'],
      ['O', 'B', 20, 'start'],
    ]);
    const config = parseConfig('{ "done": { "activities": ["Z"] } }', 'vsm.config.json');
    const censored = reconstructVisits(withEnd, { calendar, config, asOfMs: T0 + 100 * MINUTE_MS });
    expect([...censored.cases.censored]).toEqual([0, 1]);
    expect([...censored.cases.leadMs].map((ms) => ms / MINUTE_MS)).toEqual([30, 100]);
    expect(visitsOf(censored, 1)).toEqual([
      ['A', null, 0, 0, 10, 0, 10, 10, 0],
      ['B', null, 10, 20, null, 10, 80, 90, 1],
    ]);
    expect(censored.quality.unmatchedStarts).toBe(0);
    expect(censored.boundaries.outcome).toBe('first "Z" completed');
  });

  it('drops excluded activities before anything else', () => {
    // Start at 0 and End at 30 are artificial: without them the case runs A 5–10 → B 20–25: lead 20.
    const withMarkers = buildLog('activity', [
      ['S', 'Start', 0, 'start'],
      ['S', 'Start', 0, 'complete'],
      ['S', 'A', 5, 'start'],
      ['S', 'A', 10, 'complete'],
      ['S', 'B', 20, 'start'],
      ['S', 'B', 25, 'complete'],
      ['S', 'End', 30, 'complete'],
    ]);
    const config = parseConfig('{ "exclude": ["/^(Start|End)$/"] }', 'vsm.config.json');
    const excluded = reconstructVisits(withMarkers, { calendar, config });
    expect(excluded.visits.steps.map((step) => step.name)).toEqual(['A', 'B']);
    expect(excluded.cases.leadMs[0] / MINUTE_MS).toBe(20);
    expect(excluded.visits.queueMs[1] / MINUTE_MS).toBe(10);
  });

  it('reads interval rows (start timestamp column) as whole instances', () => {
    // Rows complete at 10 and 40 and carry starts 2 and 12 on the same row.
    const builder = buildLog('activity', [
      ['I', 'A', 10, 'complete'],
      ['I', 'B', 40, 'complete'],
    ]);
    const withStarts = { ...builder, startTimestampMs: new Float64Array([T0 + 2 * MINUTE_MS, T0 + 12 * MINUTE_MS]) };
    const interval = reconstructVisits(withStarts, { calendar });
    // Lead = first start 2 → last completion 40 = 38; B's queue = 12 − 10 = 2; active 8 + 28 = 36.
    expect(interval.cases.leadMs[0] / MINUTE_MS).toBe(38);
    expect(interval.visits.queueMs[1] / MINUTE_MS).toBe(2);
    expect(interval.cases.activeMs[0] / MINUTE_MS).toBe(36);
  });

  it('merges consecutive different activities of a configured step; a repeat is a new visit', () => {
    // Triage = {A, B}: A 0–10, B 15–20 merge (queue 0 + 5, active 10 + 5, exit 20); then A 25–30 repeats A → new visit.
    const log2 = buildLog('activity', [
      ['M', 'A', 0, 'start'],
      ['M', 'A', 10, 'complete'],
      ['M', 'B', 15, 'start'],
      ['M', 'B', 20, 'complete'],
      ['M', 'A', 25, 'start'],
      ['M', 'A', 30, 'complete'],
    ]);
    const config = parseConfig('{ "steps": [{ "name": "Triage", "members": ["A", "B"] }] }', 'vsm.config.json');
    const merged = reconstructVisits(log2, { calendar, config });
    expect(visitsOf(merged, 0)).toEqual([
      ['Triage', null, 0, 0, 20, 5, 15, 20, 0],
      ['Triage', null, 20, 25, 30, 5, 5, 10, 0],
    ]);
  });
});

describe('reconstructVisits — trigger activity', () => {
  it('starts lead time at the first trigger instance; earlier visits are outside it', () => {
    // Email at 0 (instant), Create 10–15, Fix 20–40. Trigger "Create" → lead 10 → 40 = 30; the email visit is
    // not in lead (inLead 0). Create's visit queued 0 → 10 after the email, but before the trigger: the case's
    // delay is only Fix's queue 15 → 20 = 5.
    const log = buildLog('activity', [
      ['T', 'Email', 0, 'instant'],
      ['T', 'Create', 10, 'start'],
      ['T', 'Create', 15, 'complete'],
      ['T', 'Fix', 20, 'start'],
      ['T', 'Fix', 40, 'complete'],
      ['U', 'Email', 0, 'instant'],
    ]);
    const config = parseConfig('{ "trigger": { "activity": "Create" } }', 'vsm.config.json');
    const result = reconstructVisits(log, { calendar, config });
    expect(result.cases.leadMs[0] / MINUTE_MS).toBe(30);
    expect([...(result.visits.inLead ?? [])].slice(0, 3)).toEqual([0, 1, 1]);
    expect(result.cases.delayMs[0] / MINUTE_MS).toBe(5);
    // U never reaches Create: no lead time, counted.
    expect(Number.isNaN(result.cases.leadMs[1])).toBe(true);
    expect(result.quality.casesWithoutTrigger).toBe(1);
    expect(result.boundaries.trigger).toBe('first "Create"');
  });
});

describe('reconstructVisits — single-timestamp log', () => {
  it('measures elapsed time between completions, orders ties by source row', () => {
    // S: a at 0, b at 60, c at 90 → elapsed 0 (first), 60, 30; active unknown. Lead 90, no cycle time.
    // T: three events at the same minute 10, listed with source rows 3, 1, 2 → visit order q (row 1), p (2), r (3).
    const log = buildLog(
      'activity',
      [
        ['S', 'a', 0],
        ['S', 'b', 60],
        ['S', 'c', 90],
        ['T', 'r', 10],
        ['T', 'q', 10],
        ['T', 'p', 10],
      ],
      [1, 2, 3, 3, 1, 2],
    );
    const result = reconstructVisits(log, { calendar });
    expect(result.visits.activeUnknown).toBe(true);
    expect(visitsOf(result, 0).map((visit) => visit[7])).toEqual([0, 60, 30]);
    expect(visitsOf(result, 1).map((visit) => visit[0])).toEqual(['q', 'p', 'r']);
    expect(result.cases.leadMs[0] / MINUTE_MS).toBe(90);
    expect(Number.isNaN(result.cases.cycleMs[0])).toBe(true);
  });
});
