import { type EventInput, EventLogBuilder } from '../model/event-log-builder.js';
import { IngestReportBuilder } from './ingest-report.js';

/**
 * The common target of the status-change adapters (FORMATS.md §0): one canonical change per field change,
 * turned into `enter` / `owner` / `block` / `unblock` events of a status-shaped EventLog.
 *
 * Rules (DESIGN §3, FORMATS.md §0):
 * - changes are ordered by (timestamp, source sequence), never by file order;
 * - the first status is seeded at the case's creation time with the `from` value of the first status change
 *   (or the current status when the case never changed);
 * - every visit is kept (backward moves are rework, not erased);
 * - an exact repeat of a change (same case, field, time, from, to) is an overlapping page: dropped and counted.
 */
export type ChangeField = 'status' | 'assignee' | 'group' | 'flag';

export interface CanonicalChange {
  caseId: string;
  atMs: number;
  field: ChangeField;
  from?: string | null;
  to?: string | null;
  /** Who made the change (not the owner). */
  actor?: string;
  /** Position in the source, for stable ordering and messages. */
  sourceSeq: number;
  fileIndex: number;
}

export interface AddChangeOptions {
  /**
   * false when the reader accounts for its rows itself: snapshot rows and merged rows (ServiceNow hold_reason,
   * Salesforce owner id rows) do not map one-to-one onto changes. Default true.
   */
  countRow?: boolean;
}

export interface CaseSnapshot {
  caseId: string;
  createdAtMs?: number;
  /** The case's resolution field (Jira `resolutiondate`, Zendesk `solved_at`): lead time of current-state exports. */
  resolvedAtMs?: number;
  /** The source says the case is closed now (its current status is done-class), with or without a resolution time. */
  doneNow?: boolean;
  /** The adapter knows the history was cut before this case's first recorded change (e.g. no "created" row). */
  historyAfterCreation?: boolean;
  /** Current values, used when a field never changed. */
  currentStatus?: string;
  currentAssignee?: string;
  currentGroup?: string;
  /** Extra case attributes (issue type, priority, …). */
  attributes?: Record<string, string | undefined>;
  /** Where the case was read, for the seed event's address. */
  fileIndex?: number;
  sourceSeq?: number;
}

/** A flag value that means "cleared" (Jira writes "" or null). */
function isCleared(value: string | null | undefined): boolean {
  return value === undefined || value === null || value === '';
}

/** Up to this many changes a case is checked for exact repeats by a scan; past it through a set of keys. */
const SCAN_REPEATS_UP_TO = 16;

/** The identity of a change for the repeat check: case (implied), field, time, from and to. */
function repeatKey(change: CanonicalChange): string {
  return `${change.field}\u0000${change.atMs}\u0000${change.from ?? ''}\u0000${change.to ?? ''}`;
}

function isSameChange(a: CanonicalChange, b: CanonicalChange): boolean {
  return a.atMs === b.atMs && a.field === b.field && (a.from ?? '') === (b.from ?? '') && (a.to ?? '') === (b.to ?? '');
}

export class StatusChangeCollector {
  /**
   * The changes of each case in the order added. Lean on purpose (a 1.5 M-issue Jira page keeps millions): no key
   * string per change; a case's repeats are found by scanning its few changes, or through `repeatKeys` past that.
   */
  private readonly changesByCase = new Map<string, CanonicalChange[]>();
  private readonly repeatKeys = new Map<string, Set<string>>();
  private readonly cases = new Map<string, CaseSnapshot>();

  constructor(
    readonly builder: EventLogBuilder,
    readonly report: IngestReportBuilder,
  ) {}

  /** Registers or completes a case (first values win except where later ones fill gaps). */
  addCase(snapshot: CaseSnapshot): void {
    const existing = this.cases.get(snapshot.caseId);
    if (!existing) {
      this.cases.set(snapshot.caseId, { ...snapshot });
      return;
    }
    for (const key of Object.keys(snapshot) as (keyof CaseSnapshot)[]) {
      if (existing[key] === undefined && snapshot[key] !== undefined) {
        (existing as unknown as Record<string, unknown>)[key] = snapshot[key];
      }
    }
  }

  /** Cases registered so far (by snapshot or by a change). */
  get caseCount(): number {
    return this.cases.size;
  }

  /**
   * Adds one change read from the source; counts it as a row read. Exact repeats (overlapping pages)
   * count as duplicates dropped. Returns false for such a repeat, and for a status change that names no status
   * (rejected as `bad-value`: it would be "used" yet produce no event).
   */
  addChange(change: CanonicalChange, { countRow = true }: AddChangeOptions = {}): boolean {
    if (countRow) this.report.rowsRead++;
    if (change.field === 'status' && (change.to === undefined || change.to === null || change.to === '')) {
      if (countRow) {
        this.report.reject('bad-value', {
          file: this.builder.files[change.fileIndex] ?? '',
          row: change.sourceSeq,
          column: 'to',
          value: change.to === '' ? '' : 'null',
          message: `status change of ${change.caseId} names no status entered`,
        });
      }
      return false;
    }
    let list = this.changesByCase.get(change.caseId);
    if (list !== undefined && this.isRepeat(change, list)) {
      if (countRow) this.report.duplicatesDropped++;
      return false;
    }
    if (countRow) this.report.rowsUsed++;
    this.report.seeTimestamp(change.atMs);
    if (!this.cases.has(change.caseId)) this.cases.set(change.caseId, { caseId: change.caseId });
    if (list === undefined) this.changesByCase.set(change.caseId, (list = []));
    list.push(change);
    return true;
  }

