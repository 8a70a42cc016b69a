import type { HistoryEvidence } from '../contracts/ingest-report.js';

/**
 * The IngestReport accounts for every row read (DESIGN §2, docs/ingest-accounting.md):
 * rowsRead = rowsUsed + rowsRejected + rowsIgnored + duplicatesDropped, always.
 * A "row" is the source's change record (a CSV row, an XES/OCEL event, a Jira changelog item, a Zendesk audit event, …).
 * Rejected rows are broken (grouped by a stable reason code with up to EXAMPLES_PER_REASON examples each); ignored rows
 * are sound but not needed for the map (a priority change, a comment event), grouped by a readable reason.
 */
import type { IngestReport, RejectionExample, RejectionGroup, RejectionReason } from '../contracts/ingest-report.js';

/**
 * How the Zendesk reader's note on the Airbyte streams it does not use begins (cli/usable-events.ts quotes it in its
 * error). Here rather than in zendesk-records.ts, so that the check after every read loads no JSON reader.
 */
export const AIRBYTE_UNUSED_NOTE = 'Airbyte streams not used: ';

export const EXAMPLES_PER_REASON = 5;
/** Distinct ignore reasons kept by name; past this cap the rest are summed under IGNORED_OVERFLOW_REASON. */
export const IGNORED_REASONS_CAP = 100;
export const IGNORED_OVERFLOW_REASON = `other reasons (more than ${IGNORED_REASONS_CAP} distinct reasons)`;

// The report's shape is a contract that vsm and render read too, so it lives in src/contracts; re-exported here.
export type { IngestReport, RejectionExample, RejectionGroup, RejectionReason } from '../contracts/ingest-report.js';

/** The rows one chunk of a split CSV accounted for (csv-threaded), data rows numbered from 1 in the chunk. */
export interface ReportPart {
  rowsRead: number;
  rowsUsed: number;
  rowsRejected: number;
  rejections: Partial<Record<RejectionReason, RejectionGroup>>;
  offsetsSeen: string[];
  minTimestampMs: number;
  maxTimestampMs: number;
}

/** Mutable collector used by readers; `finish()` returns the plain IngestReport. */
export class IngestReportBuilder {
  rowsRead = 0;
  rowsUsed = 0;
  duplicatesDropped = 0;
  private rowsRejected = 0;
  private rowsIgnored = 0;
  private readonly ignoredByReason = new Map<string, number>();
  private readonly rejections: Partial<Record<RejectionReason, RejectionGroup>> = {};
  private readonly notes: string[] = [];
  private readonly offsetsSeen = new Set<string>();
  readonly lifecycleValues = new Map<string, number>();
  readonly mapping: Record<string, string> = {};
  readonly files: string[] = [];
  encoding?: string;
  delimiter?: string;
  timeZoneGiven?: string;
  timeZoneAssumed?: string;
  minTimestampMs = Infinity;
  maxTimestampMs = -Infinity;
  history?: HistoryEvidence;

  constructor(
    public format: string,
    public formatDetectedBy: string,
  ) {}

  reject(reason: RejectionReason, example: RejectionExample): void {
    this.rowsRejected++;
    let group = this.rejections[reason];
    if (!group) {
      group = { count: 0, examples: [] };
      this.rejections[reason] = group;
    }
    group.count++;
    if (group.examples.length < EXAMPLES_PER_REASON) {
      const value = example.value !== undefined && example.value.length > 200 ? `${example.value.slice(0, 200)}…` : example.value;
      group.examples.push({ ...example, value });
    }
  }

  /** Rows rejected so far for `reason`. */
  rejectedFor(reason: RejectionReason): number {
    return this.rejections[reason]?.count ?? 0;
  }

  get rejected(): number {
    return this.rowsRejected;
  }

  /** Counts `count` sound rows that the map does not need, under a readable reason (the row must already be counted as read). */
  ignore(reason: string, count = 1): void {
    if (count <= 0) return;
    this.rowsIgnored += count;
    const key = this.ignoredByReason.has(reason) || this.ignoredByReason.size < IGNORED_REASONS_CAP ? reason : IGNORED_OVERFLOW_REASON;
    this.ignoredByReason.set(key, (this.ignoredByReason.get(key) ?? 0) + count);
  }

