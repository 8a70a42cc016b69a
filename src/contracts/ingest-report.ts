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
  /** OCEL: an event related to no object of the object type chosen as the case notion. */
  | 'not-related-to-object-type';

export interface RejectionExample {
  file: string;
  row: number;
  column?: string;
  value?: string;
  message: string;
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
}
