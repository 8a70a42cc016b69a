/**
 * Working calendars per resource (docs/wait-causes.md "Resource calendars"): configured ones
 * (`resources.<name>.calendar`) win; otherwise one is *discovered* from when the resource recorded work —
 * the completions (and recorded starts) of its instances, on local wall-clock time in the report's time zone:
 *   working days = weekdays holding at least 5 % of its events;
 *   working hours = one span from the 5th-percentile time of day (rounded down to the hour) to the
 *   95th-percentile time of day (rounded up to the hour).
 * A resource with fewer than MIN_EVENTS_TO_DISCOVER events gets no calendar (its off-hours are not measurable).
 */
import { describeWeekdays, makeCalendar, type BusinessCalendar } from '../calendar/business-calendar.js';
import type { BusinessCalendarSpec } from '../calendar/calendar-spec.js';
import { makeZoneClock, type ZoneClock } from '../calendar/zone-clock.js';
import { MISSING_CODE } from '../model/dictionary.js';
import { groupThousands } from '../model/units.js';
import type { ActivityInstances } from '../traces/activity-instances.js';
import type { ResourceOrder } from './resource-order.js';
import { quantileRank, quantileSorted } from './distribution.js';
import { quantileInPlace, wholeRanks } from './select.js';

export const MIN_EVENTS_TO_DISCOVER = 20;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

export interface ResourceCalendar {
  readonly calendar: BusinessCalendar;
  readonly source: 'config' | 'discovered';
  readonly description: string;
}

/**
 * Discovers a business calendar from event instants, or null when there are too few.
 * @example discoverCalendarSpec([...], 'Europe/Rome') // { kind: 'business', workingDays: [1..5], hours: [{ start: '08:00', end: '18:00' }] … }
 */
export function discoverCalendarSpec(instantsMs: ArrayLike<number>, timeZone: string): BusinessCalendarSpec | null {
  return discoverSpecInto(instantsMs, timeZone, new Float64Array(instantsMs.length));
}

/**
 * discoverCalendarSpec with the times of day written into `dayMs` (instantsMs.length long), which may be
 * `instantsMs` itself: each instant is read before its slot is written.
 */
function discoverSpecInto(instantsMs: ArrayLike<number>, timeZone: string, dayMs: Float64Array): BusinessCalendarSpec | null {
  if (instantsMs.length < MIN_EVENTS_TO_DISCOVER) return null;
  const perWeekday = new Array<number>(8).fill(0);
  const stats = freshDayStats();
  timesOfDay(instantsMs, makeZoneClock(timeZone), dayMs, perWeekday, stats);
  return specOfTimesOfDay(dayMs, perWeekday, stats, timeZone);
}

/**
 * The spec of a resource's times of day (dayMs, as many as its instants) and their weekdays' counts: working days
 * the weekdays holding at least 5 % of them, hours from the 5th to the 95th percentile; null when too few.
 */
function specOfTimesOfDay(dayMs: Float64Array, perWeekday: readonly number[], stats: Float64Array, timeZone: string): BusinessCalendarSpec | null {
  if (dayMs.length < MIN_EVENTS_TO_DISCOVER) return null;
  const workingDays = [1, 2, 3, 4, 5, 6, 7].filter((weekday) => perWeekday[weekday] >= 0.05 * dayMs.length);
  const quantile = stats[NOT_WHOLE] === 0 ? wholeDayQuantiles(dayMs, stats[LEAST], stats[GREATEST]) : fractionalDayQuantiles(dayMs);
  const startHour = Math.floor(quantile(0.05) / 60);
  let endHour = Math.ceil(quantile(0.95) / 60);
  if (endHour <= startHour) endHour = startHour + 1;
  const clockTime = (hour: number) => `${String(hour).padStart(2, '0')}:00`;
  return { kind: 'business', timeZone, workingDays, hours: [{ start: clockTime(startHour), end: clockTime(Math.min(24, endHour)) }], holidays: [] };
}

