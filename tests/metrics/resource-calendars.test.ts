import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeCalendar } from '../../src/calendar/business-calendar.js';
import { makeZoneClock } from '../../src/calendar/zone-clock.js';
import { quantileSorted } from '../../src/metrics/distribution.js';
import { discoverCalendarSpec, discoverCalendarsInOrder, discoverResourceCalendars, discoveredCalendar } from '../../src/metrics/resource-calendars.js';
import { buildResourceOrder } from '../../src/metrics/resource-order.js';
import { MISSING_CODE } from '../../src/model/dictionary.js';
import { oneCaseInstances } from './instances-fixture.js';

const DAY_MS = 86_400_000;

/** The hours as discovered before the radix selection: every minute of day sorted, type-7 quantiles. */
function hoursBySort(instantsMs: number[], timeZone: string): { start: string; end: string } {
  const clock = makeZoneClock(timeZone);
  const minutes = Float64Array.from(instantsMs, (utcMs) => {
    const localMs = utcMs + clock.offsetMs(utcMs);
    const day = Math.floor(localMs / DAY_MS);
    return (localMs - day * DAY_MS) / 60_000;
  }).sort();
  const startHour = Math.floor(quantileSorted(minutes, 0.05) / 60);
  let endHour = Math.ceil(quantileSorted(minutes, 0.95) / 60);
  if (endHour <= startHour) endHour = startHour + 1;
  const clockTime = (hour: number) => `${String(hour).padStart(2, '0')}:00`;
  return { start: clockTime(startHour), end: clockTime(Math.min(24, endHour)) };
}

// Instants a few ms around whole hours, so the hour of a quantile turns on its exact value (and its interpolation).
const nearHour = fc.tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 23 }), fc.integer({ min: -3, max: 3 }), fc.constantFrom(0, 0, 0, 0.25)).map(
  ([day, hour, ms, fraction]) => Date.UTC(2024, 0, 1) + day * DAY_MS + hour * 3_600_000 + ms + fraction,
);

describe('discoverCalendarSpec', () => {
  it('finds the hours the sorted minutes give (whole ms by radix selection, fractional ms by quickselect), in UTC and a zone with DST', () => {
    fc.assert(
      fc.property(fc.array(nearHour, { minLength: 20, maxLength: 3000, size: 'max' }), fc.constantFrom('UTC', 'Europe/Berlin'), fc.boolean(), (drawn, zone, wholeMs) => {
        const instants = wholeMs ? drawn.map(Math.floor) : drawn;
        const spec = discoverCalendarSpec(instants, zone);
        expect(spec?.hours[0]).toEqual(hoursBySort(instants, zone));
      }),
      { numRuns: 200, seed: 21 },
    );
  });

  it('null below 20 instants', () => {
    expect(discoverCalendarSpec([1, 2, 3], 'UTC')).toBeNull();
  });
});

