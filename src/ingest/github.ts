import { VsmError } from '../errors.js';
import { EventLogBuilder } from '../model/event-log-builder.js';
import { defaultStatusClass } from '../model/status-class.js';
import { HistoryEvidenceBuilder } from './history-evidence.js';
import { IngestReportBuilder } from './ingest-report.js';
import { type JsonDocument, documentWhere, fileStem, readJsonInput } from './json-input.js';
import { asArray, asRecord, asString } from './json-values.js';
import { jsonSourceShape, wrongSourceError } from './json-shape.js';
import { timestampReader } from './timestamp-reader.js';
import type { ReadOptions, ReadResult } from './read-options.js';
import { StatusChangeCollector } from './status-changes.js';

/**
 * GitHub issue-events adapter (FORMATS.md §6.1). Reads, from one file or a folder of pages: the repo-wide
 * `GET /repos/{o}/{r}/issues/events` (each event embeds its `issue`), the per-issue `GET /repos/{o}/{r}/issues/{n}/events`
 * and `…/timeline`, and issue lists `GET /repos/{o}/{r}/issues` (creation times and titles).
 * The status of an issue is derived: `Closed` while closed, else the most recently added status-like label still on it,
 * else `Open`. `assigned`/`unassigned` give the owner (the most recent assignee still assigned).
 * Case id: `owner/repo#number`. Per-issue files carry no issue: its number comes from an `issue_url` in the file or from the
 * file name (`issue-28-events.json`).
 */
export interface GithubReadOptions extends ReadOptions {
  /** Which labels are statuses; default: labels whose name matches a status-class pattern ("in progress", "blocked", "needs info", …). */
  isStatusLabel?: (label: string) => boolean;
}

export function looksLikeGithub(sample: unknown): boolean {
  return jsonSourceShape(sample) === 'github';
}

/** Default status-label rule: the label's name matches one of the status-class name patterns (not the fallback). */
export function isStatusLikeLabel(label: string): boolean {
  return defaultStatusClass(label).origin === 'name-default';
}

export const GITHUB_OPEN = 'Open';
export const GITHUB_CLOSED = 'Closed';
const STATE_EVENTS = new Set(['labeled', 'unlabeled', 'assigned', 'unassigned', 'closed', 'reopened']);

interface RawEvent {
  caseId: string;
  kind: string;
  atMs: number;
  key: string;
  orderId: number;
  label?: string;
  assignee?: string;
  actor?: string;
  fileIndex: number;
  position: number;
}

interface IssueSnapshot {
  createdAtMs?: number;
  closedAtMs?: number;
  closed: boolean;
  attributes: Record<string, string | undefined>;
}

function issueRef(url: string | undefined): { repo?: string; number?: string } {
  const match = url ? /repos\/([^/]+\/[^/]+)\/issues\/(\d+)/.exec(url) : null;
  return match ? { repo: match[1], number: match[2] } : {};
}

function repoOf(url: string | undefined): string | undefined {
  return url ? /repos\/([^/]+\/[^/]+)\//.exec(url)?.[1] : undefined;
}

function caseIdOf(repo: string | undefined, number: string): string {
  return repo ? `${repo}#${number}` : `#${number}`;
}

