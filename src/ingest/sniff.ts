import { readdirSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { VsmError, quoteGot } from '../errors.js';
import { sniffFolder } from './file-look.js';
import { isOcel1XmlHead } from './ocel1-sniff.js';
import { isSqliteFile } from './ocel-sqlite.js';
import { type SniffResult, readHead, sniffCsvHeader, sniffJson } from './sniff-content.js';
import { sniffWideCsvHead } from './wide-csv-columns.js';

<<<<<<< HEAD
export { type SniffResult, readHead, sniffCsvHeader, sniffJson };
=======
export interface SniffResult {
  source: SourceKind;
  /** Human explanation shown in the report: "sniffed: JSON with "issues[].changelog" (Jira)". */
  detectedBy: string;
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

function sniffJson(head: string): SniffResult | undefined {
  const has = (pattern: RegExp) => pattern.test(head);
  const found = (source: SourceKind, what: string): SniffResult => ({ source, detectedBy: `sniffed: JSON with ${what}` });
  if (has(/"(errorMessages|error_description)"\s*:/) && !has(/"changelog"/)) return undefined;
  if (has(/"objectTypes"\s*:/) && has(/"eventTypes"\s*:/)) return found('ocel', '"objectTypes" and "eventTypes" (OCEL 2.0)');
  if (has(/"changelog"\s*:/) || has(/"issueChangeLogs"\s*:/) || (has(/"histories"\s*:/) && has(/"items"\s*:/))) return found('jira', '"changelog" histories (Jira)');
  if (has(/"fromString"\s*:/) && has(/"toString"\s*:/)) return found('jira', '"fromString"/"toString" change items (Jira changelog page)');
  if (has(/"stream"\s*:\s*"(tickets|ticket_audits|ticket_metric_events|ticket_metrics|ticket_fields)"/)) return found('zendesk', 'Airbyte Zendesk stream records');
  if (has(/"audits"\s*:/) || has(/"ticket_events"\s*:/) || (has(/"ticket_id"\s*:/) && has(/"field_name"\s*:/))) return found('zendesk', 'ticket audits or ticket events (Zendesk)');
  // Current-state exports (no history): read for lead time from case fields; the report says what is missing.
  if (has(/"issues"\s*:\s*\[/) && has(/"fields"\s*:/) && has(/"key"\s*:/)) return found('jira', '"issues" without changelog (Jira search, current state only)');
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

function sniffCsvHeader(head: string): SniffResult | undefined {
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
>>>>>>> h10a-sufficiency

/**
 * Decides the source kind of a file or folder: by name first (`.xes`, `.jsonocel`), then by content.
 * Says what it saw, so the user can override with --source.
 */
export function sniffSource(path: string): SniffResult {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    throw new VsmError({ code: 'FILE_NOT_FOUND', what: 'input not found', where: path, fix: 'check the path (relative paths are resolved from the current directory)' });
  }
  if (stats.isDirectory()) {
    const pages = readdirSync(path).filter((name) => /\.(json|jsonl|ndjson|csv)(\.gz)?$/i.test(name));
    if (pages.length === 0) {
      throw new VsmError({
        code: 'NOT_A_FILE',
        what: 'input is a folder without JSON pages',
        where: path,
        got: `${readdirSync(path).length} entries, none *.json / *.jsonl / *.csv`,
        fix: 'pass a log file, or a folder of JSON export pages',
      });
    }
    // Every file votes (not the first by name), so the order of names never changes the kind.
    return sniffFolder(path);
  }
  const name = basename(path).toLowerCase().replace(/\.gz$/, '');
  const extension = extname(name);
  if (extension === '.xes') return { source: 'xes', detectedBy: 'extension .xes' };
  if (extension === '.jsonocel' || extension === '.xmlocel') return { source: 'ocel', detectedBy: `extension ${extension}` };
  if (isSqliteFile(path)) return { source: 'ocel', detectedBy: 'sniffed: SQLite database header (read as OCEL 2.0 SQLite)' };
  const head = readHead(path);
  if (head.startsWith('SQLite format 3\u0000')) {
    throw new VsmError({ code: 'UNKNOWN_FORMAT', what: 'gzip-compressed SQLite database', where: path, got: 'gzip around "SQLite format 3"', fix: 'gunzip it first (SQLite is read in place, not as a stream)' });
  }
  const trimmed = head.trimStart();
  if (trimmed.startsWith('<')) {
    if (/<ocel|<object-types/.test(head)) return { source: 'ocel', detectedBy: 'sniffed: XML with <ocel> (OCEL 2.0)' };
    if (isOcel1XmlHead(head)) return { source: 'ocel', detectedBy: 'sniffed: XML with <global scope> and "omap"/"object-types" keys (OCEL 1.0)' };
    if (/<log[\s>]/.test(head)) return { source: 'xes', detectedBy: 'sniffed: XML with <log> (XES)' };
    throw new VsmError({ code: 'UNKNOWN_FORMAT', what: 'XML that is neither XES nor OCEL', where: path, got: quoteGot(trimmed.slice(0, 60)), fix: 'pass --source xes or --source ocel if it is one of them' });
  }
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    if (/^\[\s*\]\s*$/.test(trimmed)) {
      throw new VsmError({ code: 'EMPTY_FILE', what: 'the export is empty', where: path, got: '[] (a JSON array with no records)', fix: 'check the query or filter of the export (it matched nothing?) and export again' });
    }
    const json = sniffJson(head);
    if (json) return json;
    throw new VsmError({
      code: 'UNKNOWN_FORMAT',
      what: 'JSON of no recognised export shape',
      where: path,
      got: quoteGot(trimmed.slice(0, 60)),
      fix: 'pass --source jira|zendesk|github|servicenow|greenhouse|lever|ocel (GitLab label events are not supported yet)',
    });
  }
  const csv = sniffCsvHeader(head);
  if (csv) return csv;
  const wide = sniffWideCsvHead(head);
  if (wide) {
    return { source: 'csv', layout: 'wide', detectedBy: `sniffed: wide stage-date CSV (id column "${wide.idName}", ${wide.stageNames.length} stage date columns)` };
  }
  return { source: 'csv', detectedBy: extension === '.csv' || extension === '.tsv' || extension === '.txt' ? `extension ${extension}` : 'sniffed: delimited text (CSV)' };
}
