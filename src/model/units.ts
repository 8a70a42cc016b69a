/** Units and their human forms. Durations are always carried in ms; text only at the edges. */
export const MS_PER_SECOND = 1000;
export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;
export const MS_PER_WEEK = 7 * MS_PER_DAY;

/** How to show days: calendar days (24 h), or working days of a business calendar (`workdayMs`, e.g. 8 h). */
export interface DurationFormat {
  /** Length of one working day in ms; when set, days are working days and shown as `wd`. */
  workdayMs?: number | null;
}

/**
 * Formats a duration for people: `2 d 4 h`, `3.2 h`, `12 m`, `45 s`, `0 s`; `—` for null/NaN.
 * Two units at most, so a map box stays short. Negative values keep their sign. On a business calendar
 * (`workdayMs`), days are working days: 36 working hours on an 8-hour day are `4 wd 4 h`.
 * @example formatDurationMs(187_200_000) // "2 d 4 h"
 */
export function formatDurationMs(ms: number | null | undefined, format: DurationFormat = {}): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const sign = ms < 0 ? '−' : '';
  const abs = Math.abs(ms);
  const dayMs = format.workdayMs && format.workdayMs > 0 ? format.workdayMs : MS_PER_DAY;
  const dayUnit = dayMs === MS_PER_DAY ? 'd' : 'wd';
  if (abs >= dayMs) {
    const days = Math.floor(abs / dayMs);
    const hours = Math.round((abs - days * dayMs) / MS_PER_HOUR);
    if (hours * MS_PER_HOUR >= dayMs) return `${sign}${groupThousands(days + 1)} ${dayUnit}`;
    return hours > 0 && days < 10 ? `${sign}${days} ${dayUnit} ${hours} h` : `${sign}${groupThousands(Math.round(abs / dayMs))} ${dayUnit}`;
  }
  if (abs >= MS_PER_HOUR) {
    const hours = abs / MS_PER_HOUR;
    return `${sign}${hours >= 10 ? Math.round(hours) : Math.round(hours * 10) / 10} h`;
  }
  if (abs >= MS_PER_MINUTE) return `${sign}${Math.round(abs / MS_PER_MINUTE)} m`;
  if (abs >= MS_PER_SECOND) return `${sign}${Math.round(abs / MS_PER_SECOND)} s`;
  if (abs === 0) return '0 s';
  return `${sign}${Math.round(abs)} ms`;
}

/** A formatter bound to one calendar's way of counting days (see `formatDurationMs`). */
export function makeDurationFormatter(format: DurationFormat): (ms: number | null | undefined) => string {
  return (ms) => formatDurationMs(ms, format);
}

/** Formats a ratio as a percentage: 0.3412 → "34 %", 0.0032 → "0.3 %". */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  const percent = ratio * 100;
  const digits = Math.abs(percent) < 10 && percent !== 0 ? 1 : 0;
  return `${percent.toFixed(digits)} %`;
}

/**
 * `value.toLocaleString('en-US')`, without Intl for safe integers: digits grouped by three with commas. The first
 * toLocaleString of a process loads ICU's number data (≈ 12 ms, every `vsm analyze` paid it for its summary line;
 * issue 14, start-up); anything else (fractions, −0, beyond 2^53) still goes through it.
 * @example groupThousands(1234567) // "1,234,567"
 */
export function groupThousands(value: number): string {
  if (!Number.isSafeInteger(value) || Object.is(value, -0)) return value.toLocaleString('en-US');
  const digits = String(value < 0 ? -value : value);
  let grouped = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let k = grouped.length; k < digits.length; k += 3) grouped += `,${digits.slice(k, k + 3)}`;
  return value < 0 ? `-${grouped}` : grouped;
}

/** Formats an integer count with thousands separators: 4580 → "4,580". */
export function formatCount(count: number): string {
  return groupThousands(Math.round(count));
}