/** The issue a per-issue file belongs to: an `issue_url` in it, else a number in the file name. */
function fileCaseId(items: Record<string, unknown>[], document: JsonDocument): string | undefined {
  for (const item of items) {
    const ref = issueRef(asString(item.issue_url));
    if (ref.number) return caseIdOf(ref.repo, ref.number);
  }
  const repo = items.map((item) => repoOf(asString(item.url))).find((r) => r !== undefined);
  const stem = fileStem(document.file);
  const number = (/(?:issues?|pulls?|pr)[-_ #]*(\d+)/i.exec(stem) ?? /(\d+)/.exec(stem))?.[1];
  return number ? caseIdOf(repo, number) : undefined;
}

/** Reads GitHub issue events (file or folder) into a status-shaped EventLog. */
export async function readGithub(path: string, options: GithubReadOptions): Promise<ReadResult> {
  const report = new IngestReportBuilder('github', options.source === 'github' ? 'flag' : 'sniffed');
  const input = await readJsonInput(path, { onProgress: options.onProgress });
  const builder = new EventLogBuilder('status');
  const collector = new StatusChangeCollector(builder, report);
  const readTime = timestampReader(report, options.timeZone);
  // GitHub pages carry no paging marker (it is in the Link header): a full page of 30 or 100 events is flagged.
  const evidence = new HistoryEvidenceBuilder('github', 'save every page of /repos/{owner}/{repo}/issues/events (follow the Link header) into one folder');
  const isStatusLabel = options.isStatusLabel ?? isStatusLikeLabel;
  const snapshots = new Map<string, IssueSnapshot>();
  const raw: RawEvent[] = [];
  const ignored = new Map<string, number>();
  const seen = new Set<string>();
  const firstSeenMs = new Map<string, number>();
  let position = 0;
  Object.assign(report.mapping, { case: 'issue repo#number', activity: 'state + status labels', timestamp: 'created_at', resource: 'assignee.login' });

  const addSnapshot = (issue: Record<string, unknown>): string | undefined => {
    const ref = issueRef(asString(issue.url));
    const number = asString(issue.number) ?? ref.number;
    if (number === undefined) return undefined;
    const caseId = caseIdOf(ref.repo ?? repoOf(asString(issue.repository_url)), number);
    evidence.seeInstant(readTime(asString(issue.updated_at) ?? ''));
    if (!snapshots.has(caseId)) {
      const created = readTime(asString(issue.created_at) ?? '');
      const closed = readTime(asString(issue.closed_at) ?? '');
      snapshots.set(caseId, {
        createdAtMs: Number.isNaN(created) ? undefined : created,
        closedAtMs: Number.isNaN(closed) ? undefined : closed,
        closed: issue.state === 'closed',
        // The title is free text: kept only as the case attribute `summary`; every report must escape it.
        attributes: { summary: asString(issue.title), kind: issue.pull_request ? 'pull request' : 'issue', repo: ref.repo },
      });
    }
    return caseId;
  };

  let recognised = 0;
  for (const document of input.documents) {
    if (!looksLikeGithub(document.value)) {
      const emptyPage = Array.isArray(document.value) && document.value.length === 0;
      if (input.documents.length === 1 && !emptyPage) throw wrongSourceError(document, 'github', 'a GitHub issue-events export');
      report.note(`skipped ${documentWhere(document)}: not GitHub issue events`);
      continue;
    }
    recognised++;
    evidence.seePage(document.value);
    const fileIndex = builder.addFile(document.file);
    const rawItems = asArray(document.value) ?? [document.value];
    const items = rawItems.map((item) => asRecord(item) ?? {});
    const perFileCase = items.some((item) => typeof item.event === 'string' && !asRecord(item.issue)) ? fileCaseId(items, document) : undefined;
    for (const [index, item] of items.entries()) {
      position++;
      if (!asRecord(rawItems[index])) {
        // A null or non-object entry in an events page: one row read and rejected, the rest of the page still counts.
        const got = rawItems[index] === null ? 'null' : typeof rawItems[index];
        report.readRejected('bad-record', { file: document.file, row: position, value: got, message: `item ${index + 1} is ${got}, not an event` });
        continue;
      }
      if (typeof item.event !== 'string') {
        // Issue-list items (no `event`) are case snapshots, not change records: no row.
        if (item.number !== undefined) addSnapshot(item);
        continue;
      }
      const embedded = asRecord(item.issue);
      const caseId = embedded ? addSnapshot(embedded) : perFileCase;
      const kind = item.event;
      // Without the issue's created_at, the case starts at its first event of any kind (subscribed, commented, …).
      const seenAtMs = readTime(asString(item.created_at) ?? '');
      if (caseId !== undefined && !Number.isNaN(seenAtMs) && !(seenAtMs >= (firstSeenMs.get(caseId) ?? Infinity))) firstSeenMs.set(caseId, seenAtMs);
      if (!STATE_EVENTS.has(kind)) {
        ignored.set(kind, (ignored.get(kind) ?? 0) + 1);
        report.readIgnored(`not a status/owner change: event ${kind}`);
        continue;
      }
      const label = asString(asRecord(item.label)?.name);
      if ((kind === 'labeled' || kind === 'unlabeled') && (label === undefined || !isStatusLabel(label))) {
        ignored.set(`${kind} (not a status label)`, (ignored.get(`${kind} (not a status label)`) ?? 0) + 1);
        report.readIgnored(`not a status/owner change: ${kind} with a label that is not a status`);
        continue;
      }
      const createdText = asString(item.created_at) ?? '';
      const atMs = readTime(createdText);
      let assignee = asString(asRecord(item.assignee)?.login);
      if (assignee === undefined && (kind === 'assigned' || kind === 'unassigned')) {
        // Early events (2012-era API) carry no `assignee`: the actor was the user (un)assigned.
        assignee = asString(asRecord(item.actor)?.login);
        if (assignee !== undefined) report.note('some (un)assigned events name no assignee (old GitHub API): their actor is taken as the assignee');
      }
      const key = `${caseId}\u0000${asString(item.id) ?? `${kind}\u0000${createdText}\u0000${label ?? ''}\u0000${assignee ?? ''}`}`;
      report.rowsRead++;
      if (caseId === undefined) {
        report.reject('missing-case', { file: document.file, row: position, column: 'issue', message: `"${kind}" event without an issue; name the file after the issue (issue-28-events.json)` });
        continue;
      }
      if (Number.isNaN(atMs)) {
        report.reject('bad-timestamp', { file: document.file, row: position, column: 'created_at', value: createdText, message: `${caseId}: time not readable` });
        continue;
      }
      if (seen.has(key)) {
        report.duplicatesDropped++;
        continue;
      }
      seen.add(key);
      // Counted as used or ignored when replayed (deriveChanges): only then is it known whether it changed anything.
      raw.push({ caseId, kind, atMs, key, orderId: Number(asString(item.id) ?? NaN), label, assignee, actor: asString(asRecord(item.actor)?.login), fileIndex, position });
    }
  }
  if (recognised === 0 && input.documents.every((document) => Array.isArray(document.value) && document.value.length === 0)) {
    throw new VsmError({ code: 'EMPTY_FILE', what: 'the GitHub export is empty', where: path, got: `${input.documents.length} empty page${input.documents.length === 1 ? '' : 's'} ([])`, fix: 'check the repository and filters of the request and export again' });
  }
  if (recognised === 0) throw wrongSourceError(input.documents[0], 'github', 'a GitHub issue-events export');

  for (const [caseId, atMs] of firstSeenMs) {
    const snapshot = snapshots.get(caseId);
    if (!snapshot) snapshots.set(caseId, { createdAtMs: atMs, closed: false, attributes: {} });
    else snapshot.createdAtMs ??= atMs;
  }
  deriveChanges(raw, snapshots, collector, report, ignored);
  builder.setStatusCategory(GITHUB_OPEN, 'queue');
  builder.setStatusCategory(GITHUB_CLOSED, 'done');
  collector.emit();
  if (ignored.size > 0) {
    const list = [...ignored].sort((a, b) => b[1] - a[1]).map(([kind, n]) => `${kind} ${n}`);
    report.note(`GitHub events that change neither status nor owner were not used: ${list.slice(0, 10).join(', ')}${list.length > 10 ? ', …' : ''}`);
  }
  report.files.push(...input.files);
  for (const file of input.files) builder.addFile(file);
  if (builder.eventCount === 0) {
    throw new VsmError({ code: 'NO_EVENTS', what: 'no issue with a creation time or a state event found', where: path, fix: 'export /repos/{owner}/{repo}/issues/events pages' });
  }
  evidence.applyTo(report);
  return { log: builder.build(), report: report.finish() };
}

/** Replays each issue's events oldest-first and emits a canonical change whenever the derived status or owner changes. */
function deriveChanges(
  raw: RawEvent[],
  snapshots: Map<string, IssueSnapshot>,
  collector: StatusChangeCollector,
  report: IngestReportBuilder,
  ignored: Map<string, number>,
): void {
  const byCase = new Map<string, RawEvent[]>();
  for (const event of raw) {
    let list = byCase.get(event.caseId);
    if (!list) byCase.set(event.caseId, (list = []));
    list.push(event);
  }
  for (const caseId of new Set([...snapshots.keys(), ...byCase.keys()])) {
    const snapshot = snapshots.get(caseId);
    const events = byCase.get(caseId) ?? [];
    // Repo-wide pages come newest-first: replay oldest-first, same instant by event id.
    events.sort((a, b) => a.atMs - b.atMs || a.orderId - b.orderId || a.position - b.position);
    if (snapshot?.closed && snapshot.closedAtMs !== undefined && !events.some((e) => e.kind === 'closed')) {
      // Synthesised from the issue's closed_at: not a row of the export, so it is never counted.
      events.push({ caseId, kind: 'closed', atMs: snapshot.closedAtMs, key: '', orderId: Infinity, fileIndex: events[0]?.fileIndex ?? 0, position: Infinity });
      report.note('some closed issues have no "closed" event in the export; their issue\'s closed_at is used (e.g. ' + caseId + ')');
    }
    collector.addCase({ caseId, createdAtMs: snapshot?.createdAtMs, currentStatus: GITHUB_OPEN, attributes: snapshot?.attributes, sourceSeq: 0 });
    let closed = false;
    const labels: string[] = [];
    const assignees: string[] = [];
    const status = () => (closed ? GITHUB_CLOSED : (labels.at(-1) ?? GITHUB_OPEN));
    let sourceSeq = 0;
    for (const event of events) {
      const statusBefore = status();
      const ownerBefore = assignees.at(-1);
      const remove = (list: string[], value: string | undefined) => {
        const at = value === undefined ? -1 : list.lastIndexOf(value);
        if (at >= 0) list.splice(at, 1);
      };
      if (event.kind === 'closed') closed = true;
      else if (event.kind === 'reopened') closed = false;
      else if (event.kind === 'labeled' && event.label !== undefined) {
        remove(labels, event.label);
        labels.push(event.label);
      } else if (event.kind === 'unlabeled') remove(labels, event.label);
      else if (event.kind === 'assigned' && event.assignee !== undefined) {
        remove(assignees, event.assignee);
        assignees.push(event.assignee);
      } else if (event.kind === 'unassigned') remove(assignees, event.assignee);
      const common = { caseId, atMs: event.atMs, actor: event.actor, fileIndex: event.fileIndex };
      // One event is one row, even when it changes both status and owner (an assignment that also closes nothing).
      const counted = { countRow: false };
      let changed = false;
      if (status() !== statusBefore) {
        collector.addChange({ ...common, field: 'status', from: statusBefore, to: status(), sourceSeq: ++sourceSeq }, counted);
        changed = true;
      }
      if (assignees.at(-1) !== ownerBefore) {
        collector.addChange({ ...common, field: 'assignee', from: ownerBefore ?? null, to: assignees.at(-1) ?? null, sourceSeq: ++sourceSeq }, counted);
        changed = true;
      }
      if (event.key === '') continue;
      // Read was counted when the page was parsed; here the row is settled as used or ignored.
      if (changed) report.rowsUsed++;
      else {
        ignored.set(`${event.kind} (no change)`, (ignored.get(`${event.kind} (no change)`) ?? 0) + 1);
        report.ignore(`${event.kind} that changes neither status nor owner`);
      }
    }
  }
}
