import type { PaginationSummary } from '../contracts/ingest-report.js';
/**
 * Pagination markers in saved API pages (DESIGN §7b "truncated/partial exports"). A page saved alone still says
 * whether more follow: Jira `startAt`/`maxResults`/`total`/`isLast`/`nextPageToken`, Zendesk offset `next_page`/`count`,
 * Zendesk cursor `meta.has_more`/`links.next` and incremental `after_cursor`/`end_of_stream`, Salesforce
 * `done`/`nextRecordsUrl`/`totalSize`. GitHub and ServiceNow keep paging in HTTP headers (absent from files), so a
 * page holding exactly a page-size of items (GitHub 30 or 100, ServiceNow 10,000) is reported as probably cut.
 */
import { formatCount } from '../model/units.js';
import { asArray, asRecord, asString } from './json-values.js';

/** What one saved page says about the export it came from. */
export interface PageMarker {
  /** Source family and paging scheme, e.g. "jira offset", "zendesk cursor". */
  scheme: string;
  /** What the page lists (`issues`, `tickets`, `audits`, `records`, `events`): pages of different lists are summed apart. */
  itemsKey: string;
  /** The field(s) that showed it, for the message ("next_page", "meta.has_more"). */
  marker: string;
  /** Items on this page. */
  items: number;
  /** More pages follow this one (true), this is the last (false), or unknown. */
  more: boolean | undefined;
  /** 1-based page number when the markers give it. */
  page?: number;
  /** Page size when the markers give it. */
  pageSize?: number;
  /** Items in the whole result set when the source says (Jira `total`, Zendesk `count`, Salesforce `totalSize`). */
  total?: number;
  /** True when `more` is only inferred from a full page (no marker in the file). */
  inferred?: boolean;
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** `page=3` / `per_page=100` / `page[size]=100` from a Zendesk or GitHub page URL. */
function urlParam(url: string | undefined, names: readonly string[]): number | undefined {
  if (url === undefined) return undefined;
  let search: URLSearchParams;
  try {
    search = new URL(url).searchParams;
  } catch {
    return undefined;
  }
  for (const name of names) {
    const value = Number(search.get(name));
    if (search.has(name) && Number.isInteger(value) && value > 0) return value;
  }
  return undefined;
}

/** Lists handed out item by item (JsonDocument.lists): key → items, the page holding only the first ones. */
export type ListLengths = ReadonlyMap<string, number> | undefined;

/** The first array among `keys` on a record (the page's items) and how many items it has. */
function itemsOf(record: Record<string, unknown>, keys: readonly string[], lists: ListLengths): { key: string; count: number } | undefined {
  for (const key of keys) {
    const list = asArray(record[key]);
    if (list) return { key, count: lists?.get(key) ?? list.length };
  }
  return undefined;
}

const ZENDESK_ITEM_KEYS = ['tickets', 'audits', 'ticket_events', 'ticket_metrics', 'ticket_metric_events', 'results', 'users'];
/** GitHub's default and largest `per_page`: a saved page of exactly this many items probably has a next page. */
const GITHUB_PAGE_SIZES = [30, 100];
/** ServiceNow Table API's default `sysparm_limit` (10,000 rows): a result of exactly this size was cut there. */
const SERVICENOW_PAGE_SIZE = 10_000;

function jiraMarker(record: Record<string, unknown>, lists: ListLengths): PageMarker | undefined {
  // Only issue searches: per-issue changelog pages are checked against the issue's own history count (jira.ts).
  const found = itemsOf(record, ['issues'], lists);
  if (!found) return undefined;
  const itemCount = found.count;
  const startAt = numberOf(record.startAt);
  const maxResults = numberOf(record.maxResults);
  const total = numberOf(record.total);
  const isLast = typeof record.isLast === 'boolean' ? record.isLast : undefined;
  const token = asString(record.nextPageToken);
  if (startAt === undefined && isLast === undefined && token === undefined) return undefined;
  let more = isLast === undefined ? undefined : !isLast;
  if (token !== undefined && token !== '') more = true;
  if (more === undefined && total !== undefined && startAt !== undefined) more = startAt + itemCount < total;
  const page = startAt !== undefined && maxResults !== undefined && maxResults > 0 ? Math.floor(startAt / maxResults) + 1 : undefined;
  const marker = token !== undefined ? 'nextPageToken/isLast' : 'startAt/maxResults/total';
  return { scheme: 'jira offset', itemsKey: found.key, marker, items: itemCount, more, page, pageSize: maxResults, total };
}

function zendeskMarker(record: Record<string, unknown>, lists: ListLengths): PageMarker | undefined {
  const found = itemsOf(record, ZENDESK_ITEM_KEYS, lists);
  if (!found) return undefined;
  const itemCount = found.count;
  const itemsKey = found.key;
  const meta = asRecord(record.meta);
  const links = asRecord(record.links);
  if (meta && typeof meta.has_more === 'boolean') {
    const next = asString(links?.next);
    return { scheme: 'zendesk cursor', itemsKey, marker: 'meta.has_more', items: itemCount, more: meta.has_more, pageSize: urlParam(next, ['page[size]']) };
  }
  if (typeof record.end_of_stream === 'boolean') {
    return { scheme: 'zendesk incremental', itemsKey, marker: 'end_of_stream/after_cursor', items: itemCount, more: !record.end_of_stream };
  }
  if ('next_page' in record) {
    const next = asString(record.next_page) ?? undefined;
    const previous = asString(record.previous_page) ?? undefined;
    const pageSize = urlParam(next ?? previous, ['per_page']) ?? 100;
    const nextPage = urlParam(next, ['page']);
    const previousPage = urlParam(previous, ['page']);
    const page = nextPage !== undefined ? nextPage - 1 : previousPage !== undefined ? previousPage + 1 : undefined;
    return { scheme: 'zendesk offset', itemsKey, marker: 'next_page/count', items: itemCount, more: next !== undefined, page: next === undefined && previous === undefined ? 1 : page, pageSize, total: numberOf(record.count) };
  }
  return undefined;
}

function salesforceMarker(record: Record<string, unknown>): PageMarker | undefined {
  const items = asArray(record.records);
  if (!items || typeof record.done !== 'boolean') return undefined;
  return { scheme: 'salesforce', itemsKey: 'records', marker: 'done/nextRecordsUrl', items: items.length, more: !record.done, total: numberOf(record.totalSize) };
}

/**
 * The paging marker of one saved JSON page, if it carries one. `source` decides the header-only heuristics
 * (GitHub full pages, ServiceNow's 10,000-row cap). `lists` gives the item counts of lists handed out item by item.
 */
export function pageMarkerOf(value: unknown, source: string, lists?: ListLengths): PageMarker | undefined {
  const record = asRecord(value);
  if (record) {
    if (source === 'jira') return jiraMarker(record, lists);
    if (source === 'zendesk') return zendeskMarker(record, lists);
    if (source === 'salesforce') return salesforceMarker(record);
    if (source === 'servicenow') {
      const result = asArray(record.result);
      if (result && result.length === SERVICENOW_PAGE_SIZE) return { scheme: 'servicenow', itemsKey: 'result', marker: `exactly ${SERVICENOW_PAGE_SIZE} rows (sysparm_limit)`, items: result.length, more: true, inferred: true, pageSize: SERVICENOW_PAGE_SIZE };
    }
    return undefined;
  }
  const list = asArray(value);
  if (source === 'github' && list && GITHUB_PAGE_SIZES.includes(list.length)) {
    return { scheme: 'github', itemsKey: 'events', marker: `exactly ${list.length} items (a full per_page)`, items: list.length, more: true, inferred: true, pageSize: list.length };
  }
  return undefined;
}

/** Where an export stands after all its saved pages: complete, or what is missing. */
// The summary's shape is part of the IngestReport contract (src/contracts/ingest-report.ts).
export type { PaginationSummary } from '../contracts/ingest-report.js';

/** Summaries per listed thing (`tickets`, `audits`, …), since one folder may hold pages of several endpoints. */
export function summarizePagination(markers: readonly PageMarker[]): PaginationSummary[] {
  const groups = new Map<string, PageMarker[]>();
  for (const marker of markers) {
    const key = `${marker.scheme}\u0000${marker.itemsKey}`;
    const group = groups.get(key) ?? [];
    group.push(marker);
    groups.set(key, group);
  }
  return [...groups.values()].map((group) => summarizePages(group) as PaginationSummary);
}

/**
 * Combines the markers of the pages of one list: it is incomplete when the items read fall short of the source's
 * total, or (no total) when no page read says it is the last.
 */
export function summarizePages(markers: readonly PageMarker[]): PaginationSummary | undefined {
  if (markers.length === 0) return undefined;
  const first = markers[0];
  const itemsRead = markers.reduce((sum, m) => sum + m.items, 0);
  // reduce, not Math.max(...): a folder may hold more pages than a call can take arguments.
  const largest = (values: (number | undefined)[]): number | undefined =>
    values.reduce<number | undefined>((best, value) => (value !== undefined && (best === undefined || value > best) ? value : best), undefined);
  const totalItems = largest(markers.map((m) => m.total));
  const lastPage = largest(markers.map((m) => m.page));
  const pageSize = markers.find((m) => m.pageSize !== undefined)?.pageSize;
  const pagesAbout = totalItems !== undefined && pageSize !== undefined && pageSize > 0 ? Math.max(1, Math.ceil(totalItems / pageSize)) : undefined;
  const sawLast = markers.some((m) => m.more === false);
  const incomplete = totalItems !== undefined ? itemsRead < totalItems : !sawLast && markers.some((m) => m.more === true);
  return {
    scheme: first.scheme,
    itemsKey: first.itemsKey,
    marker: first.marker,
    pagesRead: markers.length,
    itemsRead,
    lastPage,
    pagesAbout,
    totalItems,
    itemsMissingAbout: totalItems !== undefined ? Math.max(0, totalItems - itemsRead) : undefined,
    incomplete,
    inferred: markers.every((m) => m.inferred === true),
  };
}

/** "page 1 of about 64, about 189 tickets missing" and its variants (pagination.ts). */
export function describePagination(summary: PaginationSummary, source: string): string {
  const what = `${source} ${summary.itemsKey}`;
  if (summary.inferred) {
    return `${what}: ${formatCount(summary.pagesRead)} saved page(s) of exactly ${formatCount(summary.itemsRead / summary.pagesRead)} items, a full page (the file keeps no Link header): more pages probably exist; how many items are missing is unknown`;
  }
  const page = summary.lastPage ?? summary.pagesRead;
  // "page k of about n" only when pages are missing; a trimmed single page reads "R of T read" instead.
  if (summary.itemsMissingAbout !== undefined && summary.pagesAbout !== undefined && summary.pagesAbout > page) {
    const pages = summary.pagesRead > 1 ? `${formatCount(summary.pagesRead)} pages (up to page ${formatCount(page)})` : `page ${formatCount(page)}`;
    return `${what}: ${pages} of about ${formatCount(summary.pagesAbout)}, about ${formatCount(summary.itemsMissingAbout)} ${summary.itemsKey} missing (${summary.marker})`;
  }
  if (summary.itemsMissingAbout !== undefined && summary.totalItems !== undefined) {
    return `${what}: ${formatCount(summary.itemsRead)} of ${formatCount(summary.totalItems)} read, about ${formatCount(summary.itemsMissingAbout)} missing (${summary.marker})`;
  }
  return `${what}: ${formatCount(summary.pagesRead)} saved page(s) and ${summary.marker} says more follow: how many items are missing is unknown`;
}
