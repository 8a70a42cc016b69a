import { describe, expect, it } from 'vitest';
import { makeCalendar } from '../../src/calendar/business-calendar.js';
import { computeStepTimings, computeTimingMetrics } from '../../src/metrics/timing.js';
import { parseConfig } from '../../src/model/config-parse.js';
import { reconstructVisits } from '../../src/traces/reconstruct.js';
import { ReportSchema, StepSchema } from '../../src/contracts/report-schema.js';
import { EventLogBuilder } from '../../src/model/event-log-builder.js';
import { buildLog, HOUR_MS, MINUTE_MS, T0 } from '../traces/build-log.js';
import { STATUS_ROWS } from '../traces/status-fixture.js';

const calendar = makeCalendar({ kind: '24x7' });

describe('computeStepTimings — status log', () => {
  const { visits } = reconstructVisits(buildLog('status', STATUS_ROWS), { calendar, asOfMs: T0 + 12 * HOUR_MS });
  const steps = computeStepTimings(visits, { seed: 7 });
  const byName = new Map(steps.map((step) => [step.name, step]));

  it('leaves out the done step and validates against the report schema', () => {
    expect(steps.map((step) => step.name)).toEqual(['To Do', 'In Progress', 'In Review', 'Waiting for Customer']);
    expect(steps.map((step) => step.order)).toEqual([0, 1, 2, 3]);
    for (const step of steps) expect(StepSchema.parse(step)).toEqual(step);
  });

  it('To Do: queue per visit, total delay and the dominant owner', () => {
    // Queues A 2h, B 1h, C 1h, D 3h → median of [1,1,2,3] = 1.5h, total 7h; owners L1 ×3 + D unknown → L1 75 %.
    const todo = byName.get('To Do');
    expect(todo?.queueMs.median).toBe(1.5 * HOUR_MS);
    expect(todo?.totalDelayMs).toBe(7 * HOUR_MS);
    expect(todo?.owner).toEqual({ name: 'L1', share: 0.75 });
    expect([todo?.visits, todo?.cases, todo?.reworkCases, todo?.thin]).toEqual([4, 4, 0, true]);
  });

  it('In Progress: closed visits in the distributions, in-lead visits in the totals', () => {
    // Visits: A 3h, A 2h, B 2h, B 2h, C 2h (+2h flagged), C reopen [6h, 12h] open, D [3h, 12h] open.
    // Closed actives [2,2,2,2,3] → median 2h, mean 2.2h; blocked [0,0,0,0,2].
    // Total active over in-lead visits: 3+2+2+2+2 + D's 9 = 20h (C's reopen is after its outcome); delay: 2h flagged.
    // Owners: L1 on A, A, B, C, C; QA on B's second; L2 on D → L1 5/7.
    const progress = byName.get('In Progress');
    expect(progress?.activeMs.median).toBe(2 * HOUR_MS);
    expect(progress?.activeMs.mean).toBeCloseTo(2.2 * HOUR_MS, 6);
    expect(progress?.activeMs.n).toBe(5);
    expect(progress?.blockedMs.max).toBe(2 * HOUR_MS);
    expect(progress?.totalActiveMs).toBe(20 * HOUR_MS);
    expect(progress?.totalDelayMs).toBe(2 * HOUR_MS);
    expect(progress?.owner?.name).toBe('L1');
    expect(progress?.owner?.share).toBeCloseTo(5 / 7, 12);
    // A, B and C each entered it twice.
    expect([progress?.visits, progress?.cases, progress?.reworkCases]).toEqual([7, 4, 3]);
  });

  it('Waiting for Customer: waiting time is delay, never active', () => {
    const waiting = byName.get('Waiting for Customer');
    expect(waiting?.waitingMs.median).toBe(3 * HOUR_MS);
    expect(waiting?.activeMs.sum).toBe(0);
    expect(waiting?.totalDelayMs).toBe(3 * HOUR_MS);
  });

  it('takes owner and system from config when given', () => {
    const config = parseConfig(
      '{ "system": "Jira", "steps": [{ "name": "Review", "members": ["In Review"], "owner": "QA", "system": "GitHub" }] }',
      'vsm.config.json',
    );
    const configured = reconstructVisits(buildLog('status', STATUS_ROWS), { calendar, asOfMs: T0 + 12 * HOUR_MS, config });
    const timed = computeStepTimings(configured.visits, { config });
    // Both review visits are QA's → share 1; other steps get the config-wide system.
    expect(timed[0]).toMatchObject({ name: 'Review', owner: { name: 'QA', share: 1 }, system: 'GitHub' });
    expect(timed[1].system).toBe('Jira');
  });
});

