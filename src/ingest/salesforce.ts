import { VsmError, quoteGot } from '../errors.js';
import { EventLogBuilder } from '../model/event-log-builder.js';
import type { StatusClass } from '../model/status-class.js';
import { IngestReportBuilder } from './ingest-report.js';
import type { ReadOptions, ReadResult } from './read-options.js';
import { type CanonicalChange, StatusChangeCollector } from './status-changes.js';
import { columnIndex, createTimeReader, orderTies, readCsvRecords, readInputTexts } from './status-source-kit.js';
import { looksLikeSalesforce, wrongSourceFix } from './status-source-sniff.js';

export { looksLikeSalesforce };

/**
 * Salesforce field history (FORMATS.md §3): CaseHistory, OpportunityFieldHistory or a custom object's `__History`,
 * exported as CSV by Data Loader, the Bulk API or a SOQL query (`CaseId, Field, OldValue, NewValue, CreatedDate, …`,
 * any header case). `Field` = Status / StageName → status change; Owner / ownerAssignment / ownerAccepted /
 * ownerEscalated → owner change; `created` → the record's creation time. Other fields are read and rejected as
 * not-a-status-change so every row is accounted for.
 */
const CASE_ID_COLUMNS = ['CaseId', 'OpportunityId', 'ParentId'];
const OWNER_FIELDS = new Set(['owner', 'ownerassignment', 'owneraccepted', 'ownerescalated']);
const STATUS_FIELDS = new Set(['status', 'stagename']);

/** Default classes of the standard Case picklist; Opportunity stages are active except the closed ones (FORMATS.md §9). */
export const SALESFORCE_CASE_STATUS_CLASSES: Readonly<Record<string, StatusClass>> = { New: 'queue', Working: 'active', Escalated: 'active', Closed: 'done' };
const OPPORTUNITY_DONE = new Set(['Closed Won', 'Closed Lost']);

/** Column labels of a German report export, mapped to the API names the fix message asks for. */
const GERMAN_HEADERS: Record<string, string> = { 'fall-id': 'CaseId', feld: 'Field', 'alter wert': 'OldValue', 'neuer wert': 'NewValue', 'erstellt am': 'CreatedDate', 'erstellt von': 'CreatedById' };

/** A Salesforce record id: 15 or 18 alphanumerics (owner id rows duplicate the name rows, FORMATS.md §3.5). */
const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

interface HistoryRow {
  caseId: string;
  kind: 'created' | 'status' | 'owner';
  from: string;
  to: string;
  isIdRow: boolean;
  atMs: number;
  actor?: string;
  seq: number;
  fileIndex: number;
}

/** Orders status changes that share a second by chaining OldValue → NewValue (Salesforce cannot order them). */
function chainTies(changes: CanonicalChange[]): CanonicalChange[] {
  const out: CanonicalChange[] = [];
  let k = 0;
  while (k < changes.length) {
    let end = k + 1;
    while (end < changes.length && changes[end].atMs === changes[k].atMs) end++;
    const run = changes.slice(k, end);
    while (run.length > 0) {
      const current = out.length > 0 ? out[out.length - 1].to : undefined;
      const next = run.findIndex((c) => c.from === current);
      out.push(...run.splice(next < 0 ? 0 : next, 1));
    }
    k = end;
  }
  return out;
}

function missingColumnsError(file: string, header: string[], sample: string): VsmError {
  const german = header.filter((name) => GERMAN_HEADERS[name.toLowerCase()] !== undefined);
  if (german.length >= 3) {
    const renames = german.map((name) => `${name}→${GERMAN_HEADERS[name.toLowerCase()]}`).join(', ');
    return new VsmError({ code: 'MISSING_COLUMN', what: 'localized (German) history export: API column names expected', where: file, got: quoteGot(header.join(';')), fix: `export with Data Loader or the API (CaseId, Field, OldValue, NewValue, CreatedDate), or rename ${renames} and write field names and dates as the API does` });
  }
  if (!looksLikeSalesforce(sample) && wrongSourceFix(sample, 'salesforce').startsWith('this looks like')) {
    return new VsmError({ code: 'WRONG_SOURCE', what: 'not a Salesforce field-history export', where: file, got: quoteGot(header.join(',')), fix: wrongSourceFix(sample, 'salesforce') });
  }
  return new VsmError({ code: 'MISSING_COLUMN', what: 'Salesforce history CSV lacks needed columns', where: file, got: quoteGot(header.join(',')), fix: 'expected CaseId (or OpportunityId / ParentId), Field, OldValue, NewValue, CreatedDate' });
}

