import { VsmError } from '../errors.js';
import { EventLogBuilder } from '../model/event-log-builder.js';
import { HistoryEvidenceBuilder } from './history-evidence.js';
import { IngestReportBuilder } from './ingest-report.js';
import { readDocument, readIssueItem } from './jira-documents.js';
import type { JiraContext } from './jira-histories.js';
import { documentWhere, visitJsonInput } from './json-input.js';
import { isJiraIssueList, jsonSourceShape, wrongSourceError } from './json-shape.js';
import { describeJson } from './json-values.js';
import type { ReadOptions, ReadResult } from './read-options.js';
import { StatusChangeCollector } from './status-changes.js';
import { timestampReader } from './timestamp-reader.js';

/**
 * Jira adapter (FORMATS.md §1). Reads, from one file or a folder of pages:
 * - issues with `expand=changelog`: one issue, a search response `{issues:[…]}` (Cloud `/rest/api/3/search/jql`, Server/DC
 *   `/rest/api/2/search`), a bulk-fetch response, an array of issues, or JSON Lines of issues;
 * - paged changelogs `GET /issue/{key}/changelog` (`{values:[…], startAt, total, isLast}`), tied to their issue by an
 *   `issueKey`/`issueId` field on the page or by the issue key (or id) in the file name, e.g. `SP-10.changelog.2.json`;
 * - bulk changelogs `POST /changelog/bulkfetch` (`{issueChangeLogs:[{issueId, changeHistories:[…]}]}`).
 * Status items become status changes, `assignee` items owner changes (display names), `Flagged` items block/unblock.
 * Case id = issue key (ids only where no issue JSON gives the key). Every visit is kept, backward moves included.
 * One issue's histories: jira-histories.ts; the documents (issues, changelog pages, status list): jira-documents.ts;
 * item values and the status list: jira-items.ts. This file visits the input and adds the notes.
 */
export function looksLikeJira(sample: unknown): boolean {
  return jsonSourceShape(sample) === 'jira';
}

/** Jira returns at most this many histories embedded in an issue (Cloud); more need the paged changelog endpoint. */
const EMBEDDED_HISTORY_CAP = 100;

/** The fix for a Jira export without status history. */
export const JIRA_HISTORY_FIX =
  're-export the issues with expand=changelog (GET /rest/api/3/search/jql?jql=…&expand=changelog), or save GET /rest/api/3/issue/{key}/changelog for each issue next to this file';

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
