/**
 * Cumulative working time W(t) of a business calendar, so that the working time in [a, b) is W(b) − W(a).
 *
 * Per local day we store each working span as a UTC interval, plus a prefix sum of whole-day working ms over a
 * contiguous range of days that grows on demand. W(t) is the prefix up to two days before t's UTC day plus the
 * partial overlap of t with the spans of the five days around it (no zone offset exceeds ±16 h, so days further
 * away lie wholly before or after t). A call is O(spans), allocation-free, whatever the span of the interval.
 *
 * DST: spans are local wall-clock times; their length is the real elapsed time between the two UTC instants,
 * so a 00:00–24:00 day is 23 h on a spring-forward day and 25 h on a fall-back day (see zone-clock.ts for the
 * rules on skipped and repeated wall times).
 */
import { VsmError, quoteGot } from '../errors.js';
import { DAY_MS, MINUTE_MS, daysFromCivil, isoWeekdayOfDay } from './civil-date.js';
import { makeZoneClock, type ZoneClock } from './zone-clock.js';

export interface WorkingTimeRules {
  timeZone: string;
  /** Indexed by ISO weekday 1..7. */
  isWorkingWeekday: readonly boolean[];
  /** Day numbers (days since 1970-01-01, local civil dates) with no working time. */
  holidayDays: ReadonlySet<number>;
  /** Sorted, non-overlapping spans in minutes after local midnight. */
  spans: readonly { startMinute: number; endMinute: number }[];
}

/** Timestamps outside these years are data errors, not calendars worth indexing day by day. */
const FIRST_INDEXED_DAY = daysFromCivil(1900, 1, 1);
const LAST_INDEXED_DAY = daysFromCivil(2200, 12, 31);
/** Days around t whose spans may overlap t: t's UTC day ± this many. */
const NEIGHBOUR_DAYS = 2;
const MIN_GROWTH_DAYS = 366;

export class WorkingTimeIndex {
  private readonly clock: ZoneClock;
  private readonly spanCount: number;
  private readonly offsetByUtcDay = new Map<number, number>();
  private firstDay = 0;
  private dayCount = 0;
  private spanStartUtcMs = new Float64Array(0);
  private spanEndUtcMs = new Float64Array(0);
  private dayWorkMs = new Float64Array(0);
  /** prefixWorkMs[k] = working ms of days firstDay … firstDay + k − 1. */
  private prefixWorkMs = new Float64Array(1);

  constructor(private readonly rules: WorkingTimeRules) {
    this.clock = makeZoneClock(rules.timeZone);
    this.spanCount = rules.spans.length;
  }

  /** Working ms in [fromMs, toMs); 0 when toMs <= fromMs, NaN when either is NaN. */
  durationMs(fromMs: number, toMs: number): number {
    if (!(toMs > fromMs)) return Number.isNaN(fromMs) || Number.isNaN(toMs) ? NaN : 0;
    // Cover the earlier end first: growing backwards rebases the prefix sums, growing forwards does not.
    this.ensureCovered(fromMs);
    this.ensureCovered(toMs);
    return this.cumulativeMs(toMs) - this.cumulativeMs(fromMs);
  }

  /**
   * The index over [fromMs, toMs] as plain arrays, for engines that evaluate W(t) elsewhere (the ClickHouse engine
   * joins it in SQL): per UTC day from `firstDay` its spans' UTC starts and ends (`spanCount` a day) and the prefix
   * sums, so W(t) = prefixMs[d − 2 − firstDay] + Σ over the spans of days d − 2 … d + 2 of max(0, min(t, end) − start)
   * for t > start, with d = ⌊t / day⌋ — exactly `cumulativeMs`.
   */
  table(fromMs: number, toMs: number): { firstDay: number; spanCount: number; spanStartMs: number[]; spanEndMs: number[]; prefixMs: number[] } {
    this.ensureCovered(fromMs);
    this.ensureCovered(toMs);
    return {
      firstDay: this.firstDay,
      spanCount: this.spanCount,
      spanStartMs: Array.from(this.spanStartUtcMs),
      spanEndMs: Array.from(this.spanEndUtcMs),
      prefixMs: Array.from(this.prefixWorkMs),
    };
  }

  private ensureCovered(timeMs: number): void {
    const utcDay = Math.floor(timeMs / DAY_MS);
    if (utcDay - NEIGHBOUR_DAYS < this.firstDay || utcDay + NEIGHBOUR_DAYS >= this.firstDay + this.dayCount || this.dayCount === 0) {
      this.cover(utcDay - NEIGHBOUR_DAYS - 1, utcDay + NEIGHBOUR_DAYS + 1, timeMs);
    }
  }