/** Reads Salesforce field-history CSV (file, .gz or folder) into a status-shaped EventLog. */
export async function readSalesforce(path: string, options: ReadOptions): Promise<ReadResult> {
  const inputs = await readInputTexts(path, ['.csv']);
  const report = new IngestReportBuilder('salesforce', options.source === 'salesforce' ? 'flag' : 'sniffed');
  const builder = new EventLogBuilder('status');
  const collector = new StatusChangeCollector(builder, report);
  const readTime = createTimeReader(options, report, ' (the API writes UTC with "Z"/"+0000"; offset-less values follow the exporting tool\'s time-zone setting)');
  const rows: HistoryRow[] = [];
  let isOpportunity = false;
  for (const input of inputs) {
    const fileIndex = builder.addFile(input.file);
    report.files.push(input.file);
    if (/^\s*[[{]/.test(input.text)) throw missingColumnsError(input.file, [], input.text.slice(0, 65536));
    const { header, records } = readCsvRecords(input, report, options.delimiter);
    const at = {
      caseId: columnIndex(header, CASE_ID_COLUMNS),
      field: columnIndex(header, ['Field']),
      oldValue: columnIndex(header, ['OldValue']),
      newValue: columnIndex(header, ['NewValue']),
      createdDate: columnIndex(header, ['CreatedDate']),
      actor: columnIndex(header, ['CreatedById']),
      dataType: columnIndex(header, ['DataType']),
      isDeleted: columnIndex(header, ['IsDeleted']),
      id: columnIndex(header, ['Id']),
    };
    if (at.caseId < 0 || at.field < 0 || at.newValue < 0 || at.createdDate < 0) throw missingColumnsError(input.file, header, input.text.slice(0, 65536));
    const caseColumn = header[at.caseId];
    isOpportunity ||= caseColumn.toLowerCase() === 'opportunityid';
    Object.assign(report.mapping, { case: caseColumn, status: `${header[at.field]}=Status|StageName → ${header[at.newValue]}`, timestamp: header[at.createdDate], resource: `${header[at.field]}=Owner` });
    const seen = new Set<string>();
    for (const { line, values } of records) {
      report.rowsRead++;
      const where = { file: input.file, row: line };
      const value = (k: number) => (k >= 0 ? (values[k] ?? '').trim() : '');
      const key = at.id >= 0 && value(at.id) !== '' ? value(at.id) : values.join('\u0001');
      if (seen.has(key)) {
        report.duplicatesDropped++;
        continue;
      }
      seen.add(key);
      const field = value(at.field);
      const kind = field.toLowerCase() === 'created' ? 'created' : STATUS_FIELDS.has(field.toLowerCase()) ? 'status' : OWNER_FIELDS.has(field.toLowerCase()) ? 'owner' : undefined;
      const atMs = readTime(value(at.createdDate));
      // Deleted rows and other fields are sound but unused: ignored by reason, not rejected.
      if (value(at.isDeleted).toLowerCase() === 'true') report.ignore(`deleted history row (${header[at.isDeleted]} = true)`);
      else if (value(at.caseId) === '') report.reject('missing-case', { ...where, column: caseColumn, message: 'history row without a record id' });
      else if (kind === undefined) report.ignore(`not a status/owner change: field ${field || '(none)'}`);
      else if (Number.isNaN(atMs)) report.reject('bad-timestamp', { ...where, column: header[at.createdDate], value: value(at.createdDate), message: 'expected ISO 8601 such as 2024-01-05T10:00:00.000+0000, or pass --date-format' });
      else {
        if (field === 'StageName') isOpportunity = true;
        const to = value(at.newValue);
        const isIdRow = value(at.dataType) === 'EntityId' || (RECORD_ID.test(to) && /\d/.test(to));
        rows.push({ caseId: value(at.caseId), kind, from: value(at.oldValue), to, isIdRow, atMs, actor: value(at.actor) || undefined, seq: line, fileIndex });
      }
    }
  }
  emitCases(rows, collector, report);
  collector.emit();
  for (const name of builder.activities.values) {
    const statusClass = isOpportunity ? (OPPORTUNITY_DONE.has(name) ? 'done' : 'active') : SALESFORCE_CASE_STATUS_CLASSES[name];
    if (statusClass !== undefined) builder.setStatusCategory(name, statusClass);
  }
  if (isOpportunity) report.note('Opportunity stages are classed active by default (Closed Won / Closed Lost done); most sales stages wait on the buyer: reclassify them in vsm.config.json');
  const log = builder.build();
  if (log.eventCount === 0) throw new VsmError({ code: 'NO_EVENTS', what: 'no Status / StageName / Owner history rows found', where: path, fix: "export Field IN ('created','Status','Owner') (cases) or ('created','StageName','Owner') (opportunities)" });
  return { log, report: report.finish() };
}

function emitCases(rows: HistoryRow[], collector: StatusChangeCollector, report: IngestReportBuilder): void {
  const byCase = new Map<string, HistoryRow[]>();
  for (const row of rows) {
    const list = byCase.get(row.caseId);
    if (list) list.push(row);
    else byCase.set(row.caseId, [row]);
  }
  let truncated = 0;
  let idRowsDropped = 0;
  let casesWithCreated = 0;
  for (const [caseId, list] of byCase) {
    list.sort((a, b) => a.atMs - b.atMs || a.fileIndex - b.fileIndex || a.seq - b.seq);
    const created = list.find((r) => r.kind === 'created');
    collector.addCase({ caseId, createdAtMs: created?.atMs, fileIndex: created?.fileIndex, sourceSeq: created?.seq });
    if (created) casesWithCreated++;
    const toChange = (r: HistoryRow, field: CanonicalChange['field']): CanonicalChange => ({ caseId, atMs: r.atMs, field, from: r.from || null, to: r.to || null, actor: r.actor, sourceSeq: r.seq, fileIndex: r.fileIndex });
    const status = chainTies(list.filter((r) => r.kind === 'status').map((r) => toChange(r, 'status')));
    // Without a `created` row the history is cut (retention, tracking enabled later): the first status's start is
    // unknown, so it is not seeded at the first change (that would invent a zero-length visit).
    if (!created && status.length > 0) {
      truncated++;
      collector.addCase({ caseId, historyAfterCreation: true });
      status[0] = { ...status[0], from: null };
    }
    const owners: CanonicalChange[] = [];
    for (let k = 0; k < list.length; k++) {
      const row = list[k];
      if (row.kind !== 'owner') continue;
      const sameChange = list.filter((r) => r.kind === 'owner' && r.atMs === row.atMs);
      const kept = sameChange.find((r) => !r.isIdRow) ?? sameChange[0];
      if (row !== kept) {
        idRowsDropped++;
        report.duplicatesDropped++;
        continue;
      }
      owners.push(toChange(row, 'assignee'));
    }
    report.rowsUsed += list.filter((r) => r.kind === 'created').length;
    for (const change of [...orderTies(status), ...owners]) {
      if (collector.addChange(change, { countRow: false })) report.rowsUsed++;
      else report.duplicatesDropped++;
    }
  }
  if (idRowsDropped > 0) report.note(`${idRowsDropped} owner changes came as a name row plus an id row; the id rows were dropped as duplicates`);
  if (casesWithCreated === 0 && byCase.size > 0) {
    report.note(`no "created" rows: the time before each record's first status change is not measured; export Field IN ('created','Status','Owner') to include creation`);
  } else if (truncated > 0) {
    report.note(`${truncated} records have no "created" row: their history is truncated (field history is kept 18 months in the UI, 24 via the API, and starts when tracking was enabled); the time before their first status change is not measured`);
  }
}