  /** Reads one row and ignores it: the usual case for records of fields the map does not use. */
  readIgnored(reason: string, count = 1): void {
    this.rowsRead += count;
    this.ignore(reason, count);
  }

  /** Reads one row and rejects it. */
  readRejected(reason: RejectionReason, example: RejectionExample): void {
    this.rowsRead++;
    this.reject(reason, example);
  }

  get ignored(): number {
    return this.rowsIgnored;
  }

  note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  offsetSeen(offset: string): void {
    this.offsetsSeen.add(offset);
  }

  countLifecycle(value: string): void {
    this.lifecycleValues.set(value, (this.lifecycleValues.get(value) ?? 0) + 1);
  }

  seeTimestamp(timestampMs: number): void {
    if (timestampMs < this.minTimestampMs) this.minTimestampMs = timestampMs;
    if (timestampMs > this.maxTimestampMs) this.maxTimestampMs = timestampMs;
  }

  /** The row accounting of a reader that read one chunk (notes, mapping and lifecycle values are not in it). */
  part(): ReportPart {
    const { rowsRead, rowsUsed, rowsRejected, rejections, minTimestampMs, maxTimestampMs } = this;
    return { rowsRead, rowsUsed, rowsRejected, rejections, offsetsSeen: [...this.offsetsSeen], minTimestampMs, maxTimestampMs };
  }

  /**
   * Adds the next chunk's rows (chunks in file order), its rows renumbered by `rowOffset`: counts add up, and each
   * reason keeps the first EXAMPLES_PER_REASON examples of the whole file, its groups in order of first rejection.
   */
  absorb(part: ReportPart, rowOffset: number): void {
    this.rowsRead += part.rowsRead;
    this.rowsUsed += part.rowsUsed;
    this.rowsRejected += part.rowsRejected;
    for (const [reason, chunkGroup] of Object.entries(part.rejections) as [RejectionReason, RejectionGroup][]) {
      let group = this.rejections[reason];
      if (!group) {
        group = { count: 0, examples: [] };
        this.rejections[reason] = group;
      }
      group.count += chunkGroup.count;
      for (const example of chunkGroup.examples) {
        if (group.examples.length >= EXAMPLES_PER_REASON) break;
        // Already cut to 200 characters by the chunk's reject().
        group.examples.push({ ...example, row: example.row + rowOffset });
      }
    }
    for (const offset of part.offsetsSeen) this.offsetsSeen.add(offset);
    if (part.minTimestampMs < this.minTimestampMs) this.minTimestampMs = part.minTimestampMs;
    if (part.maxTimestampMs > this.maxTimestampMs) this.maxTimestampMs = part.maxTimestampMs;
  }

  finish(): IngestReport {
    const accounted = this.rowsUsed + this.rowsRejected + this.rowsIgnored + this.duplicatesDropped;
    if (accounted !== this.rowsRead) {
      throw new Error(
        `ingest accounting broken: read ${this.rowsRead} ≠ used ${this.rowsUsed} + rejected ${this.rowsRejected} + ignored ${this.rowsIgnored} + duplicates ${this.duplicatesDropped}`,
      );
    }
    return {
      format: this.format,
      formatDetectedBy: this.formatDetectedBy,
      files: [...this.files],
      encoding: this.encoding,
      delimiter: this.delimiter,
      mapping: { ...this.mapping },
      timeZone: { given: this.timeZoneGiven, assumed: this.timeZoneAssumed, offsetsSeen: [...this.offsetsSeen].sort() },
      rowsRead: this.rowsRead,
      rowsUsed: this.rowsUsed,
      rowsRejected: this.rowsRejected,
      rowsIgnored: this.rowsIgnored,
      ignored: Object.fromEntries([...this.ignoredByReason].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))),
      duplicatesDropped: this.duplicatesDropped,
      rejections: structuredClone(this.rejections),
      lifecycleValues: Object.fromEntries([...this.lifecycleValues].sort((a, b) => b[1] - a[1])),
      timeRange: Number.isFinite(this.minTimestampMs)
        ? { from: new Date(this.minTimestampMs).toISOString(), to: new Date(this.maxTimestampMs).toISOString() }
        : null,
      notes: [...this.notes],
      ...(this.history ? { history: structuredClone(this.history) } : {}),
    };
  }
}
