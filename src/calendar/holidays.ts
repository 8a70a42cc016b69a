/**
 * Holiday files for a business calendar: one ISO date (yyyy-MM-dd) per line with `#` comments and blank lines,
 * or a JSON array of such dates. A line may carry a name after the date ("2024-12-25 Christmas Day").
 */
import { VsmError, quoteGot } from '../errors.js';
import { parseIsoDate } from './civil-date.js';

const FIX = 'write one date per line as yyyy-MM-dd (e.g. 2024-12-25), optionally followed by a name; # starts a comment';

function badDate(where: string, got: string): never {
  throw new VsmError({ code: 'BAD_CALENDAR', what: 'holiday date not understood', where, got: quoteGot(got), fix: FIX });
}

/**
 * Reads a holiday file's text into sorted, de-duplicated ISO dates. `where` names the file for messages.
 * @example loadHolidays('# Berlin\n2024-12-25 Christmas\n2024-12-26\n', 'holidays.txt') // ['2024-12-25', '2024-12-26']
 */
export function loadHolidays(fileText: string, where: string): string[] {
  const text = fileText.replace(/^\uFEFF/, '');
  const dates = text.trimStart().startsWith('[') ? datesFromJson(text, where) : datesFromLines(text, where);
  return [...new Set(dates)].sort();
}

function datesFromJson(text: string, where: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new VsmError({
      code: 'BAD_CALENDAR',
      what: 'holiday file is not valid JSON',
      where,
      got: quoteGot(error instanceof Error ? error.message : String(error)),
      fix: 'use a JSON array of "yyyy-MM-dd" strings, or one date per line',
    });
  }
  if (!Array.isArray(parsed)) badDate(where, text.slice(0, 40));
  return parsed.map((entry: unknown, index: number) => {
    if (typeof entry !== 'string' || Number.isNaN(parseIsoDate(entry.trim()))) badDate(`${where} [${index}]`, JSON.stringify(entry) ?? String(entry));
    return entry.trim();
  });
}

function datesFromLines(text: string, where: string): string[] {
  const dates: string[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const content = line.replace(/#.*/, '').trim();
    if (content === '') return;
    const date = content.split(/[\s,;]+/)[0];
    if (Number.isNaN(parseIsoDate(date))) badDate(`${where}:${index + 1}`, line.trim());
    dates.push(date);
  });
  return dates;
}