/** Slots of the times-of-day statistics (a Float64Array(3)): the least and greatest ms of day (NaN left out), 1 when one is not a whole ms. */
const LEAST = 0;
const GREATEST = 1;
const NOT_WHOLE = 2;

/** Statistics before any time of day: least Infinity, greatest −Infinity, all whole. */
function freshDayStats(): Float64Array {
  return Float64Array.of(Infinity, -Infinity, 0);
}

/**
 * One instant's time of day in ms into dayMs[at], counted for its weekday (1 = Monday … 7) in perWeekday, and into
 * the statistics: a whole ms is what lets a radix selection find the quantiles (minutes are that / MINUTE_MS,
 * exactly as computed before); the least and greatest bound that selection (they were two more passes). Each
 * statistic is written as it changes, so the callers' loops end with nothing stored after them (a store after a
 * loop compiled on the fly bailed out of its code: see scanWholeRange).
 */
function putTimeOfDay(utcMs: number, clock: ZoneClock, dayMs: Float64Array, at: number, perWeekday: number[], stats: Float64Array): void {
  const localMs = utcMs + clock.offsetMs(utcMs);
  const day = Math.floor(localMs / DAY_MS);
  perWeekday[((((day + 3) % 7) + 7) % 7) + 1]++;
  const msOfDay = localMs - day * DAY_MS;
  dayMs[at] = msOfDay;
  if (Math.floor(msOfDay) !== msOfDay) stats[NOT_WHOLE] = 1;
  if (msOfDay < stats[LEAST]) stats[LEAST] = msOfDay;
  if (msOfDay > stats[GREATEST]) stats[GREATEST] = msOfDay;
}

/**
 * Each instant's time of day (putTimeOfDay). A function of its own: called once per resource, its loop was compiled
 * on entry (OSR) and the caller's code after it bailed out on every call.
 */
function timesOfDay(instantsMs: ArrayLike<number>, clock: ZoneClock, dayMs: Float64Array, perWeekday: number[], stats: Float64Array): void {
  for (let k = 0; k < instantsMs.length; k++) putTimeOfDay(instantsMs[k], clock, dayMs, k, perWeekday, stats);
}

/**
 * The type-7 quantiles of the minutes of day (ms of day / MINUTE_MS) of whole-ms times of day in [0, DAY_MS): the
 * order statistics of the ms by a radix selection, divided as the minutes were (dividing by a positive constant
 * keeps the order, so the k-th smallest minute is the k-th smallest ms / MINUTE_MS).
 */
function wholeDayQuantiles(dayMs: Float64Array, leastMs: number, greatestMs: number): (p: number) => number {
  const n = dayMs.length;
  const places = [0.05, 0.95].map((p) => ({ p, ...quantileRank(n, p) }));
  const ranks = [...new Set(places.flatMap(({ lowRank, fraction }) => (fraction === 0 ? [lowRank] : [lowRank, lowRank + 1])))].sort((a, b) => a - b);
  const selected = wholeRanks(dayMs, ranks, leastMs, greatestMs);
  const minuteAt = (rank: number) => selected[ranks.indexOf(rank)] / MINUTE_MS;
  return (p) => {
    const place = places.find((candidate) => candidate.p === p);
    if (place === undefined) throw new Error(`wholeDayQuantiles: ${p} was not selected`);
    const low = minuteAt(place.lowRank);
    return place.fraction === 0 ? low : low + place.fraction * (minuteAt(place.lowRank + 1) - low);
  };
}

/** The quantiles of the minutes of day when an instant is not a whole ms (or NaN): a quickselect each, or a sort. */
function fractionalDayQuantiles(dayMs: Float64Array): (p: number) => number {
  const minutes = dayMs.map((ms) => ms / MINUTE_MS);
  const anyNaN = minutes.some(Number.isNaN);
  if (anyNaN) minutes.sort();
  return (p: number) => (anyNaN ? quantileSorted(minutes, p) : quantileInPlace(minutes, p));
}