describe('discoverResourceCalendars', () => {
  it('gives each resource the calendar discovered from its own instants (completions, recorded starts that differ), in first-seen order', () => {
    let discovered = 0;
    const rowArbitrary = fc.record({
      // Code 4 is configured (no discovery), 3 has few instants, MISSING_CODE none.
      resource: fc.constantFrom(0, 0, 1, 1, 2, 3, 4, MISSING_CODE),
      end: nearHour,
      startBefore: fc.constantFrom(0, 0, 90_000, 3_600_000),
      estimated: fc.constantFrom(0, 0, 0, 1),
      noStart: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(rowArbitrary, { minLength: 1, maxLength: 400, size: 'max' }), fc.constantFrom('UTC', 'Europe/Berlin'), fc.boolean(), (drawn, zone, wholeMs) => {
        const rows = drawn.map((row, k) => ({ ...row, resource: row.resource === 3 && k % 10 !== 0 ? 0 : row.resource, end: wholeMs ? Math.floor(row.end) : row.end }));
        const endMs = Float64Array.from(rows, (row) => row.end);
        const startMs = Float64Array.from(rows, (row) => (row.noStart ? NaN : row.end - row.startBefore));
        const estimated = Uint8Array.from(rows, (row) => row.estimated);
        const instances = oneCaseInstances(Int32Array.from(rows, (row) => row.resource), startMs, endMs);
        const found = discoverResourceCalendars(instances, startMs, estimated, (code) => code === 4, zone);
        // The plain way: each resource's instants in instance order, discovered one resource at a time.
        const order: number[] = [];
        const instants = new Map<number, number[]>();
        rows.forEach((row, k) => {
          if (row.resource === MISSING_CODE || row.resource === 4) return;
          if (!instants.has(row.resource)) {
            instants.set(row.resource, []);
            order.push(row.resource);
          }
          instants.get(row.resource)?.push(endMs[k]);
          if (estimated[k] === 0 && !Number.isNaN(startMs[k]) && startMs[k] !== endMs[k]) instants.get(row.resource)?.push(startMs[k]);
        });
        const expected = order.map((code) => [code, discoveredCalendar(instants.get(code) ?? [], zone)?.description ?? null] as const);
        expect([...found.calendars.keys()]).toEqual(expected.filter(([, description]) => description !== null).map(([code]) => code));
        for (const [code, description] of expected) expect(found.calendars.get(code)?.description ?? null).toBe(description);
        expect(found.resourcesWithoutCalendar).toBe(expected.filter(([, description]) => description === null).length);
        discovered += found.calendars.size;
      }),
      { numRuns: 150, seed: 23 },
    );
    // Most runs discover calendars (the comparison is not between two empty maps).
    expect(discovered).toBeGreaterThan(200);
  });
});

describe('discoverCalendarsInOrder', () => {
  it('finds, from the resource order, the calendars discoverResourceCalendars finds when no start is estimated, in the same order', () => {
    let discovered = 0;
    const rowArbitrary = fc.record({
      // Code 4 is configured (no discovery), 3 has few instants, 5 none at all (a code without a run), MISSING_CODE none.
      resource: fc.constantFrom(0, 0, 1, 1, 2, 3, 4, 6, MISSING_CODE),
      end: nearHour,
      startBefore: fc.constantFrom(0, 0, 90_000, 3_600_000, 30 * 86_400_000),
    });
    fc.assert(
      fc.property(fc.array(rowArbitrary, { minLength: 1, maxLength: 400, size: 'max' }), fc.constantFrom('UTC', 'Europe/Berlin'), fc.boolean(), (drawn, zone, wholeMs) => {
        const rows = drawn.map((row, k) => ({ ...row, resource: row.resource === 3 && k % 10 !== 0 ? 0 : row.resource, end: wholeMs ? Math.floor(row.end) : row.end }));
        const endMs = Float64Array.from(rows, (row) => row.end);
        const startMs = Float64Array.from(rows, (row) => row.end - row.startBefore);
        const estimated = new Uint8Array(rows.length);
        const instances = oneCaseInstances(Int32Array.from(rows, (row) => row.resource), startMs, endMs);
        const ordered = buildResourceOrder(instances, startMs, startMs, estimated);
        if (ordered === null) throw new Error('no order');
        const isConfigured = (code: number) => code === 4;
        const found = discoverCalendarsInOrder(ordered, instances.resource, isConfigured, zone);
        const expected = discoverResourceCalendars(instances, startMs, estimated, isConfigured, zone);
        expect([...found.calendars.keys()]).toEqual([...expected.calendars.keys()]);
        for (const [code, calendar] of expected.calendars) expect(found.calendars.get(code)?.description).toBe(calendar.description);
        expect(found.resourcesWithoutCalendar).toBe(expected.resourcesWithoutCalendar);
        discovered += found.calendars.size;
      }),
      { numRuns: 150, seed: 37 },
    );
    expect(discovered).toBeGreaterThan(200);
  });
});