describe('computeStepTimings — activity logs', () => {
  it('start/complete: leaves visits without a start out of active and queue', () => {
    // Same log as reconstruct-activity: A visits active 10, 10, 15 (F repeats A); E has no start.
    const log = buildLog('activity', [
      ['X', 'A', 0, 'start', undefined, 'r1'],
      ['X', 'A', 10, 'complete', undefined, 'r1'],
      ['X', 'E', 80, 'complete', undefined, 'r3'],
      ['F', 'A', 0, 'start', undefined, 'r1'],
      ['F', 'A', 5, 'start', undefined, 'r1'],
      ['F', 'A', 10, 'complete', undefined, 'r1'],
      ['F', 'A', 20, 'complete', undefined, 'r1'],
    ]);
    const steps = computeStepTimings(reconstructVisits(log, { calendar }).visits, { defaultSystem: 'CSV' });
    const [a, e] = steps;
    expect(a.activeMs.median).toBe(10 * MINUTE_MS);
    expect(a.activeMs.max).toBe(15 * MINUTE_MS);
    expect([a.visits, a.cases, a.reworkCases]).toEqual([3, 2, 1]);
    expect(a.owner).toEqual({ name: 'r1', share: 1 });
    expect(a.system).toBe('CSV');
    // E: elapsed 10 → 80 = 70 min known, active unknown (n = 0).
    expect(e.activeMs.n).toBe(0);
    expect(e.elapsedMs.median).toBe(70 * MINUTE_MS);
  });

  it('single-timestamp: elapsed only, without each case’s first visit', () => {
    // S: a 0, b 60, c 90 → b elapsed 60, c 30; a is first (no earlier completion) → left out.
    const log = buildLog('activity', [
      ['S', 'a', 0],
      ['S', 'b', 60],
      ['S', 'c', 90],
    ]);
    const steps = computeStepTimings(reconstructVisits(log, { calendar }).visits);
    expect(steps.map((step) => [step.name, step.elapsedMs.n, step.elapsedMs.median, step.delayMs.median, step.totalDelayMs])).toEqual([
      ['a', 0, null, null, 0],
      ['b', 1, 60 * MINUTE_MS, 60 * MINUTE_MS, 60 * MINUTE_MS],
      ['c', 1, 30 * MINUTE_MS, 30 * MINUTE_MS, 30 * MINUTE_MS],
    ]);
    expect(steps.every((step) => step.activeUnknown && step.activeMs.n === 0)).toBe(true);
  });
});

describe('computeStepTimings — system from an event attribute', () => {
  it('takes the dominant value of the attribute over the step’s visits', () => {
    // Triage visits opened by events with channel email, email, chat → "email"; Fix: only "form".
    const builder = new EventLogBuilder('activity');
    const rows: [string, string, number, string][] = [
      ['1', 'Triage', 0, 'email'],
      ['1', 'Fix', 10, 'form'],
      ['2', 'Triage', 0, 'email'],
      ['3', 'Triage', 0, 'chat'],
    ];
    rows.forEach(([caseId, activity, minutes, channel], k) =>
      builder.push({ caseId, activity, timestampMs: T0 + minutes * MINUTE_MS, sourceRow: k + 1, attributes: { channel } }),
    );
    const log = builder.build();
    const config = parseConfig('{ "system": { "attribute": "channel" } }', 'vsm.config.json');
    const steps = computeStepTimings(reconstructVisits(log, { calendar, config }).visits, { config, log });
    expect(steps.map((step) => [step.name, step.system])).toEqual([
      ['Triage', 'email'],
      ['Fix', 'form'],
    ]);
  });
});

describe('computeTimingMetrics', () => {
  it('returns the report parts, valid against the report schema', () => {
    const { visits, cases } = reconstructVisits(buildLog('status', STATUS_ROWS), { calendar, asOfMs: T0 + 12 * HOUR_MS });
    const timing = computeTimingMetrics(visits, cases, { seed: 3 });
    const parts = ReportSchema.pick({ steps: true, leadTimeMs: true, cycleTimeMs: true, flowEfficiency: true });
    expect(parts.parse(timing)).toEqual(timing);
    // Lead median 7h by Kaplan–Meier (see lead-time.test.ts), pooled flow efficiency 13/22 (flow-efficiency.test.ts).
    expect(timing.leadTimeMs.median).toBe(7 * HOUR_MS);
    expect(timing.flowEfficiency.pooled).toBeCloseTo(13 / 22, 12);
  });
});

describe('stepClass', () => {
  it("is the members' class when they agree, else the class with the most time", async () => {
    const { stepClass } = await import('../../src/metrics/timing.js');
    expect(stepClass([{ statusClass: 'queue' }, { statusClass: 'queue' }], [0, 0, 0, 0])).toBe('queue');
    // "Ready for Review" (queue, 5 h) + "In Review" (active, 2 h) merged into one step → queue holds most time.
    expect(stepClass([{ statusClass: 'queue' }, { statusClass: 'active' }], [5, 2, 0, 0])).toBe('queue');
    expect(stepClass([{ statusClass: 'queue' }, { statusClass: 'active' }], [1, 2, 0, 3])).toBe('blocked');
  });
});
