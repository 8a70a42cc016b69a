import { describe, expect, it } from 'vitest';
import { makeZoneClock } from '../../src/calendar/zone-clock.js';
import { BucketCursor, computeFlow } from '../../src/metrics/flow.js';
import { makeRng } from '../../src/metrics/random.js';
import { planTimeBuckets } from '../../src/metrics/time-buckets.js';
import { makeVisits, v } from './visits-fixture.js';

const DAY = 86_400_000;
/** Monday 2024-01-01 00:00 UTC. */
const MONDAY = Date.UTC(2024, 0, 1);
const day = (n: number): number => MONDAY + n * DAY;

describe('computeFlow (UTC weeks)', () => {
  // c1: triggered day 1; A 1–3, B 3–9; outcome day 9.   c2: triggered 8; A 8–10, B 10–16; outcome 16.
  // c3: triggered 15; A 15–open.                         c4: triggered 2; A 2–4; no outcome (between steps).
  // asOf = day 20. Weeks: Jan 1 (days 0–6), Jan 8 (7–13), Jan 15 (14–20).
  const fixture = makeVisits({
    asOfMs: day(20),
    cases: [
      { id: 'c1', outcomeAt: day(9), visits: [v('A', 'a', day(1), day(3)), v('B', 'b', day(3), day(9))] },
      { id: 'c2', outcomeAt: day(16), visits: [v('A', 'a', day(8), day(10)), v('B', 'b', day(10), day(16))] },
      { id: 'c3', visits: [v('A', 'a', day(15))] },
      { id: 'c4', visits: [v('A', 'a', day(2), day(4))] },
    ],
  });
  const flow = computeFlow(fixture.visits, fixture.cases, { caseIds: fixture.caseIds });

  it('counts arrivals, throughput and WIP at week end', () => {
    // Arrivals: c1, c4 | c2 | c3. Throughput: – | c1 | c2. WIP = Σ arrivals − Σ throughput: 2, 3 − 1, 4 − 2.
    expect(flow.weeks).toEqual([
      { weekStart: '2024-01-01', arrivals: 2, throughput: 0, wip: 2 },
      { weekStart: '2024-01-08', arrivals: 1, throughput: 1, wip: 2 },
      { weekStart: '2024-01-15', arrivals: 1, throughput: 1, wip: 2 },
    ]);
  });

  it('counts visits entered / exited per step and week, and open visits at week end', () => {
    // A entered: c1 d1, c4 d2 | c2 d8 | c3 d15; exited: c1 d3, c4 d4 | c2 d10 | –. WIP 0, 0, 1.
    // B entered: c1 d3 | c2 d10 | –; exited: – | c1 d9 | c2 d16. WIP 1, 1, 0.
    expect(flow.stepWeeks).toEqual([
      { step: 'A', weekStart: '2024-01-01', entered: 2, exited: 2, wip: 0 },
      { step: 'B', weekStart: '2024-01-01', entered: 1, exited: 0, wip: 1 },
      { step: 'A', weekStart: '2024-01-08', entered: 1, exited: 1, wip: 0 },
      { step: 'B', weekStart: '2024-01-08', entered: 1, exited: 1, wip: 1 },
      { step: 'A', weekStart: '2024-01-15', entered: 1, exited: 0, wip: 1 },
      { step: 'B', weekStart: '2024-01-15', entered: 0, exited: 1, wip: 0 },
    ]);
  });

  it('keeps per-step rows for the busiest steps and sums the rest into one "other" row (issue 11 item 4)', () => {
    // A has 4 visits, B 2: with one step shown, B becomes "other (1 steps)" with B's counts.
    const top1 = computeFlow(fixture.visits, fixture.cases, { stepWeeksTop: 1 });
    expect(top1.stepWeeks.filter((row) => row.weekStart === '2024-01-08')).toEqual([
      { step: 'A', weekStart: '2024-01-08', entered: 1, exited: 1, wip: 0 },
      { step: 'other (1 steps)', weekStart: '2024-01-08', entered: 1, exited: 1, wip: 1, otherSteps: 1 },
    ]);
    expect(top1.bucket).toMatchObject({ stepsShown: 1, otherSteps: 1 });
  });

  it('coarsens the slot when the span exceeds the cap (issue 11 item 1)', () => {
    // Days 1–20 of January 2024 span 3 weeks; with at most 2 slots the series is one month.
    const capped = computeFlow(fixture.visits, fixture.cases, { maxBuckets: 2 });
    expect(capped.weeks).toEqual([{ weekStart: '2024-01-01', arrivals: 4, throughput: 2, wip: 2 }]);
    expect(capped.bucket?.unit).toBe('month');
    expect(capped.bucket?.reason).toContain('more than 2 weeks');
  });

  it('lists open cases by age, with the step they sit in', () => {
    // c4: age 20 − 2 = 18 d, no open visit: 20 − 4 = 16 d since its last exit. c3: age 5 d, in A for 5 d.
    expect(flow.aging).toEqual([
      { caseId: 'c4', step: null, ageMs: 18 * DAY, inStepMs: 16 * DAY },
      { caseId: 'c3', step: 'A', ageMs: 5 * DAY, inStepMs: 5 * DAY },
    ]);
    expect(computeFlow(fixture.visits, fixture.cases, { agingTop: 1 }).aging.map((row) => row.caseId)).toEqual(['3']);
  });

  it('returns no weeks for an empty log', () => {
    const empty = makeVisits({ cases: [] });
    expect(computeFlow(empty.visits, empty.cases)).toEqual({ weeks: [], stepWeeks: [], aging: [], bucket: { unit: 'week', count: 0, reason: null, stepsShown: 0, otherSteps: 0 } });
  });
});