  /** Whether `change` repeats one of `list` (its case's changes so far); remembers its key once the case is long. */
  private isRepeat(change: CanonicalChange, list: CanonicalChange[]): boolean {
    if (list.length < SCAN_REPEATS_UP_TO) return list.some((other) => isSameChange(other, change));
    let keys = this.repeatKeys.get(change.caseId);
    if (keys === undefined) this.repeatKeys.set(change.caseId, (keys = new Set(list.map(repeatKey))));
    const key = repeatKey(change);
    if (keys.has(key)) return true;
    keys.add(key);
    return false;
  }

  /** Emits the events into the builder. Call once, after all pages were read. */
  emit(): void {
    this.repeatKeys.clear();
    for (const [caseId, snapshot] of this.cases) {
      const list = (this.changesByCase.get(caseId) ?? []).sort(
        (a, b) => a.atMs - b.atMs || a.fileIndex - b.fileIndex || a.sourceSeq - b.sourceSeq,
      );
      // Emitted changes are in the builder now: let them go as the builder grows.
      this.changesByCase.delete(caseId);
      this.emitCase(snapshot, list);
    }
  }

  private emitCase(snapshot: CaseSnapshot, changes: CanonicalChange[]): void {
    const firstOf = (field: ChangeField) => changes.find((c) => c.field === field);
    const firstStatus = firstOf('status');
    const firstAssignee = firstOf('assignee');
    const firstGroup = firstOf('group');
    let status = firstStatus ? (firstStatus.from ?? undefined) : snapshot.currentStatus;
    let assignee = firstAssignee ? (firstAssignee.from ?? undefined) : snapshot.currentAssignee;
    let group = firstGroup ? (firstGroup.from ?? undefined) : snapshot.currentGroup;
    const createdAtMs = snapshot.createdAtMs ?? changes[0]?.atMs;
    const seedFile = snapshot.fileIndex ?? changes[0]?.fileIndex ?? 0;
    const seedSeq = snapshot.sourceSeq ?? 0;
    const firstFrom = firstStatus?.from ?? '';
    // History starting after creation (DESIGN §7b left-censoring): the status before the first change is unknown, or
    // the first change has a `from` but no creation time anchors it; such a case is never given a lead time.
    const historyAfterCreation =
      snapshot.historyAfterCreation === true ||
      (firstStatus !== undefined &&
      ((snapshot.createdAtMs === undefined && firstFrom !== '') || (snapshot.createdAtMs !== undefined && firstFrom === '' && firstStatus.atMs > snapshot.createdAtMs)));
    if (createdAtMs !== undefined) this.builder.setCaseEvidence(snapshot.caseId, {
      createdAtMs: snapshot.createdAtMs,
      resolvedAtMs: snapshot.resolvedAtMs,
      doneNow: snapshot.doneNow,
      historyAfterCreation,
    });
    if (snapshot.attributes) {
      for (const [name, value] of Object.entries(snapshot.attributes)) {
        if (value !== undefined && value !== '') this.builder.setCaseAttribute(snapshot.caseId, name, value);
      }
    }
    if (createdAtMs === undefined) {
      this.report.note(`case ${snapshot.caseId} has no creation time and no changes: it has no events`);
      return;
    }
    if (status === undefined || status === '') {
      // A first change with no `from` at the creation instant (Zendesk `Create`, a warehouse table's first row) loses nothing.
      if (firstStatus && firstStatus.atMs > createdAtMs) this.report.note(`the first status change of some cases has no "from" value: their time before it is not measured (e.g. ${snapshot.caseId})`);
    } else {
      this.report.seeTimestamp(createdAtMs);
      this.builder.push({
        caseId: snapshot.caseId,
        activity: status,
        timestampMs: Math.min(createdAtMs, changes[0]?.atMs ?? createdAtMs),
        lifecycle: 'enter',
        resource: assignee,
        group,
        fileIndex: seedFile,
        sourceRow: seedSeq,
      });
    }
    // One event object and two attribute objects for every change of the case: push() copies what it reads, and
    // millions of short-lived objects here made the heap balloon at the end of a large read.
    const event: EventInput = { caseId: snapshot.caseId, activity: '', timestampMs: 0, lifecycle: 'enter', resource: undefined, group: undefined, fileIndex: 0, sourceRow: 0, attributes: undefined };
    const byActor: Record<string, string | undefined> = { actor: undefined };
    const flagged: Record<string, string | undefined> = { actor: undefined, flag: undefined };
    for (const change of changes) {
      const to = change.to ?? undefined;
      event.timestampMs = change.atMs;
      event.fileIndex = change.fileIndex;
      event.sourceRow = change.sourceSeq;
      byActor.actor = change.actor;
      event.attributes = byActor;
      switch (change.field) {
        case 'status':
          status = to;
          if (to === undefined || to === '') continue;
          event.activity = to;
          event.lifecycle = 'enter';
          break;
        case 'assignee':
          assignee = to;
          event.activity = status ?? '';
          event.lifecycle = 'owner';
          break;
        case 'group':
          group = to;
          event.activity = status ?? '';
          event.lifecycle = 'owner';
          break;
        case 'flag':
          event.activity = status ?? '';
          event.lifecycle = isCleared(change.to) ? 'unblock' : 'block';
          flagged.actor = change.actor;
          flagged.flag = to;
          event.attributes = flagged;
          break;
      }
      event.resource = assignee;
      event.group = group;
      this.builder.push(event);
    }
  }
}
