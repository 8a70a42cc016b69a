import type { EventLog } from '../model/event-log.js';
import type { IngestLimits } from './ingest-limits.js';
import type { IngestReport } from './ingest-report.js';
import type { InputDigest } from './input-digest.js';

export const SOURCE_KINDS = ['csv', 'xes', 'ocel', 'jira', 'zendesk', 'servicenow', 'salesforce', 'github', 'greenhouse', 'lever'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** Canonical fields a generic CSV is mapped to (flags `--case`, `--activity`, …). */
export interface ColumnMapping {
  case?: string;
  activity?: string;
  timestamp?: string;
  startTimestamp?: string;
  resource?: string;
  group?: string;
  lifecycle?: string;
}

export interface ReadOptions {
  /** Force a source kind; sniffed from the name and content when absent. */
  source?: SourceKind;
  mapping?: ColumnMapping;
  /** IANA zone for offset-less timestamps; without it they are read as UTC and the report says so. */
  timeZone?: string;
  /** date-fns format tokens for non-ISO timestamps, e.g. "dd/MM/yyyy HH:mm". */
  dateFormat?: string;
  /** Force a CSV delimiter (sniffed otherwise). */
  delimiter?: string;
  /** Force an input encoding: utf-8, utf-16le, utf-16be, latin1 (sniffed otherwise). */
  encoding?: string;
  /** Keep unmapped columns / attributes as event attributes (default true). */
  keepAttributes?: boolean;
  /**
   * CSV: `status` reads each row as "the case entered this status at this time" (a status-change export:
   * HR/ATS stage histories, ticket status logs); `activity` (default) reads rows as activity events.
   */
  shape?: 'activity' | 'status';
  /**
   * CSV: read as a wide stage-date table (one row per item, one date column per stage; `--wide`). Detected
   * without it when the header and first rows fit the rule in wide-csv-columns.ts.
   */
  wide?: boolean;
  /** OCEL: the object type whose objects become cases. */
  objectType?: string;
  /** Longest accepted field, in characters (default 1,000,000); longer fields reject their row. */
  maxFieldChars?: number;
  /**
   * CSV engine: 'auto' (default) uses the byte fast path for UTF-8 input and falls back to csv-parse for
   * anything it does not reproduce exactly; 'fast' insists on the fast path (BAD_OPTION if it cannot);
   * 'csv-parse' always uses csv-parse. Both give identical logs and reports.
   */
  csvEngine?: 'auto' | 'fast' | 'csv-parse';
  /**
   * Source status categories by status name (Jira `statusCategory.key`: new / indeterminate / done), e.g. from a
   * saved `GET /rest/api/2/status` list; used for statuses the export itself gives no category for.
   */
  statusCategories?: Record<string, string>;
  /**
   * CSV: what to do with rows identical to an earlier row in every kept column (same case, activity, time, …):
   * 'drop' (default) counts them in IngestReport.duplicatesDropped; 'keep' reads them as events, as PM4Py does.
   */
  duplicateRows?: 'drop' | 'keep';
  /**
   * CSV: reading large plain UTF-8 files on worker threads (csv-threaded.ts), opt-in: off unless `workers` (or
   * VSM_CSV_WORKERS) is given, since on two cores it cost about 40 % more CPU and did not finish sooner (docs/limits.md).
   * `false` turns it off; the fields override the environment (VSM_CSV_THREADS_MIN_BYTES, VSM_CSV_WORKERS,
   * VSM_CSV_CHUNK_BYTES) and the defaults (from 256 MiB up). The log and report are the one-thread read's either way.
   */
  csvThreads?: CsvThreadOptions | false;
  /** Caps on hostile input (gzip ratio, value lengths, CSV columns); defaults in docs/limits.md. */
  limits?: Partial<IngestLimits>;
  /** Called now and then with bytes consumed of the (compressed) input and its total size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /**
   * Hash the raw bytes as they are read (CSV and wide CSV readers): a read that saw the whole file records its sha256
   * in it (input-digest.ts). Absent (the default), nothing is hashed.
   */
  inputDigest?: InputDigest;
}

export interface CsvThreadOptions {
  /** Files from this many bytes up are split (default 256 MiB). */
  minBytes?: number;
  /** Worker threads besides the main thread, at most 8 (default 0: the file is read on one thread). */
  workers?: number;
  /**
   * Bytes the main thread reads itself, first, while the workers read the rest (default the share that lets it merge
   * theirs as they finish: 44 % of the file with one worker, 23 % with two, 12 % with three; none when that is under 8 MiB).
   */
  mainBytes?: number;
  /** Bytes per chunk (default file size / (4 × workers), between 8 and 64 MiB). */
  chunkBytes?: number;
  /** Run the chunk jobs on the main thread (tests: the same split and merge without workers). */
  inline?: boolean;
  /** Told how a split read went (tests, benchmarks): chunks merged, chunks read again, or why it read on one thread. */
  onOutcome?: (outcome: CsvThreadOutcome) => void;
}

export interface CsvThreadOutcome {
  workers: number;
  chunks: number;
  /** Chunks read again because the cut before them fell inside a quoted field. */
  rereads: number;
  /** Set when the split read gave up and the file was read on one thread. */
  fallback?: string;
}

export interface ReadResult {
  log: EventLog;
  report: IngestReport;
}
