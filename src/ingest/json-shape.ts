/**
 * Which API a JSON value came from, by its shape (Jira, Zendesk, GitHub, ServiceNow, Salesforce, OCEL): the verdict the
 * sniffer and the adapters share, and the WRONG_SOURCE error that names what a wrongly routed file looks like.
 */
import { VsmError } from '../errors.js';
import { type JsonDocument, documentWhere } from './json-input.js';
import { asRecord, describeJson } from './json-values.js';

/** Source kinds recognised from JSON shape; also used to say what a wrongly routed file looks like. */
export type JsonSourceShape = 'jira' | 'zendesk' | 'github' | 'servicenow' | 'salesforce' | 'ocel';

const SHAPE_LABELS: Record<JsonSourceShape, string> = {
  jira: 'a Jira export',
  zendesk: 'a Zendesk export',
  github: 'a GitHub issue-events export',
  servicenow: 'a ServiceNow Table API export',
  salesforce: 'a Salesforce export',
  ocel: 'an OCEL 2.0 log',
};

/** How many leading array items the shape check looks past when they are null or not objects (`issues[0] = null`). */
const SHAPE_LOOKAHEAD_ITEMS = 20;

function firstRecord(value: unknown): Record<string, unknown> | undefined {
  const items = Array.isArray(value) ? (value as readonly unknown[]) : undefined;
  if (!items) return undefined;
  for (let k = 0; k < Math.min(items.length, SHAPE_LOOKAHEAD_ITEMS); k++) {
    const record = asRecord(items[k]);
    if (record) return record;
  }
  return undefined;
}

function isJiraIssue(record: Record<string, unknown> | undefined): boolean {
  // `fields: null` is a damaged issue, still an issue: the reader skips and counts it.
  return record !== undefined && typeof record.key === 'string' && (asRecord(record.fields) !== undefined || record.fields === null || asRecord(record.changelog) !== undefined);
}

/**
 * Whether the first items of a page's `issues` list make the page a Jira search response: they are Jira issues, or
 * none is an object (an empty or damaged page, still Jira). The same verdict jsonSourceShape gives such a page.
 */
export function isJiraIssueList(firstItems: readonly unknown[]): boolean {
  const first = firstRecord(firstItems);
  return first === undefined || isJiraIssue(first);
}

/** One entry of Jira's `GET /rest/api/2/status` list: a status name with its category. */
export function isJiraStatus(record: Record<string, unknown> | undefined): boolean {
  return record !== undefined && typeof record.name === 'string' && asRecord(record.statusCategory) !== undefined && !('fields' in record);
}

function isJiraHistory(record: Record<string, unknown> | undefined): boolean {
  return record !== undefined && Array.isArray(record.items) && typeof record.created === 'string';
}

function isZendeskAudit(record: Record<string, unknown> | undefined): boolean {
  return record !== undefined && 'ticket_id' in record && Array.isArray(record.events);
}

function isGithubEvent(record: Record<string, unknown> | undefined): boolean {
  return record !== undefined && typeof record.event === 'string' && typeof record.created_at === 'string';
}

/** Recognises the source of one JSON document by its shape, or undefined. */
export function jsonSourceShape(value: unknown): JsonSourceShape | undefined {
  const record = asRecord(value);
  const first = firstRecord(value);
  if (record) {
    if (isJiraIssue(record) || isJiraIssue(firstRecord(record.issues)) || Array.isArray(record.issueChangeLogs)) return 'jira';
    // An empty search page (or one whose issues are all null): still Jira; the reader says it is empty or counts the bad items.
    if (Array.isArray(record.issues) && firstRecord(record.issues) === undefined) return 'jira';
    if (Array.isArray(record.values) && (isJiraHistory(firstRecord(record.values)) || ('isLast' in record && 'startAt' in record))) return 'jira';
    if (Array.isArray(record.audits) || isZendeskAudit(asRecord(record.audit)) || isZendeskAudit(record)) return 'zendesk';
    if (Array.isArray(record.ticket_events) || Array.isArray(record.ticket_metric_events)) return 'zendesk';
    if (typeof record.stream === 'string' && record.stream.startsWith('ticket') && asRecord(record.data)) return 'zendesk';
    if (asRecord(record.ticket) && 'status' in (asRecord(record.ticket) ?? {})) return 'zendesk';
    if (isGithubEvent(record) && asRecord(record.actor) !== undefined) return 'github';
    if (Array.isArray(record.result) && asRecord(firstRecord(record.result))?.sys_id !== undefined) return 'servicenow';
    if (Array.isArray(record.records) && asRecord(firstRecord(record.records)?.attributes) !== undefined) return 'salesforce';
    if (Array.isArray(record.objects) && Array.isArray(record.events)) return 'ocel';
    return undefined;
  }
  if (first) {
    if (isJiraIssue(first)) return 'jira';
    if (isJiraHistory(first)) return 'jira';
    if (isJiraStatus(first)) return 'jira';
    if (isZendeskAudit(first)) return 'zendesk';
    if (isGithubEvent(first)) return 'github';
    if (typeof first.number === 'number' && typeof first.state === 'string' && typeof first.created_at === 'string') return 'github';
  }
  return undefined;
}

/** "looks like a Zendesk export" or "is not a recognised export", for WRONG_SOURCE messages. */
export function describeShape(value: unknown): string {
  const shape = jsonSourceShape(value);
  return shape ? `looks like ${SHAPE_LABELS[shape]}` : 'is not a recognised API export';
}

/** The WRONG_SOURCE error for a document that is not of the expected source. */
export function wrongSourceError(document: JsonDocument, expected: JsonSourceShape, expectedLabel: string): VsmError {
  const shape = jsonSourceShape(document.value);
  return new VsmError({
    code: 'WRONG_SOURCE',
    what: `file ${describeShape(document.value)}, not ${expectedLabel}`,
    where: documentWhere(document),
    got: describeJson(document.value),
    fix: shape && shape !== expected ? `pass --source ${shape}` : `export ${expectedLabel} (see README "Sources"), or pass the right --source`,
  });
}
