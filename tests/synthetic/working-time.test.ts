import { describe, expect, it } from 'vitest';
import { addWorkingMs, lognormal, mixSeed, mulberry32, snapToWorkingMs } from '../../src/synthetic/working-time.js';

const HOUR_MS = 3_600_000;
const at = (iso: string): number => Date.parse(iso);

describe('office-time arithmetic of the synthetic log (Mon–Fri 08:00–18:00 UTC)', () => {
  it('leaves an instant inside office hours alone', () => {
    expect(snapToWorkingMs(at('2024-01-05T09:13:02.123Z'))).toBe(at('2024-01-05T09:13:02.123Z'));
  });

  it('moves evenings, nights and weekends to the next opening', () => {
    // 2024-01-05 is a Friday: 18:00 is closing time, so the next opening is Monday 2024-01-08 08:00.
    expect(snapToWorkingMs(at('2024-01-05T18:00:00Z'))).toBe(at('2024-01-08T08:00:00Z'));
    expect(snapToWorkingMs(at('2024-01-06T10:00:00Z'))).toBe(at('2024-01-08T08:00:00Z'));
    expect(snapToWorkingMs(at('2024-01-08T06:30:00Z'))).toBe(at('2024-01-08T08:00:00Z'));
  });

  it('pauses work overnight and over the weekend', () => {
    // Friday 17:00 + 3 h: 1 h on Friday, 2 h from Monday 08:00 → Monday 10:00.
    expect(addWorkingMs(at('2024-01-05T17:00:00Z'), 3 * HOUR_MS)).toBe(at('2024-01-08T10:00:00Z'));
    // Saturday 10:00 + 1 h: starts Monday 08:00 → 09:00.
    expect(addWorkingMs(at('2024-01-06T10:00:00Z'), HOUR_MS)).toBe(at('2024-01-08T09:00:00Z'));
    // Tuesday 16:00 + 2 h ends exactly at closing time, the same day.
    expect(addWorkingMs(at('2024-01-09T16:00:00Z'), 2 * HOUR_MS)).toBe(at('2024-01-09T18:00:00Z'));
  });

  it('skips whole weeks: 101 office hours from Monday 09:00 is Monday two weeks later, 10:00', () => {
    // Two office weeks are 2 × 5 × 10 h = 100 h; the remaining 1 h runs 09:00 → 10:00 on 2024-01-22.
    expect(addWorkingMs(at('2024-01-08T09:00:00Z'), 101 * HOUR_MS)).toBe(at('2024-01-22T10:00:00Z'));
  });
});

describe('seeded randomness', () => {
  it('repeats exactly for the same seed and differs for another', () => {
    const first = mulberry32(42);
    const again = mulberry32(42);
    const other = mulberry32(43);
    const a = [first(), first(), first()];
    expect([again(), again(), again()]).toEqual(a);
    expect([other(), other(), other()]).not.toEqual(a);
    for (const value of a) expect(value >= 0 && value < 1).toBe(true);
  });

  it('gives each case its own stream', () => {
    expect(mixSeed(42, 0)).not.toBe(mixSeed(42, 1));
    expect(mixSeed(42, 0)).not.toBe(mixSeed(43, 0));
  });

  it('draws lognormal values around the requested median', () => {
    const random = mulberry32(7);
    const draws = Array.from({ length: 20_001 }, () => lognormal(random, 60, 1.2)).sort((x, y) => x - y);
    // The median of exp(N(ln 60, 1.2²)) is 60; with 20,001 draws the sample median is within a few percent.
    expect(draws[10_000]).toBeGreaterThan(55);
    expect(draws[10_000]).toBeLessThan(65);
    // Heavy tail: p95 = 60 · e^(1.645 · 1.2) ≈ 432, far above the median.
    expect(draws[19_000]).toBeGreaterThan(350);
  });
});
