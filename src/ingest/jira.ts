import { VsmError, quoteGot } from '../errors.js';
import { EventLogBuilder } from '../model/event-log.js';
import { HistoryEvidenceBuilder } from './history-evidence.js';
import { IngestReportBuilder } from './ingest-report.js';
import { type JsonDocument, documentWhere, fileStem, visitJsonInput } from './json-input.js';
import { asArray, asRecord, asString, describeJson } from './json-values.js';
import { isJiraIssueList, isJiraStatus, jsonSourceShape, wrongSourceError } from './json-shape.js';
import { timestampReader } from './timestamp-reader.js';
import type { ReadOptions, ReadResult } from './read-options.js';
import { BAD_VALUE, describeValue, itemValue, readStatusList } from './jira-items.js';
import { type ChangeField, StatusChangeCollector } from './status-changes.js';

/**
 * Jira adapter (FORMATS.md §1). Reads, from one file or a folder of pages:
 * - issues with `expand=changelog`: one issue, a search response `{issues:[…]}` (Cloud `/rest/api/3/search/jql`, Server/DC
 *   `/rest/api/2/search`), a bulk-fetch response, an array of issues, or JSON Lines of issues;
 * - paged changelogs `GET /issue/{key}/changelog` (`{values:[…], startAt, total, isLast}`), tied to their issue by an
 *   `issueKey`/`issueId` field on the page or by the issue key (or id) in the file name, e.g. `SP-10.changelog.2.json`;
 * - bulk changelogs `POST /changelog/bulkfetch` (`{issueChangeLogs:[{issueId, changeHistories:[…]}]}`).
 * Status items become status changes, `assignee` items owner changes (display names), `Flagged` items block/unblock.
 * Case id = issue key (ids only where no issue JSON gives the key). Every visit is kept, backward moves included.
 */
export function looksLikeJira(sample: unknown): boolean {
  return jsonSourceShape(sample) === 'jira';
}

const ISSUE_KEY_IN_NAME = /(?:^|[^A-Za-z0-9])([A-Z][A-Z0-9_]*-\d+)(?![0-9])/;
/** Jira returns at most this many histories embedded in an issue (Cloud); more need the paged changelog endpoint. */
const EMBEDDED_HISTORY_CAP = 100;

function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function nameOf(value: unknown): string | undefined {
  const record = asRecord(value);
  return record ? (asString(record.displayName) ?? asString(record.name) ?? asString(record.key)) : undefined;
}

