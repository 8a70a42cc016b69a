import type { IngestReportBuilder } from './ingest-report.js';
import { asRecord, asString } from './json-values.js';

/**
 * Small pieces of the Jira adapter that judge one changelog item or a status list (docs/ingest-accounting.md):
 * what a from/to value is, how to name a damaged value in a message, and Jira's own status → category table.
 */
function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** The from/to of a change item: text, null (absent or cleared), or BAD_VALUE (an object, a boolean). */
export const BAD_VALUE = Symbol('bad value');
export function itemValue(item: Record<string, unknown>, key: string): string | null | typeof BAD_VALUE {
  const value = own(item, key);
  if (value === undefined || value === null) return null;
  return asString(value) ?? BAD_VALUE;
}

export function describeValue(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

/** `GET /rest/api/2/status`: Jira's own status → category table. Not change records (no rows); the categories win over guesses. */
export function readStatusList(statusList: Map<string, string>, report: IngestReportBuilder, statuses: unknown[], where: string): void {
  let read = 0;
  for (const entry of statuses) {
    const status = asRecord(entry);
    const name = asString(status?.name);
    const category = asString(asRecord(status?.statusCategory)?.key);
    if (name === undefined || category === undefined) continue;
    statusList.set(name, category);
    read++;
  }
  report.note(`status categories of ${read} statuses read from ${where} (Jira /rest/api/2/status)`);
}
