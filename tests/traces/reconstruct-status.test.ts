import { describe, expect, it } from 'vitest';
import { makeCalendar } from '../../src/calendar/business-calendar.js';
import { parseConfig } from '../../src/model/config-parse.js';
import { reconstructVisits, type Reconstruction } from '../../src/traces/reconstruct.js';
import { buildLog, HOUR_MS, T0 } from './build-log.js';
import { STATUS_ROWS } from './status-fixture.js';

const H = 60; // minutes per hour, for readable rows
const calendar = makeCalendar({ kind: '24x7' });

// The four cases of STATUS_ROWS (see status-fixture.ts), censored at 12h.
const rows = STATUS_ROWS;
const asOfMs = T0 + 12 * HOUR_MS;

/** The visits of one case as readable rows: [step, owner, queue h, active h, waiting h, blocked h, elapsed h, open, inLead]. */
function visitsOf(result: Reconstruction, caseId: string): (string | number | null)[][] {
  const { visits } = result;
  const c = ['A', 'B', 'C', 'D'].indexOf(caseId);
  const out: (string | number | null)[][] = [];
  for (let v = visits.caseVisitStart[c]; v < visits.caseVisitStart[c + 1]; v++) {
    out.push([
      visits.steps[visits.stepCode[v]].name,
      visits.owners.valueOf(visits.ownerCode[v]) ?? null,
      visits.queueMs[v] / HOUR_MS,
      visits.activeMs[v] / HOUR_MS,
      visits.waitingMs[v] / HOUR_MS,
      visits.blockedMs[v] / HOUR_MS,
      visits.elapsedMs[v] / HOUR_MS,
      visits.open[v],
      visits.inLead?.[v] ?? 1,
    ]);
  }
  return out;
}

