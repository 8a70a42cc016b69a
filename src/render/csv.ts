import { MS_PER_HOUR } from '../model/units.js';
import type { ReportJson } from '../contracts/report-schema.js';
import { csvCell } from './escape.js';
import { durationFormatFor } from './duration.js';
import { stepColumns, tableSteps } from './step-table.js';

/**
 * steps.csv: one row a step in map order; every duration twice, in ms (exact, as in report.json) and in
 * hours (rounded to 0.001 h for spreadsheets). RFC 4180 quoting, CRLF line ends, formula-injection guard.
 */
export function renderStepsCsv(report: ReportJson): string {
  const columns = stepColumns(durationFormatFor(report.calendar));
  const headers = columns.flatMap((column) => (column.isDurationMs ? [`${column.csvHeader}_ms`, `${column.csvHeader}_hours`] : [column.csvHeader]));
  const lines = [headers.map(csvCell).join(',')];
  for (const step of tableSteps(report)) {
    const cells = columns.flatMap((column) => {
      const raw = column.raw(step);
      if (!column.isDurationMs) return [csvCell(raw)];
      const hours = typeof raw === 'number' ? Math.round((raw / MS_PER_HOUR) * 1000) / 1000 : null;
      return [csvCell(raw), csvCell(hours)];
    });
    lines.push(cells.join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