describe('calendars shared by spec', () => {
  it('gives resources with the same discovered spec one calendar, whose working time is that of the spec made alone', () => {
    // Resources 0 and 1 work 09:00–17:00 on weekdays, resource 2 06:00–10:00: two specs among three resources.
    const resource: number[] = [];
    const endMs: number[] = [];
    const monday = Date.UTC(2024, 0, 1);
    for (let day = 0; day < 56; day++) {
      if (day % 7 >= 5) continue;
      for (let hour = 9; hour < 17; hour++) {
        for (const code of [0, 1]) {
          resource.push(code);
          endMs.push(monday + day * DAY_MS + hour * 3_600_000 + (code + 1) * 60_000);
        }
      }
      for (let hour = 6; hour < 10; hour++) {
        resource.push(2);
        endMs.push(monday + day * DAY_MS + hour * 3_600_000 + 30 * 60_000);
      }
    }
    const ends = Float64Array.from(endMs);
    const instances = oneCaseInstances(Int32Array.from(resource), ends, ends);
    const estimated = new Uint8Array(ends.length);
    const ordered = buildResourceOrder(instances, ends, ends, estimated);
    if (ordered === null) throw new Error('no order');
    for (const found of [discoverResourceCalendars(instances, ends, estimated, () => false, 'Europe/Berlin'), discoverCalendarsInOrder(ordered, instances.resource, () => false, 'Europe/Berlin')]) {
      const [first, second, other] = [0, 1, 2].map((code) => found.calendars.get(code));
      expect(first?.calendar).toBe(second?.calendar);
      expect(other?.calendar).not.toBe(first?.calendar);
      // Each resource keeps its own entry (the description counts its events).
      expect(first).not.toBe(second);
      for (const entry of [first, second, other]) {
        const alone = makeCalendar(entry!.calendar.spec);
        // Intervals met in an order that grows the shared index both ways, and one across a DST change.
        for (const [fromMs, toMs] of [[monday + 40 * DAY_MS, monday + 41.5 * DAY_MS], [monday - 400 * DAY_MS, monday + 3 * DAY_MS], [Date.UTC(2024, 2, 29), Date.UTC(2024, 3, 2)]]) {
          expect(entry!.calendar.durationMs(fromMs, toMs)).toBe(alone.durationMs(fromMs, toMs));
        }
      }
    }
  });
});

describe('discoverCalendarsInOrder with spare slots', () => {
  it('does not count a code read only in the instance column’s spare slots as a resource without a calendar', () => {
    // collectInstances sizes its columns from an upper bound: slots past `count` hold 0. Resource 0 has no instance.
    const mondayMs = Date.UTC(2024, 0, 1);
    const count = 40;
    const resource = new Int32Array(count + 5).fill(0);
    const startMs = new Float64Array(count + 5);
    const endMs = new Float64Array(count + 5);
    for (let k = 0; k < count; k++) {
      resource[k] = 1 + (k % 2);
      endMs[k] = mondayMs + (k % 5) * DAY_MS + 10 * 3_600_000 + k * 60_000;
      startMs[k] = endMs[k] - 600_000;
    }
    const instances = { ...oneCaseInstances(resource, startMs, endMs), count, caseStart: Int32Array.from([0, count]) };
    const estimated = new Uint8Array(count + 5);
    const ordered = buildResourceOrder(instances, startMs, startMs, estimated);
    if (ordered === null) throw new Error('no order');
    const found = discoverCalendarsInOrder(ordered, instances.resource, () => false, 'UTC');
    const expected = discoverResourceCalendars(instances, startMs, estimated, () => false, 'UTC');
    expect(expected.resourcesWithoutCalendar).toBe(0);
    expect(found.resourcesWithoutCalendar).toBe(0);
    expect([...found.calendars.keys()]).toEqual([1, 2]);
  });
});

describe('discoveredCalendar description', () => {
  it('counts its events with thousands grouped as en-US writes them', () => {
    const mondayMs = Date.UTC(2024, 0, 1);
    const instants = Array.from({ length: 12_345 }, (_, k) => mondayMs + (k % 5) * DAY_MS + 9 * 3_600_000 + (k % 480) * 60_000);
    expect(discoveredCalendar(instants, 'UTC')?.description).toBe(`Mon–Fri 09:00–17:00 UTC (discovered from ${(12_345).toLocaleString('en-US')} events)`);
    expect(discoveredCalendar(instants.slice(0, 999), 'UTC')?.description).toMatch(/\(discovered from 999 events\)$/);
  });
});
