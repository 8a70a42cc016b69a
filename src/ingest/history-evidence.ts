/**
 * What an API export says about its own completeness (DESIGN §7b), collected while reading and carried in the
 * IngestReport for the sufficiency check: does it hold status history at all, which change rows were not status /
 * owner changes (by field), which pages were saved and whether more exist, and the latest instant anywhere in it
 * (created / updated / audit times, not only status changes: the as-of instant).
 */
import type { HistoryEvidence } from '../contracts/ingest-report.js';
import type { IngestReportBuilder } from './ingest-report.js';
import { type ListLengths, describePagination, type PageMarker, pageMarkerOf, summarizePagination } from './pagination.js';

export type { HistoryEvidence } from '../contracts/ingest-report.js';

/** Collects HistoryEvidence during one read. */
export class HistoryEvidenceBuilder {
  statusHistory = true;
  private readonly ignored = new Map<string, number>();
  private readonly markers: PageMarker[] = [];
  private lastSeenMs = -Infinity;

  constructor(
    readonly source: string,
    public historyFix: string,
  ) {}

  /** A change row of a field that is neither status nor owner (nor flag). */
  ignoreField(name: string, count = 1): void {
    this.ignored.set(name, (this.ignored.get(name) ?? 0) + count);
  }

  get ignoredFields(): ReadonlyMap<string, number> {
    return this.ignored;
  }

  /** Looks for paging markers on one saved page (`lists`: item counts of lists handed out item by item). */
  seePage(value: unknown, lists?: ListLengths): void {
    const marker = pageMarkerOf(value, this.source, lists);
    if (marker) this.markers.push(marker);
  }

  /** Any readable timestamp of the export (NaN is ignored). */
  seeInstant(ms: number): void {
    if (Number.isFinite(ms) && ms > this.lastSeenMs) this.lastSeenMs = ms;
  }

  /** Sets `report.history` and notes each incomplete list of pages (so `vsm inspect` says it too). */
  applyTo(report: IngestReportBuilder): void {
    const evidence = this.finish();
    for (const summary of evidence.pagination) if (summary.incomplete) report.note(`pages missing: ${describePagination(summary, this.source)}`);
    report.history = evidence;
  }

  finish(): HistoryEvidence {
    return {
      statusHistory: this.statusHistory,
      historyFix: this.historyFix,
      ignoredFields: Object.fromEntries([...this.ignored].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))),
      pagination: summarizePagination(this.markers),
      lastSeenAt: Number.isFinite(this.lastSeenMs) ? new Date(this.lastSeenMs).toISOString() : null,
    };
  }
}