/** A discovered calendar ready to use, labelled as discovered with its evidence. */
export function discoveredCalendar(instantsMs: ArrayLike<number>, timeZone: string): ResourceCalendar | null {
  return calendarFromSpec(discoverCalendarSpec(instantsMs, timeZone), instantsMs.length, timeZone, new Map());
}

/**
 * The calendar of a discovered spec; its count written by groupThousands (toLocaleString loaded ICU's number data, ≈ 11 ms of a 1 M run).
 * `made` holds the calendars already made in this discovery by spec: resources that share a spec share one calendar,
 * so one working-time index is filled for them (each index fills ≈ 1,100 days when first used; at 1 M events 26
 * resources had one spec among them). W(b) − W(a) is the same from any index of the spec for whole-ms times (its
 * prefix sums and spans are whole ms); for sub-ms times it may differ in the last bits, as it already did with the
 * order an index was grown in.
 */
function calendarFromSpec(spec: BusinessCalendarSpec | null, instantCount: number, timeZone: string, made: Map<string, BusinessCalendar>): ResourceCalendar | null {
  if (spec === null) return null;
  const key = JSON.stringify(spec);
  let calendar = made.get(key);
  if (calendar === undefined) {
    calendar = makeCalendar(spec);
    made.set(key, calendar);
  }
  const hours = spec.hours.map((span) => `${span.start}–${span.end}`).join(', ');
  return {
    calendar,
    source: 'discovered',
    description: `${describeWeekdays(spec.workingDays)} ${hours} ${timeZone} (discovered from ${groupThousands(instantCount)} events)`,
  };
}

/**
 * Discovered calendars of the resources `configured` does not cover, from the instants their instances recorded
 * work at (each completion, and a recorded start that differs from it), in first-seen resource order. The
 * instants go into one typed array per resource, sized by a counting pass and gone when this returns.
 * @example discoverResourceCalendars(instances, startMs, estimated, (code) => configured.has(code), 'UTC').calendars
 */
export function discoverResourceCalendars(
  instances: ActivityInstances,
  startMs: Float64Array,
  estimated: Uint8Array,
  isConfigured: (code: number) => boolean,
  timeZone: string,
): { calendars: Map<number, ResourceCalendar>; resourcesWithoutCalendar: number } {
  const { count, resource, endMs } = instances;
  const withStart = (k: number) => estimated[k] === 0 && !Number.isNaN(startMs[k]) && startMs[k] !== endMs[k];
  // By resource code (typed, no Map per instance): 0 not seen yet, 1 discovered here, 2 configured.
  let codes = 0;
  for (let k = 0; k < count; k++) if (resource[k] >= codes) codes = resource[k] + 1;
  const state = new Uint8Array(codes);
  const sizes = new Int32Array(codes);
  const firstSeen: number[] = [];
  for (let k = 0; k < count; k++) {
    const code = resource[k];
    if (code === MISSING_CODE) continue;
    if (state[code] === 0) {
      state[code] = isConfigured(code) ? 2 : 1;
      if (state[code] === 1) firstSeen.push(code);
    }
    if (state[code] === 1) sizes[code] += withStart(k) ? 2 : 1;
  }
  const values: Float64Array[] = [];
  for (const code of firstSeen) values[code] = new Float64Array(sizes[code]);
  const filled = new Int32Array(codes);
  for (let k = 0; k < count; k++) {
    const code = resource[k];
    if (code === MISSING_CODE || state[code] !== 1) continue;
    const into = values[code];
    into[filled[code]++] = endMs[k];
    if (withStart(k)) into[filled[code]++] = startMs[k];
  }
  const calendars = new Map<number, ResourceCalendar>();
  const made = new Map<string, BusinessCalendar>();
  let resourcesWithoutCalendar = 0;
  for (const code of firstSeen) {
    // The resource's instants are read once: their times of day overwrite them (no second column per resource).
    const discovered = calendarFromSpec(discoverSpecInto(values[code], timeZone, values[code]), values[code].length, timeZone, made);
    if (discovered) calendars.set(code, discovered);
    else resourcesWithoutCalendar++;
  }
  return { calendars, resourcesWithoutCalendar };
}

