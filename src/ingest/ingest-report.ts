/**
 * The IngestReport accounts for every row read (DESIGN §2):
 * rowsRead = rowsUsed + rowsRejected + duplicatesDropped, always.
 * Rejections are grouped by a stable reason code with up to EXAMPLES_PER_REASON examples each.
 */
import type { IngestReport, RejectionExample, RejectionGroup, RejectionReason } from '../contracts/ingest-report.js';

export const EXAMPLES_PER_REASON = 5;

// The report's shape is a contract that vsm and render read too, so it lives in src/contracts; re-exported here.
export type { IngestReport, RejectionExample, RejectionGroup, RejectionReason } from '../contracts/ingest-report.js';

/** Mutable collector used by readers; `finish()` returns the plain IngestReport. */
export class IngestReportBuilder {
  rowsRead = 0;
  rowsUsed = 0;
  duplicatesDropped = 0;
  private rowsRejected = 0;
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

  get rejected(): number {
    return this.rowsRejected;
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

  finish(): IngestReport {
    const accounted = this.rowsUsed + this.rowsRejected + this.duplicatesDropped;
    if (accounted !== this.rowsRead) {
      throw new Error(`ingest accounting broken: read ${this.rowsRead} ≠ used ${this.rowsUsed} + rejected ${this.rowsRejected} + duplicates ${this.duplicatesDropped}`);
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
      duplicatesDropped: this.duplicatesDropped,
      rejections: structuredClone(this.rejections),
      lifecycleValues: Object.fromEntries([...this.lifecycleValues].sort((a, b) => b[1] - a[1])),
      timeRange: Number.isFinite(this.minTimestampMs)
        ? { from: new Date(this.minTimestampMs).toISOString(), to: new Date(this.maxTimestampMs).toISOString() }
        : null,
      notes: [...this.notes],
    };
  }
}
