import { describe, it, expect, vi } from 'vitest';
import { makeZoneClock } from '../../src/calendar/zone-clock.js';

const HOUR_MS = 3_600_000;
const utc = (iso: string): number => Date.parse(iso);

/** Reference offset straight from Intl, no cache: the local wall clock read as UTC minus the instant (whole seconds). */
function referenceOffsetMs(timeZone: string, utcMs: number): number {
  const wholeSecondMs = Math.floor(utcMs / 1000) * 1000;
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(wholeSecondMs);
  const value = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  return Date.UTC(value('year'), value('month') - 1, value('day'), value('hour'), value('minute'), value('second')) - wholeSecondMs;
}

describe('makeZoneClock offsetMs (per-hour cache)', () => {
  it('gives Berlin +1 h in winter and +2 h in summer, and switches at 01:00 UTC on the last Sunday of March', () => {
    const clock = makeZoneClock('Europe/Berlin');
    expect(clock.offsetMs(utc('2024-01-15T12:00:00Z'))).toBe(HOUR_MS);
    expect(clock.offsetMs(utc('2024-07-15T12:00:00Z'))).toBe(2 * HOUR_MS);
    expect(clock.offsetMs(utc('2024-03-31T00:59:59.999Z'))).toBe(HOUR_MS);
    expect(clock.offsetMs(utc('2024-03-31T01:00:00Z'))).toBe(2 * HOUR_MS);
  });

  it('is exact in hours that hold a transition off the UTC hour (Lord Howe +10:30/+11, St John’s −3:30/−2:30, Chatham +12:45/+13:45)', () => {
    for (const [timeZone, aroundIso] of [
      ['Australia/Lord_Howe', '2024-04-06T14:00:00Z'],
      ['Australia/Lord_Howe', '2024-10-05T15:00:00Z'],
      ['America/St_Johns', '2024-03-10T05:00:00Z'],
      ['America/St_Johns', '2024-11-03T04:00:00Z'],
      ['Pacific/Chatham', '2024-04-06T13:00:00Z'],
      ['Asia/Kathmandu', '1986-01-01T00:00:00Z'],
    ] as const) {
      const clock = makeZoneClock(timeZone);
      const centreMs = utc(aroundIso);
      // Every minute for six hours either side, visited out of order so cached and uncached hours interleave.
      const instants: number[] = [];
      for (let minute = -360; minute <= 360; minute++) instants.push(centreMs + minute * 60_000 + 7_123);
      instants.sort((a, b) => (a * 7919) % 1009 - (b * 7919) % 1009);
      for (const instantMs of instants) expect(clock.offsetMs(instantMs), `${timeZone} ${new Date(instantMs).toISOString()}`).toBe(referenceOffsetMs(timeZone, instantMs));
    }
  });

  it('keeps wallToUtcMs exact across the Berlin gap and repeat', () => {
    const clock = makeZoneClock('Europe/Berlin');
    // 02:30 on 31 March 2024 does not exist: it maps to the transition instant (01:00 UTC).
    expect(clock.wallToUtcMs(utc('2024-03-31T02:30:00Z'))).toBe(utc('2024-03-31T01:00:00Z'));
    // 02:30 on 27 October 2024 happens twice: the earlier instant (00:30 UTC, still summer time) wins.
    expect(clock.wallToUtcMs(utc('2024-10-27T02:30:00Z'))).toBe(utc('2024-10-27T00:30:00Z'));
  });
});

type ZoneClockModule = typeof import('../../src/calendar/zone-clock.js');

/** Runs `check` on a fresh zone-clock module (no names remembered) while Intl.DateTimeFormat constructions are counted. */
async function withCountedFormatters(check: (fresh: ZoneClockModule, built: () => number) => void): Promise<void> {
  vi.resetModules();
  const fresh = await import('../../src/calendar/zone-clock.js');
  const original = Intl.DateTimeFormat;
  let built = 0;
  Intl.DateTimeFormat = function (...args: ConstructorParameters<typeof Intl.DateTimeFormat>) {
    built++;
    return new original(...args);
  } as unknown as typeof Intl.DateTimeFormat;
  try {
    check(fresh, () => built);
  } finally {
    Intl.DateTimeFormat = original;
  }
}

describe('makeZoneClock: the Intl formatter built on first need', () => {
  it('answers a UTC clock inside the cached range without building one, and exactly beyond it', async () => {
    await withCountedFormatters((fresh, built) => {
      const clock = fresh.makeZoneClock('UTC');
      expect(clock.offsetMs(utc('2024-03-31T01:00:00Z'))).toBe(0);
      expect(clock.wallToUtcMs(utc('2024-10-27T02:30:00Z'))).toBe(utc('2024-10-27T02:30:00Z'));
      expect(built()).toBe(0);
      expect(clock.offsetMs(8.64e15)).toBe(0);
      expect(built()).toBe(1);
      expect(fresh.makeZoneClock('Europe/Berlin').offsetMs(utc('2024-07-15T12:00:00Z'))).toBe(2 * HOUR_MS);
      expect(built()).toBe(2);
    });
  });
});

describe('isKnownTimeZone (names remembered once known)', () => {
  it('knows UTC without Intl, remembers a known name, and still refuses unknown and blank ones', async () => {
    await withCountedFormatters((fresh, built) => {
      expect(fresh.isKnownTimeZone('UTC')).toBe(true);
      expect(built()).toBe(0);
      expect(fresh.isKnownTimeZone('Europe/Berlin')).toBe(true);
      expect(fresh.isKnownTimeZone('Europe/Berlin')).toBe(true);
      expect(built()).toBe(1);
      expect(fresh.isKnownTimeZone('Europe/Nowhere')).toBe(false);
      expect(fresh.isKnownTimeZone('Europe/Nowhere')).toBe(false);
      expect(fresh.isKnownTimeZone('  ')).toBe(false);
      expect(fresh.isKnownTimeZone('utc')).toBe(true);
    });
  });
});