/**
 * discoverResourceCalendars when no start is estimated, from the resource order (resource-order.ts): each resource's
 * instants (every completion, and a start that differs from it) read from its run by position, their times of day
 * into one column reused from resource to resource, instead of scattered into a column per resource. The same instants per resource
 * (in another order, which no quantile or count depends on), so the same calendars, in the same first-seen order.
 * @example discoverCalendarsInOrder(ordered, instances.resource, (code) => configured.has(code), 'UTC').calendars
 */
export function discoverCalendarsInOrder(
  ordered: Pick<ResourceOrder, 'runStart' | 'start' | 'end'>,
  resource: Int32Array,
  isConfigured: (code: number) => boolean,
  timeZone: string,
): { calendars: Map<number, ResourceCalendar>; resourcesWithoutCalendar: number } {
  const { runStart, start, end } = ordered;
  // Each long loop is a function of its own (a leaf): compiled on entry (OSR), its code is not thrown away when this
  // function reaches the code after it (issue 14, warm-up at 1 M).
  const firstSeen = firstSeenToDiscover(resource, runStart, isConfigured);
  let longest = 0;
  for (const code of firstSeen) longest = Math.max(longest, runStart[code + 1] - runStart[code]);
  const dayMs = new Float64Array(2 * longest);
  const clock = makeZoneClock(timeZone);
  const calendars = new Map<number, ResourceCalendar>();
  const made = new Map<string, BusinessCalendar>();
  let resourcesWithoutCalendar = 0;
  for (const code of firstSeen) {
    const perWeekday = new Array<number>(8).fill(0);
    const stats = freshDayStats();
    // Each instant's time of day as it is read from the run (no copy of the instants first).
    const length = runTimesOfDay(runStart[code], runStart[code + 1], start, end, clock, dayMs, perWeekday, stats);
    const discovered = calendarFromSpec(specOfTimesOfDay(dayMs.subarray(0, length), perWeekday, stats, timeZone), length, timeZone, made);
    if (discovered) calendars.set(code, discovered);
    else resourcesWithoutCalendar++;
  }
  return { calendars, resourcesWithoutCalendar };
}

/**
 * The resource codes not configured, in first-seen instance order. A code with an empty run has no instance: the
 * instance column may be longer than its instances (collectInstances sizes it from an upper bound and leaves the spare
 * slots 0), so such a code read there is not a resource without a calendar.
 */
function firstSeenToDiscover(resource: Int32Array, runStart: Int32Array, isConfigured: (code: number) => boolean): number[] {
  const codes = runStart.length - 1;
  // By resource code: 0 not seen yet, 1 discovered here, 2 configured.
  const state = new Uint8Array(codes);
  const firstSeen: number[] = [];
  let seen = 0;
  for (let k = 0; k < resource.length && seen < codes; k++) {
    const code = resource[k];
    if (code === MISSING_CODE || state[code] !== 0 || runStart[code + 1] === runStart[code]) continue;
    seen++;
    state[code] = isConfigured(code) ? 2 : 1;
    if (state[code] === 1) firstSeen.push(code);
  }
  return firstSeen;
}

/**
 * The times of day (putTimeOfDay) of a run's instants, every end and a start that differs from it, into dayMs;
 * returns how many.
 */
function runTimesOfDay(from: number, to: number, start: Float64Array, end: Float64Array, clock: ZoneClock, dayMs: Float64Array, perWeekday: number[], stats: Float64Array): number {
  let length = 0;
  for (let n = from; n < to; n++) {
    putTimeOfDay(end[n], clock, dayMs, length++, perWeekday, stats);
    if (!Number.isNaN(start[n]) && start[n] !== end[n]) putTimeOfDay(start[n], clock, dayMs, length++, perWeekday, stats);
  }
  return length;
}
