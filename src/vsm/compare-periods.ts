/**
 * Periods for `vsm compare --periods`: a quarter (2024-Q3), a month (2024-07) or an inclusive date range
 * (2024-07-01..2024-09-30), two of them separated by a comma. A period is the half-open interval
 * [local 00:00 of its first day, local 00:00 of the day after its last day) in the calendar's zone (UTC when the
 * calendar is 24x7), so 2024-Q3 = [2024-07-01T00:00, 2024-10-01T00:00) and no instant belongs to both quarters.
 */
import { DAY_MS, daysFromCivil, parseIsoDate } from '../calendar/civil-date.js';
import { makeZoneClock } from '../calendar/zone-clock.js';
import { VsmError, quoteGot } from '../errors.js';
import type { CaseTimes } from '../traces/step-visits.js';

export interface Period {
  label: string;
  /** UTC instant of the period's first local midnight. */
  fromMs: number;
  /** UTC instant of the local midnight after its last day (exclusive). */
  toMs: number;
}

export type PeriodBy = 'completed' | 'started';

const FIX = 'pass two periods separated by a comma: --periods 2024-Q3,2024-Q4 or --periods 2024-07-01..2024-09-30,2024-10-01..2024-12-31 (months: 2024-07)';

function badPeriod(what: string, got: string): VsmError {
  return new VsmError({ code: 'BAD_OPTION', what, where: 'flag --periods', got: quoteGot(got), fix: FIX });
}

/** Day numbers [firstDay, dayAfterLast) of one period text, or throws. */
function periodDays(text: string): [number, number] {
  const quarter = /^(\d{4})-Q([1-4])$/i.exec(text);
  if (quarter) {
    const year = Number(quarter[1]);
    const firstMonth = (Number(quarter[2]) - 1) * 3 + 1;
    return [daysFromCivil(year, firstMonth, 1), firstMonth === 10 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, firstMonth + 3, 1)];
  }
  const month = /^(\d{4})-(\d{2})$/.exec(text);
  if (month) {
    const year = Number(month[1]);
    const monthNumber = Number(month[2]);
    if (monthNumber < 1 || monthNumber > 12) throw badPeriod('month out of range (01–12)', text);
    return [daysFromCivil(year, monthNumber, 1), monthNumber === 12 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, monthNumber + 1, 1)];
  }
  const range = /^(\S+)\.\.(\S+)$/.exec(text);
  if (range) {
    const firstDay = parseIsoDate(range[1]);
    const lastDay = parseIsoDate(range[2]);
    if (Number.isNaN(firstDay) || Number.isNaN(lastDay)) throw badPeriod('date range needs two real yyyy-MM-dd dates', text);
    if (lastDay < firstDay) throw badPeriod('date range ends before it starts', text);
    return [firstDay, lastDay + 1];
  }
  throw badPeriod('period not understood', text);
}

/**
 * Parses `--periods` into the before and after periods.
 * @param timeZone IANA zone whose local midnights bound the periods; default UTC.
 * @example parsePeriods('2024-Q3,2024-Q4')[0].fromMs === Date.UTC(2024, 6, 1)
 */
export function parsePeriods(text: string, timeZone?: string): [Period, Period] {
  const parts = text.split(',').map((part) => part.trim());
  if (parts.length !== 2 || parts.some((part) => part === '')) throw badPeriod('exactly two periods are needed', text);
  const clock = timeZone !== undefined && timeZone !== 'UTC' ? makeZoneClock(timeZone) : null;
  const instant = (dayNumber: number): number => (clock ? clock.wallToUtcMs(dayNumber * DAY_MS) : dayNumber * DAY_MS);
  const [before, after] = parts.map((label): Period => {
    const [firstDay, dayAfterLast] = periodDays(label);
    return { label, fromMs: instant(firstDay), toMs: instant(dayAfterLast) };
  });
  if (before.fromMs < after.toMs && after.fromMs < before.toMs) throw badPeriod('the two periods overlap', text);
  return [before, after];
}

/**
 * 1 for each case in the period: `completed` = reached its outcome inside it (open cases never belong),
 * `started` = triggered inside it (open cases included; lead-time metrics use the closed ones).
 */
export function casesInPeriod(cases: CaseTimes, period: Pick<Period, 'fromMs' | 'toMs'>, by: PeriodBy): Uint8Array {
  const mask = new Uint8Array(cases.caseCount);
  for (let c = 0; c < cases.caseCount; c++) {
    const instantMs = by === 'completed' ? (cases.censored[c] === 1 ? NaN : cases.outcomeAt[c]) : cases.triggeredAt[c];
    if (instantMs >= period.fromMs && instantMs < period.toMs) mask[c] = 1;
  }
  return mask;
}
