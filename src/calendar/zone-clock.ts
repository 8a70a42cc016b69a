/**
 * Offsets of an IANA time zone and the conversion of local wall-clock times to UTC instants, via Intl
 * (the zone data that ships with Node's ICU). Offsets are cached per UTC hour (below); the business calendar
 * also caches per day.
 */
import { DAY_MS, daysFromCivil } from './civil-date.js';

export interface ZoneClock {
  readonly timeZone: string;
  /** Offset of local time from UTC at the instant, in ms (Berlin summer: +7 200 000). */
  offsetMs(utcMs: number): number;
  /**
   * The UTC instant at which the local clock reads `wallMs` (a wall-clock time written as if it were UTC ms).
   * Ambiguous times (autumn fall-back) take the earlier instant; times skipped by a spring-forward gap map to
   * the instant of the transition. Both rules keep the mapping monotone, so spans never overlap or invert.
   */
  wallToUtcMs(wallMs: number): number;
}

/** True when Intl knows the zone name (IANA names like Europe/Berlin, also UTC and Etc/GMT+5). */
export function isKnownTimeZone(timeZone: string): boolean {
  if (timeZone.trim() === '') return false;
  // Every calendar discovered for a resource checks its zone again: a formatter each was ≈ 15 ms of a 1 M run. UTC
  // is known to every Intl (ECMA-402), other names once found are remembered (a bounded set).
  if (timeZone === 'UTC' || knownZones.has(timeZone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    return false;
  }
  if (knownZones.size >= MAX_KNOWN_ZONES) knownZones.clear();
  knownZones.add(timeZone);
  return true;
}

/** Zone names Intl accepted (at most MAX_KNOWN_ZONES, then afresh). */
const knownZones = new Set<string>();
const MAX_KNOWN_ZONES = 1_000;

const HOUR_MS = 3_600_000;
/** Instants further from 1970 than this (well inside Intl's ±8.64e15 ms) are never cached. */
const CACHEABLE_LIMIT_MS = 8.6e15;
/** About 11 years of hours; the cache starts afresh beyond it (bounded memory on any log). */
const MAX_CACHED_HOURS = 100_000;

/** One clock per zone for the whole process, so every caller shares its hour cache (it holds only exact values). */
const clocks = new Map<string, ZoneClock>();

export function makeZoneClock(timeZone: string): ZoneClock {
  let clock = clocks.get(timeZone);
  if (clock === undefined) {
    clock = createZoneClock(timeZone);
    clocks.set(timeZone, clock);
  }
  return clock;
}

function createZoneClock(timeZone: string): ZoneClock {
  // Built on the first exact offset asked for (≈ 12 ms of ICU set-up): a UTC clock inside the cacheable range never
  // asks, so the analysis of a UTC log does without it.
  let format: Intl.DateTimeFormat | null = null;
  const formatOf = (): Intl.DateTimeFormat =>
    (format ??= new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    }));

  function exactOffsetMs(utcMs: number): number {
    const wholeSecondMs = Math.floor(utcMs / 1000) * 1000;
    let year = 0;
    let month = 1;
    let day = 1;
    let hour = 0;
    let minute = 0;
    let second = 0;
    let beforeCommonEra = false;
    for (const part of formatOf().formatToParts(wholeSecondMs)) {
      switch (part.type) {
        case 'year': year = Number(part.value); break;
        case 'month': month = Number(part.value); break;
        case 'day': day = Number(part.value); break;
        case 'hour': hour = Number(part.value); break;
        case 'minute': minute = Number(part.value); break;
        case 'second': second = Number(part.value); break;
        case 'era': beforeCommonEra = part.value.startsWith('B'); break;
        default: break;
      }
    }
    const civilYear = beforeCommonEra ? 1 - year : year;
    const wallMs = daysFromCivil(civilYear, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000;
    return wallMs - wholeSecondMs;
  }

  // Per-UTC-hour cache (the Intl call was the hot spot of discovering resource calendars on large logs). An hour
  // is cached only when the offsets at its first and last whole second agree, so an hour holding a transition
  // (zones with :30 and :45 offsets shift off the UTC hour) is always computed exactly; the one assumption is
  // that no zone makes two transitions within one hour that return to the same offset (none in the tz database).
  const hourOffsets = new Map<number, number>();
  // UTC has no transitions: its offset is 0 wherever Intl has an answer (no Intl call, no cache).
  const alwaysUtc = timeZone === 'UTC';
  function offsetMs(utcMs: number): number {
    if (!(Math.abs(utcMs) < CACHEABLE_LIMIT_MS)) return exactOffsetMs(utcMs);
    if (alwaysUtc) return 0;
    const hour = Math.floor(utcMs / HOUR_MS);
    const cached = hourOffsets.get(hour);
    if (cached !== undefined) return Number.isNaN(cached) ? exactOffsetMs(utcMs) : cached;
    const firstMs = exactOffsetMs(hour * HOUR_MS);
    const lastMs = exactOffsetMs(hour * HOUR_MS + HOUR_MS - 1000);
    if (hourOffsets.size >= MAX_CACHED_HOURS) hourOffsets.clear();
    hourOffsets.set(hour, firstMs === lastMs ? firstMs : Number.NaN);
    return firstMs === lastMs ? firstMs : exactOffsetMs(utcMs);
  }

  function wallToUtcMs(wallMs: number): number {
    // Offsets one day either side bracket any single transition near this wall time.
    const offsetBeforeMs = offsetMs(wallMs - DAY_MS);
    const offsetAfterMs = offsetMs(wallMs + DAY_MS);
    if (offsetBeforeMs === offsetAfterMs) return wallMs - offsetBeforeMs;
    const earlierGuessMs = wallMs - offsetBeforeMs;
    const laterGuessMs = wallMs - offsetAfterMs;
    const earlierValid = offsetMs(earlierGuessMs) === offsetBeforeMs;
    const laterValid = offsetMs(laterGuessMs) === offsetAfterMs;
    if (earlierValid && laterValid) return Math.min(earlierGuessMs, laterGuessMs);
    if (earlierValid) return earlierGuessMs;
    if (laterValid) return laterGuessMs;
    // In a gap: find the transition instant, the first ms at which the after-offset holds.
    let lowMs = Math.min(earlierGuessMs, laterGuessMs);
    let highMs = Math.max(earlierGuessMs, laterGuessMs);
    while (highMs - lowMs > 1) {
      const middleMs = Math.floor((lowMs + highMs) / 2);
      if (offsetMs(middleMs) === offsetBeforeMs) lowMs = middleMs;
      else highMs = middleMs;
    }
    return highMs;
  }

  return { timeZone, offsetMs, wallToUtcMs };
}
