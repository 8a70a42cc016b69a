/**
 * Seeded randomness and a fixed office calendar for the synthetic ticket log.
 * Kept apart from src/calendar on purpose: the generator needs a tiny, frozen calendar whose output never
 * changes when the real business calendar evolves (generated files must stay byte-identical across versions).
 */

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;
/** Office hours of the synthetic help desk: Monday–Friday 08:00–18:00 UTC. */
const WORK_START_MS = 8 * MS_PER_HOUR;
const WORK_END_MS = 18 * MS_PER_HOUR;
const WORK_DAY_MS = WORK_END_MS - WORK_START_MS;
const WORK_WEEK_MS = 5 * WORK_DAY_MS;

/** A uniform draw in [0, 1). */
export type Uniform = () => number;

/** mulberry32: 32-bit state, fast, and identical on every platform (integer arithmetic only). */
export function mulberry32(seed: number): Uniform {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes a seed with a stream number so each case gets its own independent PRNG (murmur3 finalizer). */
export function mixSeed(seed: number, stream: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(stream >>> 0, 0x85ebca6b)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A standard normal draw (Box–Muller; the second value is dropped to keep the stream simple). */
export function normal(random: Uniform): number {
  const u1 = 1 - random(); // (0, 1]: log(0) would be -Infinity
  const u2 = random();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** A lognormal draw given its median and log-space sigma: heavy right tail, as real queue times have. */
export function lognormal(random: Uniform, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(random));
}

/** An exponential draw with the given mean (inter-arrival times of a Poisson process). */
export function exponential(random: Uniform, mean: number): number {
  return -mean * Math.log(1 - random());
}

function dayOfWeek(dayNumber: number): number {
  // 1970-01-01 was a Thursday (4); 0 = Sunday.
  return (((dayNumber + 4) % 7) + 7) % 7;
}

function isWorkingDay(dayNumber: number): boolean {
  const dow = dayOfWeek(dayNumber);
  return dow >= 1 && dow <= 5;
}

/** Moves an instant forward to the next moment inside office hours (unchanged when already inside). */
export function snapToWorkingMs(atMs: number): number {
  let dayNumber = Math.floor(atMs / MS_PER_DAY);
  const timeOfDayMs = atMs - dayNumber * MS_PER_DAY;
  if (isWorkingDay(dayNumber) && timeOfDayMs >= WORK_START_MS && timeOfDayMs < WORK_END_MS) return atMs;
  if (!isWorkingDay(dayNumber) || timeOfDayMs >= WORK_END_MS) {
    dayNumber++;
    while (!isWorkingDay(dayNumber)) dayNumber++;
  }
  return dayNumber * MS_PER_DAY + WORK_START_MS;
}

/**
 * Adds a duration counted in office time: work pauses overnight and at weekends, so a 3-hour task
 * picked up at 17:00 on Friday finishes at 10:00 on Monday.
 */
export function addWorkingMs(atMs: number, durationMs: number): number {
  let t = snapToWorkingMs(atMs);
  let remainingMs = durationMs;
  const weeks = Math.floor(remainingMs / WORK_WEEK_MS);
  t += weeks * 7 * MS_PER_DAY;
  remainingMs -= weeks * WORK_WEEK_MS;
  for (;;) {
    const dayEndMs = Math.floor(t / MS_PER_DAY) * MS_PER_DAY + WORK_END_MS;
    if (remainingMs <= dayEndMs - t) return t + remainingMs;
    remainingMs -= dayEndMs - t;
    t = snapToWorkingMs(dayEndMs);
  }
}

/** Office time in one working day, for rates like "cases per working day". */
export const WORKING_DAY_MS = WORK_DAY_MS;
