/**
 * The Jira documents (FORMATS.md §1): an issue (its case fields, current status and embedded changelog), a search
 * page's issues one by one, and the pages read after every issue — paged and bulk changelogs, tied to their issue by a
 * field on the page or the issue key in the file name — and a saved `/status` list.
 */
import { VsmError, quoteGot } from '../errors.js';
import { type JiraContext, addHistories, nameOf } from './jira-histories.js';
import { describeValue, readStatusList } from './jira-items.js';
import { type JsonDocument, documentWhere, fileStem } from './json-input.js';
import { isJiraStatus } from './json-shape.js';
import { asArray, asRecord, asString, describeJson } from './json-values.js';

const ISSUE_KEY_IN_NAME = /(?:^|[^A-Za-z0-9])([A-Z][A-Z0-9_]*-\d+)(?![0-9])/;

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
export function readIssueItem(ctx: JiraContext, issue: unknown, index: number, file: string): void {
  ctx.issuesSeen++;
  const issueRecord = asRecord(issue);
  if (issueRecord) readIssue(ctx, issueRecord, file);
  else {
    ctx.report.readRejected('bad-record', { file, row: index + 1, column: 'issues', value: describeValue(issue), message: `issues[${index}] is ${describeValue(issue)}, not an issue: skipped` });
  }
}

/** A document after the items of its lists were handed out (`document.lists`: then `issues` holds only the first ones). */
export function readDocument(ctx: JiraContext, document: JsonDocument, deferred: (() => void)[]): void {
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
