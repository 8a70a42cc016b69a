import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { SaxesParser } from 'saxes';
import { afterAll, describe, expect, it } from 'vitest';
import { VsmError } from '../../src/errors.js';
import { defaultStatusClass } from '../../src/model/status-class.js';
import {
  RESOLVED_STATUS,
  type SyntheticEvent,
  type SyntheticShape,
  casesForEvents,
  countEvents,
  exportHorizonMs,
  generateTicketLog,
} from '../../src/synthetic/generate.js';
import { TEAMS } from '../../src/synthetic/ticket-flow.js';
import { writeCsv, writeXes } from '../../src/synthetic/write-log.js';

const dir = mkdtempSync(join(tmpdir(), 'vsm-synthetic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

function byCase(events: Iterable<SyntheticEvent>): Map<string, SyntheticEvent[]> {
  const cases = new Map<string, SyntheticEvent[]>();
  for (const event of events) {
    const list = cases.get(event.caseId) ?? [];
    list.push(event);
    cases.set(event.caseId, list);
  }
  return cases;
}

const CASES = 5_000;
const startComplete = [...generateTicketLog({ seed: 42, cases: CASES, shape: 'activity-start-complete' })];
const startCompleteCases = byCase(startComplete);

describe('determinism', () => {
  it('writes byte-identical CSV, XES and gzip files for the same seed', async () => {
    for (const [name, write] of [['csv', writeCsv], ['xes', writeXes], ['csv.gz', writeCsv]] as const) {
      const options = { seed: 7, cases: 300, shape: 'activity-start-complete' as const };
      await write(generateTicketLog(options), join(dir, `a.${name}`));
      await write(generateTicketLog(options), join(dir, `b.${name}`));
      await write(generateTicketLog({ ...options, seed: 8 }), join(dir, `c.${name}`));
      expect(sha256(join(dir, `a.${name}`))).toBe(sha256(join(dir, `b.${name}`)));
      expect(sha256(join(dir, `a.${name}`))).not.toBe(sha256(join(dir, `c.${name}`)));
    }
  });
});

describe('counts', () => {
  it('yields about 8.4 start/complete events per case', () => {
    // Expected visits per uncensored case, from the probabilities in ticket-flow.ts:
    // investigated pass = 1 Investigate + 0.25 Wait + 0.6 × (1.24 reviews × 2 [Fix+Review] + 0.24 rework Investigates) = 2.882;
    // first pass = Triage 1 + 0.7 × 2.882 + Resolve 1 = 4.017; reopen 0.05 × (2.882 + 1) = 0.194 → 4.21 visits = 8.42 events.
    // Open cases at the export horizon lose their tail, so the mean sits a little lower.
    const perCase = startComplete.length / CASES;
    expect(perCase).toBeGreaterThan(8.0);
    expect(perCase).toBeLessThan(8.6);
    // Every case arrives before the horizon, but the last few may not have started triage yet.
    expect(startCompleteCases.size).toBeGreaterThan(CASES - 50);
    expect(startCompleteCases.size).toBeLessThanOrEqual(CASES);
  });

  it('complete-only logs have half the events, status logs about 9.3 a case', () => {
    const completeOnly = countEvents({ seed: 42, cases: CASES, shape: 'activity-complete-only' });
    const completes = startComplete.filter((e) => e.lifecycle === 'complete').length;
    expect(completeOnly).toBe(completes);
    // Status events per visit: queue + active status (2), Wait for customer 1, plus "Resolved" per Resolve:
    // 2 × (4.21 − 0.19) + 0.19 + 1.035 = 9.27 per uncensored case.
    const statusPerCase = countEvents({ seed: 42, cases: CASES, shape: 'status-changes' }) / CASES;
    expect(statusPerCase).toBeGreaterThan(8.9);
    expect(statusPerCase).toBeLessThan(9.5);
  });

  it('sizes a log to an exact event count', () => {
    const cases = casesForEvents(10_000, 'activity-start-complete', 42);
    const events = countEvents({ seed: 42, cases, shape: 'activity-start-complete', maxEvents: 10_000 });
    expect(events).toBe(10_000);
    // Sized just above the target, not far above it (so the export horizon still leaves open cases).
    expect(countEvents({ seed: 42, cases, shape: 'activity-start-complete' })).toBeLessThan(10_100);
  });

  it('rejects a bad case count or shape with a VsmError', () => {
    expect(() => [...generateTicketLog({ seed: 1, cases: -1, shape: 'activity-start-complete' })]).toThrow(VsmError);
    expect(() => [...generateTicketLog({ seed: 1, cases: 1, shape: 'bogus' as SyntheticShape })]).toThrow(/unknown synthetic log shape/);
  });
});

describe('structure', () => {
  it('keeps each case contiguous, in time order, with every start before its complete', () => {
    const seen = new Set<string>();
    let previousCase = '';
    for (const event of startComplete) {
      if (event.caseId !== previousCase) {
        expect(seen.has(event.caseId)).toBe(false);
        seen.add(event.caseId);
        previousCase = event.caseId;
      }
    }
    // Collected, not asserted one by one: 40,000 expect() calls would make the test slow, not stricter.
    const problems: string[] = [];
    for (const [caseId, events] of startCompleteCases) {
      if (events[0].activity !== 'Triage') problems.push(`${caseId} starts with ${events[0].activity}`);
      for (let i = 0; i < events.length; i++) {
        if (i > 0 && events[i].timestampMs < events[i - 1].timestampMs) problems.push(`${caseId} event ${i} goes back in time`);
        // Visits never overlap, so lifecycles alternate start, complete, start, … on the same activity.
        if (events[i].lifecycle !== (i % 2 === 0 ? 'start' : 'complete')) problems.push(`${caseId} event ${i} is ${events[i].lifecycle}`);
        if (i % 2 === 1 && events[i].activity !== events[i - 1].activity) problems.push(`${caseId} event ${i} completes another activity`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('starts work only in office hours (Mon–Fri 08:00–18:00 UTC); only customers reply at night', () => {
    const outside = startComplete.filter((event) => {
      if (event.activity === 'Wait for customer' && event.lifecycle === 'complete') return false;
      const date = new Date(event.timestampMs);
      const minutes = date.getUTCHours() * 60 + date.getUTCMinutes() + date.getUTCSeconds() / 60;
      return date.getUTCDay() === 0 || date.getUTCDay() === 6 || minutes < 8 * 60 || minutes > 18 * 60;
    });
    expect(outside).toEqual([]);
    const customerReplies = startComplete.filter((e) => e.activity === 'Wait for customer' && e.lifecycle === 'complete');
    expect(customerReplies.some((e) => new Date(e.timestampMs).getUTCHours() >= 18)).toBe(true);
  });

  it('assigns steps to the four teams and their rosters', () => {
    const teamOf = new Map<string, string>();
    for (const [team, members] of Object.entries(TEAMS)) for (const member of members) teamOf.set(member, team);
    const groups = new Set(startComplete.map((e) => e.group));
    expect([...groups].sort()).toEqual(['Dev', 'QA', 'Support L1', 'Support L2']);
    expect(startComplete.filter((event) => teamOf.get(event.resource) !== event.group)).toEqual([]);
    expect(new Set(startComplete.filter((e) => e.activity === 'Fix').map((e) => e.group))).toEqual(new Set(['Dev']));
  });

  it('sends about 20 % of reviews back to Investigate and reopens about 5 % of resolved tickets', () => {
    let reviewsFollowed = 0;
    let reviewsReworked = 0;
    let resolvedCases = 0;
    let reopenedCases = 0;
    for (const events of startCompleteCases.values()) {
      const visits = events.filter((e) => e.lifecycle === 'start').map((e) => e.activity);
      for (let i = 0; i + 1 < visits.length; i++) {
        if (visits[i] !== 'Review') continue;
        reviewsFollowed++;
        if (visits[i + 1] === 'Investigate') reviewsReworked++;
      }
      const firstResolve = visits.indexOf('Resolve');
      if (firstResolve >= 0) {
        resolvedCases++;
        if (firstResolve < visits.length - 1) reopenedCases++;
      }
    }
    // 20 % per review, except the third review of a case always passes (3.2 % of reviews): 0.2 × 0.968 ≈ 0.194.
    expect(reviewsReworked / reviewsFollowed).toBeGreaterThan(0.17);
    expect(reviewsReworked / reviewsFollowed).toBeLessThan(0.22);
    expect(reopenedCases / resolvedCases).toBeGreaterThan(0.035);
    expect(reopenedCases / resolvedCases).toBeLessThan(0.065);
  });

  it('has queues longer than the work: median Investigate queue above its median active time', () => {
    const queues: number[] = [];
    const actives: number[] = [];
    for (const events of startCompleteCases.values()) {
      for (let i = 2; i + 1 < events.length; i += 2) {
        if (events[i].activity !== 'Investigate') continue;
        queues.push(events[i].timestampMs - events[i - 1].timestampMs);
        actives.push(events[i + 1].timestampMs - events[i].timestampMs);
      }
    }
    const median = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
    expect(median(queues)).toBeGreaterThan(2 * median(actives));
  });

  it('leaves the latest cases open at the export horizon (censored), and only a few of them', () => {
    const horizonMs = exportHorizonMs({ seed: 42, cases: CASES, shape: 'activity-start-complete' });
    const open = [...startCompleteCases.values()].filter((events) => {
      const last = events[events.length - 1];
      return !(last.activity === 'Resolve' && last.lifecycle === 'complete');
    });
    expect(open.length).toBeGreaterThan(10);
    expect(open.length).toBeLessThan(CASES * 0.1);
    for (const events of open) expect(events[events.length - 1].timestampMs).toBeLessThanOrEqual(horizonMs);
  });
});

describe('status-change shape', () => {
  const statusCases = byCase(generateTicketLog({ seed: 42, cases: 1_000, shape: 'status-changes' }));

  it('chains from_status to the previous status and ends closed cases in Resolved', () => {
    for (const events of statusCases.values()) {
      expect(events[0]).toMatchObject({ activity: 'New', fromStatus: '', resource: '' });
      for (let i = 1; i < events.length; i++) {
        expect(events[i].fromStatus).toBe(events[i - 1].activity);
        expect(events[i].timestampMs).toBeGreaterThanOrEqual(events[i - 1].timestampMs);
      }
    }
    const closed = [...statusCases.values()].filter((events) => events[events.length - 1].activity === RESOLVED_STATUS);
    expect(closed.length).toBeGreaterThan(900);
  });

  it('uses status names that the default status classes read as intended', () => {
    const expected: Record<string, string> = {
      New: 'queue', 'Waiting for L2': 'queue', 'Ready for Dev': 'queue', 'Ready for Review': 'queue', 'Ready to Resolve': 'queue',
      Triaging: 'active', Investigating: 'active', 'In Development': 'active', 'In Review': 'active', Resolving: 'active',
      'Waiting for Customer': 'waiting', Resolved: 'done',
    };
    const statuses = new Set([...statusCases.values()].flat().map((e) => e.activity));
    expect([...statuses].sort()).toEqual(Object.keys(expected).sort());
    for (const status of statuses) expect(defaultStatusClass(status).statusClass).toBe(expected[status]);
  });
});

describe('writers', () => {
  it('writes a CSV that csv-parse reads back row for row', async () => {
    const path = join(dir, 'round-trip.csv.gz');
    const result = await writeCsv(generateTicketLog({ seed: 3, cases: 200, shape: 'activity-start-complete' }), path);
    const rows = parse(gunzipSync(readFileSync(path)), { columns: true }) as Record<string, string>[];
    expect(rows.length).toBe(result.events);
    expect(Object.keys(rows[0])).toEqual(['case:concept:name', 'concept:name', 'org:resource', 'org:group', 'lifecycle:transition', 'time:timestamp']);
    expect(rows[0]['time:timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
    const expected = [...generateTicketLog({ seed: 3, cases: 200, shape: 'activity-start-complete' })];
    // "Sam O'Neill" and "Rosa Jiménez" must survive quoting and UTF-8.
    rows.forEach((row, i) => {
      expect(row['org:resource']).toBe(expected[i].resource);
      expect(Date.parse(row['time:timestamp'])).toBe(expected[i].timestampMs);
    });
  });

  it('writes status and complete-only CSVs with their own columns', async () => {
    await writeCsv(generateTicketLog({ seed: 3, cases: 5, shape: 'status-changes' }), join(dir, 's.csv'));
    await writeCsv(generateTicketLog({ seed: 3, cases: 5, shape: 'activity-complete-only' }), join(dir, 'c.csv'));
    expect(readFileSync(join(dir, 's.csv'), 'utf8').split('\n')[0]).toBe('case,status,from_status,assignee,team,timestamp');
    expect(readFileSync(join(dir, 'c.csv'), 'utf8').split('\n')[0]).toBe('case:concept:name,concept:name,org:resource,org:group,time:timestamp');
  });

  it('writes well-formed XES with one trace per case', async () => {
    const path = join(dir, 'log.xes');
    const result = await writeXes(generateTicketLog({ seed: 3, cases: 200, shape: 'activity-start-complete' }), path);
    const counts = { trace: 0, event: 0, date: 0 };
    const resources: string[] = [];
    const parser = new SaxesParser({ xmlns: true });
    parser.on('opentag', (tag) => {
      if (tag.local === 'trace' || tag.local === 'event' || tag.local === 'date') counts[tag.local]++;
      if (tag.local === 'string' && tag.attributes.key?.value === 'org:resource') resources.push(tag.attributes.value?.value ?? '');
    });
    parser.write(readFileSync(path, 'utf8')).close();
    expect(counts.trace).toBe(result.cases);
    expect(counts.event).toBe(result.events);
    expect(counts.date).toBe(result.events + 1); // plus the global default date
    expect(resources.some((name) => name === "Sam O'Neill" || name === 'Rosa Jiménez')).toBe(true);
  });

  it('refuses events that are not grouped by case when writing XES', async () => {
    const events = [...generateTicketLog({ seed: 3, cases: 2, shape: 'activity-start-complete' })];
    await expect(writeXes([events[0], events.at(-1) as SyntheticEvent, events[1]], join(dir, 'bad.xes'))).rejects.toThrow(/not grouped by case/);
    // No partial file is left, and none appears later (the stream was still opening when the events were refused:
    // the file then appeared after the rejection and broke this suite's cleanup once, ENOTEMPTY).
    expect(existsSync(join(dir, 'bad.xes'))).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(existsSync(join(dir, 'bad.xes'))).toBe(false);
  });
});
