/**
 * Calendar buckets for the flow series (throughput, WIP, cumulative flow), bounded in number (issue 11 item 1).
 *
 * A week per slot is the default. When the log spans more than MAX_FLOW_BUCKETS weeks (one far-future or
 * far-past timestamp is enough: 2024 → 9999 is 416,000 weeks), the bucket grows along a fixed ladder — week,
 * month, quarter, year, decade, century, millennium, 10 millennia — to the first size that fits, so the number
 * of slots never exceeds MAX_FLOW_BUCKETS whatever the timestamps. Buckets start at local midnight in the
 * calendar's zone (Monday for weeks, the 1st for months; multi-month buckets are aligned to multiples of their
 * size counted from year 0, so quarters start in January, April, July and October).
 */
import type { ZoneClock } from '../calendar/zone-clock.js';

/** Most slots in a flow series: five years of weeks. Past it the bucket grows (see the ladder). */
export const MAX_FLOW_BUCKETS = 260;

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** Day 0 (1970-01-01) was a Thursday: Monday-based week k starts at wall ms k·WEEK − 3·DAY. */
const MONDAY_SHIFT_MS = 3 * DAY_MS;

/** Bucket sizes in months after the week, with their names. */
const MONTH_LADDER: ReadonlyArray<[number, string]> = [
  [1, 'month'],
  [3, 'quarter'],
  [12, 'year'],
  [120, 'decade'],
  [1_200, 'century'],
  [12_000, 'millennium'],
  [120_000, '10 millennia'],
];

export interface TimeBuckets {
  /** 'week', 'month', 'quarter', 'year', 'decade', … */
  unit: string;
  count: number;
  /** UTC instant of each bucket's start, plus the end of the last (length count + 1). */
  boundaryMs: Float64Array;
  /** ISO date (local) of each bucket's start. */
  startLabels: string[];
  /** Index of the bucket holding an instant (instants outside the range go to the first or last bucket). */
  indexOf(instantMs: number): number;
}

const utcWeekOf = (wallMs: number): number => Math.floor((wallMs + MONDAY_SHIFT_MS) / WEEK_MS);
const monthIndexOf = (wallMs: number): number => {
  const date = new Date(wallMs);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
};
const monthStartWallMs = (monthIndex: number): number => {
  const date = new Date(0);
  date.setUTCFullYear(Math.floor(monthIndex / 12), monthIndex % 12, 1);
  return date.getTime();
};
export const isoDay = (wallMs: number): string => new Date(wallMs).toISOString().slice(0, new Date(wallMs).toISOString().indexOf('T'));

/** Buckets covering [firstMs, lastMs] (UTC instants, firstMs ≤ lastMs) in the zone of `clock` (null: UTC). */
export function planTimeBuckets(firstMs: number, lastMs: number, clock: ZoneClock | null, maxBuckets = MAX_FLOW_BUCKETS): TimeBuckets {
  const wallOf = (instantMs: number): number => instantMs + (clock ? clock.offsetMs(instantMs) : 0);
  const toUtc = (wallMs: number): number => (clock ? clock.wallToUtcMs(wallMs) : wallMs);
  const firstWall = wallOf(firstMs);
  const lastWall = wallOf(lastMs);

  const firstWeek = utcWeekOf(firstWall);
  const weekCount = utcWeekOf(lastWall) - firstWeek + 1;
  let unit = 'week';
  let starts: number[];
  if (weekCount <= maxBuckets) {
    starts = Array.from({ length: weekCount + 1 }, (_, w) => (firstWeek + w) * WEEK_MS - MONDAY_SHIFT_MS);
  } else {
    const firstMonth = monthIndexOf(firstWall);
    const lastMonth = monthIndexOf(lastWall);
    const [size, name] = MONTH_LADDER.find(([months]) => Math.floor(lastMonth / months) - Math.floor(firstMonth / months) + 1 <= maxBuckets) ?? MONTH_LADDER[MONTH_LADDER.length - 1];
    unit = name;
    const firstBucket = Math.floor(firstMonth / size);
    const count = Math.floor(lastMonth / size) - firstBucket + 1;
    starts = Array.from({ length: count + 1 }, (_, k) => monthStartWallMs((firstBucket + k) * size));
  }
  const count = starts.length - 1;
  const boundaryMs = Float64Array.from(starts, toUtc);
  const startLabels = starts.slice(0, count).map(isoDay);
  const indexOf = (instantMs: number): number => {
    // Binary search: the last boundary ≤ instant.
    let low = 0;
    let high = count - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (boundaryMs[middle] <= instantMs) low = middle;
      else high = middle - 1;
    }
    return low;
  };
  return { unit, count, boundaryMs, startLabels, indexOf };
}
