import { closeSync, openSync, readSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { SourceKind } from './read-options.js';

/**
 * Content sniffing shared by sniff.ts (which kind to read) and file-look.ts (what a file looks like, for --source
 * mismatches and folders): the decoded head of a file, and the JSON / CSV-header recognisers. Depends on nothing
 * else of ingest, so neither caller forms an import cycle.
 */
export interface SniffResult {
  source: SourceKind;
  /** Human explanation shown in the report: "sniffed: JSON with "issues[].changelog" (Jira)". */
  detectedBy: string;
  /** CSV only: 'wide' when the file is a wide stage-date table (see wide-csv-columns.ts). */
  layout?: 'wide';
}

const SNIFF_BYTES = 64 * 1024;

/** Reads up to 64 KB of the (decompressed) head of a file, as text. */
export function readHead(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const bytesRead = readSync(fd, buffer, 0, SNIFF_BYTES, 0);
    let head = buffer.subarray(0, bytesRead);
    if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
      try {
        head = gunzipSync(head, { finishFlush: 2 /* Z_SYNC_FLUSH: tolerate the cut-off stream */ });
      } catch {
        return '';
      }
    }
    if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) {
      const le = head[0] === 0xff;
      const body = head.subarray(2);
      const swapped = le ? body : Buffer.from(body).swap16();
      return swapped.subarray(0, swapped.length - (swapped.length % 2)).toString('utf16le');
    }
    return head.toString('utf8').replace(/^\uFEFF/, '');
  } finally {
    closeSync(fd);
  }
}

/** Recognises an export from the start of its JSON text by key names; undefined when no shape matches. */
export function sniffJson(head: string): SniffResult | undefined {
  const has = (pattern: RegExp) => pattern.test(head);
  const found = (source: SourceKind, what: string): SniffResult => ({ source, detectedBy: `sniffed: JSON with ${what}` });
  if (has(/"(errorMessages|error_description)"\s*:/) && !has(/"changelog"/)) return undefined;
  if (has(/"objectTypes"\s*:/) && has(/"eventTypes"\s*:/)) return found('ocel', '"objectTypes" and "eventTypes" (OCEL 2.0)');
  if (has(/"ocel:(events|global-log)"\s*:/)) return found('ocel', '"ocel:events" / "ocel:global-log" (OCEL 1.0)');
  if (has(/"changelog"\s*:/) || has(/"issueChangeLogs"\s*:/) || (has(/"histories"\s*:/) && has(/"items"\s*:/))) return found('jira', '"changelog" histories (Jira)');
  if (has(/"fromString"\s*:/) && has(/"toString"\s*:/)) return found('jira', '"fromString"/"toString" change items (Jira changelog page)');
  // Current-state exports (no history): read for lead time from case fields; the report says what is missing.
  if (has(/"issues"\s*:\s*\[/) && has(/"fields"\s*:/) && has(/"key"\s*:/)) return found('jira', '"issues" without changelog (Jira search, current state only)');
  // A search response without changelog (or an empty/damaged one): `{"issues":[…]}` with Jira paging or issue fields.
  if (has(/"issues"\s*:\s*\[/) && (has(/"(startAt|maxResults|isLast|nextPageToken)"\s*:/) || has(/"key"\s*:\s*"[A-Z][A-Z0-9_]*-\d+"/) || /^\{\s*"issues"\s*:\s*\[\s*(\]|null)/.test(head.trimStart()))) {
    return found('jira', '"issues" of a Jira search response');
  }
  if (head.trimStart().startsWith('[') && has(/"statusCategory"\s*:/) && has(/"untranslatedName"|"iconUrl"/)) return found('jira', 'a Jira /status list (status categories)');
  if (has(/"stream"\s*:\s*"(tickets|ticket_audits|ticket_metric_events|ticket_metrics|ticket_fields)"/)) return found('zendesk', 'Airbyte Zendesk stream records');
  if (has(/"audits"\s*:/) || has(/"ticket_events"\s*:/) || (has(/"ticket_id"\s*:/) && has(/"field_name"\s*:/))) return found('zendesk', 'ticket audits or ticket events (Zendesk)');
  // Current-state exports (no history): read for lead time from case fields; the report says what is missing.
  const ticketList = (has(/"tickets"\s*:\s*\[/) || (has(/"results"\s*:\s*\[/) && has(/"via"\s*:/))) && has(/"status"\s*:/) && has(/"created_at"\s*:/);
  if (ticketList || has(/"ticket_metrics"\s*:\s*\[/)) {
    return found('zendesk', 'a ticket list without audits (Zendesk, current state only)');
  }
  if (has(/"result"\s*:\s*\[/) && has(/"opened_at"\s*:/) && has(/"number"\s*:/)) return found('servicenow', 'incident rows without sys_audit (ServiceNow Table API, current state only)');
  if (has(/"documentkey"\s*:/) || (has(/"fieldname"\s*:/) && has(/"sys_created_on"\s*:/))) return found('servicenow', 'sys_audit rows (ServiceNow)');
  if (has(/"stageChanges"\s*:/) || has(/"opportunit/i)) return found('lever', 'opportunity stage changes (Lever)');
  if (has(/"application_id"\s*:/) || (has(/"stages?"\s*:/) && has(/"candidate/))) return found('greenhouse', 'application stages (Greenhouse)');
  if (has(/"event"\s*:\s*"(labeled|unlabeled|assigned|closed|reopened|referenced|mentioned|subscribed|renamed|milestoned)"/) || has(/"node_id"\s*:\s*"(LE|IE|CE|AE|RE)_/)) {
    return found('github', 'issue events (GitHub)');
  }
  return undefined;
}

/** Recognises a status-source CSV (Salesforce, ServiceNow, Zendesk) from its header line. */
export function sniffCsvHeader(head: string): SniffResult | undefined {
  const firstLine = (head.split(/\r?\n/, 1)[0] ?? '').toLowerCase();
  const cells = firstLine.split(/[,;\t|]/).map((cell) => cell.trim().replace(/^"|"$/g, ''));
  const hasCell = (...names: string[]) => names.every((name) => cells.includes(name));
  if (hasCell('field', 'oldvalue', 'newvalue') || (hasCell('field') && cells.some((c) => c.includes('oldvalue')))) {
    return { source: 'salesforce', detectedBy: 'sniffed: CSV header with Field, OldValue, NewValue (Salesforce field history)' };
  }
  if (hasCell('incident_state') || (hasCell('number') && cells.includes('sys_updated_at'))) {
    return { source: 'servicenow', detectedBy: 'sniffed: CSV header with incident_state (ServiceNow incident log)' };
  }
  if (hasCell('ticket_id', 'field_name')) return { source: 'zendesk', detectedBy: 'sniffed: CSV header with ticket_id, field_name (Zendesk ticket field history)' };
  return undefined;
}
