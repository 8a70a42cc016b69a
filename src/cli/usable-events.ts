import { VsmError } from '../errors.js';
import { AIRBYTE_UNUSED_NOTE, type IngestReport, type RejectionReason } from '../ingest/ingest-report.js';
import type { ReadResult } from '../ingest/read-options.js';
import { clampedIntervalsProblem } from '../traces/reconstruct.js';
import { recordAddress } from '../contracts/ingest-report.js';

/** How many rejection reasons the "no usable event" message lists (largest first). */
const REASONS_SHOWN = 3;

/** The one thing to try first for each rejection reason, when it is the largest. */
const FIX_BY_REASON: Partial<Record<RejectionReason, string>> = {
  'bad-timestamp': 'pass --date-format with the pattern of the timestamp column (e.g. --date-format "dd/MM/yyyy HH:mm"), or map another column with --timestamp',
  'bad-start-timestamp': 'pass --date-format with the pattern of the start column, or map another column with --start-timestamp',
  'missing-timestamp': 'map the timestamp column with --timestamp',
  'missing-case': 'map the case column with --case',
  'missing-activity': 'map the activity column with --activity',
  'not-related-to-object-type': 'pass --object-type with another object type (vsm inspect lists them)',
};

/** "bad-timestamp 3 (row 2 "31/02"), missing-case 1 (row 7)": the largest rejection groups with one example each. */
export function topRejections(report: IngestReport, limit = REASONS_SHOWN): string {
  const groups = Object.entries(report.rejections)
    .filter((entry): entry is [string, NonNullable<(typeof entry)[1]>] => entry[1] !== undefined)
    .sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit);
  return groups
    .map(([reason, group]) => {
      const example = group.examples[0];
      const at = example ? ` (${recordAddress(example.file, example.row)}${example.column ? ` column "${example.column}"` : ''}${example.value !== undefined ? ` "${example.value.slice(0, 40)}"` : ''})` : '';
      return `${reason} ${group.count.toLocaleString('en-US')}${at}`;
    })
    .join(', ');
}

/**
 * Refuses a log with no usable event (issue 11 item 14): every row rejected (all timestamps unparseable, a wrong
 * --date-format, an OCEL log with no event of the case object type) is bad input, exit 2, with the top rejection
 * reasons — never an empty "0 cases" report that exits 0.
 */
export function assertUsableEvents(read: { log: Pick<ReadResult['log'], 'eventCount'>; report: IngestReport }, file: string): void {
  if (read.log.eventCount > 0) return;
  const { rowsRead, rowsRejected } = read.report;
  const largest = Object.entries(read.report.rejections).sort((a, b) => (b[1]?.count ?? 0) - (a[1]?.count ?? 0))[0]?.[0] as RejectionReason | undefined;
  const history = read.report.history;
  // An API export without status history (a ticket list, metrics, other streams) has no change record to read.
  if (rowsRejected === 0 && history?.statusHistory === false) {
    throw new VsmError({
      code: 'NO_EVENTS',
      what: 'no usable event in the log',
      where: file,
      got: `${rowsRead.toLocaleString('en-US')} change records: the export holds no status history${unusedNote(read.report)}`,
      fix: history.historyFix,
    });
  }
  throw new VsmError({
    code: 'NO_EVENTS',
    what: 'no usable event in the log',
    where: file,
    got: rowsRejected > 0 ? `${rowsRead.toLocaleString('en-US')} rows read, all rejected: ${topRejections(read.report)}` : `${rowsRead.toLocaleString('en-US')} rows read, none with a case, activity and timestamp`,
    fix: (largest && FIX_BY_REASON[largest]) ?? 'run vsm inspect on the file to see the mapping and the rejections',
  });
}

/** "; Airbyte streams not used: automations 1, …" from the reader's notes, when it wrote one. */
function unusedNote(report: IngestReport): string {
  const note = report.notes.find((text) => text.startsWith(AIRBYTE_UNUSED_NOTE));
  return note === undefined ? '' : ` (${note})`;
}

/** Why `--strict` exits 1, in one line for stderr; null when nothing under --strict is wrong (ingest null: no file was read, as with --engine clickhouse). */
export function strictFailureReason(dataQuality: { rowsRejected: number; clampedNegativeIntervals: number }, ingest: IngestReport | null): string | null {
  const parts: string[] = [];
  if (dataQuality.rowsRejected > 0) parts.push(`${dataQuality.rowsRejected.toLocaleString('en-US')} ${dataQuality.rowsRejected === 1 ? 'row' : 'rows'} rejected${ingest === null ? '' : ` (${topRejections(ingest)})`}`);
  if (dataQuality.clampedNegativeIntervals > 0) parts.push(clampedIntervalsProblem(dataQuality.clampedNegativeIntervals));
  return parts.length === 0 ? null : `--strict: exit 1 because ${parts.join(' and ')}; see the data-quality section of the report`;
}
