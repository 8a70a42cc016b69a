import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeZoneClock } from '../../src/calendar/zone-clock.js';
import { quantileSorted } from '../../src/metrics/distribution.js';
import { discoverCalendarSpec } from '../../src/metrics/resource-calendars.js';

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