describe('reconstructVisits — status log', () => {
  const result = reconstructVisits(buildLog('status', rows), { calendar, asOfMs });
  const { cases } = result;

  it('splits each stay by status class and keeps the backward move as a new visit', () => {
    // A: queue 2h, active 3h, waiting 3h, active 2h; Done open from 10h to asOf 12h (not lead time).
    expect(visitsOf(result, 'A')).toEqual([
      ['To Do', 'L1', 2, 0, 0, 0, 2, 0, 1],
      ['In Progress', 'L1', 0, 3, 0, 0, 3, 0, 1],
      ['Waiting for Customer', 'L1', 0, 0, 3, 0, 3, 0, 1],
      ['In Progress', 'L1', 0, 2, 0, 0, 2, 0, 1],
      ['Done', 'L1', 0, 0, 0, 0, 2, 1, 0],
    ]);
    // B's first review [3h, 4h]: L1 held it 0.25h, QA 0.75h → QA is the visit's owner.
    expect(visitsOf(result, 'B')).toEqual([
      ['To Do', 'L1', 1, 0, 0, 0, 1, 0, 1],
      ['In Progress', 'L1', 0, 2, 0, 0, 2, 0, 1],
      ['In Review', 'QA', 0, 1, 0, 0, 1, 0, 1],
      ['In Progress', 'QA', 0, 2, 0, 0, 2, 0, 1],
      ['In Review', 'QA', 0, 1, 0, 0, 1, 0, 1],
      ['Done', 'QA', 0, 0, 0, 0, 5, 1, 0],
    ]);
  });

  it('overlays the flag as blocked time and keeps the reopen outside the lead time', () => {
    // In Progress [1h, 5h]: active 1h–2h and 4h–5h = 2h, flagged 2h–4h = 2h blocked.
    // The reopened In Progress [6h, asOf 12h] is open, active 6h, outside the lead time.
    expect(visitsOf(result, 'C')).toEqual([
      ['To Do', 'L1', 1, 0, 0, 0, 1, 0, 1],
      ['In Progress', 'L1', 0, 2, 0, 2, 4, 0, 1],
      ['Done', 'L1', 0, 0, 0, 0, 1, 0, 0],
      ['In Progress', 'L1', 0, 6, 0, 0, 6, 1, 0],
    ]);
    expect(cases.reopens?.[2]).toBe(1);
    expect(result.quality.reopenedCases).toBe(1);
  });

  it('computes lead, cycle, active and delay per case, censoring the open one', () => {
    // A: lead 0→10h; cycle 2h→10h = 8h; active 3+2 = 5h; delay queue 2 + waiting 3 = 5h.
    // B: lead 7h; cycle 1h→7h = 6h; active 2+1+2+1 = 6h; delay 1h.
    // C: lead 0→5h (first done); cycle 1h→5h = 4h; active 2h; delay queue 1h + blocked 2h = 3h.
    // D: open, censored at asOf 12h: lead 12h, cycle 3h→12h = 9h, active 9h, delay 3h.
    const hours = (column: Float64Array) => [...column].map((ms) => ms / HOUR_MS);
    expect(hours(cases.leadMs)).toEqual([10, 7, 5, 12]);
    expect(hours(cases.cycleMs)).toEqual([8, 6, 4, 9]);
    expect(hours(cases.activeMs)).toEqual([5, 6, 2, 9]);
    expect(hours(cases.delayMs)).toEqual([5, 1, 3, 3]);
    expect([...cases.censored]).toEqual([0, 0, 0, 1]);
    expect(cases.outcomeAt[2]).toBe(T0 + 5 * HOUR_MS);
  });

  it('orders steps by median first entry, done last, and counts missing owners', () => {
    // First-entry ranks: To Do 0, In Progress 1, In Review 2 (B), Waiting 2 (A): tie → more visits first.
    expect(result.visits.steps.map((step) => step.name)).toEqual(['To Do', 'In Progress', 'In Review', 'Waiting for Customer', 'Done']);
    expect(result.visits.steps.map((step) => step.outcome ?? false)).toEqual([false, false, false, false, true]);
    expect(result.visits.steps[3].members[0]).toEqual({ name: 'Waiting for Customer', statusClass: 'waiting', origin: 'name-default' });
    // D's To Do has no group: its only owner is missing.
    expect(result.quality.missingOwnerVisits).toBe(1);
    expect(result.boundaries).toEqual({ trigger: 'case created', outcome: 'first entry to a done status (Done)', ownerLevel: 'group' });
  });

  it('merges consecutive statuses of one configured step into one visit', () => {
    const config = parseConfig('{ "steps": [{ "name": "Work", "members": ["In Progress", "In Review"] }] }', 'vsm.config.json');
    const merged = reconstructVisits(buildLog('status', rows), { calendar, asOfMs, config });
    // B: In Progress 1h … In Review … Done 7h is one Work visit, active 6h; L1 held 1h–3.25h, QA 3.25h–7h → QA.
    expect(visitsOf(merged, 'B')).toEqual([
      ['To Do', 'L1', 1, 0, 0, 0, 1, 0, 1],
      ['Work', 'QA', 0, 6, 0, 0, 6, 0, 1],
      ['Done', 'QA', 0, 0, 0, 0, 5, 1, 0],
    ]);
    expect(merged.visits.steps[0].name).toBe('Work');
  });

  it('applies class overrides from config over the name default', () => {
    const config = parseConfig('{ "statuses": { "/^In Review$/": "queue" } }', 'vsm.config.json');
    const overridden = reconstructVisits(buildLog('status', rows), { calendar, asOfMs, config });
    const review = overridden.visits.steps.find((step) => step.name === 'In Review');
    expect(review?.members[0]).toEqual({ name: 'In Review', statusClass: 'queue', origin: 'config' });
    // B now waits 1h + 1h + 1h in queue (To Do + 2 reviews) and is active 4h.
    expect(overridden.cases.delayMs[1] / HOUR_MS).toBe(3);
    expect(overridden.cases.activeMs[1] / HOUR_MS).toBe(4);
  });

  it('starts lead time at a configured trigger status', () => {
    // Trigger = first entry to In Progress. A: 2h → Done 10h = 8h, its To Do visit is outside the lead time
    // (delay = waiting 3h only); D: 3h → asOf 12h = 9h, censored.
    const config = parseConfig('{ "trigger": { "activity": "In Progress" } }', 'vsm.config.json');
    const triggered = reconstructVisits(buildLog('status', rows), { calendar, asOfMs, config });
    expect([...triggered.cases.leadMs].map((ms) => ms / HOUR_MS)).toEqual([8, 6, 4, 9]);
    expect(visitsOf(triggered, 'A').map((visit) => visit[8])).toEqual([0, 1, 1, 1, 0]);
    expect(triggered.cases.delayMs[0] / HOUR_MS).toBe(3);
  });

  it('censors at the log end by default and ignores events after an earlier asOf', () => {
    const byDefault = reconstructVisits(buildLog('status', rows), { calendar });
    // Last event: A's Done at 10h → D's lead = 10h, still censored.
    expect(byDefault.visits.asOfMs).toBe(T0 + 10 * HOUR_MS);
    expect(byDefault.cases.leadMs[3] / HOUR_MS).toBe(10);
    const early = reconstructVisits(buildLog('status', rows), { calendar, asOfMs: T0 + 6.5 * HOUR_MS });
    // At 6.5h B has not reached Done (7h): open, lead 6.5h. Ignored: A's 8h and 10h events, B's Done at 7h = 3.
    expect(early.cases.censored[1]).toBe(1);
    expect(early.cases.leadMs[1] / HOUR_MS).toBe(6.5);
    expect(early.quality.eventsAfterAsOf).toBe(3);
  });
});

describe('reconstructVisits — business calendar', () => {
  it('counts a queue over the weekend as working hours only', () => {
    // Fri 2024-01-05 16:00 To Do → Mon 2024-01-08 10:00 In Progress → Mon 12:00 Done, Mon–Fri 09–17 UTC:
    // queue = Fri 16–17 (1h) + Mon 09–10 (1h) = 2h; active 10–12 = 2h; lead 4h; cycle 2h.
    const friday = 4 * 24 * H;
    const log = buildLog('status', [
      ['W', 'To Do', friday + 16 * H],
      ['W', 'In Progress', friday + 3 * 24 * H + 10 * H],
      ['W', 'Done', friday + 3 * 24 * H + 12 * H],
    ]);
    const business = makeCalendar({ kind: 'business', timeZone: 'UTC', workingDays: [1, 2, 3, 4, 5], hours: [{ start: '09:00', end: '17:00' }], holidays: [] });
    const result = reconstructVisits(log, { calendar: business });
    expect(result.visits.queueMs[0] / HOUR_MS).toBe(2);
    expect(result.visits.activeMs[1] / HOUR_MS).toBe(2);
    expect(result.cases.leadMs[0] / HOUR_MS).toBe(4);
    expect(result.cases.cycleMs[0] / HOUR_MS).toBe(2);
    // The same log on 24x7: queue = 66h.
    expect(reconstructVisits(log, { calendar }).visits.queueMs[0] / HOUR_MS).toBe(66);
  });
});