describe('computeFlow in a calendar zone', () => {
  const oneCase = (triggeredAt: number, outcomeAt: number) =>
    makeVisits({ cases: [{ id: 'z', triggeredAt, outcomeAt, visits: [v('A', 'a', triggeredAt, outcomeAt)] }] });

  it('starts weeks on Monday 00:00 local time', () => {
    // Sunday 2024-01-07 23:30 UTC is Monday 00:30 in Berlin (UTC+1): UTC puts it in the week of Jan 1, Berlin in Jan 8.
    const fixture = oneCase(Date.UTC(2024, 0, 7, 23, 30), Date.UTC(2024, 0, 8, 12));
    expect(computeFlow(fixture.visits, fixture.cases).weeks.map((week) => [week.weekStart, week.arrivals, week.throughput])).toEqual([
      ['2024-01-01', 1, 0],
      ['2024-01-08', 0, 1],
    ]);
    expect(computeFlow(fixture.visits, fixture.cases, { timeZone: 'Europe/Berlin' }).weeks).toEqual([
      { weekStart: '2024-01-08', arrivals: 1, throughput: 1, wip: 0 },
    ]);
  });

  it('places week boundaries right across a DST change', () => {
    // New York springs forward on Sunday 2024-03-10: Monday 03-11 00:00 EDT = 04:00 UTC (the week before began 05:00 UTC).
    // 03:30 UTC is Sunday 23:30 EDT (week of Mar 4); 04:30 UTC is Monday 00:30 EDT (week of Mar 11).
    const fixture = oneCase(Date.UTC(2024, 2, 11, 3, 30), Date.UTC(2024, 2, 11, 4, 30));
    expect(computeFlow(fixture.visits, fixture.cases, { timeZone: 'America/New_York' }).weeks).toEqual([
      { weekStart: '2024-03-04', arrivals: 1, throughput: 0, wip: 1 },
      { weekStart: '2024-03-11', arrivals: 0, throughput: 1, wip: 0 },
    ]);
  });
});

describe('BucketCursor', () => {
  it('answers as indexOf on random instants, runs of nearby instants and boundaries, in weeks and in a zone', () => {
    const rng = makeRng(7);
    const plans = [
      planTimeBuckets(day(0), day(200), null),
      planTimeBuckets(day(3), day(3), null),
      planTimeBuckets(day(0), day(4000), makeZoneClock('Europe/Berlin')),
      planTimeBuckets(day(-40), day(90), makeZoneClock('America/New_York')),
    ];
    for (const buckets of plans) {
      const cursor = new BucketCursor(buckets);
      const first = buckets.boundaryMs[0];
      const span = buckets.boundaryMs[buckets.count] - first;
      let instantMs = first;
      for (let k = 0; k < 5_000; k++) {
        const draw = rng();
        // Mostly near the previous instant (as a case's visits are), sometimes anywhere, on a boundary, or outside.
        if (draw < 0.6) instantMs += (rng() - 0.3) * 3 * DAY;
        else if (draw < 0.8) instantMs = first + rng() * span;
        else if (draw < 0.95) instantMs = buckets.boundaryMs[Math.floor(rng() * (buckets.count + 1))] - (rng() < 0.5 ? 1 : 0);
        else instantMs = first + (rng() * 3 - 1) * span;
        expect(cursor.indexOf(instantMs)).toBe(buckets.indexOf(instantMs));
      }
    }
  });
  it('fails over to the search when the remembered bucket does not hold the instant', () => {
    const buckets = planTimeBuckets(day(0), day(20), null);
    const cursor = new BucketCursor(buckets);
    expect([day(15), day(16), day(1), day(7), day(7) - 1, day(14), day(30), day(-5)].map((at) => cursor.indexOf(at))).toEqual([2, 2, 0, 1, 0, 2, 2, 0]);
  });
});
