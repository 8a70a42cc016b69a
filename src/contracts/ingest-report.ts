import type { PullProvenance } from '../model/pull-manifest.js';

/**
 * What a reader tells about its input (DESIGN §2): every row read is used, rejected with a reason, or dropped as
 * a duplicate, or ignored as not needed for the map — rowsRead = rowsUsed + rowsRejected + rowsIgnored +
 * duplicatesDropped, always (docs/ingest-accounting.md). Built by IngestReportBuilder in
 * src/ingest/ingest-report.ts; read by vsm (analyze) and render (the data-quality section) without importing ingest.
 */
export type RejectionReason =
  | 'missing-case'
  | 'missing-activity'
  | 'missing-timestamp'
  | 'bad-timestamp'
  | 'bad-start-timestamp'
  | 'ragged-row'
  | 'csv-syntax'
  | 'field-too-long'
  | 'bad-event'
  | 'not-a-status-change'
  | 'unknown-record'
  /** A null, number or array where the source has one record object (e.g. `issues[0] = null`). */
  | 'bad-record'
  /** A change item whose new value is missing or not text (a status change to null, an assignee given as an object). */
  | 'bad-value'
  /** A row holding NUL bytes (binary junk): one rule for the whole file (issue 11 #23). */
  | 'nul-byte'
  /** A row holding bytes that are not valid in the file's encoding (never decoded to U+FFFD and kept). */
  | 'bad-encoding'
  /** OCEL: an event related to no object of the object type chosen as the case notion. */
  | 'not-related-to-object-type';

export interface RejectionExample {
  file: string;
  /** The record's number in its file, from 1 (`recordAddress`). */
  row: number;
  column?: string;
  value?: string;
  message: string;
}

/**
 * Where a record is, for people: `file record N`. N counts the file's records from 1 — a CSV's data rows (the header not
 * counted, and a record may span lines), an XES file's events, a JSON source's items — so it is not a line number, and
 * it is not written `file:N`, which editors and other tools read as one (a line number is written `file:line:column`).
 * @example recordAddress('tickets.csv', 2) // 'tickets.csv record 2': the second data row, line 3 of a plain CSV
 */
export function recordAddress(file: string, row: number): string {
  return `${file} record ${row}`;
}

export interface RejectionGroup {
  count: number;
  examples: RejectionExample[];
}

export interface IngestReport {
  format: string;
  /** How the format was chosen: 'flag' (--source), 'extension', or 'sniffed' with what was seen. */
  formatDetectedBy: string;
  files: string[];
  encoding?: string;
  delimiter?: string;
  /** Canonical field → source column (or XES key / JSON path). */
  mapping: Record<string, string>;
  timeZone: { given?: string; assumed?: string; offsetsSeen: string[] };
  rowsRead: number;
  rowsUsed: number;
  rowsRejected: number;
  /** Sound rows not needed for the map (other fields, comment events); the sum of `ignored`. */
  rowsIgnored: number;
  /** Ignore reason ("not a status/owner change: field priority") → rows, most frequent first. */
  ignored: Record<string, number>;
  duplicatesDropped: number;
  rejections: Partial<Record<RejectionReason, RejectionGroup>>;
  /** Lifecycle value (source spelling) → count. */
  lifecycleValues: Record<string, number>;
  timeRange: { from: string; to: string } | null;
  /** Open questions and assumptions the user should see ("no time zone given; offset-less times read as UTC"). */
  notes: string[];
  /** Set when the input is a folder written by `vsm pull`: its source, query and as-of instant (from pull.json). */
  pull?: PullProvenance;
  /** API adapters: history coverage, ignored fields, paging and the latest instant (src/ingest/history-evidence.ts). */
  history?: HistoryEvidence;
}

/** One list of a paged export (src/ingest/pagination.ts): pages read and whether more exist. */
export interface PaginationSummary {
  scheme: string;
  itemsKey: string;
  marker: string;
  pagesRead: number;
  itemsRead: number;
  /** Highest page number read when the markers number pages. */
  lastPage?: number;
  /** Pages in the whole result set (about: from total ÷ page size). */
  pagesAbout?: number;
  totalItems?: number;
  /** About how many items the saved pages lack; undefined when the source gives no total. */
  itemsMissingAbout?: number;
  /** True when the markers say more pages exist than were read. */
  incomplete: boolean;
  inferred: boolean;
}

/** What an API export says about its own completeness (docs/incomplete-exports.md). */
export interface HistoryEvidence {
  /** False for a current-state export (no changelog / audits): only case fields and current statuses. */
  statusHistory: boolean;
  /** What to export instead to get status history (shown as the fix). */
  historyFix: string;
  /** Change rows of other fields, by field name: "ignored: not a status/owner change". */
  ignoredFields: Record<string, number>;
  pagination: PaginationSummary[];
  /** Latest timestamp anywhere in the export, ISO; null when none was readable. */
  lastSeenAt: string | null;
}
