/**
 * The Jira reading context and the change histories of one issue (FORMATS.md §1): each history's status, assignee and
 * Flagged items become status, owner and block changes in Jira's own order; other fields are counted as ignored, damaged
 * histories and items as rejected rows.
 */
import type { EventLogBuilder } from '../model/event-log-builder.js';
import type { HistoryEvidenceBuilder } from './history-evidence.js';
import type { IngestReportBuilder } from './ingest-report.js';
import { BAD_VALUE, describeValue, itemValue } from './jira-items.js';
import { asArray, asRecord, asString } from './json-values.js';
import type { ChangeField, StatusChangeCollector } from './status-changes.js';

function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

export function nameOf(value: unknown): string | undefined {
  const record = asRecord(value);
  return record ? (asString(record.displayName) ?? asString(record.name) ?? asString(record.key)) : undefined;
}

export interface JiraContext {
  readonly builder: EventLogBuilder;
  readonly report: IngestReportBuilder;
  readonly collector: StatusChangeCollector;
  readonly readTime: (text: string) => number;
  readonly idToKey: Map<string, string>;
  readonly categorised: Set<string>;
  readonly statuses: Set<string>;
  readonly ignoredItems: Map<string, number>;
  readonly truncated: Map<string, { embedded: number; total: number }>;
  readonly pagedCases: Set<string>;
  /** Status name → category key from a `/rest/api/2/status` list in the input (applied last: it is Jira's own table). */
  readonly statusList: Map<string, string>;
  /** Issue records met (bad ones included): zero with zero rows means the export is empty. */
  issuesSeen: number;
  readonly evidence: HistoryEvidenceBuilder;
  /** Issues read with / without an embedded `changelog` (without: a current-state export). */
  issuesWithChangelog: number;
  issuesWithoutChangelog: number;
  nextSeq: number;
}
function fieldOf(item: Record<string, unknown>): ChangeField | undefined {
  const field = (asString(item.field) ?? '').toLowerCase();
  const fieldId = (asString(item.fieldId) ?? '').toLowerCase();
  if (field === 'status' || fieldId === 'status') return 'status';
  if (field === 'assignee' || fieldId === 'assignee') return 'assignee';
  if (field === 'flagged') return 'flag';
  return undefined;
}

/** Adds the histories of one issue: sorted oldest-first by (created, id) so same-instant histories keep Jira's order. */
export function addHistories(ctx: JiraContext, caseId: string, histories: unknown[], file: string): void {
  const fileIndex = ctx.builder.addFile(file);
  const parsed: { record: Record<string, unknown>; createdText: string; atMs: number; id: number; position: number }[] = [];
  histories.forEach((history, position) => {
    const record = asRecord(history);
    if (!record) {
      // A damaged history (null, a number): one row read and rejected, the other histories still count.
      ctx.report.readRejected('bad-record', { file, row: position + 1, column: 'histories', message: `history ${position + 1} of ${caseId || 'an issue'} is ${describeValue(history)}, not an object` });
      return;
    }
    const createdText = asString(record.created) ?? '';
    const atMs = ctx.readTime(createdText);
    ctx.evidence.seeInstant(atMs);
    parsed.push({ record, createdText, atMs, id: Number(asString(record.id) ?? NaN), position });
  });
  parsed.sort((a, b) => (a.atMs - b.atMs || a.id - b.id || a.position - b.position) || 0);
  for (const history of parsed) {
    const actor = nameOf(history.record.author);
    for (const rawItem of asArray(history.record.items) ?? []) {
      const item = asRecord(rawItem);
      const where = { file, row: history.position + 1 };
      if (!item) {
        ctx.report.readRejected('bad-record', { ...where, column: 'items', message: `a change item of ${caseId || 'an issue'} is ${describeValue(rawItem)}, not an object` });
        continue;
      }
      const field = fieldOf(item);
      if (field === undefined) {
        const name = asString(item.field) ?? '(no field)';
        ctx.ignoredItems.set(name, (ctx.ignoredItems.get(name) ?? 0) + 1);
        ctx.report.readIgnored(`not a status/owner change: field ${name}`);
        continue;
      }
      if (caseId === '') {
        ctx.report.readRejected('missing-case', { ...where, column: 'key', message: `a ${field} change of an issue with neither "key" nor "id"` });
        continue;
      }
      const sourceSeq = ++ctx.nextSeq;
      if (Number.isNaN(history.atMs)) {
        ctx.report.rowsRead++;
        ctx.report.reject('bad-timestamp', {
          file,
          row: history.position + 1,
          column: 'created',
          value: history.createdText,
          message: `history ${asString(history.record.id) ?? '?'} of ${caseId} has no readable "created" time`,
        });
        continue;
      }
      const from = itemValue(item, 'fromString');
      const to = itemValue(item, 'toString');
      if (from === BAD_VALUE || to === BAD_VALUE || (field === 'status' && (to === null || to === ''))) {
        // A status change must name the status entered; an owner/flag change may clear (null) but not carry an object.
        const column = to === BAD_VALUE || field === 'status' ? 'toString' : 'fromString';
        const got = describeValue(own(item, column));
        ctx.report.readRejected('bad-value', { ...where, column, value: got, message: `${field} change of ${caseId} with ${column} ${got}: no ${field} to enter` });
        continue;
      }
      if (field === 'status') {
        if (from) ctx.statuses.add(from);
        if (to) ctx.statuses.add(to);
      }
      ctx.collector.addChange({ caseId, atMs: history.atMs, field, from, to, actor, sourceSeq, fileIndex });
    }
  }
}
