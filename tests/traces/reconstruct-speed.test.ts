/**
 * Speed of reconstructVisits on generated 5 M-event logs. Off by default (slow to generate); run with
 * VSM_PERF=1 npx vitest run tests/traces/reconstruct-speed.test.ts
 */
import { describe, expect, it } from 'vitest';
import { makeCalendar } from '../../src/calendar/business-calendar.js';
import { EventLogBuilder, type EventLog } from '../../src/model/event-log.js';
import { LifecycleCode } from '../../src/model/lifecycle.js';
import { reconstructVisits } from '../../src/traces/reconstruct.js';

const EVENTS = Number(process.env.VSM_PERF_EVENTS ?? 5_000_000);

/** Deterministic LCG so the generated log is the same on every run. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

function activityLog(events: number): EventLog {
  const builder = new EventLogBuilder('activity');
  const random = lcg(42);
  const activities = Array.from({ length: 12 }, (_, k) => builder.activities.intern(`Activity ${k}`));
  const resources = Array.from({ length: 200 }, (_, k) => builder.resources.intern(`r${k}`));
  let row = 0;
  for (let c = 0; row < events; c++) {
    const caseCode = builder.caseIds.intern(`case-${c}`);
    let clockMs = Date.UTC(2024, 0, 1) + random() * 3e10;
    const instances = 3 + Math.floor(random() * 8);
    for (let k = 0; k < instances && row < events; k++) {
      const activity = activities[Math.floor(random() * activities.length)];
      const resource = resources[Math.floor(random() * resources.length)];
      clockMs += random() * 3_600_000;
      builder.pushCoded(caseCode, activity, clockMs, LifecycleCode.start, resource, -1, 0, ++row);
      clockMs += random() * 1_800_000;
      builder.pushCoded(caseCode, activity, clockMs, LifecycleCode.complete, resource, -1, 0, ++row);
    }
  }
  return builder.build();
}

function statusLog(events: number): EventLog {
  const builder = new EventLogBuilder('status');
  const random = lcg(7);
  const statuses = ['Backlog', 'To Do', 'In Progress', 'In Review', 'Waiting for Customer', 'Blocked', 'Done'].map((s) => builder.activities.intern(s));
  const groups = Array.from({ length: 20 }, (_, k) => builder.groups.intern(`team ${k}`));
  let row = 0;
  for (let c = 0; row < events; c++) {
    const caseCode = builder.caseIds.intern(`ISSUE-${c}`);
    let clockMs = Date.UTC(2024, 0, 1) + random() * 3e10;
    const changes = 4 + Math.floor(random() * 10);
    for (let k = 0; k < changes && row < events; k++) {
      clockMs += random() * 86_400_000;
      const lifecycle = random() < 0.8 ? LifecycleCode.enter : random() < 0.5 ? LifecycleCode.owner : LifecycleCode.block;
      const status = statuses[k === changes - 1 ? 6 : Math.floor(random() * 6)];
      builder.pushCoded(caseCode, status, clockMs, lifecycle, -1, groups[Math.floor(random() * groups.length)], 0, ++row);
    }
  }
  return builder.build();
}

describe.skipIf(process.env.VSM_PERF !== '1')('reconstructVisits speed', () => {
  const calendar24 = makeCalendar({ kind: '24x7' });
  const business = makeCalendar({ kind: 'business', timeZone: 'Europe/Berlin', workingDays: [1, 2, 3, 4, 5], hours: [{ start: '09:00', end: '17:00' }], holidays: [] });

  for (const [name, make] of [
    ['activity', activityLog],
    ['status', statusLog],
  ] as const) {
    it(`${name} log, ${EVENTS} events`, () => {
      const log = make(EVENTS);
      for (const [calendarName, calendar] of [
        ['24x7', calendar24],
        ['business', business],
      ] as const) {
        reconstructVisits(log, { calendar }); // warm-up
        const startedMs = performance.now();
        const result = reconstructVisits(log, { calendar });
        const tookMs = performance.now() - startedMs;
        console.log(`${name} ${calendarName}: ${log.eventCount} events, ${log.caseCount} cases → ${result.visits.count} visits in ${tookMs.toFixed(0)} ms`);
        expect(result.visits.count).toBeGreaterThan(0);
      }
    });
  }
});