interface JiraContext {
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

/** The fix for a Jira export without status history. */
export const JIRA_HISTORY_FIX =
  're-export the issues with expand=changelog (GET /rest/api/3/search/jql?jql=…&expand=changelog), or save GET /rest/api/3/issue/{key}/changelog for each issue next to this file';

function fieldOf(item: Record<string, unknown>): ChangeField | undefined {
  const field = (asString(item.field) ?? '').toLowerCase();
  const fieldId = (asString(item.fieldId) ?? '').toLowerCase();
  if (field === 'status' || fieldId === 'status') return 'status';
  if (field === 'assignee' || fieldId === 'assignee') return 'assignee';
  if (field === 'flagged') return 'flag';
  return undefined;
}

/** Adds the histories of one issue: sorted oldest-first by (created, id) so same-instant histories keep Jira's order. */
function addHistories(ctx: JiraContext, caseId: string, histories: unknown[], file: string): void {
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

function readIssue(ctx: JiraContext, issue: Record<string, unknown>, file: string): void {
  const key = asString(issue.key) ?? asString(issue.id) ?? '';
  if (key === '') {
    // No key and no id: nothing to name the case by. Its changes are rejected (counted), never silently dropped.
    ctx.report.note('some issues have neither "key" nor "id": their changes were rejected (missing-case)');
    addHistories(ctx, '', asArray(asRecord(issue.changelog)?.histories) ?? [], file);
    return;
  }
  if (issue.fields === null) ctx.report.note(`issue ${key} has "fields": null: no creation time or current status; only its changelog is read`);
  const fields = asRecord(issue.fields) ?? {};
  const id = asString(issue.id);
  if (id !== undefined) ctx.idToKey.set(id, key);
  const status = asRecord(fields.status);
  const statusName = asString(status?.name);
  const category = asString(asRecord(status?.statusCategory)?.key);
  if (statusName !== undefined) {
    ctx.statuses.add(statusName);
    if (category !== undefined) {
      ctx.builder.setStatusCategory(statusName, category);
      ctx.categorised.add(statusName);
    }
  }
  const createdText = asString(fields.created);
  const createdAtMs = createdText === undefined ? NaN : ctx.readTime(createdText);
  const resolvedText = asString(fields.resolutiondate);
  const resolvedAtMs = resolvedText === undefined ? NaN : ctx.readTime(resolvedText);
  const updatedAtMs = ctx.readTime(asString(fields.updated) ?? '');
  const categoryChangedAtMs = ctx.readTime(asString(fields.statuscategorychangedate) ?? '');
  for (const atMs of [createdAtMs, resolvedAtMs, updatedAtMs, categoryChangedAtMs]) ctx.evidence.seeInstant(atMs);
  if (createdText !== undefined && Number.isNaN(createdAtMs)) {
    ctx.report.note(`issue ${key} has an unreadable "created" time ${quoteGot(createdText)}; its first status starts at its first change`);
  }
  ctx.collector.addCase({
    caseId: key,
    createdAtMs: Number.isNaN(createdAtMs) ? undefined : createdAtMs,
    resolvedAtMs: Number.isNaN(resolvedAtMs) ? undefined : resolvedAtMs,
    doneNow: category === undefined ? undefined : category === 'done',
    currentStatus: statusName,
    currentAssignee: nameOf(fields.assignee),
    fileIndex: ctx.builder.addFile(file),
    sourceSeq: 0,
    attributes: {
      issueId: id,
      issuetype: nameOf(fields.issuetype),
      priority: nameOf(fields.priority),
      project: asString(asRecord(fields.project)?.key),
      // Free text typed by users: kept only as the case attribute `summary`; every report must escape it.
      summary: asString(fields.summary),
    },
  });
  const changelog = asRecord(issue.changelog);
  if (changelog) ctx.issuesWithChangelog++;
  else ctx.issuesWithoutChangelog++;
  const histories = asArray(changelog?.histories) ?? [];
  const total = Number(changelog?.total ?? histories.length);
  if (total > histories.length) ctx.truncated.set(key, { embedded: histories.length, total });
  addHistories(ctx, key, histories, file);
}

/** The issue a paged changelog belongs to: a field on the page, else the key or id in the file name. */
function pageCaseId(ctx: JiraContext, page: Record<string, unknown>, document: JsonDocument): string {
  const fromPage = asString(page.issueKey) ?? asString(page.key) ?? asString(page.issueId);
  if (fromPage !== undefined) return ctx.idToKey.get(fromPage) ?? fromPage;
  const stem = fileStem(document.file);
  const keyMatch = ISSUE_KEY_IN_NAME.exec(stem);
  if (keyMatch) return keyMatch[1];
  for (const id of stem.match(/\d+/g) ?? []) {
    const key = ctx.idToKey.get(id);
    if (key !== undefined) return key;
  }
  throw new VsmError({
    code: 'MISSING_COLUMN',
    what: 'changelog page does not say which issue it belongs to',
    where: documentWhere(document),
    got: describeJson(page),
    fix: 'name each page after its issue key (e.g. "SP-10.changelog.json", "SP-10.changelog.2.json") or add "issueKey" to it',
  });
}

/** One item of a search page's `issues` (or of an array of issues): an issue, or a damaged item counted as rejected. */
function readIssueItem(ctx: JiraContext, issue: unknown, index: number, file: string): void {
  ctx.issuesSeen++;
  const issueRecord = asRecord(issue);
  if (issueRecord) readIssue(ctx, issueRecord, file);
  else {
    ctx.report.readRejected('bad-record', { file, row: index + 1, column: 'issues', value: describeValue(issue), message: `issues[${index}] is ${describeValue(issue)}, not an issue: skipped` });
  }
}

/** A document after the items of its lists were handed out (`document.lists`: then `issues` holds only the first ones). */
function readDocument(ctx: JiraContext, document: JsonDocument, deferred: (() => void)[]): void {
  const value = document.value;
  const record = asRecord(value);
  ctx.evidence.seePage(value, document.lists);
  const issuesHandedOut = document.lists?.has('issues') === true;
  const issues = issuesHandedOut ? [] : record ? (asArray(record.issues) ?? (record.key !== undefined ? [record] : undefined)) : asArray(value);
  if (record && Array.isArray(record.values)) {
    deferred.push(() => {
      const caseId = pageCaseId(ctx, record, document);
      ctx.pagedCases.add(caseId);
      addHistories(ctx, caseId, record.values as unknown[], document.file);
    });
    return;
  }
  if (record && Array.isArray(record.issueChangeLogs)) {
    deferred.push(() => {
      for (const [index, entry] of (record.issueChangeLogs as unknown[]).entries()) {
        const log = asRecord(entry);
        if (!log) {
          ctx.report.readRejected('bad-record', { file: document.file, row: index + 1, column: 'issueChangeLogs', value: describeValue(entry), message: `issueChangeLogs[${index}] is ${describeValue(entry)}, not an object` });
          continue;
        }
        const issueId = asString(log.issueId) ?? '';
        const caseId = ctx.idToKey.get(issueId) ?? issueId;
        ctx.pagedCases.add(caseId);
        addHistories(ctx, caseId, asArray(log.changeHistories) ?? [], document.file);
      }
    });
    return;
  }
  const first = asRecord(asArray(value)?.[0]);
  if (!record && first && Array.isArray(first.items)) {
    // A bare array of histories (a changelog's `values` saved alone): tied to its issue by file name.
    deferred.push(() => {
      const caseId = pageCaseId(ctx, {}, document);
      ctx.pagedCases.add(caseId);
      addHistories(ctx, caseId, value as unknown[], document.file);
    });
    return;
  }
  if (!record && isJiraStatus(first)) {
    readStatusList(ctx.statusList, ctx.report, value as unknown[], documentWhere(document));
    return;
  }
  (issues ?? []).forEach((issue, index) => readIssueItem(ctx, issue, index, document.file));
}


function addNotes(ctx: JiraContext): void {
  const { report } = ctx;
  const truncated = [...ctx.truncated].filter(([key]) => !ctx.pagedCases.has(key));
  if (truncated.length > 0) {
    const examples = truncated.slice(0, 3).map(([key, n]) => `${key} ${n.embedded} of ${n.total}`).join(', ');
    report.note(
      `${truncated.length} issue${truncated.length === 1 ? '' : 's'} carry fewer change histories than Jira has (the embedded changelog holds at most ` +
        `${EMBEDDED_HISTORY_CAP}, newest first), so their oldest transitions are missing (${examples}); fix: save ` +
        `GET /rest/api/3/issue/{key}/changelog pages as "<KEY>.changelog.<n>.json" in a folder with this export and pass the folder`,
    );
  }
  const uncategorised = [...ctx.statuses].filter((status) => !ctx.categorised.has(status)).sort();
  if (uncategorised.length > 0) {
    report.note(
      `Jira gives a status category only for each issue's current status; ${uncategorised.length} other status${uncategorised.length === 1 ? ' is' : 'es are'} ` +
        `classed by name (${uncategorised.slice(0, 8).join(', ')}${uncategorised.length > 8 ? ', …' : ''}); set their class in the config if a guess is wrong`,
    );
  }
  for (const [name, count] of ctx.ignoredItems) ctx.evidence.ignoreField(name, count);
  if (ctx.ignoredItems.size > 0) {
    const list = [...ctx.ignoredItems].sort((a, b) => b[1] - a[1]).map(([name, n]) => `${name} ${n}`);
    report.note(`changelog items of other fields are not status, owner or flag changes and were not used: ${list.slice(0, 8).join(', ')}${list.length > 8 ? ', …' : ''}`);
  }
  if (ctx.ignoredItems.has('Workflow')) {
    report.note('some issues moved to another workflow (changelog "Workflow" items): a status name may mean a different step before and after the move');
  }
}

/** Reads a Jira export (file or folder) into a status-shaped EventLog. */
export async function readJira(path: string, options: ReadOptions): Promise<ReadResult> {
  const report = new IngestReportBuilder('jira', options.source === 'jira' ? 'flag' : 'sniffed');
  const builder = new EventLogBuilder('status');
  const ctx: JiraContext = {
    builder,
    report,
    collector: new StatusChangeCollector(builder, report),
    readTime: timestampReader(report, options.timeZone),
    idToKey: new Map(),
    categorised: new Set(),
    statuses: new Set(),
    ignoredItems: new Map(),
    truncated: new Map(),
    pagedCases: new Set(),
    statusList: new Map(),
    issuesSeen: 0,
    evidence: new HistoryEvidenceBuilder('jira', JIRA_HISTORY_FIX),
    issuesWithChangelog: 0,
    issuesWithoutChangelog: 0,
    nextSeq: 0,
  };
  Object.assign(report.mapping, { case: 'key', activity: 'changelog status toString', timestamp: 'histories[].created', resource: 'assignee displayName', block: 'Flagged' });
  const deferred: (() => void)[] = [];
  const skipped: string[] = [];
  let documents = 0;
  let firstSkipped: VsmError | undefined;
  // A search page's issues come one at a time (a large page is never held whole); the rest of each page after them.
  const files = await visitJsonInput(path, { onProgress: options.onProgress, limits: options.limits }, {
    lists: { keys: ['issues'], open: (_key, firstItems, where) => (isJiraIssueList(firstItems) ? (issue, index) => readIssueItem(ctx, issue, index, where.file) : undefined) },
    document: (document) => {
      documents++;
      if (looksLikeJira(document.value)) return readDocument(ctx, document, deferred);
      if (documents === 1) firstSkipped = wrongSourceError(document, 'jira', 'a Jira export');
      skipped.push(`skipped ${documentWhere(document)}: it ${describeShapeShort(document.value)}`);
    },
  });
  if (skipped.length === documents && firstSkipped) throw firstSkipped;
  for (const note of skipped) report.note(note);
  // Changelog pages after all issues, so ids in bulk changelogs resolve to keys.
  for (const run of deferred) run();
  if (ctx.issuesSeen === 0 && report.rowsRead === 0 && ctx.collector.caseCount === 0) {
    throw new VsmError({
      code: 'EMPTY_FILE',
      what: ctx.statusList.size > 0 ? 'the Jira input holds a status list but no issues' : 'the Jira export is empty',
      where: path,
      got: `0 issues and 0 changelog histories in ${documents} document${documents === 1 ? '' : 's'}`,
      fix: 'check the JQL of the search (it matched nothing?) and export again with expand=changelog',
    });
  }
  for (const [name, category] of ctx.statusList) {
    builder.setStatusCategory(name, category);
    ctx.categorised.add(name);
  }
  // A saved `/status` list categorises the statuses no issue is in now (the export gives only current ones).
  for (const [status, category] of Object.entries(options.statusCategories ?? {})) {
    if (!ctx.statuses.has(status) || ctx.categorised.has(status)) continue;
    builder.setStatusCategory(status, category);
    ctx.categorised.add(status);
  }
  // Issues but no changelog anywhere (search without expand=changelog): a current-state export, no status history.
  const currentStateOnly = ctx.issuesWithoutChangelog > 0 && ctx.issuesWithChangelog === 0 && ctx.pagedCases.size === 0;
  if (currentStateOnly) {
    ctx.evidence.statusHistory = false;
    builder.setStatusHistory(false);
    report.note(`${ctx.issuesWithoutChangelog} issues carry no changelog (the search was run without expand=changelog): lead time comes from fields.created → fields.resolutiondate; no step can be timed`);
  }
  ctx.collector.emit();
  addNotes(ctx);
  ctx.evidence.applyTo(report);
  report.files.push(...files);
  for (const file of files) builder.addFile(file);
  if (builder.eventCount === 0) {
    throw new VsmError({ code: 'NO_EVENTS', what: 'no status changes or issues with a creation time found', where: path, fix: 'export issues with expand=changelog' });
  }
  return { log: builder.build(), report: report.finish() };
}

function describeShapeShort(value: unknown): string {
  const shape = jsonSourceShape(value);
  return shape ? `looks like a ${shape} export` : `is not a Jira export (${describeJson(value)})`;
}
