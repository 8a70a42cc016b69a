import { makeDurationFormatter } from '../model/units.js';
import type { ReportJson } from '../contracts/report-schema.js';

/** Formats a duration the way this report counts time (calendar days, or working days `wd` on a business calendar). */
export type FormatDuration = (ms: number | null | undefined) => string;

export function durationFormatFor(calendar: Pick<ReportJson['calendar'], 'workdayMs'>): FormatDuration {
  return makeDurationFormatter({ workdayMs: calendar.workdayMs });
}
