/**
 * Flags every measuring command (analyze, compare, simulate) shares: which config, which calendar and holidays,
 * and where open cases are censored. One declaration and one parse, so the commands cannot drift apart.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseCalendarOption } from '../calendar/calendar-option.js';
import type { CalendarSpec } from '../calendar/calendar-spec.js';
import { loadHolidays } from '../calendar/holidays.js';
import { VsmError } from '../errors.js';
import type { VsmConfig } from '../model/config-schema.js';

export interface LogScopeFlags {
  config?: string;
  calendar?: string;
  holidays?: string;
  asOf?: string;
}

export interface LogScope {
  config: VsmConfig | undefined;
  calendar: CalendarSpec | undefined;
  asOfMs: number | undefined;
}

/** Adds --config, --calendar, --holidays and --as-of (in that order); `calendarHelp` is the command's own --calendar help text. */
export function addLogScopeFlags(command: Command, calendarHelp: string): Command {
  return command
    .option('--config <file>', 'vsm.config.json: steps, status classes, owners, calendar, done condition')
    .option('--calendar <spec>', calendarHelp)
    .option('--holidays <file>', 'holiday dates (one yyyy-MM-dd per line) for the business calendar')
    .option('--as-of <instant>', 'censor open cases at this instant (default: the last event in the log)');
}

/**
 * Config, calendar and as-of instant from the flags, checked in that order. The config loader (and with it zod and
 * the config schema) is imported only for --config: a run without one loads neither (issue 14, start-up).
 */
export async function logScopeFromFlags(flags: LogScopeFlags): Promise<LogScope> {
  const config = flags.config ? (await import('./config-file.js')).loadConfig(flags.config) : undefined;
  const calendar = calendarFromFlags(flags);
  const asOfMs = parseAsOf(flags.asOf);
  return { config, calendar, asOfMs };
}

/** Calendar from --calendar and --holidays (a file of ISO dates), else the config's, else 24x7. */
export function calendarFromFlags(flags: Pick<LogScopeFlags, 'calendar' | 'holidays'>): CalendarSpec | undefined {
  if (!flags.calendar) {
    if (flags.holidays) throw new VsmError({ code: 'BAD_OPTION', what: '--holidays needs a business calendar', where: 'flag --holidays', fix: 'add --calendar "Europe/Berlin Mon-Fri 09:00-17:00"' });
    return undefined;
  }
  const spec = parseCalendarOption(flags.calendar);
  if (!flags.holidays || spec.kind !== 'business') return spec;
  let text: string;
  try {
    text = readFileSync(flags.holidays, 'utf8');
  } catch {
    throw new VsmError({ code: 'FILE_NOT_FOUND', what: 'holiday file not found', where: flags.holidays, fix: 'pass a file with one ISO date (yyyy-MM-dd) per line' });
  }
  return { ...spec, holidays: loadHolidays(text, flags.holidays) };
}

/** --as-of as epoch ms; undefined when the flag is absent. */
export function parseAsOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const asOfMs = Date.parse(text);
  if (!Number.isFinite(asOfMs)) {
    throw new VsmError({ code: 'BAD_OPTION', what: 'as-of instant not parseable', where: 'flag --as-of', got: `"${text}"`, fix: 'pass an ISO date or instant, e.g. 2024-09-30 or 2024-09-30T23:59:59Z' });
  }
  return asOfMs;
}