  /** W(t): working ms from the start of the indexed range up to t (t must be covered). */
  private cumulativeMs(timeMs: number): number {
    const utcDay = Math.floor(timeMs / DAY_MS);
    const firstIndex = utcDay - NEIGHBOUR_DAYS - this.firstDay;
    let workMs = this.prefixWorkMs[firstIndex];
    const spanStarts = this.spanStartUtcMs;
    const spanEnds = this.spanEndUtcMs;
    const from = firstIndex * this.spanCount;
    const to = (firstIndex + 2 * NEIGHBOUR_DAYS + 1) * this.spanCount;
    for (let slot = from; slot < to; slot++) {
      const startMs = spanStarts[slot];
      if (timeMs > startMs) {
        const endMs = spanEnds[slot];
        workMs += (timeMs < endMs ? timeMs : endMs) - startMs;
      }
    }
    return workMs;
  }

  /** Grows the indexed range to include days lowDay..highDay, with slack so repeated growth is amortised. */
  private cover(lowDay: number, highDay: number, timeMs: number): void {
    if (!Number.isFinite(timeMs) || lowDay < FIRST_INDEXED_DAY || highDay > LAST_INDEXED_DAY) {
      throw new VsmError({
        code: 'BAD_TIMESTAMP',
        what: 'timestamp outside the business calendar range 1900–2200',
        got: quoteGot(Number.isFinite(timeMs) ? new Date(timeMs).toISOString() : String(timeMs)),
        fix: 'check the timestamp column and --date-format, or use --calendar 24x7',
      });
    }
    const oldFirst = this.firstDay;
    const oldCount = this.dayCount;
    const oldEnd = oldFirst + oldCount;
    // Grow by at least the current size so a log scanned in any order costs O(days) in total.
    const growthDays = Math.max(MIN_GROWTH_DAYS, oldCount);
    const newFirst = Math.max(FIRST_INDEXED_DAY - 3, oldCount === 0 || lowDay < oldFirst ? lowDay - growthDays : oldFirst);
    const newEnd = Math.min(LAST_INDEXED_DAY + 4, oldCount === 0 || highDay >= oldEnd ? highDay + growthDays + 1 : oldEnd);
    const newCount = newEnd - newFirst;
    const spans = this.spanCount;
    const starts = new Float64Array(newCount * spans);
    const ends = new Float64Array(newCount * spans);
    const dayWork = new Float64Array(newCount);
    const shift = oldFirst - newFirst;
    if (oldCount > 0) {
      starts.set(this.spanStartUtcMs, shift * spans);
      ends.set(this.spanEndUtcMs, shift * spans);
      dayWork.set(this.dayWorkMs, shift);
    }
    for (let k = 0; k < newCount; k++) {
      if (oldCount > 0 && k >= shift && k < shift + oldCount) continue;
      dayWork[k] = this.fillDay(newFirst + k, starts, ends, k * spans);
    }
    const prefix = new Float64Array(newCount + 1);
    for (let k = 0; k < newCount; k++) prefix[k + 1] = prefix[k] + dayWork[k];
    this.firstDay = newFirst;
    this.dayCount = newCount;
    this.spanStartUtcMs = starts;
    this.spanEndUtcMs = ends;
    this.dayWorkMs = dayWork;
    this.prefixWorkMs = prefix;
  }

  /** Writes the UTC intervals of one local day's spans at `slot`; returns the day's working ms. */
  private fillDay(day: number, starts: Float64Array, ends: Float64Array, slot: number): number {
    const { isWorkingWeekday, holidayDays, spans } = this.rules;
    // Non-working days keep zero-length [0, 0) intervals, which add nothing for any t.
    if (!isWorkingWeekday[isoWeekdayOfDay(day)] || holidayDays.has(day)) return 0;
    const midnightWallMs = day * DAY_MS;
    // One offset for the whole day when none of the three UTC days around it has a transition.
    const steadyOffsetMs = this.offsetAtUtcDay(day - 1);
    const steady = steadyOffsetMs === this.offsetAtUtcDay(day + 2);
    let workMs = 0;
    for (let s = 0; s < spans.length; s++) {
      const startWallMs = midnightWallMs + spans[s].startMinute * MINUTE_MS;
      const endWallMs = midnightWallMs + spans[s].endMinute * MINUTE_MS;
      const startMs = steady ? startWallMs - steadyOffsetMs : this.clock.wallToUtcMs(startWallMs);
      const endMs = steady ? endWallMs - steadyOffsetMs : this.clock.wallToUtcMs(endWallMs);
      starts[slot + s] = startMs;
      ends[slot + s] = endMs;
      workMs += endMs - startMs;
    }
    return workMs;
  }

  private offsetAtUtcDay(utcDay: number): number {
    let offsetMs = this.offsetByUtcDay.get(utcDay);
    if (offsetMs === undefined) {
      offsetMs = this.clock.offsetMs(utcDay * DAY_MS);
      this.offsetByUtcDay.set(utcDay, offsetMs);
    }
    return offsetMs;
  }
}
